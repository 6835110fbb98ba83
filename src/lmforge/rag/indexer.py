"""Indexing: files -> chunks -> embeddings -> the store, incrementally and transactionally.

    report = index_paths(["docs/"], store, embedder)   # IndexReport(added=12, updated=0, ...)

Each file's content is hashed (sha256). A file whose hash is unchanged is skipped; a changed
file's old chunks are deleted and its new chunks embedded; a file that was indexed under the
given folders but no longer exists leaves the index. Only changed files are embedded, and the
report counts their chunks (`chunks_embedded`), so "re-indexing re-embeds only what changed"
is a number, not a promise.

Work is done in batches of files: load, chunk and embed a batch outside any transaction,
then write it in ONE transaction. A process killed mid-index therefore leaves every file
either fully old or fully new, and the database opens and answers; the next run picks up
the rest. A file that cannot be read (empty, binary, a scanned PDF) is reported and skipped,
never fatal to the run.

Test: `pytest tests/rag/test_indexer.py`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lmforge.errors import DataError
from lmforge.rag.chunking import chunk_document
from lmforge.rag.embedder import Embedder
from lmforge.rag.keywords import index_text
from lmforge.rag.loaders import find_files, load_document
from lmforge.rag.store import Store

Progress = Callable[[int, int, str], None]  # (files done, files total, current path)


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    bytes_indexed: int = 0
    failed: list[str] = field(default_factory=list)
    """'path: reason' for each file that could not be indexed."""


@dataclass
class _Prepared:
    path: str
    sha256: str
    size: int
    chunks: list
    is_new: bool


def require_paths(paths: list[str | Path]) -> None:
    """Raise DataError naming the first path that does not exist: called before an index
    file is created or a model loaded, so a typo leaves nothing behind."""
    for path in map(Path, paths):
        if not path.exists():
            raise DataError(f"{path}: no such file or folder")


def index_paths(paths: list[str | Path], store: Store, embedder: Embedder, *,
                max_tokens: int = 200, overlap_tokens: int = 40, files_per_batch: int = 16,
                progress: Progress | None = None) -> IndexReport:
    """Bring the index up to date with `paths` (files or folders, recursive)."""
    files = find_files(paths)
    report = IndexReport()
    known = store.file_hashes()
    _remove_deleted(paths, files, known, store, report)
    pending: list[_Prepared] = []
    for done, path in enumerate(files, 1):
        prepared = _prepare(path, known, embedder, max_tokens, overlap_tokens, report)
        if prepared is not None:
            pending.append(prepared)
        if len(pending) >= files_per_batch:
            _write_batch(pending, store, embedder, report)
            pending = []
        if progress:
            progress(done, len(files), str(path))
    if pending:
        _write_batch(pending, store, embedder, report)
    return report


def _remove_deleted(paths, files, known: dict[str, str], store: Store,
                    report: IndexReport) -> None:
    """Files indexed under one of the given folders that are gone from disk leave the index."""
    present = {str(f) for f in files}
    folders = [str(Path(p)) for p in paths if Path(p).is_dir()]
    gone = [p for p in known if p not in present
            and any(p.startswith(folder.rstrip("/") + "/") for folder in folders)
            and not Path(p).exists()]
    if gone:
        with store.transaction():
            for path in gone:
                store.delete_file(path)
        report.removed += len(gone)


def _prepare(path: Path, known: dict[str, str], embedder: Embedder, max_tokens: int,
             overlap_tokens: int, report: IndexReport) -> _Prepared | None:
    """Hash a file; load and chunk it when it is new or changed (None when unchanged/bad)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        report.failed.append(f"{path}: cannot read ({e.strerror or e})")
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    if known.get(str(path)) == sha256:
        report.unchanged += 1
        return None
    try:
        doc = load_document(path)
        chunks = chunk_document(doc, embedder.count_tokens, max_tokens=max_tokens,
                                overlap_tokens=overlap_tokens)
    except DataError as e:
        report.failed.append(str(e))
        return None
    return _Prepared(str(path), sha256, len(data), chunks, str(path) not in known)


def _write_batch(batch: list[_Prepared], store: Store, embedder: Embedder,
                 report: IndexReport) -> None:
    """Embed a batch of files, then replace them in the store in one transaction."""
    texts = [embedding_text(c) for p in batch for c in p.chunks]
    vectors = embedder.embed(texts)
    with store.transaction():
        row = 0
        for p in batch:
            store.delete_file(p.path)
            n = len(p.chunks)
            store.add_file(p.path, p.sha256, p.size, p.chunks,
                           [index_text(embedding_text(c), store.keyword_tokenizer)
                            for c in p.chunks], vectors[row:row + n])
            row += n
    for p in batch:
        report.added += p.is_new
        report.updated += not p.is_new
        report.chunks_embedded += len(p.chunks)
        report.bytes_indexed += p.size


def embedding_text(chunk) -> str:
    """What gets embedded and keyword-indexed: the heading path, then the chunk's text."""
    heading = " > ".join(chunk.heading)
    return f"{heading}\n{chunk.text}" if heading else chunk.text
