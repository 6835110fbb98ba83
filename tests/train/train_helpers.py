"""Tiny models, token streams and settings shared by the training tests (and dist_worker.py)."""

from pathlib import Path

import numpy as np

from lmforge.data.loader import BlockLoader, SequentialLoader
from lmforge.model.config import ModelConfig
from lmforge.train.objectives import KIND_OBJECTIVES, build_objective
from lmforge.train.pretrain import build_model
from lmforge.train.settings import TrainSettings
from lmforge.train.trainer import Trainer

VOCAB = 64
EOS, MASK, PAD = 0, 1, 2
SPECIALS = (EOS, MASK, PAD)
SENTINELS = list(range(VOCAB - 16, VOCAB))  # the top 16 ids serve as <extra_id_N>

FAMILIES = {
    "decoder": dict(arch="gpt2", kind="decoder", norm="layernorm", position="learned",
                    mlp="gelu", activation="gelu", attention_bias=True,
                    attention_out_bias=True, mlp_bias=True),
    "llama": dict(arch="llama", kind="decoder"),
    "encoder": dict(arch="bert", kind="encoder", norm="layernorm", position="learned",
                    mlp="gelu", activation="gelu", norm_position="post", mlm_head=True,
                    embedding_norm=True),
    "encoder-decoder": dict(arch="t5", kind="encoder-decoder", position="relative",
                            mlp="geglu", activation="gelu_tanh", tie_word_embeddings=True),
}


def tiny_config(family: str = "decoder", **changes) -> ModelConfig:
    values = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                  intermediate_size=64, max_position_embeddings=64, pad_token_id=PAD,
                  eos_token_id=EOS, decoder_start_token_id=PAD)
    return ModelConfig(**{**values, **FAMILIES[family], **changes})


def token_stream(n: int = 20_000, seed: int = 0) -> np.ndarray:
    """A learnable 'language': documents counting up from a random start, EOS between them."""
    rng = np.random.default_rng(seed)
    out = []
    while sum(map(len, out)) < n:
        start, length = rng.integers(3, 40), rng.integers(5, 20)
        out.append(np.append(3 + (start + np.arange(length)) % 44, EOS))
    return np.concatenate(out)[:n].astype(np.uint16)


def tiny_settings(out_dir: str | Path, **changes) -> TrainSettings:
    values = dict(out_dir=str(out_dir), max_steps=20, batch_size=4, block_size=16, lr=1e-2,
                  min_lr=1e-3, warmup_steps=2, eval_every=0, log_every=1, checkpoint_every=0,
                  keep_last=0, progress=False, tensorboard=False, seed=0, device="cpu")
    return TrainSettings(**{**values, **changes})


# the special ids each pretraining objective takes (a decoder's causal LM needs none)
KIND_IDS = {"decoder": {},
            "encoder": {"mask_id": MASK, "vocab_size": VOCAB, "special_ids": SPECIALS},
            "encoder-decoder": {"sentinel_ids": SENTINELS, "pad_id": PAD, "eos_id": EOS,
                                "decoder_start_id": PAD}}


def objective_for(kind: str, seed: int = 0):
    return build_objective(KIND_OBJECTIVES[kind], seed=seed, **KIND_IDS[kind])


def tiny_trainer(out_dir, family: str = "decoder", rank: int = 0, world_size: int = 1,
                 tokens: np.ndarray | None = None, with_val: bool = False, **changes) -> Trainer:
    settings = tiny_settings(out_dir, **changes)
    config = tiny_config(family)
    tokens = token_stream() if tokens is None else tokens
    per_rank = settings.batch_size // world_size
    loader = BlockLoader(tokens, settings.block_size, per_rank, settings.seed, rank, world_size)
    val = None
    if with_val:
        val = SequentialLoader(token_stream(2000, seed=1), settings.block_size, per_rank,
                               settings.eval_batches, rank, world_size)
    return Trainer(build_model(config, settings.seed), objective_for(config.kind, settings.seed),
                   loader, settings, val)


def logged_losses(trainer: Trainer) -> list[tuple[int, float]]:
    return [(r["step"], r["train_loss"]) for r in trainer.history if "train_loss" in r]
