"""Prepare pretraining data: tokenize a corpus once into memory-mapped token shards.

    documents --(tokenizer, N worker processes)--> ids + EOS --> train.bin / val.bin + manifest

Each document is followed by the EOS id (`<|endoftext|>`), so the model learns where
documents end and the loader can pack blocks across document boundaries, as GPT-2 and
nanoGPT do. The train/val split is by whole documents (a seeded permutation picks
`round(val_fraction * num_documents)` of them), so no document leaks into both. A corpus
too small for that (one big file such as tinyshakespeare) is split by tokens instead: the
last `val_fraction` of the token stream becomes val. The manifest records which was used.

Tokenizing is the slow step, so chunks of documents go to a `multiprocessing` pool (each
worker loads the tokenizer from `tokenizer.json` itself); results come back in order, so
any `num_workers` writes byte-identical shards.

Run: `python -m lmforge.data.prepare SOURCE TOKENIZER OUT_DIR`, e.g.
`python -m lmforge.data.prepare stdlib-docs runs/tok data/stdlib`.
"""

import datetime
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from tokenizers import Tokenizer

from lmforge.atomic import atomic_path
from lmforge.data import shards
from lmforge.data.sources import read_documents
from lmforge.errors import ConfigError
from lmforge.threads import available_cores

DOCUMENTS_PER_CHUNK = 64  # small enough to balance workers, big enough to amortise IPC


@dataclass
class PrepareSettings:
    """What to tokenize, with which tokenizer, and where to write the shards."""

    source: str = "stdlib-docs"
    """Corpus: a file, a folder, 'stdlib-docs' or a Hugging Face dataset name."""
    tokenizer: str = ""
    """Path to tokenizer.json, or to a folder holding it."""
    out_dir: str = "data/prepared"
    """Folder for train.bin, val.bin and manifest.json."""
    val_fraction: float = 0.05
    """Share of documents (or, for tiny corpora, of tokens) held out for validation."""
    seed: int = 1337
    """Seed of the document-level train/val split."""
    num_workers: int = 1
    """Tokenizer processes; 0 means one per CPU core."""
    eos_token: str = "<|endoftext|>"
    """Token appended after every document; must exist in the tokenizer."""
    max_documents: int | None = None
    """Stop after this many documents (None = all); bounds a streamed Hub dataset."""
    show_progress: bool = True
    """Draw a progress bar on stderr."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.val_fraction < 1.0:
            raise ConfigError(f"val_fraction must be in [0, 1), got {self.val_fraction}")
        if self.num_workers < 0:
            raise ConfigError(f"num_workers must be >= 0, got {self.num_workers}")


def prepare(settings: PrepareSettings) -> dict:
    """Tokenize `settings.source` into shards in `settings.out_dir`; return the manifest."""
    tokenizer_path = resolve_tokenizer_path(settings.tokenizer)
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    eos_id = tokenizer.token_to_id(settings.eos_token)
    if eos_id is None:
        raise ConfigError(f"tokenizer {tokenizer_path} has no eos_token {settings.eos_token!r}")
    vocab_size = tokenizer.get_vocab_size()
    dtype = shards.token_dtype(vocab_size)

    documents = read_documents(settings.source, settings.max_documents)
    is_val = choose_val_documents(len(documents), settings.val_fraction, settings.seed)
    split_by = "documents" if is_val.any() or settings.val_fraction == 0 else "tokens"

    out_dir = Path(settings.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shards.remove_manifest(out_dir)  # from here on, old shards are no longer valid
    with ExitStack() as stack:
        writers = {
            split: _open_writer(stack, out_dir / shards.shard_name(split), dtype)
            for split in shards.SPLITS
        }
        encoded = encode_documents(documents, tokenizer_path, eos_id, settings)
        for index, ids in enumerate(encoded):
            writers["val" if is_val[index] else "train"].append(ids)
        train_tmp = writers["train"].file.name
        for writer in writers.values():
            writer.file.close()  # flush before atomic_path renames the files into place
        if split_by == "tokens":
            _move_tail_to_val(writers, train_tmp, settings.val_fraction, dtype)

    manifest = _manifest(settings, tokenizer_path, vocab_size, dtype, eos_id, split_by, writers)
    shards.write_manifest(out_dir, manifest)
    return manifest


def resolve_tokenizer_path(tokenizer: str | Path) -> Path:
    """Accept tokenizer.json itself or a folder holding it."""
    if not str(tokenizer):
        raise ConfigError("prepare needs a tokenizer: a tokenizer.json or a folder holding one")
    path = Path(tokenizer)
    if path.is_dir():
        path = path / "tokenizer.json"
    if not path.is_file():
        raise ConfigError(f"tokenizer file {path} not found")
    return path


def choose_val_documents(num_documents: int, val_fraction: float, seed: int) -> np.ndarray:
    """Boolean mask: which documents go to val (a seeded choice, same seed -> same split)."""
    num_val = round(num_documents * val_fraction)
    is_val = np.zeros(num_documents, dtype=bool)
    if 0 < num_val < num_documents:
        is_val[np.random.default_rng(seed).permutation(num_documents)[:num_val]] = True
    return is_val


def encode_documents(
    documents: Sequence[str], tokenizer_path: Path, eos_id: int, settings: PrepareSettings
) -> Iterator[np.ndarray]:
    """Yield each document's ids + EOS, in document order, tokenized by a worker pool."""
    chunks = [
        documents[i : i + DOCUMENTS_PER_CHUNK]
        for i in range(0, len(documents), DOCUMENTS_PER_CHUNK)
    ]
    num_workers = settings.num_workers or available_cores()
    with _progress(settings.show_progress) as progress:
        task = progress.add_task("tokenizing", total=len(documents), rate="")
        start, num_tokens = time.perf_counter(), 0
        for chunk in _map_chunks(chunks, tokenizer_path, eos_id, num_workers):
            yield from chunk
            num_tokens += sum(len(ids) for ids in chunk)
            elapsed = max(time.perf_counter() - start, 1e-9)
            done = progress.tasks[0].completed + len(chunk)
            rate = f"{done / elapsed:,.0f} docs/s  {num_tokens / elapsed:,.0f} tokens/s"
            progress.update(task, advance=len(chunk), rate=rate)


def _map_chunks(
    chunks: list[Sequence[str]], tokenizer_path: Path, eos_id: int, num_workers: int
) -> Iterator[list[np.ndarray]]:
    if num_workers == 1:
        _init_worker(str(tokenizer_path), eos_id)
        yield from map(_encode_chunk, chunks)
        return
    # spawn, not fork: a forked child inherits the parent's tokenizer thread pool in an
    # undefined state. imap (not imap_unordered) keeps document order -> identical shards.
    context = multiprocessing.get_context("spawn")
    init_args = (str(tokenizer_path), eos_id)
    with context.Pool(num_workers, initializer=_init_worker, initargs=init_args) as pool:
        yield from pool.imap(_encode_chunk, chunks)


# Per-process state of a pool worker: the tokenizer is loaded once, not once per chunk.
_worker_tokenizer: Tokenizer | None = None
_worker_eos_id: int = -1


def _init_worker(tokenizer_path: str, eos_id: int) -> None:
    global _worker_tokenizer, _worker_eos_id
    _worker_tokenizer = Tokenizer.from_file(tokenizer_path)
    _worker_eos_id = eos_id


def _encode_chunk(texts: Sequence[str]) -> list[np.ndarray]:
    assert _worker_tokenizer is not None, "_init_worker must run first"
    encodings = _worker_tokenizer.encode_batch(list(texts))
    # int64 here; SplitWriter narrows to the shard dtype when writing.
    return [np.array([*e.ids, _worker_eos_id], dtype=np.int64) for e in encodings]


def _open_writer(stack: ExitStack, path: Path, dtype: np.dtype) -> shards.SplitWriter:
    tmp = stack.enter_context(atomic_path(path))
    return shards.SplitWriter(stack.enter_context(open(tmp, "wb")), dtype)


def _move_tail_to_val(
    writers: dict[str, shards.SplitWriter], train_tmp: str, val_fraction: float, dtype: np.dtype
) -> None:
    """Token-level split for tiny corpora: the last `val_fraction` of train becomes val."""
    train = writers["train"]
    num_val = int(train.num_tokens * val_fraction)
    cut = train.num_tokens - num_val
    with open(train_tmp, "rb") as src, open(writers["val"].file.name, "wb") as dst:
        src.seek(cut * dtype.itemsize)
        shutil.copyfileobj(src, dst)
    os.truncate(train_tmp, cut * dtype.itemsize)
    writers["val"].num_tokens, train.num_tokens = num_val, cut


def _manifest(
    settings: PrepareSettings,
    tokenizer_path: Path,
    vocab_size: int,
    dtype: np.dtype,
    eos_id: int,
    split_by: str,
    writers: dict[str, shards.SplitWriter],
) -> dict:
    return {
        "format": shards.FORMAT,
        "source": str(settings.source),
        "tokenizer": str(tokenizer_path.resolve()),
        "tokenizer_sha256": shards.sha256_file(tokenizer_path),
        "vocab_size": vocab_size,
        "dtype": dtype.name,
        "eos_token": settings.eos_token,
        "eos_id": eos_id,
        "split_by": split_by,
        "val_fraction": settings.val_fraction,
        "seed": settings.seed,
        "documents": {split: w.num_documents for split, w in writers.items()},
        "tokens": {split: w.num_tokens for split, w in writers.items()},
        "shards": {split: [shards.shard_name(split)] for split in shards.SPLITS},
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _progress(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("docs"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not show,
    )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    result = prepare(
        PrepareSettings(
            source=sys.argv[1], tokenizer=sys.argv[2], out_dir=sys.argv[3], num_workers=0
        )
    )
    print(
        f"train {result['tokens']['train']:,} tokens, val {result['tokens']['val']:,} tokens "
        f"({result['dtype']}) in {sys.argv[3]}"
    )
