"""Tiny real models and a tiny real tokenizer for the Engine tests (built in milliseconds)."""

import pytest
import torch

from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

TEXT = [
    "the quick brown fox jumps over the lazy dog. " * 3,
    "hello world, hello there! the end of the story is near.\n",
    "once upon a time there was a tiny model that wrote tiny stories.",
]

GPT2_STYLE = dict(arch="gpt2", norm="layernorm", position="learned", mlp="gelu",
                  activation="gelu_tanh", attention_bias=True, attention_out_bias=True,
                  mlp_bias=True)


def tiny_model(vocab_size: int = 300, seed: int = 0, **overrides) -> Transformer:
    """A 2-layer random decoder (RoPE + GQA by default) in eval mode."""
    config = ModelConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=128, **overrides)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights(std=0.5)  # large weights: peaked, varied next-token distributions
    return model.eval()


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models gain nothing from threads, and on a shared machine every parallel op
    waits for a descheduled worker (softmax of a 3x5 tensor took 29 ms with 2 threads)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(name="tiny_model")
def tiny_model_factory():
    """The `tiny_model` builder, for tests that need their own model."""
    return tiny_model


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    """Byte-level BPE with 300 ids, EOS <|endoftext|> (id 0)."""
    settings = TokenizerTrainSettings(kind="bpe", vocab_size=300)
    return Tokenizer(train_tokenizer(TEXT, settings), eos_token="<|endoftext|>")


@pytest.fixture(params=["rope_gqa", "learned"])
def model(request, tokenizer) -> Transformer:
    extra = GPT2_STYLE if request.param == "learned" else {}
    return tiny_model(tokenizer.vocab_size, **extra)
