"""Export a decoder model to ONNX, the graph format onnxruntime (and its mobile builds) run.

    lmforge export onnx smollm2-135m-instruct --out smollm2-onnx/
    lmforge export onnx smollm2-135m-instruct --out smollm2-onnx/ --kv-cache

    DIR/model.onnx, model.onnx.data    the graph, and its fp32 weights beside it
        in   input_ids (B, T) int64, positions (B, T) int64
             --kv-cache: past_key_i, past_value_i (B, n_kv_head, P, head_dim) fp32, each layer
             i, the keys/values of positions 0..P-1 (P = 0 for the first call)
        out  logits (B, T, vocab) fp32
             --kv-cache: present_key_i, present_value_i (B, n_kv_head, P + T, head_dim):
             the next call's past
    DIR/config.json, lmforge_config.json, tokenizer files: what `lmforge.load` and
             transformers read beside a checkpoint

The graph is traced by `torch.onnx.export` (the dynamo exporter) from the float, unfused
model with lmforge's C kernels switched off (`backend.own_kernels = False`), so it holds the
readable PyTorch path: embedding, RMSNorm, RoPE, SDPA with its mask, SwiGLU, the head. With
--kv-cache the model is handed `PastKeyValues`, a cache view (model/kv_cache.py) whose
keys/values are graph inputs and whose concatenations are graph outputs; the model's code is
the same. `OnnxDecoder` (onnx_session.py) runs an exported folder.

Test: pytest tests/io/test_onnx_export.py
"""

import json
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from torch import nn

from lmforge.atomic import atomic_dir
from lmforge.errors import ConfigError
from lmforge.model.backend import backend

GRAPH_FILE = "model.onnx"
OPSET = 18


class PastKeyValues:
    """A KV-cache view over tensors passed in: `write` appends a layer's new keys/values to
    its past, `read` returns them all, and `present` keeps them as the graph's outputs.

    Past keys sit at positions 0..P-1; a query at position p sees keys at positions <= p."""

    is_causal = False  # the mask below says it all

    def __init__(self, past: list[tuple[torch.Tensor, torch.Tensor]],
                 positions: torch.Tensor) -> None:
        self.past = past
        self.present: list[tuple[torch.Tensor, torch.Tensor]] = list(past)
        B, P = positions.shape[0], past[0][0].shape[2]
        past_positions = torch.arange(P, device=positions.device).expand(B, P)
        key_positions = torch.cat([past_positions, positions], dim=1)  # (B, S = P + T)
        self.mask = (key_positions[:, None, :] <= positions[:, :, None])[:, None]  # (B,1,T,S)

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None:
        past_k, past_v = self.past[layer]
        self.present[layer] = (torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2))

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.present[layer]  # (B, n_kv, P + T, D)

    def queries(self, q: torch.Tensor) -> torch.Tensor:
        return q  # one row per sequence already

    def outputs(self, y: torch.Tensor) -> torch.Tensor:
        return y

    def attend(self, layer: int, q: torch.Tensor, scale: float) -> None:
        return None  # no kernel of its own: attention runs SDPA on read()


class LogitsGraph(nn.Module):
    """input_ids, positions -> logits: the decoder and its head as one graph."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        return self.model.logits(self.model(input_ids, positions))


class CachedLogitsGraph(LogitsGraph):
    """input_ids, positions, past_key_0, past_value_0, ... -> logits, present_key_0, ..."""

    def forward(self, input_ids: torch.Tensor, positions: torch.Tensor, *past: torch.Tensor):
        cache = PastKeyValues(list(zip(past[0::2], past[1::2], strict=True)), positions)
        logits = self.model.logits(self.model(input_ids, positions, cache=cache))
        return (logits, *[t for pair in cache.present for t in pair])


def export_onnx(model: nn.Module, tokenizer, out: str | Path, kv_cache: bool = False) -> Path:
    """Write `model` (float, unfused) as an ONNX folder at `out` (replaced atomically)."""
    from lmforge.io.hf_checkpoint import NATIVE_CONFIG, hf_config_or_native
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    check_exportable(model)
    graph = (CachedLogitsGraph if kv_cache else LogitsGraph)(model.float()).eval()
    args, names, dynamic = example_inputs(model.config, kv_cache)
    with atomic_dir(out) as tmp, reference_path(), quiet_exporter(), torch.no_grad():
        torch.onnx.export(graph, args, tmp / GRAPH_FILE, input_names=names["in"],
                          output_names=names["out"], dynamic_shapes=dynamic,
                          opset_version=OPSET, dynamo=True, external_data=True,
                          verbose=False)
        (tmp / "config.json").write_text(json.dumps(hf_config_or_native(model.config), indent=2))
        (tmp / NATIVE_CONFIG).write_text(json.dumps(model.config.to_dict(), indent=2))
        save_hf_tokenizer(tokenizer, tmp)
    return Path(out)


def check_exportable(model: nn.Module) -> None:
    """A ConfigError naming what cannot be exported (before any tracing)."""
    config = model.config
    if config.kind != "decoder":
        raise ConfigError(f"ONNX export takes decoder models; this one is {config.kind} "
                          f"({config.arch})")
    if config.position == "relative":
        raise ConfigError("ONNX export does not take relative position bias (T5 style)")
    quantized = [n for n, m in model.named_modules() if hasattr(m, "qweight")]
    if quantized:
        raise ConfigError(f"ONNX export takes float weights; {quantized[0]} is quantized "
                          "(load with quantize='none')")


@contextmanager
def reference_path() -> Iterator[None]:
    """lmforge's C kernels off, so the traced graph holds only PyTorch operators."""
    saved = backend.own_kernels
    backend.own_kernels = False
    try:
        yield
    finally:
        backend.own_kernels = saved


@contextmanager
def quiet_exporter() -> Iterator[None]:
    """Silence the exporter's notes that do not concern the user (torchvision's operators
    are not installed; one shared Dim per axis name; a torch-internal deprecation)."""
    registration = logging.getLogger("torch.onnx._internal.exporter._registration")
    level = registration.level
    registration.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*axis name.*will not be used")
            warnings.filterwarnings("ignore", message=".*isinstance\\(treespec, LeafSpec\\)")
            yield
    finally:
        registration.setLevel(level)


def example_inputs(config, kv_cache: bool) -> tuple[tuple, dict, tuple]:
    """Example tensors for tracing, the graph's input/output names, and which dimensions
    stay symbolic (batch, sequence, past). The example sizes differ from each other and
    from 0 and 1, so the exporter does not fix or equate any of them."""
    B, T, P = 2, 3, 5
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence")
    positions = (P if kv_cache else 0) + torch.arange(T).expand(B, T)
    args = (torch.zeros(B, T, dtype=torch.long), positions)
    dynamic: tuple = ({0: batch, 1: seq}, {0: batch, 1: seq})
    names = {"in": ["input_ids", "positions"], "out": ["logits"]}
    if kv_cache:
        past_len = torch.export.Dim("past_sequence")
        shape = (B, config.num_key_value_heads, P, config.head_dim)
        past_shapes = []
        for i in range(config.num_hidden_layers):
            args += (torch.zeros(shape), torch.zeros(shape))
            past_shapes += [{0: batch, 2: past_len}, {0: batch, 2: past_len}]
            names["in"] += [f"past_key_{i}", f"past_value_{i}"]
            names["out"] += [f"present_key_{i}", f"present_value_{i}"]
        dynamic += (tuple(past_shapes),)  # *past arrives as one tuple
    return args, names, dynamic
