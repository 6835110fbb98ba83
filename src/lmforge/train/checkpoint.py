"""Checkpoints: everything needed to continue a run exactly, written so a crash loses nothing.

    out_dir/checkpoints/
      step_000100/
        config.json, model.safetensors     the model in Hugging Face's layout (transformers
        lmforge_config.json                opens it); tokenizer files when given
        (adapter_model.safetensors,        instead, for a model with LoRA adapters: the
         adapter_config.json)              adapters alone in PEFT's layout (train/lora.py)
        trainable_extra.safetensors        trainable weights outside the HF model: LoRA
                                           adapters, an objective's heads (for resume)
        optimizer.pt                       AdamW moments, keyed by parameter name
        trainer_state.pt                   step, data position, objective RNG, settings
        rng.pt                             python/numpy/torch(/CUDA) RNG state of every rank
      latest                               text file: the name of the newest complete folder

A folder is written into a hidden temporary directory and renamed into place (atomic_dir),
and only then is `latest` rewritten (atomically too). A process killed at any moment
leaves `latest` naming the previous complete checkpoint.

State is gathered in full (unsharded, keyed by parameter name) with
`torch.distributed.checkpoint.state_dict`, so a checkpoint from 2 FSDP ranks loads on 1 or
4. Non-weight state is loaded with `torch.load(weights_only=True)`: no pickled code runs.

Test: `pytest tests/train/test_checkpoint.py`.
"""

import os
import random
import re
import shutil
import signal
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_optimizer_state_dict,
    set_optimizer_state_dict,
)

from lmforge.atomic import atomic_dir, write_text_atomic
from lmforge.errors import ConfigError
from lmforge.io.hf_checkpoint import hf_to_lmforge, read_safetensors, save_hf_folder
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.train import distributed

LATEST = "latest"
EXTRA_WEIGHTS = "trainable_extra.safetensors"
STEP_DIR = re.compile(r"^step_(\d{6,})$")
# Test hook: SIGKILL this process halfway through writing the checkpoint of this step.
CRASH_ENV = "LMFORGE_TEST_KILL_IN_CHECKPOINT"


def checkpoint_root(out_dir: str | Path) -> Path:
    return Path(out_dir) / "checkpoints"


def _options(full: bool = True) -> StateDictOptions:
    # cpu_offload gathers to rank 0 only, and needs a process group
    return StateDictOptions(full_state_dict=full, cpu_offload=distributed.info().world_size > 1)


def save(
    out_dir: str | Path,
    step: int,
    module: nn.Module,
    optimizer: torch.optim.Optimizer,
    state: dict,
    keep_last: int = 0,
    extra_files: dict[str, str | Path] | None = None,
) -> Path | None:
    """Write checkpoint `step` (every rank calls this; rank 0 writes). Returns its folder."""
    model_state = get_model_state_dict(module, options=_options())  # collective under FSDP
    optim_state = get_optimizer_state_dict(module, optimizer, options=_options())
    rng_states = distributed.gather_objects(rng_state())
    folder = checkpoint_root(out_dir) / f"step_{step:06d}"
    if distributed.info().is_main:
        with atomic_dir(folder) as tmp:
            _save_model(distributed.unwrap(module), model_state, tmp)
            _save_extra_weights(distributed.unwrap(module), model_state, tmp)
            _maybe_crash(step)
            torch.save(optim_state, tmp / "optimizer.pt")
            torch.save({**state, "step": step}, tmp / "trainer_state.pt")
            torch.save(rng_states, tmp / "rng.pt")
            for name, path in (extra_files or {}).items():
                shutil.copyfile(path, tmp / name)
        write_text_atomic(checkpoint_root(out_dir) / LATEST, folder.name + "\n")
        prune(out_dir, keep_last)
    distributed.barrier()
    return folder


def _save_model(module: nn.Module, model_state: dict, folder: Path) -> None:
    """Save the Transformer inside `module` (an ObjectiveModule) from its full state dict."""
    if getattr(module.model, "lora_config", None) is not None:
        from lmforge.train.lora import save_adapter

        save_adapter(module.model, folder)  # the frozen base is rebuilt from its source
        return
    config: ModelConfig = module.model.config
    # built on the meta device: no memory, no init work, and no draw from the RNG
    with torch.device("meta"):
        model = Transformer(config)
    prefix = "model."
    weights = {k.removeprefix(prefix): v for k, v in model_state.items() if k.startswith(prefix)}
    model.load_state_dict(weights, strict=False, assign=True)
    if config.tie_word_embeddings and hasattr(model, "lm_head"):
        model.lm_head.weight = model.embed.tokens.weight
    save_hf_folder(model, folder)


def _save_extra_weights(module: nn.Module, model_state: dict, folder: Path) -> None:
    """Trainable weights the HF folder does not hold (adapters, objective heads)."""
    from safetensors.torch import save_file

    trainable = {name for name, p in module.named_parameters() if p.requires_grad}
    extra = {k: v.detach().cpu().contiguous() for k, v in model_state.items()
             if k in trainable and (k.startswith("objective.") or ".lora_" in k)}
    if extra:
        save_file(extra, str(folder / EXTRA_WEIGHTS))


def load_extra_weights(module: nn.Module, folder: Path) -> None:
    """Restore what _save_extra_weights wrote into the (unwrapped) ObjectiveModule."""
    path = Path(folder) / EXTRA_WEIGHTS
    if not path.is_file():
        return
    from torch.distributed.checkpoint.state_dict import set_model_state_dict

    weights = _read_plain(path)
    set_model_state_dict(module, weights, options=StateDictOptions(full_state_dict=True,
                                                                   strict=False))


def _read_plain(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(path))


def _maybe_crash(step: int) -> None:
    if os.environ.get(CRASH_ENV) == str(step):
        os.kill(os.getpid(), signal.SIGKILL)


def prune(out_dir: str | Path, keep_last: int) -> None:
    """Delete all but the newest `keep_last` checkpoints (0 keeps everything)."""
    if keep_last <= 0:
        return
    for folder in list_checkpoints(out_dir)[:-keep_last]:
        shutil.rmtree(folder, ignore_errors=True)


def list_checkpoints(out_dir: str | Path) -> list[Path]:
    """Complete checkpoint folders, oldest first (hidden temporary folders are skipped)."""
    root = checkpoint_root(out_dir)
    if not root.is_dir():
        return []
    folders = [p for p in root.iterdir() if p.is_dir() and STEP_DIR.match(p.name)]
    return sorted(folders, key=lambda p: int(STEP_DIR.match(p.name).group(1)))


def latest(out_dir: str | Path) -> Path | None:
    """The folder `latest` names, or None when there is no checkpoint yet."""
    pointer = checkpoint_root(out_dir) / LATEST
    if not pointer.is_file():
        return None
    folder = checkpoint_root(out_dir) / pointer.read_text(encoding="utf-8").strip()
    return folder if folder.is_dir() else None


def resolve(resume: str, out_dir: str | Path) -> Path | None:
    """settings.resume -> a checkpoint folder ('' -> None, 'latest' -> newest in out_dir)."""
    if not resume:
        return None
    folder = latest(out_dir) if resume == "latest" else Path(resume)
    if folder is None or not (folder / "trainer_state.pt").is_file():
        raise ConfigError(f"resume={resume!r}: no complete checkpoint found (in {out_dir})")
    return folder


def load_model_weights(model: Transformer, folder: Path) -> None:
    """Load checkpoint weights into an unwrapped model whose shape must match exactly.

    A LoRA run's checkpoint holds no base weights (the base is frozen and rebuilt from its
    source): its adapters come back through load_extra_weights."""
    if getattr(model, "lora_config", None) is not None:
        return
    saved = ModelConfig.from_dict(_read_config(folder), str(folder))
    check_same_shape(saved, model.config, folder)
    weights = hf_to_lmforge(read_safetensors(folder), model.config.arch)
    model.load_state_dict(weights, strict=False)


def _read_config(folder: Path) -> dict:
    import json

    return json.loads((folder / "lmforge_config.json").read_text(encoding="utf-8"))


def check_same_shape(saved: ModelConfig, current: ModelConfig, folder: Path) -> None:
    """A resumed run must build the very model it saved; name every field that differs."""
    a, b = saved.to_dict(), current.to_dict()
    diffs = [f"{k}: checkpoint {a[k]!r} vs this run {b[k]!r}"
             for k in a if k != "extra" and a[k] != b.get(k)]
    if diffs:
        raise ConfigError(f"cannot resume from {folder}: model differs ({'; '.join(diffs)})")


def load_training_state(folder: Path, module: nn.Module, optimizer) -> dict:
    """Restore optimizer and this rank's RNG; return the trainer state (step, loader, ...)."""
    optim_state = torch.load(folder / "optimizer.pt", weights_only=True)
    set_optimizer_state_dict(module, optimizer, optim_state,
                             options=StateDictOptions(full_state_dict=True))
    rng_states = torch.load(folder / "rng.pt", weights_only=True)
    rank = distributed.info().rank
    set_rng_state(rng_states[rank if rank < len(rng_states) else 0])
    return torch.load(folder / "trainer_state.pt", weights_only=True)


def rng_state() -> dict:
    """Every RNG this process draws from, as plain Python values (picklable across ranks)."""
    numpy_state = np.random.get_state()
    state = {
        "python": random.getstate(),
        "numpy": (numpy_state[0], numpy_state[1].tolist(), *numpy_state[2:]),
        "torch": torch.get_rng_state().tolist(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state().tolist()
    return state


def set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    name, keys, *rest = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), *rest))
    torch.set_rng_state(torch.tensor(state["torch"], dtype=torch.uint8))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(torch.tensor(state["cuda"], dtype=torch.uint8))
