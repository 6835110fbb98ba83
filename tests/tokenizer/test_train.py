"""Tokenizer training: lossless byte-level BPE, measured compression, char-level, saving."""

import json
import os
from pathlib import Path

import jinja2
import pytest
from tokenizers import Tokenizer

from lmforge.data.corpus import stdlib_docs_corpus
from lmforge.errors import ConfigError
from lmforge.tokenizer.train import (
    DEFAULT_SPECIAL_TOKENS,
    TokenizerTrainSettings,
    compression_report,
    save,
    split_held_out,
    train_tokenizer,
    train_tokenizer_from_files,
)

# the benchmark data lives in shared/ beside the checkout (never copied into the repo)
SHARED_DATA = Path(os.environ.get("LMFORGE_SHARED_DATA",
                                  Path(__file__).resolve().parents[3] / "shared" / "data"))
CHINESE = "满纸荒唐言，一把辛酸泪。都云作者痴，谁解其中味？"
ENGLISH = "The quick brown fox jumps over the lazy dog.\n\tdef f(x): return x ** 2  # 100%"


@pytest.fixture(scope="module")
def english() -> tuple[list[str], list[str]]:
    """~200 KB of English training documents and ~200 KB of different held-out ones."""
    docs = stdlib_docs_corpus()
    train, size = [], 0
    for doc in docs[::2]:
        train.append(doc)
        size += len(doc)
        if size > 200_000:
            break
    return train, docs[1::2][:40]


@pytest.fixture(scope="module")
def bpe_1000(english) -> Tokenizer:
    return train_tokenizer(english[0], TokenizerTrainSettings(vocab_size=1000))


def test_bpe_round_trips_english_and_chinese_exactly(bpe_1000):
    # Chinese never appears in the English training text: byte fallback must cover it.
    for text in (ENGLISH, CHINESE, "emoji 🦊 and\r\nCRLF and NUL-free \u00e9\u0301"):
        ids = bpe_1000.encode(text).ids
        assert bpe_1000.decode(ids) == text


def test_bpe_compresses_held_out_english(bpe_1000, english):
    report = compression_report(bpe_1000, english[1])
    print(f"\nEnglish held-out, BPE vocab 1000: {report['bytes_per_token']:.3f} bytes/token")
    assert report["lossless"]
    assert report["bytes"] > 150_000
    assert report["bytes_per_token"] > 2.3  # measured 2.78; raw bytes would be 1.0


def test_bigger_vocab_compresses_better(english):
    small = train_tokenizer(english[0], TokenizerTrainSettings(vocab_size=512))
    big = train_tokenizer(english[0], TokenizerTrainSettings(vocab_size=1000))
    small_bpt = compression_report(small, english[1])["bytes_per_token"]
    big_bpt = compression_report(big, english[1])["bytes_per_token"]
    assert 1.5 < small_bpt < big_bpt  # measured 2.10 < 2.78


def test_bpe_on_chinese_novel_reports_bytes_per_token():
    text = (SHARED_DATA / "hongloumeng.txt").read_text(encoding="utf-8")[:70_000]  # ~200 KB
    train, held_out = split_held_out([text], 0.1)
    tokenizer = train_tokenizer(train, TokenizerTrainSettings(vocab_size=1000))
    report = compression_report(tokenizer, held_out)
    print(f"\nChinese held-out, BPE vocab 1000: {report['bytes_per_token']:.3f} bytes/token")
    assert report["lossless"]
    # Each Chinese character is 3 UTF-8 bytes; measured 2.72 bytes/token.
    assert report["bytes_per_token"] > 2.0


def test_char_vocab_is_the_character_set_plus_specials():
    texts = ["hello world\n", "héllo 中文"]
    settings = TokenizerTrainSettings(kind="char", min_frequency=1)
    tokenizer = train_tokenizer(texts, settings)
    vocab = set(tokenizer.get_vocab())
    assert vocab == set("".join(texts)) | set(DEFAULT_SPECIAL_TOKENS) | {"<|unk|>"}
    assert tokenizer.decode(tokenizer.encode(texts[1]).ids) == texts[1]


def test_char_unknown_characters_map_to_unk():
    tokenizer = train_tokenizer(["abc"], TokenizerTrainSettings(kind="char", min_frequency=1))
    unk = tokenizer.token_to_id("<|unk|>")
    assert tokenizer.encode("abz").ids == [
        tokenizer.token_to_id("a"),
        tokenizer.token_to_id("b"),
        unk,
    ]
    assert compression_report(tokenizer, ["abz"])["unk_tokens"] == 1


@pytest.mark.parametrize("kind", ["bpe", "char"])
def test_special_tokens_get_single_ids(english, kind):
    tokenizer = train_tokenizer(english[0][:5], TokenizerTrainSettings(vocab_size=512, kind=kind))
    for i, token in enumerate(DEFAULT_SPECIAL_TOKENS):
        assert tokenizer.token_to_id(token) == i  # specials come first, in order
    ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|><|endoftext|>").ids
    assert ids[0] == 1 and ids[-2:] == [2, 0]


def test_vocab_too_small_is_a_config_error_naming_the_numbers():
    with pytest.raises(ConfigError, match=r"vocab_size 100 .* 4 special tokens \+ 256 .* 260"):
        TokenizerTrainSettings(vocab_size=100)
    TokenizerTrainSettings(vocab_size=260)  # the smallest that fits


def test_eos_must_be_a_special_token():
    with pytest.raises(ConfigError, match="eos_token"):
        TokenizerTrainSettings(special_tokens=("<|pad|>",), eos_token="</s>")


def test_save_writes_tokenizer_and_hf_config(tmp_path, english):
    settings = TokenizerTrainSettings(vocab_size=512)
    tokenizer = train_tokenizer(english[0][:10], settings)
    out = save(tokenizer, tmp_path / "tok", settings)
    reloaded = Tokenizer.from_file(str(out / "tokenizer.json"))
    assert reloaded.encode(ENGLISH).ids == tokenizer.encode(ENGLISH).ids
    config = json.loads((out / "tokenizer_config.json").read_text())
    assert config["eos_token"] == "<|endoftext|>"
    assert config["bos_token"] is None
    assert config["pad_token"] == "<|pad|>"
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"
    messages = [{"role": "user", "content": "hi"}]
    rendered = jinja2.Template(config["chat_template"]).render(
        messages=messages, add_generation_prompt=True
    )
    assert rendered == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"


def test_train_from_files_holds_out_text_and_reports(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(stdlib_docs_corpus()[:60]), encoding="utf-8")
    settings = TokenizerTrainSettings(vocab_size=600, held_out_fraction=0.1)
    report = train_tokenizer_from_files([corpus], tmp_path / "tok", settings)
    assert report["vocab_size"] == 600
    held_out = report["held_out"]
    assert held_out["lossless"] and held_out["bytes"] > 0.09 * corpus.stat().st_size
    assert held_out["bytes_per_token"] > 2.0
    saved = json.loads((tmp_path / "tok" / "train_report.json").read_text())
    assert saved["held_out"] == held_out
