"""rag/static_encoder.py: Chinese words become whole tokens while chunk sizes stay MiniLM's,
tuning lowers the inverse-cloze loss and raises held-out top-1, the folder loads in
sentence-transformers with lmforge's vectors, and `rag index --embedding-model` takes it."""

import json
import random
import subprocess
import sys

import pytest
import torch

from lmforge.errors import DataError
from lmforge.rag.static_encoder import (
    StaticSettings,
    base_tokenizer,
    corpus_units,
    counting_tokenizer,
    extend_tokenizer,
    tune_static,
)

# six "topics", each a pool of characters: a sentence shares its paragraph's pool, so the
# rest of the paragraph is the passage to find, and the corpus has something to learn
TOPICS = ("天地玄黄宇宙洪荒", "日月盈昃辰宿列张", "寒来暑往秋收冬藏", "闰余成岁律吕调阳",
          "云腾致雨露结为霜", "金生丽水玉出昆冈")


def write_corpus(folder, paragraphs: int = 60, seed: int = 0):
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n\n".join("".join("".join(rng.choices(TOPICS[p % 6], k=rng.randint(8, 12))) + "。"
                               for _ in range(4)) for p in range(paragraphs))
    text += "\n\nThe river runs past the old mill. The mill grinds wheat in the autumn."
    (folder / "book.txt").write_text(text, encoding="utf-8")
    return folder


def test_chinese_words_are_whole_tokens_and_counting_stays_the_base_wordpiece():
    base = base_tokenizer("all-minilm-l6-v2")
    text = "黛玉的父亲林如海去世了。黛玉的父亲林如海是巡盐御史。"
    units = corpus_units([text], min_count=2, max_words=100)
    assert "父亲" in units and "黛" in units and "说" not in units
    tokenizer = extend_tokenizer(base_tokenizer("all-minilm-l6-v2"), units)
    tokens = tokenizer.encode("黛玉的父亲 went home", add_special_tokens=False).tokens
    assert "父亲" in tokens and tokens[-2:] == ["went", "home"] and "[UNK]" not in tokens
    assert base.encode("黛玉的父亲", add_special_tokens=False).tokens.count("[UNK]") >= 1
    counter = counting_tokenizer(tokenizer)
    for sample in (text, "Hello, 世界!", "寒来暑往" * 30):
        assert len(counter.encode(sample, add_special_tokens=False).ids) == \
            len(base.encode(sample, add_special_tokens=False).ids)


def test_tuning_learns_and_the_folder_loads_in_sentence_transformers(tmp_path):
    from sentence_transformers import SentenceTransformer

    from lmforge.rag.retrieval import TUNED_FUSION, Retriever
    from lmforge.rag.static_encoder import StaticEmbedder, load_embedder
    from lmforge.rag.store import Store

    out = tmp_path / "static"
    report = tune_static([write_corpus(tmp_path / "docs")], out, StaticSettings(
        dim=32, epochs=30, batch_size=16, lr=1e-2, passage_tokens=40, min_count=1))
    assert report.last_loss < report.first_loss - 0.3, report
    assert report.heldout_top1_after >= report.heldout_top1_before, report

    texts = ["天地玄黄，宇宙洪荒。", "金生丽水", "The old mill grinds wheat.", "寒来暑往" * 40,
             "说"]
    embedder = load_embedder(str(out))
    assert isinstance(embedder, StaticEmbedder) and embedder.tuned and embedder.dim == 32
    ours = torch.tensor(embedder.embed(texts))
    theirs = torch.tensor(SentenceTransformer(str(out), device="cpu").encode(texts))
    assert (ours[:4] * theirs[:4]).sum(-1).min().item() >= 0.9999
    assert ours[4].abs().sum() == 0 and theirs[4].abs().sum() == 0  # a char the corpus lacks
    store = Store(tmp_path / "i.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    assert Retriever(store, embedder).fusion is TUNED_FUSION


def test_an_empty_or_tiny_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no documents to tune on"):
        tune_static([tmp_path / "empty"], tmp_path / "out", StaticSettings())
    tiny = write_corpus(tmp_path / "tiny", paragraphs=3)
    with pytest.raises(DataError, match=r"give \d+ passages .* tuning needs at least 16"):
        tune_static([tiny], tmp_path / "out", StaticSettings(passage_tokens=40))
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # three subprocesses, each importing torch
def test_tune_index_and_search_from_the_command_line(tmp_path):
    def lmforge(*args):
        return subprocess.run([sys.executable, "-m", "lmforge.cli", *args],
                              capture_output=True, text=True, timeout=600)

    docs, model, db = tmp_path / "docs", tmp_path / "enc", tmp_path / "i.sqlite"
    for t in range(6):  # one file per topic, ~8 chunks each at the default 200 tokens
        write_corpus(docs / f"topic{t}", paragraphs=40, seed=t)
        text = (docs / f"topic{t}" / "book.txt").read_text(encoding="utf-8")
        (docs / f"topic{t}" / "book.txt").write_text(text.translate(
            {ord(a): b for a, b in zip("".join(TOPICS), TOPICS[t] * 6, strict=True)}),
            encoding="utf-8")  # every paragraph of file t in topic t's characters
    out = lmforge("rag", "tune-embedder", str(docs), "--out", str(model), "--epochs", "5",
                  "--dim", "32")
    assert out.returncode == 0 and "a static encoder" in out.stdout, out.stderr
    out = lmforge("rag", "index", str(docs), "--db", str(db), "--embedding-model", str(model))
    assert out.returncode == 0 and "6 added" in out.stdout, out.stderr
    out = lmforge("rag", "search", "金生丽水玉出昆冈", "--db", str(db), "--mode", "dense",
                  "--k", "1", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["source"] == str(docs / "topic5" / "book.txt")
