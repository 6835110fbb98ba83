"""Tiny models (decoder with RoPE + GQA, BERT-style encoder) and a tiny tokenizer."""

import pytest
import torch

from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

TEXT = ["the cat sat on the mat. the dog sat on the log.\n" * 3, "今天天气真好，我们去公园。\n" * 3]


@pytest.fixture(scope="session")
def tiny_tokenizer() -> Tokenizer:
    settings = TokenizerTrainSettings(kind="bpe", vocab_size=320)
    return Tokenizer(train_tokenizer(TEXT, settings), eos_token="<|endoftext|>")


def build(vocab_size: int, **overrides) -> Transformer:
    settings = dict(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=3,
                    num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                    max_position_embeddings=64)
    config = ModelConfig(**{**settings, **overrides})
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.3)
    return model.eval()


@pytest.fixture(scope="session")
def decoder(tiny_tokenizer):
    return build(tiny_tokenizer.vocab_size)


@pytest.fixture(scope="session")
def encoder(tiny_tokenizer):
    return build(tiny_tokenizer.vocab_size, kind="encoder", position="learned",
                 norm="layernorm", mlp="gelu", activation="gelu", num_key_value_heads=4,
                 norm_position="post", type_vocab_size=2, embedding_norm=True)
