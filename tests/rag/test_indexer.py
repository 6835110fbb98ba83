"""Indexing: incremental by content hash, deletions, transactions, crash safety, model checks."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import HashEmbedder

from lmforge.errors import ConfigError, DataError
from lmforge.rag.indexer import index_paths
from lmforge.rag.retrieval import Retriever
from lmforge.rag.store import Store

HERE = Path(__file__).parent


def write_docs(folder: Path, version: str, n: int = 6) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(f"{version}word{i} sentence {j} of file {i}." for j in range(30))
        (folder / f"f{i}.txt").write_text(body, encoding="utf-8")


def new_store(path: Path, embedder) -> Store:
    return Store(path, embedding_model=embedder.name, dim=embedder.dim)


def test_reindexing_embeds_only_changed_files_and_drops_deleted_ones(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    write_docs(docs, "v1")
    store = new_store(tmp_path / "i.sqlite", hash_embedder)
    first = index_paths([docs], store, hash_embedder, max_tokens=40, overlap_tokens=8)
    assert (first.added, first.updated, first.unchanged) == (6, 0, 0)
    total_chunks = store.counts()["chunks"]
    assert first.chunks_embedded == total_chunks == hash_embedder.embedded

    again = index_paths([docs], store, hash_embedder, max_tokens=40, overlap_tokens=8)
    assert (again.unchanged, again.chunks_embedded) == (6, 0)
    assert hash_embedder.embedded == total_chunks  # nothing embedded a second time

    (docs / "f2.txt").write_text("A new text about harbors. It is short.", encoding="utf-8")
    before = hash_embedder.embedded
    changed = index_paths([docs], store, hash_embedder, max_tokens=40, overlap_tokens=8)
    assert (changed.updated, changed.unchanged, changed.chunks_embedded) == (1, 5, 1)
    assert hash_embedder.embedded - before == 1  # only f2's one chunk was re-embedded

    (docs / "f3.txt").unlink()
    removed = index_paths([docs], store, hash_embedder, max_tokens=40, overlap_tokens=8)
    assert removed.removed == 1 and str(docs / "f3.txt") not in store.file_hashes()
    hits = Retriever(store, hash_embedder).search("v1word3", k=5, mode="keyword")
    assert hits == []  # the deleted file's chunks left the keyword index too
    assert Retriever(store, hash_embedder).search("harbors", mode="keyword")[0].source == \
        str(docs / "f2.txt")


def test_unreadable_files_are_reported_and_skipped(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    write_docs(docs, "v1", n=2)
    (docs / "empty.txt").write_text("")
    (docs / "blob.txt").write_bytes(b"\x00\x00\x00")
    store = new_store(tmp_path / "i.sqlite", hash_embedder)
    report = index_paths([docs], store, hash_embedder)
    assert report.added == 2
    assert len(report.failed) == 2 and any("empty.txt" in f for f in report.failed)


def test_a_failure_mid_batch_rolls_back_that_batch_only(tmp_path):
    docs = tmp_path / "docs"
    write_docs(docs, "v1", n=4)
    embedder = HashEmbedder()
    store = new_store(tmp_path / "i.sqlite", embedder)
    calls = {"n": 0}
    real_embed = embedder.embed

    def flaky(texts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("embedding crashed")
        return real_embed(texts)

    embedder.embed = flaky
    with pytest.raises(RuntimeError):
        index_paths([docs], store, embedder, files_per_batch=2)
    assert sorted(Path(p).name for p in store.file_hashes()) == ["f0.txt", "f1.txt"]
    n_chunks = sum(r[0] for r in store.conn.execute("SELECT n_chunks FROM files"))
    assert store.counts()["chunks"] == n_chunks  # no orphan chunks from the failed batch


CRASH_SCRIPT = """
import sys, time
sys.path.insert(0, {tests!r})
from conftest import HashEmbedder
from lmforge.rag.indexer import index_paths
from lmforge.rag.store import Store

class Slow(HashEmbedder):
    def embed(self, texts):
        time.sleep(0.4)  # slow enough to be killed between batches, or inside one
        return super().embed(texts)

e = Slow()
index_paths([{docs!r}], Store({db!r}, embedding_model=e.name, dim=e.dim), e, files_per_batch=2,
            progress=lambda done, total, path: print(done, flush=True))
"""


@pytest.mark.slow
def test_a_killed_indexing_process_leaves_a_working_index(tmp_path, hash_embedder):
    docs, db = tmp_path / "docs", tmp_path / "i.sqlite"
    write_docs(docs, "v1", n=8)
    store = new_store(db, hash_embedder)
    index_paths([docs], store, hash_embedder)
    v1_hashes = store.file_hashes()
    before = Retriever(store, hash_embedder).search("v1word7", k=3, mode="keyword")
    store.close()

    write_docs(docs, "v2", n=8)  # every file changes; the re-index is killed part way
    script = tmp_path / "reindex.py"
    script.write_text(CRASH_SCRIPT.format(tests=str(HERE), docs=str(docs), db=str(db)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:  # wait until some files have been processed, then kill -9
        if int(line) >= 3:
            break
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    store = Store(db, create=False)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    hashes = store.file_hashes()
    assert len(hashes) == 8
    v2 = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.iterdir()}
    updated = [p for p in hashes if hashes[p] == v2[p]]
    assert 0 < len(updated) < 8, "the kill should land mid-index"
    assert all(hashes[p] in (v1_hashes[p], v2[p]) for p in hashes)
    for (path,) in store.conn.execute("SELECT path FROM files"):
        text = " ".join(r[0] for r in store.conn.execute(
            "SELECT c.text FROM chunks c JOIN files f ON f.id = c.file_id WHERE f.path = ?",
            (path,)))
        version = "v2" if hashes[path] == v2[path] else "v1"
        assert f"{version}word" in text and ("v1word" if version == "v2" else "v2word") \
            not in text  # each file is wholly old or wholly new
    untouched = max(p for p in hashes if p not in updated)  # still v1: answers as before
    after = Retriever(store, hash_embedder).search(f"v1word{Path(untouched).stem[1:]}", k=3,
                                                   mode="keyword")
    assert after and after[0].source == untouched
    if untouched.endswith("f7.txt"):
        assert [h.text for h in after] == [h.text for h in before]

    finish = index_paths([docs], store, hash_embedder)  # the next run completes the job
    assert finish.updated == 8 - len(updated) and finish.unchanged == len(updated)


def test_an_index_from_another_embedding_model_is_a_clear_error(tmp_path, hash_embedder):
    db = tmp_path / "i.sqlite"
    new_store(db, hash_embedder).close()
    with pytest.raises(ConfigError, match="hash-16 \\(dimension 16\\).*32-dimensional"):
        Store(db, embedding_model="other-model", dim=32)
    with pytest.raises(ConfigError, match="not comparable"):
        Store(db, embedding_model="hash-16-other", dim=16)
    with pytest.raises(ConfigError, match="dimension 16"):
        Retriever(Store(db), HashEmbedder(dim=8, name="hash-8"))


def test_a_file_that_is_not_an_index_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DataError, match="junk.sqlite"):
        Store(junk, create=False)
    with pytest.raises(DataError, match="no such index"):
        Store(tmp_path / "missing.sqlite", create=False)


def test_a_reindex_after_an_edit_changes_only_the_edited_files_chunks(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"ch{i}.txt").write_text(
            f"第{i + 1}回 标题{i}\n" + "".join(f"第{i}章的第{j}句话写在这里。" for j in range(40)),
            encoding="utf-8")
    store = new_store(tmp_path / "i.sqlite", hash_embedder)
    index_paths([docs], store, hash_embedder, max_tokens=60, overlap_tokens=10)

    def rows_by_file() -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for path, cid, text, start, body, vector in store.conn.execute(
                "SELECT f.path, c.id, c.text, c.start, t.body, v.embedding FROM chunks c "
                "JOIN files f ON f.id = c.file_id JOIN chunks_fts t ON t.rowid = c.id "
                "JOIN chunks_vec v ON v.rowid = c.id ORDER BY c.id"):
            out.setdefault(path, []).append((cid, text, start, body, bytes(vector)))
        return out

    before = rows_by_file()
    edited = docs / "ch1.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("第1章的第20句", "改过的第20句"),
                      encoding="utf-8")
    embedded = hash_embedder.embedded
    report = index_paths([docs], store, hash_embedder, max_tokens=60, overlap_tokens=10)
    after = rows_by_file()
    assert (report.updated, report.unchanged) == (1, 2)
    assert report.chunks_embedded == len(after[str(edited)]) == hash_embedder.embedded - embedded
    for path in (docs / "ch0.txt", docs / "ch2.txt"):  # ids, text, keywords, vectors: as were
        assert after[str(path)] == before[str(path)]
    assert after[str(edited)] != before[str(edited)]
    assert any("改过的第20句" in row[1] for row in after[str(edited)])
