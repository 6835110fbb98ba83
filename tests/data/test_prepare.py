"""prepare: documents -> token shards + manifest, exact counts, deterministic, crash-safe."""

import json
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from lmforge.data import prepare as prepare_module
from lmforge.data.corpus import stdlib_docs_corpus
from lmforge.data.prepare import PrepareSettings, choose_val_documents, prepare
from lmforge.data.shards import open_split, read_manifest, token_dtype
from lmforge.errors import ConfigError, DataError
from lmforge.tokenizer.train import TokenizerTrainSettings, save, train_tokenizer

CHINESE_DOCS = ["满纸荒唐言，一把辛酸泪。", "都云作者痴，谁解其中味？"]


@pytest.fixture(scope="module")
def documents() -> list[str]:
    """150 short documents: English prose of varied length plus two Chinese lines."""
    docs = [doc[: 200 + 17 * i] for i, doc in enumerate(stdlib_docs_corpus()[:148])]
    return docs + CHINESE_DOCS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, documents) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": d}) + "\n" for d in documents), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory, documents) -> Path:
    settings = TokenizerTrainSettings(vocab_size=512)
    out = tmp_path_factory.mktemp("tok") / "tokenizer"
    return save(train_tokenizer(documents, settings), out, settings)


@pytest.fixture(scope="module")
def tokenizer(tokenizer_dir) -> Tokenizer:
    return Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))


def _settings(corpus, tokenizer_dir, out_dir, **overrides) -> PrepareSettings:
    fields = dict(
        source=str(corpus),
        tokenizer=str(tokenizer_dir),
        out_dir=str(out_dir),
        val_fraction=0.1,
        seed=7,
        num_workers=1,
        show_progress=False,
    )
    return PrepareSettings(**(fields | overrides))


def _split_on_eos(tokens: np.ndarray, eos_id: int) -> list[list[int]]:
    """Cut a shard back into documents (each ends with EOS)."""
    ends = np.flatnonzero(np.asarray(tokens) == eos_id)
    starts = np.concatenate([[0], ends[:-1] + 1])
    return [tokens[s:e].tolist() for s, e in zip(starts, ends, strict=True)]


def test_manifest_counts_equal_tokenized_documents_plus_eos(
    tmp_path, corpus, tokenizer_dir, tokenizer, documents
):
    manifest = prepare(_settings(corpus, tokenizer_dir, tmp_path / "out"))
    expected = sum(len(tokenizer.encode(d).ids) + 1 for d in documents)
    assert manifest["tokens"]["train"] + manifest["tokens"]["val"] == expected
    assert manifest["documents"] == {"train": 135, "val": 15}  # round(150 * 0.1)
    assert manifest["split_by"] == "documents"
    assert manifest["dtype"] == "uint16" and manifest["vocab_size"] == 512
    assert manifest["eos_id"] == tokenizer.token_to_id("<|endoftext|>")
    assert len(manifest["tokenizer_sha256"]) == 64
    assert read_manifest(tmp_path / "out") == manifest
    train = open_split(tmp_path / "out", "train")
    assert isinstance(train, np.memmap) and train.dtype == np.uint16
    assert len(train) == manifest["tokens"]["train"]


def test_shards_decode_back_to_the_documents(tmp_path, corpus, tokenizer_dir, tokenizer, documents):
    manifest = prepare(_settings(corpus, tokenizer_dir, tmp_path / "out"))
    is_val = choose_val_documents(len(documents), 0.1, seed=7)
    for split, wanted in (("train", ~is_val), ("val", is_val)):
        pieces = _split_on_eos(open_split(tmp_path / "out", split), manifest["eos_id"])
        decoded = [tokenizer.decode(ids) for ids in pieces]
        # Document order inside each split is the corpus order.
        assert decoded == [d for d, keep in zip(documents, wanted, strict=True) if keep]


def test_same_seed_same_shards_other_seed_other_split(tmp_path, corpus, tokenizer_dir):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        prepare(_settings(corpus, tokenizer_dir, tmp_path / name, seed=seed))
    for split in ("train", "val"):
        a, b, c = ((tmp_path / n / f"{split}.bin").read_bytes() for n in "abc")
        assert a == b
        assert a != c


def test_two_workers_write_identical_shards(tmp_path, corpus, tokenizer_dir):
    one = prepare(_settings(corpus, tokenizer_dir, tmp_path / "one", num_workers=1))
    two = prepare(_settings(corpus, tokenizer_dir, tmp_path / "two", num_workers=2))
    assert one["tokens"] == two["tokens"]
    for split in ("train", "val"):
        assert (tmp_path / "one" / f"{split}.bin").read_bytes() == (
            tmp_path / "two" / f"{split}.bin"
        ).read_bytes()


def test_single_document_corpus_is_split_by_tokens(tmp_path, tokenizer_dir, tokenizer):
    text = "".join(stdlib_docs_corpus()[:3])
    path = tmp_path / "one.txt"
    path.write_text(text, encoding="utf-8")
    manifest = prepare(_settings(path, tokenizer_dir, tmp_path / "out", val_fraction=0.2))
    total = len(tokenizer.encode(text).ids) + 1
    assert manifest["split_by"] == "tokens"
    assert manifest["tokens"]["val"] == int(total * 0.2)
    assert manifest["tokens"]["train"] + manifest["tokens"]["val"] == total
    joined = np.concatenate([open_split(tmp_path / "out", s) for s in ("train", "val")])
    assert tokenizer.decode(joined[:-1].tolist()) == text


def test_tokenizer_without_eos_is_a_config_error(tmp_path, corpus, tokenizer_dir):
    with pytest.raises(ConfigError, match="no eos_token '</s>'"):
        prepare(_settings(corpus, tokenizer_dir, tmp_path / "out", eos_token="</s>"))


def test_missing_tokenizer_is_a_config_error(tmp_path, corpus):
    with pytest.raises(ConfigError, match="not found"):
        prepare(_settings(corpus, tmp_path / "nowhere", tmp_path / "out"))


def test_large_vocab_uses_uint32():
    assert token_dtype(65_536) == np.uint16
    assert token_dtype(65_537) == np.uint32


def test_interrupted_prepare_leaves_no_manifest(tmp_path, corpus, tokenizer_dir, monkeypatch):
    out = tmp_path / "out"
    prepare(_settings(corpus, tokenizer_dir, out))
    old_train = (out / "train.bin").read_bytes()

    def crash(*args, **kwargs):
        yield np.array([1, 2, 3])
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-run

    monkeypatch.setattr(prepare_module, "encode_documents", crash)
    with pytest.raises(KeyboardInterrupt):
        prepare(_settings(corpus, tokenizer_dir, out))
    assert not (out / "manifest.json").exists()
    assert (out / "train.bin").read_bytes() == old_train  # the half shard never replaced it
    assert sorted(p.name for p in out.iterdir()) == ["train.bin", "val.bin"]  # no temp files
    with pytest.raises(DataError, match="run `lmforge prepare` first"):
        open_split(out, "train")


def test_truncated_shard_is_detected(tmp_path, corpus, tokenizer_dir):
    out = tmp_path / "out"
    prepare(_settings(corpus, tokenizer_dir, out))
    data = (out / "val.bin").read_bytes()
    (out / "val.bin").write_bytes(data[:-2])
    with pytest.raises(DataError, match="val.bin: expected"):
        open_split(out, "val")
