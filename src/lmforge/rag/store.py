"""The RAG store: one SQLite file holding files, chunks, vectors and a keyword index.

    meta        key -> value: embedding model, dimension, keyword tokenizer, schema version
    files       path, sha256 of the content, size, chunk count
    chunks      text and position (char offsets, heading path, page) of every chunk
    chunks_fts  FTS5 keyword index over the chunks (BM25 ranking), rowid = chunk id
    chunks_vec  sqlite-vec `vec0` table of chunk embeddings (cosine distance), rowid = chunk id

The connection is `apsw`: Python's stdlib `sqlite3` is often built without extension loading
(as here), and `sqlite-vec` is a loadable extension. apsw bundles a recent SQLite with FTS5.
Writes happen in explicit transactions (`with store.transaction():`), so a process killed
mid-write leaves the last committed state; WAL mode lets readers run during indexing.

An index remembers which embedding model made its vectors: opening it with another model
(another dimension, or the same dimension from a different model) is an error naming both,
because vectors from two models are not comparable.

Test: `pytest tests/rag/test_store.py`.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lmforge.errors import ConfigError, DataError
from lmforge.rag.keywords import FTS5_TOKENIZE, KEYWORD_TOKENIZERS

SCHEMA_VERSION = "1"


@dataclass
class StoredChunk:
    id: int
    source: str
    text: str
    start: int
    end: int
    heading: list[str]
    page: int | None


def connect(path: str | Path):
    """An apsw connection with sqlite-vec loaded."""
    import apsw
    import sqlite_vec

    try:
        conn = apsw.Connection(str(path))
        conn.enable_load_extension(True)
        conn.load_extension(sqlite_vec.loadable_path())
        conn.enable_load_extension(False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
    except apsw.Error as e:
        raise DataError(f"{path}: cannot open as an SQLite database ({e})") from e
    return conn


class Store:
    """One index file; see the module docstring."""

    def __init__(self, path: str | Path, *, embedding_model: str | None = None,
                 dim: int | None = None, keyword_tokenizer: str | None = None,
                 create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise DataError(f"{self.path}: no such index; build it with `lmforge rag index`")
        self.conn = connect(self.path)
        self.meta = self._read_meta()
        if not self.meta:
            if embedding_model is None or dim is None:
                raise DataError(f"{self.path}: not an lmforge RAG index (no meta table)")
            self._create(embedding_model, dim, keyword_tokenizer or "jieba")
        self._check_model(embedding_model, dim)
        self.embedding_model = self.meta["embedding_model"]
        self.dim = int(self.meta["dim"])
        self.keyword_tokenizer = self.meta["keyword_tokenizer"]

    # -- schema -------------------------------------------------------------------------------

    def _read_meta(self) -> dict[str, str]:
        import apsw

        try:
            return dict(self.conn.execute("SELECT key, value FROM meta"))
        except apsw.SQLError:
            if self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise DataError(f"{self.path}: an SQLite database, but not an lmforge RAG "
                                "index") from None
            return {}
        except apsw.NotADBError as e:
            raise DataError(f"{self.path}: not an SQLite database ({e})") from e

    def _create(self, embedding_model: str, dim: int, keyword_tokenizer: str) -> None:
        if keyword_tokenizer not in KEYWORD_TOKENIZERS:
            raise ConfigError(f"keyword tokenizer {keyword_tokenizer!r} is not one of "
                              f"{', '.join(KEYWORD_TOKENIZERS)}")
        meta = {"schema": SCHEMA_VERSION, "embedding_model": embedding_model, "dim": str(dim),
                "keyword_tokenizer": keyword_tokenizer}
        with self.transaction():
            self.conn.execute(f"""
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL,
                    sha256 TEXT NOT NULL, size INTEGER NOT NULL, n_chunks INTEGER NOT NULL);
                CREATE TABLE chunks (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL
                    REFERENCES files(id), ord INTEGER NOT NULL, text TEXT NOT NULL,
                    start INTEGER NOT NULL, end INTEGER NOT NULL, heading TEXT NOT NULL,
                    page INTEGER);
                CREATE INDEX chunks_by_file ON chunks(file_id);
                CREATE VIRTUAL TABLE chunks_fts USING fts5(body,
                    tokenize='{FTS5_TOKENIZE[keyword_tokenizer]}');
                CREATE VIRTUAL TABLE chunks_vec USING vec0(
                    embedding float[{int(dim)}] distance_metric=cosine);
            """)
            self.conn.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        self.meta = meta

    def _check_model(self, embedding_model: str | None, dim: int | None) -> None:
        built_with = f"{self.meta['embedding_model']} (dimension {self.meta['dim']})"
        if dim is not None and dim != int(self.meta["dim"]):
            raise ConfigError(f"{self.path} was built with embedding model {built_with}; "
                              f"{embedding_model} makes {dim}-dimensional vectors. Use "
                              f"--embedding-model {self.meta['embedding_model']} or a new --db")
        if embedding_model is not None and embedding_model != self.meta["embedding_model"]:
            raise ConfigError(f"{self.path} was built with embedding model {built_with}, not "
                              f"{embedding_model}: vectors of two models are not comparable")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # -- files --------------------------------------------------------------------------------

    def file_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT path, sha256 FROM files"))

    def delete_file(self, path: str) -> int:
        """Remove a file and its chunks (inside the caller's transaction); chunks removed."""
        row = self.conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return 0
        ids = [r[0] for r in self.conn.execute("SELECT id FROM chunks WHERE file_id = ?", row)]
        for chunk_id in ids:
            self.conn.execute("DELETE FROM chunks_fts WHERE rowid = ?", (chunk_id,))
            self.conn.execute("DELETE FROM chunks_vec WHERE rowid = ?", (chunk_id,))
        self.conn.execute("DELETE FROM chunks WHERE file_id = ?", row)
        self.conn.execute("DELETE FROM files WHERE id = ?", row)
        return len(ids)

    def add_file(self, path: str, sha256: str, size: int, chunks: list, keyword_texts: list[str],
                 vectors: np.ndarray) -> None:
        """Insert a file with its chunks, keyword texts and (N, dim) vectors."""
        if vectors.shape != (len(chunks), self.dim):
            raise ValueError(f"{path}: {len(chunks)} chunks but vectors of shape {vectors.shape}")
        cur = self.conn.execute("INSERT INTO files (path, sha256, size, n_chunks) "
                                "VALUES (?, ?, ?, ?) RETURNING id",
                                (path, sha256, size, len(chunks)))
        file_id = cur.fetchone()[0]
        for order, (chunk, body, vector) in enumerate(
                zip(chunks, keyword_texts, vectors, strict=True)):
            chunk_id = self.conn.execute(
                "INSERT INTO chunks (file_id, ord, text, start, end, heading, page) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (file_id, order, chunk.text, chunk.start, chunk.end,
                 json.dumps(chunk.heading, ensure_ascii=False), chunk.page)).fetchone()[0]
            self.conn.execute("INSERT INTO chunks_fts (rowid, body) VALUES (?, ?)",
                              (chunk_id, body))
            self.conn.execute("INSERT INTO chunks_vec (rowid, embedding) VALUES (?, ?)",
                              (chunk_id, np.ascontiguousarray(vector, np.float32).tobytes()))

    # -- reading ------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        files = self.conn.execute("SELECT count(*) FROM files").fetchone()[0]
        chunks = self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return {"files": files, "chunks": chunks}

    def chunks(self, ids: list[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT c.id, f.path, c.text, c.start, c.end, c.heading, c.page FROM chunks c "
            f"JOIN files f ON f.id = c.file_id WHERE c.id IN ({marks})", ids)
        return {r[0]: StoredChunk(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6])
                for r in rows}

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk id, cosine similarity) of the k nearest chunk vectors, best first."""
        if vector.shape != (self.dim,):
            raise ConfigError(f"query vector has shape {vector.shape}; the index {self.path} "
                              f"holds {self.dim}-dimensional vectors")
        rows = self.conn.execute(
            "SELECT rowid, distance FROM chunks_vec WHERE embedding MATCH ? AND k = ? "
            "ORDER BY distance", (np.ascontiguousarray(vector, np.float32).tobytes(), int(k)))
        return [(rowid, 1.0 - distance) for rowid, distance in rows]

    def document_frequency(self, term: str) -> int:
        """How many chunks contain `term` (a word as the keyword index spells it)."""
        phrase = '"' + term.replace('"', '""') + '"'
        return self.conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                                 (phrase,)).fetchone()[0]

    def keyword(self, match: str, k: int) -> list[tuple[int, float]]:
        """(chunk id, BM25 score, higher is better) for an FTS5 MATCH expression."""
        rows = self.conn.execute(
            "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? "
            "ORDER BY bm25(chunks_fts) LIMIT ?", (match, int(k)))
        return [(rowid, -score) for rowid, score in rows]  # FTS5's bm25() is negated
