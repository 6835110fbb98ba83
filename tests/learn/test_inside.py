"""Lessons 4 and 5: tokens with their bytes and probabilities, attention rows as the
model's explicit attention path computes them; encoders work too."""

import pytest
import torch

from lmforge.errors import ConfigError, ContextLengthError
from lmforge.learn.attention import attention_lesson
from lmforge.learn.tokenization import tokenize_texts
from lmforge.viz.attention import attention_maps


def test_tokens_bytes_and_probabilities(decoder, tiny_tokenizer):
    texts = ["今天天气真好", "the cat sat on the mat"]
    shown = tokenize_texts(decoder, tiny_tokenizer, texts)["texts"]
    for text, t in zip(texts, shown, strict=True):
        ids = tiny_tokenizer.encode(text, add_special=False, parse_special=False)
        assert [tok["id"] for tok in t["tokens"]] == ids
        assert sum(tok["bytes"] for tok in t["tokens"]) == len(text.encode()) == t["bytes"]
        assert t["bytes_per_token"] == pytest.approx(t["bytes"] / len(ids))
        probs = torch.softmax(decoder.logits(decoder(torch.tensor([ids]))[0]), -1)
        assert t["tokens"][0]["p"] is None  # the first token has no context
        for i, tok in enumerate(t["tokens"][1:], start=1):
            assert abs(tok["p"] - probs[i - 1, ids[i]].item()) < 1e-6
    chinese, english = shown
    assert chinese["characters_per_token"] < english["characters_per_token"]


def test_an_encoder_has_tokens_but_no_next_token_probabilities(encoder, tiny_tokenizer):
    [t] = tokenize_texts(encoder, tiny_tokenizer, ["the dog"])["texts"]
    assert t["tokens"] and all(tok["p"] is None for tok in t["tokens"])


def test_tokens_bad_input(decoder, tiny_tokenizer):
    with pytest.raises(ValueError, match="the text is empty"):
        tokenize_texts(decoder, tiny_tokenizer, [""])
    with pytest.raises(ContextLengthError, match="context holds 64"):
        tokenize_texts(decoder, tiny_tokenizer, ["the cat sat on the mat. " * 30])
    with pytest.raises(ConfigError, match="1..4 texts"):
        tokenize_texts(decoder, tiny_tokenizer, [])


def test_attention_rows_are_the_models_own(decoder, tiny_tokenizer):
    text = "他把香蕉给了猴子，因为它很饿。"
    shown = attention_lesson(decoder, tiny_tokenizer, text)
    maps = attention_maps(decoder, tiny_tokenizer, text).maps  # (L, H, T, T)
    assert shown["layer"] == 1 and (shown["n_layers"], shown["n_heads"]) == maps.shape[:2]
    heads = torch.tensor(shown["heads"])
    assert torch.allclose(heads, maps[1], atol=1e-5)
    assert torch.allclose(torch.tensor(shown["average"]), maps[1].mean(0), atol=1e-5)
    assert torch.allclose(heads.sum(-1), torch.ones(heads.shape[:2]), atol=1e-4)
    assert heads.triu(diagonal=1).abs().max() == 0  # a decoder looks only backwards
    assert len(shown["tokens"]) == heads.shape[-1]
    assert attention_lesson(decoder, tiny_tokenizer, text, layer=0)["layer"] == 0


def test_an_encoders_attention_looks_both_ways(encoder, tiny_tokenizer):
    shown = attention_lesson(encoder, tiny_tokenizer, "the cat sat")
    assert torch.tensor(shown["heads"]).triu(diagonal=1).max() > 0.01


def test_attention_bad_input(decoder, tiny_tokenizer):
    with pytest.raises(ConfigError, match=r"layer=2 is invalid: this model's layers are 0..1"):
        attention_lesson(decoder, tiny_tokenizer, "the cat", layer=2)
    with pytest.raises(ValueError, match="the text is empty"):
        attention_lesson(decoder, tiny_tokenizer, "")
