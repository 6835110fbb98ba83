"""Training settings and recipes: one dataclass for the loop, one YAML file for a whole run.

A recipe has three sections, each checked against its dataclass (unknown keys are errors
that name the key and the file, so a typo never trains silently with a default):

    model:  ModelConfig fields          (lmforge/model/config.py)
    data:   DataSettings fields         (below: source, tokenizer, prepared_dir, ...)
    train:  TrainSettings fields        (below: steps, batch, lr, checkpoints, ...)

Overrides come as a flat dict (from `--key value` on the command line): a bare key such
as `lr` goes to whichever section owns it; `model.hidden_size` names the section.
Each field's docstring line is the `--help` text and the YAML comment.

Test: `pytest tests/train/test_settings.py`.
"""

import ast
import dataclasses
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from lmforge.errors import ConfigError
from lmforge.field_types import type_problem
from lmforge.model.config import ModelConfig


@dataclass
class TrainSettings:
    """How to train: batch, optimizer, schedule, precision, cadence of evals and checkpoints."""

    out_dir: str = "runs/pretrain"
    """Folder for checkpoints, metrics.csv, TensorBoard logs and loss.png."""
    max_steps: int = 1000
    """Optimizer steps to train for."""
    batch_size: int = 8
    """Sequences per micro-step over ALL ranks (each rank takes batch_size / world_size)."""
    block_size: int = 256
    """Tokens per training sequence (the context length seen in training)."""
    grad_accum_steps: int = 1
    """Micro-steps whose gradients are summed before one optimizer step."""
    lr: float = 6e-4
    """Peak learning rate, reached after warmup."""
    min_lr: float = 6e-5
    """Learning rate at the end of the cosine decay."""
    warmup_steps: int = 100
    """Steps of linear warmup from 0 to lr."""
    lr_decay_steps: int | None = None
    """Step at which the cosine reaches min_lr; None means max_steps."""
    weight_decay: float = 0.1
    """AdamW decoupled weight decay on matrices (never on norms, biases, embeddings)."""
    beta1: float = 0.9
    """AdamW first-moment decay."""
    beta2: float = 0.95
    """AdamW second-moment decay."""
    grad_clip: float = 1.0
    """Clip the global gradient norm to this (0 disables)."""
    precision: Literal["fp32", "bf16", "fp16", "auto"] = "fp32"
    """Autocast dtype for forward/backward; weights and optimizer stay fp32. auto: bf16 where
    the device multiplies bf16 in hardware (CUDA with bf16, a CPU with AMX or AVX-512 BF16),
    else fp32."""
    activation_checkpointing: bool = False
    """Recompute block activations in backward: less memory, ~30% more compute."""
    compile: bool = False
    """Run the model through torch.compile (slow start, faster steps)."""
    eval_every: int = 250
    """Evaluate validation loss every N steps (and at the end); 0 disables."""
    eval_batches: int = 50
    """Validation batches per evaluation (spread over the whole split)."""
    sample_every: int = 0
    """Generate a text sample every N steps (and at the end); 0 disables."""
    sample_prompt: str = "The"
    """Prompt for the periodic samples."""
    sample_tokens: int = 64
    """Tokens to generate per sample."""
    log_every: int = 10
    """Log train loss, lr and tokens/s every N steps."""
    checkpoint_every: int = 0
    """Save a checkpoint every N steps (and at the end); 0 means only at the end."""
    keep_last: int = 2
    """Checkpoints to keep (older ones are deleted); 0 keeps all."""
    seed: int = 1337
    """Seed for weights init, data order and masking."""
    strategy: Literal["none", "ddp", "fsdp"] = "none"
    """Data parallelism under torchrun: none, ddp (replicas) or fsdp (sharded, FSDP2)."""
    resume: str = ""
    """Continue from a checkpoint: '' (fresh), 'latest' (newest in out_dir) or a folder."""
    device: str = "auto"
    """auto (cuda when present, else cpu), cpu, cuda, or cuda:N."""
    num_threads: int = 0
    """CPU threads for torch; 0 leaves torch's default."""
    progress: bool = True
    """Show a progress bar on stderr."""
    tensorboard: bool = True
    """Also write TensorBoard event files to out_dir/tb."""

    def __post_init__(self) -> None:
        positive = ("max_steps", "batch_size", "block_size", "grad_accum_steps", "log_every")
        for name in positive:
            if getattr(self, name) < 1:
                raise ConfigError(f"train.{name} must be >= 1, got {getattr(self, name)}")
        if self.precision not in ("fp32", "bf16", "fp16", "auto"):
            raise ConfigError("train.precision must be fp32, bf16, fp16 or auto, "
                              f"got {self.precision!r}")
        if self.strategy not in ("none", "ddp", "fsdp"):
            raise ConfigError(f"train.strategy must be none, ddp or fsdp, got {self.strategy!r}")
        if not 0 <= self.min_lr <= self.lr:
            raise ConfigError(f"train.min_lr {self.min_lr} must be in [0, lr={self.lr}]")
        if self.warmup_steps < 0:
            raise ConfigError(f"train.warmup_steps must be >= 0, got {self.warmup_steps}")


@dataclass
class DataSettings:
    """Where the text comes from, which tokenizer reads it, and where the shards go."""

    source: str = "stdlib-docs"
    """Corpus: a text/jsonl/parquet file, a folder, 'stdlib-docs' or a HF dataset name."""
    tokenizer: str = ""
    """Existing tokenizer folder (tokenizer.json); '' trains one into out_dir/tokenizer."""
    tokenizer_kind: Literal["bpe", "char"] = "bpe"
    """Kind of tokenizer to train when none is given: bpe or char."""
    vocab_size: int = 4096
    """Vocabulary size of a trained tokenizer (an upper bound for char)."""
    prepared_dir: str = ""
    """Token shards folder; '' means out_dir/data. Reused when its manifest matches."""
    val_fraction: float = 0.05
    """Share of documents (or of tokens, for one big file) held out for validation."""
    num_workers: int = 1
    """Tokenizer processes for prepare; 0 means one per CPU core."""
    pairs: str = ""
    """Seq2seq only: a JSONL of {"source", "target"} pairs instead of span corruption."""


SECTIONS: dict[str, type] = {"model": ModelConfig, "data": DataSettings, "train": TrainSettings}


def load_recipe(
    path: str | Path | None = None, overrides: dict[str, Any] | None = None
) -> tuple[dict, DataSettings, TrainSettings]:
    """Read a recipe YAML, apply overrides, validate; return (model dict, data, train).

    The model section stays a dict (validated by building a ModelConfig) because the
    vocabulary size may only be known once the tokenizer exists.
    """
    source = str(path) if path else "overrides"
    raw = _read_yaml(path) if path else {}
    sections = _split_sections(raw, source)
    _apply_overrides(sections, overrides or {}, source)
    for name, cls in SECTIONS.items():
        _check_keys(sections[name], cls, f"{source} [{name}]")
    ModelConfig.from_dict(sections["model"], source)  # shapes fail here, before any work
    data = _build(DataSettings, sections["data"], source)
    train = _build(TrainSettings, sections["train"], source)
    return sections["model"], data, train


def _read_yaml(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"recipe {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML ({e})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a recipe is a mapping with model/data/train sections")
    return raw


def _split_sections(raw: dict, source: str) -> dict[str, dict]:
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {unknown}; expected {list(SECTIONS)}")
    sections = {name: dict(raw.get(name) or {}) for name in SECTIONS}
    for name, values in raw.items():
        if values is not None and not isinstance(values, dict):
            raise ConfigError(f"{source}: section {name!r} must be a mapping")
    return sections


def _apply_overrides(sections: dict[str, dict], overrides: dict[str, Any], source: str) -> None:
    for key, value in overrides.items():
        section, _, name = key.rpartition(".")
        if not section:
            section = _owner(name, source)
        if section not in SECTIONS:
            raise ConfigError(f"override {key!r}: unknown section {section!r}")
        _check_keys({name: value}, SECTIONS[section], f"override {key!r} for {source}")
        sections[section][name] = _coerce(value, SECTIONS[section], name)
        problem = type_problem(SECTIONS[section], name, sections[section][name])
        if problem:
            raise ConfigError(f"--{key}: {problem}")


def check_overrides(overrides: dict[str, Any]) -> None:
    """Check override keys and value types alone (a command line's part), before any work."""
    _apply_overrides({name: {} for name in SECTIONS}, overrides, "the command line")


def _owner(name: str, source: str) -> str:
    """The section whose dataclass has field `name` (train first: it is overridden most)."""
    for section in ("train", "data", "model"):
        if name in {f.name for f in fields(SECTIONS[section])}:
            return section
    raise ConfigError(f"unknown setting {name!r} (in overrides for {source})")


def _coerce(value: Any, cls: type, name: str) -> Any:
    """Turn a command-line string into the field's type ('3e-4' -> 3e-4, 'true' -> True)."""
    if not isinstance(value, str):
        return value
    field_type = str(next(f.type for f in fields(cls) if f.name == name))
    if "str" in field_type and "int" not in field_type:
        return value
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.lower() in ("none", "null"):
        return None
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def _check_keys(values: dict, cls: type, source: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}")


def _build(cls: type, values: dict, source: str) -> Any:
    for name, value in values.items():
        problem = type_problem(cls, name, value)
        if problem:
            section = next(k for k, v in SECTIONS.items() if v is cls)
            raise ConfigError(f"{source}: {section}.{name}: {problem}")
    try:
        return cls(**values)
    except TypeError as e:
        raise ConfigError(f"{source}: {e}") from None


def load_sections(path: str | Path | None, overrides: dict[str, Any], owners: dict[str, type],
                  defaults: dict[str, dict] | None = None) -> list[Any]:
    """A recipe of named sections (each a dataclass in `owners`) + overrides -> the built
    dataclasses, in `owners` order. An override is `section.name` or a bare name that one
    section's dataclass owns; unknown sections, keys and settings are errors naming them."""
    source = str(path) if path else "overrides"
    raw = _read_yaml(path) if path else {}
    unknown = sorted(set(raw) - set(owners))
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {unknown}; expected "
                          f"{', '.join(owners)}")
    defaults = defaults or {}
    sections = {name: {**defaults.get(name, {}), **(raw.get(name) or {})} for name in owners}
    for key, value in overrides.items():
        section, _, name = key.rpartition(".")
        if not section:
            section = next((s for s, cls in owners.items()
                            if name in {f.name for f in fields(cls)}), "")
        if section not in owners:
            raise ConfigError(f"unknown setting {key!r}")
        _check_keys({name: value}, owners[section], f"override {key!r}")
        sections[section][name] = _coerce(value, owners[section], name)
    built = []
    for name, cls in owners.items():
        _check_keys(sections[name], cls, f"{source} [{name}]")
        try:
            built.append(cls(**sections[name]))
        except TypeError as e:
            raise ConfigError(f"{source} [{name}]: {e}") from None
    return built


def settings_to_dict(settings: Any) -> dict:
    return dataclasses.asdict(settings)
