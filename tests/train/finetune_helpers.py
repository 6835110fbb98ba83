"""A tiny chat tokenizer (ChatML specials), tiny llama models and data for fine-tuning tests."""

import functools

import torch

from lmforge.data.chat import render_with_mask
from lmforge.data.packing import pack
from lmforge.data.preference import encode_pair
from lmforge.data.synthetic import instructions, preferences
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import CHATML_TEMPLATE, TokenizerTrainSettings, train_tokenizer


@functools.cache
def chat_tokenizer() -> Tokenizer:
    """Byte-level BPE (400 ids) trained on the synthetic sets, ChatML template."""
    text = [m["content"] for r in instructions.generate(300, seed=5) for m in r["messages"]]
    text += [r[k] for r in preferences.generate(200, seed=5) for k in ("chosen", "rejected")]
    settings = TokenizerTrainSettings(kind="bpe", vocab_size=400)
    return Tokenizer(train_tokenizer(text, settings), eos_token="<|im_end|>",
                     pad_token="<|pad|>", chat_template=CHATML_TEMPLATE)


def tiny_llama(vocab_size: int, seed: int = 0, layers: int = 2) -> Transformer:
    config = ModelConfig(arch="llama", kind="decoder", vocab_size=vocab_size, hidden_size=32,
                         num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=2,
                         intermediate_size=64, max_position_embeddings=256,
                         tie_word_embeddings=True)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights()
    return model


def sft_blocks(n: int = 64, block_size: int = 96, seed: int = 0, packing: bool = True):
    tok = chat_tokenizer()
    examples = [render_with_mask(tok, r["messages"]) for r in instructions.generate(n, seed)]
    return pack(examples, block_size, packing)


def preference_examples(n: int = 32, seed: int = 0, offset: int = 0):
    tok = chat_tokenizer()
    return [encode_pair(tok, r, offset + i, 128) for i, r in
            enumerate(preferences.generate(n, seed))]
