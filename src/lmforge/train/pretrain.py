"""Pretraining from a recipe: tokenizer -> token shards -> model -> Trainer -> checkpoint.

    lmforge pretrain --config recipes/bpe-10m-stdlib.yaml --max-steps 500
    lmforge pretrain --nproc 2 --config recipes/x.yaml --strategy ddp
    torchrun --nproc_per_node 2 -m lmforge.cli pretrain --config recipes/x.yaml --strategy ddp
    lmforge quickstart --out runs/quickstart

Each stage is skipped when its output already exists and matches: a tokenizer folder with
tokenizer.json, a prepared folder whose manifest names the same source and tokenizer. The
model kind picks the objective (decoder: causal LM, encoder: masked LM, encoder-decoder:
span corruption or supervised pairs; pipeline.objective_for_kind). The tokenizer files are
copied into every checkpoint, so the final folder opens in transformers with its tokenizer.

Test: `pytest tests/train/test_pretrain.py`.
"""

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch

from lmforge.data.loader import BlockLoader, SequentialLoader
from lmforge.data.shards import open_split, read_manifest, sha256_file
from lmforge.data.sources import check_source
from lmforge.errors import ConfigError, DataError
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.train import distributed
from lmforge.train.objectives import RunParts
from lmforge.train.objectives.seq2seq import PairLoader
from lmforge.train.pipeline import load_settings, objective_for_kind
from lmforge.train.settings import DataSettings, TrainSettings
from lmforge.train.trainer import Trainer, generate_text

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def pretrain(recipe_path: str | Path | None = None, **overrides) -> dict:
    """Run the recipe (with `--key value` style overrides); return the final metrics."""
    source = str(recipe_path or "overrides")
    train, data, model_dict = load_settings("pretrain", recipe_path, overrides)
    check_before_work(model_dict, data, train, source)
    with distributed.process_group(train.device) as dist:
        tokenizer_dir = ensure_tokenizer(data, train, model_dict.get("kind", "decoder"))
        tokenizer = _load_tokenizer(tokenizer_dir)
        config = build_config(model_dict, tokenizer, train, source)
        model = build_model(config, train.seed)
        objective = objective_for_kind(config.kind).from_settings(
            config, RunParts(model, tokenizer, train.seed))
        train_loader, val_loader = build_loaders(data, train, tokenizer, config, tokenizer_dir)
        _announce(model, train, dist.world_size)
        trainer = Trainer(model, objective, train_loader, train, val_loader, tokenizer,
                          extra_files={f: tokenizer_dir / f for f in TOKENIZER_FILES
                                       if (tokenizer_dir / f).is_file()})
        with stop_on_interrupt(trainer):
            metrics = trainer.fit()
        if trainer.stop_requested:
            print(f"interrupted at step {trainer.step}; checkpoint {metrics.get('checkpoint')}; "
                  "continue with --resume", file=sys.stderr)
            raise KeyboardInterrupt
        return metrics


def check_before_work(model_dict: dict, data: DataSettings, train: TrainSettings,
                      recipe: str) -> None:
    """Fail in the first second, not after minutes of tokenizer training and sharding."""
    if train.resume:
        from lmforge.train.checkpoint import resolve

        resolve(train.resume, train.out_dir)  # --resume with nothing to resume from
    if data.pairs and model_dict.get("kind") == "encoder-decoder":
        return  # supervised pairs replace the corpus
    try:
        check_source(data.source)
    except DataError as e:
        hint = " (this recipe needs a data file: --data.source PATH)" if not data.source else ""
        raise DataError(f"{recipe}: data.source: {e}{hint}") from None


@contextmanager
def stop_on_interrupt(trainer: Trainer) -> Iterator[None]:
    """First Ctrl-C: finish the step, save a checkpoint, then stop. Second: stop at once.

    Single-process runs only: under torchrun every rank would have to agree on the step,
    so there Ctrl-C keeps its default (the last periodic checkpoint is the resume point).
    """
    if threading.current_thread() is not threading.main_thread() or trainer.dist.world_size > 1:
        yield
        return

    def handler(signum, frame):
        if trainer.stop_requested:
            raise KeyboardInterrupt
        trainer.stop_requested = True
        print("\ninterrupted: saving a checkpoint after this step (Ctrl-C again to stop at "
              "once)", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ensure_tokenizer(data: DataSettings, train: TrainSettings, kind: str) -> Path:
    """The tokenizer folder: the given one, or one trained (on rank 0) into out_dir."""
    if data.tokenizer:
        folder = Path(data.tokenizer)
        if not (folder / "tokenizer.json").is_file():
            raise ConfigError(f"data.tokenizer: {folder}/tokenizer.json not found")
        return folder
    folder = Path(train.out_dir) / "tokenizer"
    if distributed.info().is_main and not (folder / "tokenizer.json").is_file():
        from lmforge.tokenizer.train import (
            DEFAULT_SPECIAL_TOKENS,
            TokenizerTrainSettings,
            train_tokenizer_from_files,
        )

        specials = DEFAULT_SPECIAL_TOKENS + objective_for_kind(kind).special_tokens
        settings = TokenizerTrainSettings(vocab_size=data.vocab_size, kind=data.tokenizer_kind,
                                          special_tokens=specials)
        train_tokenizer_from_files([data.source], folder, settings)
    distributed.barrier()
    return folder


def _load_tokenizer(folder: Path):
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    return load_hf_tokenizer(folder)


def ensure_prepared(data: DataSettings, train: TrainSettings, tokenizer_dir: Path) -> Path:
    """Token shards for data.source, reused when the manifest matches source and tokenizer."""
    folder = Path(data.prepared_dir or Path(train.out_dir) / "data")
    if distributed.info().is_main and not _prepared_matches(folder, data, tokenizer_dir):
        from lmforge.data.prepare import PrepareSettings, prepare

        prepare(PrepareSettings(source=data.source, tokenizer=str(tokenizer_dir),
                                out_dir=str(folder), val_fraction=data.val_fraction,
                                num_workers=data.num_workers, show_progress=train.progress))
    distributed.barrier()
    return folder


def _prepared_matches(folder: Path, data: DataSettings, tokenizer_dir: Path) -> bool:
    try:
        manifest = read_manifest(folder)
    except DataError:
        return False
    return (manifest["source"] == str(data.source)
            and manifest["val_fraction"] == data.val_fraction
            and manifest["tokenizer_sha256"] == sha256_file(tokenizer_dir / "tokenizer.json"))


def build_config(model_dict: dict, tokenizer, train: TrainSettings, source: str) -> ModelConfig:
    """The model config, with the vocabulary and special ids taken from the tokenizer."""
    values = dict(model_dict)
    vocab = values.setdefault("vocab_size", tokenizer.vocab_size)
    if vocab < tokenizer.vocab_size:
        raise ConfigError(f"{source}: model.vocab_size {vocab} is smaller than the "
                          f"tokenizer's {tokenizer.vocab_size}")
    values.setdefault("eos_token_id", tokenizer.eos_id)
    values.setdefault("pad_token_id", tokenizer.pad_id)
    config = ModelConfig.from_dict(values, source)
    if config.kind == "encoder-decoder" and config.decoder_start_token_id is None:
        config.decoder_start_token_id = tokenizer.pad_id  # T5 starts decoding from pad
    if config.position == "learned" and config.max_position_embeddings < train.block_size:
        raise ConfigError(f"{source}: block_size {train.block_size} exceeds the model's "
                          f"max_position_embeddings {config.max_position_embeddings}")
    return config


def build_model(config: ModelConfig, seed: int) -> Transformer:
    torch.manual_seed(seed)  # every rank builds identical initial weights
    model = Transformer(config)
    model.init_weights()
    return model


def build_loaders(data: DataSettings, train: TrainSettings, tokenizer, config: ModelConfig,
                  tokenizer_dir: Path):
    """Train and validation loaders; each rank gets batch_size / world_size rows of a batch."""
    dist = distributed.info()
    per_rank = distributed.rank_batch_size(train.batch_size)
    if data.pairs and config.kind == "encoder-decoder":
        loader = PairLoader(data.pairs, tokenizer, per_rank, train.seed, dist.rank,
                            dist.world_size, max_length=train.block_size)
        return loader, None
    prepared = ensure_prepared(data, train, tokenizer_dir)
    train_loader = BlockLoader(open_split(prepared, "train"), train.block_size, per_rank,
                               train.seed, dist.rank, dist.world_size)
    val_tokens = open_split(prepared, "val")
    val_loader = None
    if len(val_tokens) > train.block_size and train.eval_every:
        val_loader = SequentialLoader(val_tokens, train.block_size, per_rank, train.eval_batches,
                                      dist.rank, dist.world_size)
    return train_loader, val_loader


def _announce(model: Transformer, train: TrainSettings, world_size: int) -> None:
    """Print the derived sizes once (rank 0)."""
    if not (distributed.info().is_main and train.progress):
        return
    tokens = train.batch_size * train.block_size * train.grad_accum_steps
    print(f"model: {model.num_parameters() / 1e6:.2f}M parameters ({model.config.kind}, "
          f"{model.config.arch}); {tokens:,} tokens per step over {world_size} rank(s); "
          f"{train.max_steps:,} steps = {count(tokens * train.max_steps)} tokens",
          file=sys.stderr)


def count(n: int) -> str:
    """A count people read at a glance: 40,960 / 2.5M / 1.2B."""
    if n < 1_000_000:
        return f"{n:,}"
    return f"{n / 1e6:.1f}M" if n < 1_000_000_000 else f"{n / 1e9:.2f}B"


# -- quickstart -----------------------------------------------------------------------------

# The quickstart recipe lives here so an installed package has it; recipes/quickstart.yaml
# is the same recipe as a file (a test keeps the two equal). Tuned for 2 CPU cores.
QUICKSTART = {
    "model": {
        "arch": "llama", "kind": "decoder", "hidden_size": 192, "num_hidden_layers": 4,
        "num_attention_heads": 6, "intermediate_size": 512, "max_position_embeddings": 256,
        "norm": "rmsnorm", "position": "rope", "mlp": "swiglu", "activation": "silu",
        "tie_word_embeddings": True,
    },
    "data": {"source": "stdlib-docs", "tokenizer_kind": "bpe", "vocab_size": 4096,
             "val_fraction": 0.05},
    "train": {
        "max_steps": 1200, "batch_size": 16, "block_size": 128, "lr": 3e-3, "min_lr": 3e-4,
        "warmup_steps": 50, "weight_decay": 0.1, "beta2": 0.99, "eval_every": 300,
        "eval_batches": 20, "log_every": 25, "sample_every": 0, "num_threads": 2,
    },
}


def quickstart(out_dir: str | Path = "runs/quickstart", **overrides) -> dict:
    """Tokenizer -> shards -> small GPT -> sample, on the bundled stdlib docs (CPU, minutes)."""
    start = time.perf_counter()
    recipe = {f"{section}.{k}": v for section, values in QUICKSTART.items()
              for k, v in values.items()}
    metrics = pretrain(None, **recipe, out_dir=str(out_dir), **overrides)
    from lmforge.io.hf_checkpoint import load_hf_folder

    folder = Path(metrics["checkpoint"])
    model = load_hf_folder(folder)
    tokenizer = _load_tokenizer(folder)
    metrics["sample"] = generate_text(model, tokenizer, "The module", 60, seed=0)
    metrics["total_wall_s"] = time.perf_counter() - start
    return metrics
