"""Tiny real models and a tiny real tokenizer for the evaluation tests (built in ms)."""

from types import SimpleNamespace

import pytest
import torch

from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

TEXT = ["Question: What is 2 + 3? Answer: 5\n" * 3,
        "the quick brown fox jumps over the lazy dog. paris berlin madrid rome.\n",
        "def add(a, b):\n    return a + b\n"]


def make_model(vocab_size: int, seed: int = 0, max_positions: int = 256) -> Transformer:
    config = ModelConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=max_positions)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights(std=0.5)
    return model.eval()


@pytest.fixture(scope="session")
def tiny_tokenizer() -> Tokenizer:
    settings = TokenizerTrainSettings(kind="bpe", vocab_size=300)
    return Tokenizer(train_tokenizer(TEXT, settings), eos_token="<|endoftext|>")


@pytest.fixture(scope="session")
def tiny_lm(tiny_tokenizer):
    """Something shaped like lmforge.load's result: .model, .tokenizer, .name."""
    return SimpleNamespace(model=make_model(tiny_tokenizer.vocab_size), tokenizer=tiny_tokenizer,
                           name="tiny")


@pytest.fixture(scope="session")
def tiny_lm_b(tiny_tokenizer):
    return SimpleNamespace(model=make_model(tiny_tokenizer.vocab_size, seed=1),
                           tokenizer=tiny_tokenizer, name="tiny-b")
