"""Data parallelism with PyTorch's own tools: torchrun, DDP and FSDP2.

    torchrun --nproc_per_node 2 -m lmforge.cli pretrain --config recipes/x.yaml --strategy ddp

torchrun starts one process per device and sets RANK / LOCAL_RANK / WORLD_SIZE; `init`
joins them into a process group (NCCL on GPUs, gloo on CPU). Every rank reads its slice
of the same global batch, so 2 processes with batch 4 each compute what 1 process does
with batch 8:

    ddp   every rank holds the whole model; gradients are averaged in backward
    fsdp  FSDP2 `fully_shard`: each rank holds 1/world of every parameter, gradient and
          optimizer state, gathering a block's weights only while that block runs

Without torchrun everything here is a no-op (world size 1).
Test: `pytest tests/train/test_distributed.py`.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn

from lmforge.errors import ConfigError


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def is_main(self) -> bool:
        """Rank 0 alone logs, draws progress and writes files."""
        return self.rank == 0


def info() -> DistInfo:
    if not dist.is_available() or not dist.is_initialized():
        return DistInfo()
    return DistInfo(dist.get_rank(), int(os.environ.get("LOCAL_RANK", 0)), dist.get_world_size())


def init(device: str = "auto") -> DistInfo:
    """Join the torchrun process group when launched by torchrun; returns this rank's place."""
    if int(os.environ.get("WORLD_SIZE", 1)) <= 1 or dist.is_initialized():
        return info()
    use_cuda = torch.cuda.is_available() and device != "cpu"
    if use_cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    dist.init_process_group("nccl" if use_cuda else "gloo")
    return info()


@contextmanager
def process_group(device: str = "auto") -> Iterator[DistInfo]:
    """`init` on entry, `cleanup` on exit (also on an error): one training run's group."""
    try:
        yield init(device)
    finally:
        cleanup()


def rank_batch_size(batch_size: int) -> int:
    """This rank's rows of a global batch of `batch_size` (split evenly over the ranks)."""
    world_size = info().world_size
    if batch_size % world_size:
        raise ConfigError(f"batch_size {batch_size} is not divisible by the world size "
                          f"{world_size}")
    return batch_size // world_size


def resolve_device(device: str) -> str:
    """'auto' -> this rank's GPU when there is one, else cpu."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and info().world_size > 1:
        device = f"cuda:{info().local_rank}"
    return device


def wrap(module: nn.Module, strategy: str, device: str) -> nn.Module:
    """Wrap for data parallelism; a no-op on a single process."""
    if info().world_size == 1 or strategy == "none":
        return module
    if strategy == "ddp":
        from torch.nn.parallel import DistributedDataParallel

        ids = [torch.device(device).index] if device.startswith("cuda") else None
        return DistributedDataParallel(module, device_ids=ids)
    return shard(module, device)


def shard(module: nn.Module, device: str) -> nn.Module:
    """FSDP2: shard every Transformer block, then the rest (embeddings, head) as the root."""
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard

    mesh = init_device_mesh(torch.device(device).type, (info().world_size,))
    for submodule in module.modules():
        if type(submodule).__name__ == "Block":
            fully_shard(submodule, mesh=mesh)
    return fully_shard(module, mesh=mesh)


def unwrap(module: nn.Module) -> nn.Module:
    """The module DDP wraps (FSDP2 shards in place, so it needs no unwrapping)."""
    return getattr(module, "module", module)


@contextmanager
def gradient_sync(module: nn.Module, enabled: bool) -> Iterator[None]:
    """Skip the gradient all-reduce on accumulation micro-steps; sync on the last one."""
    if hasattr(module, "no_sync") and not enabled:  # DDP
        with module.no_sync():
            yield
    elif hasattr(module, "set_requires_gradient_sync"):  # FSDP2
        module.set_requires_gradient_sync(enabled)
        yield
    else:
        with nullcontext():
            yield


def all_reduce_mean(value: torch.Tensor) -> torch.Tensor:
    """Average a (logged) tensor over ranks; identity on one process."""
    if info().world_size > 1:
        value = value.clone()
        dist.all_reduce(value, op=dist.ReduceOp.SUM)
        value /= info().world_size
    return value


def broadcast_object(obj):
    """Rank 0's value of a picklable object, on every rank."""
    if info().world_size == 1:
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def gather_objects(obj) -> list:
    """Every rank's `obj`, in rank order (each rank gets the full list)."""
    if info().world_size == 1:
        return [obj]
    out = [None] * info().world_size
    dist.all_gather_object(out, obj)
    return out


def barrier() -> None:
    if info().world_size > 1:
        dist.barrier()


def cleanup() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
