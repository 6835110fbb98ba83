"""Lesson 4, tokenization: the model never sees characters, only token ids.

A byte-level BPE tokenizer (GPT-2, Llama 3, SmolLM2) splits text into pieces it learned
from its training data: frequent English words are one token, while a Chinese character,
three bytes in UTF-8, is often split into two or three tokens of raw bytes, so the same
sentence costs more tokens (and more of the context window) in Chinese. Each token here
comes from `viz tokens` (viz/tokens.py): its id, its text (bytes in hex when it holds part
of a character), its byte count and, for a decoder, its probability given the tokens
before it.

    tokenize_texts(model, tokenizer, ["今天天气真好", "The weather is really nice today"])
      -> {"texts": [{"text", "tokens": [{"id", "text", "bytes", "p"}], "characters",
          "bytes", "bytes_per_token", "characters_per_token"}, ...]}

Test: `pytest tests/learn/test_inside.py`.
"""

from lmforge.errors import ConfigError
from lmforge.viz.tokens import token_view

EXAMPLES = ["今天天气真好，我们去公园散步。",
            "The weather is really nice today, let's walk in the park."]
MAX_TEXTS = 4


def tokenize_texts(model, tokenizer, texts: list[str] = EXAMPLES) -> dict:
    """Each text's tokens and what they cost (module docstring)."""
    if not isinstance(texts, list) or not 1 <= len(texts) <= MAX_TEXTS:
        raise ConfigError(f"texts must be a list of 1..{MAX_TEXTS} texts")
    shown = []
    for text in texts:
        view = token_view(model, tokenizer, text, top=3)  # an empty text is an error there
        n_bytes = len(text.encode("utf-8"))
        shown.append({
            "text": text,
            "tokens": [{"id": t.id, "text": t.text, "bytes": t.n_bytes, "p": t.prob}
                       for t in view.tokens],
            "characters": len(text), "bytes": n_bytes,
            "bytes_per_token": n_bytes / len(view.tokens),
            "characters_per_token": len(text) / len(view.tokens),
        })
    return {"texts": shown}
