"""Fixtures for the safety tests: the case table on sys.path, a tiny chat model."""

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # cases.py and safety_report.py


@pytest.fixture(scope="session")
def tiny_lm():
    """A 2-layer random decoder and a byte-level BPE tokenizer trained in milliseconds."""
    from lmforge.model.config import ModelConfig
    from lmforge.model.transformer import Transformer
    from lmforge.tokenizer.tokenizer import Tokenizer
    from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

    text = ["yes no yes no. is this harmful? answer with one word, yes or no.\n" * 3,
            "the quick brown fox jumps over the lazy dog. hello world!"]
    tokenizer = Tokenizer(train_tokenizer(text, TokenizerTrainSettings(kind="bpe",
                                                                       vocab_size=300)),
                          eos_token="<|endoftext|>")
    config = ModelConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=512)
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.5)
    return model.eval(), tokenizer


def development_sample(lang: str, n: int = 24) -> tuple[list[str], list[str]]:
    """(harmful, benign): every fifth development request of a language, n of each."""
    from importlib.resources import files

    from lmforge.safety.data.harm_sets import TUNED_DEVELOPMENT
    from lmforge.safety.ngram_classifier import read_jsonl

    dev = [r for name in TUNED_DEVELOPMENT
           for r in read_jsonl(files("lmforge.safety") / "data" / name) if r["lang"] == lang]
    harmful = [r["text"] for r in dev if r["label"] not in ("benign", "prompt_injection")]
    return harmful[::5][:n], [r["text"] for r in dev if r["label"] == "benign"][::5][:n]
