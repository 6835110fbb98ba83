"""Tiny real models and tokenizers for the lessons (built in milliseconds), and the bundled
SmolLM2's lesson Engine once per session."""

import sys
from pathlib import Path

import pytest
import tokenizers
import torch

from lmforge.learn import lesson_engine
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

sys.path.insert(0, str(Path(__file__).parent))
from learn_helpers import TRAP, WORDS, bigram_model  # noqa: E402

TEXT = ["the cat sat on the mat. the dog sat on the log.\n" * 3,
        "今天天气真好，我们去公园。他把香蕉给了猴子，因为它很饿。\n" * 3]


def build(vocab_size: int, **overrides) -> Transformer:
    """A 2-layer random model; large weights make peaked, varied distributions."""
    settings = dict(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                    max_position_embeddings=64)
    config = ModelConfig(**{**settings, **overrides})
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.5)
    return model.eval()


@pytest.fixture(scope="session")
def tiny_tokenizer() -> Tokenizer:
    settings = TokenizerTrainSettings(kind="bpe", vocab_size=320)
    return Tokenizer(train_tokenizer(TEXT, settings), eos_token="<|endoftext|>")


@pytest.fixture(scope="session")
def decoder(tiny_tokenizer) -> Transformer:
    return build(tiny_tokenizer.vocab_size)


@pytest.fixture(scope="session")
def encoder(tiny_tokenizer) -> Transformer:
    return build(tiny_tokenizer.vocab_size, kind="encoder", position="learned",
                 norm="layernorm", mlp="gelu", activation="gelu", num_key_value_heads=4,
                 norm_position="post", type_vocab_size=2, embedding_norm=True)


@pytest.fixture(scope="session")
def folder(tmp_path_factory, decoder, tiny_tokenizer):
    """The tiny decoder saved as a model folder (HF layout), for lessons that load files."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    path = tmp_path_factory.mktemp("tiny")
    save_hf_folder(decoder, path)
    save_hf_tokenizer(tiny_tokenizer, path)
    return path


@pytest.fixture
def engine(decoder, tiny_tokenizer):
    """A fresh lesson Engine per test: no prefix cache carried between tests."""
    return lesson_engine(decoder, tiny_tokenizer)


@pytest.fixture(scope="session")
def bundled_engine(smollm2):
    """The lesson Engine on the bundled SmolLM2 (float weights), built once."""
    return lesson_engine(smollm2.model, smollm2.tokenizer)


@pytest.fixture(scope="session")
def word_tokenizer() -> Tokenizer:
    """One word a token, "<eos>" = 0: the bigram model's vocabulary."""
    backend = tokenizers.Tokenizer(tokenizers.models.WordLevel(
        {w: i for i, w in enumerate(WORDS)}, unk_token="<eos>"))
    backend.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    return Tokenizer(backend, eos_token="<eos>")


@pytest.fixture
def trap_engine(word_tokenizer):
    return lesson_engine(bigram_model(TRAP), word_tokenizer)
