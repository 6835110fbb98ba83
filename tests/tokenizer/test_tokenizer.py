"""Tokenizer parity: the SmolLM2 tokenizer built from GGUF metadata vs transformers' own."""

import pytest
from transformers import AutoTokenizer

from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
from lmforge.tokenizer import Tokenizer

TEXTS = {
    "english": "The quick brown fox jumps over the lazy dog. It's 5 o'clock, isn't it?",
    "chinese": "满纸荒唐言，一把辛酸泪！都云作者痴，谁解其中味？",
    "emoji": "Family 👨‍👩‍👧‍👦, flags 🇯🇵🇺🇸🏳️‍🌈, thumbs 👍🏽 and 😀!",
    "code": "def f(x):\n    if x:\n\treturn x * 2\r\n    return None  # done\r\n",
    "digits": "1234567890 3.14159 -42 1,000,000 0x1F 2024-11-22",
    "spaces": "   leading and trailing spaces   ",
    "newlines": "\n\n  \n\t\n",
    "special": "<|im_start|>user\nHello<|im_end|>\n<|endoftext|>",
    "mixed": "Café naïve résumé — “quotes” 中文 and Ελληνικά",
}


@pytest.fixture(scope="session")
def smollm2_meta(smollm2_gguf_path) -> dict:
    return read_gguf_metadata(smollm2_gguf_path)


@pytest.fixture(scope="session")
def smollm2(smollm2_meta) -> Tokenizer:
    return tokenizer_from_gguf_metadata(smollm2_meta)


@pytest.fixture(scope="session")
def hf_smollm2(smollm2_gguf_path):
    return AutoTokenizer.from_pretrained(smollm2_gguf_path.parent, gguf_file=smollm2_gguf_path.name)


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("add_special", [False, True])
def test_ids_match_transformers(smollm2, hf_smollm2, name, add_special):
    text = TEXTS[name]
    ids = smollm2.encode(text, add_special=add_special)
    assert ids == hf_smollm2(text, add_special_tokens=add_special)["input_ids"]
    assert smollm2.tokens(ids) == hf_smollm2.convert_ids_to_tokens(ids)


@pytest.mark.parametrize("name", TEXTS)
def test_decode_round_trips(smollm2, hf_smollm2, name):
    text = TEXTS[name]
    ids = smollm2.encode(text)
    assert smollm2.decode(ids) == text
    assert smollm2.decode(ids) == hf_smollm2.decode(ids)
    no_special = smollm2.decode(ids, skip_special=True)
    assert no_special == hf_smollm2.decode(ids, skip_special_tokens=True)


def test_special_token_ids(smollm2):
    assert smollm2.vocab_size == len(smollm2) == 49152
    assert (smollm2.bos_id, smollm2.eos_id, smollm2.pad_id, smollm2.unk_id) == (1, 2, 2, 0)
    # eos <|im_end|> plus <|endoftext|>, both end a turn.
    assert smollm2.stop_ids == frozenset({0, 2})
    assert smollm2.special_ids == frozenset(range(17))
    assert smollm2.id_to_token(1) == "<|im_start|>"
    assert smollm2.token_to_id("<|im_end|>") == 2
    assert smollm2.token_to_id("no-such-token-xyz") is None


def test_parse_special_false_keeps_markers_as_text(smollm2):
    assert smollm2.encode("<|im_start|>") == [1]
    plain = smollm2.encode("<|im_start|>", parse_special=False)
    assert len(plain) > 3 and 1 not in plain
    assert smollm2.decode(plain) == "<|im_start|>"
    # parse_special=False uses a separate backend, so the default stays unaffected.
    assert smollm2.encode("<|im_end|>") == [2]


def test_encode_batch_equals_encode(smollm2):
    texts = list(TEXTS.values())
    assert smollm2.encode_batch(texts) == [smollm2.encode(t) for t in texts]


def test_stop_tokens_and_add_bos(smollm2_meta):
    tok = tokenizer_from_gguf_metadata({**smollm2_meta, "tokenizer.ggml.add_bos_token": True})
    assert tok.encode("hi", add_special=True) == [1, *tok.encode("hi")]
    # The template starts with <|im_start|> (this model's BOS), so no second BOS.
    ids = tok.encode_chat([{"role": "user", "content": "hi"}])
    assert ids[:2] != [1, 1] and ids[0] == 1
    custom = Tokenizer(tok.backend, eos_token="<|im_end|>", stop_tokens=["<file_sep>"])
    assert custom.stop_ids == frozenset({0, 2, custom.token_to_id("<file_sep>")})


def test_bad_input_is_named(smollm2):
    with pytest.raises(TypeError, match="text must be a str"):
        smollm2.encode(123)
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        smollm2.encode_batch(["ok", None])
    with pytest.raises(ValueError, match="token id 49152 is out of range for vocab size 49152"):
        smollm2.decode([5, 49152])
    with pytest.raises(ValueError, match="out of range"):
        smollm2.decode([-1])
    with pytest.raises(TypeError, match="token ids must be ints"):
        smollm2.decode([1.5])
    with pytest.raises(TypeError, match="sequence of ints"):
        smollm2.decode("abc")
    with pytest.raises(ValueError, match="not in the tokenizer's vocabulary"):
        Tokenizer(smollm2.backend, eos_token="<no-such-token>")
