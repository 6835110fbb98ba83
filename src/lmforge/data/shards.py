"""Token shards: a tokenized corpus as flat memory-mapped arrays, plus a manifest.

Layout of a prepared folder (what `data/prepare.py` writes):

    out_dir/
      train.bin       token ids of the train documents, each followed by EOS, back to back
      val.bin         the same for the validation documents
      manifest.json   what is in the .bin files and where it came from (written LAST)

A `.bin` is raw little-endian uint16 when every id fits in 16 bits (vocab <= 65536,
half the disk and page cache of uint32), else uint32; nanoGPT uses the same layout.
Training reads it through `np.memmap`, so a corpus larger than RAM costs nothing to open.

Crash safety: the old manifest is removed before any shard is rewritten, each shard is
renamed into place only once complete, and the manifest goes last. A killed `prepare`
therefore leaves no manifest, never one pointing at half-written shards.
"""

import hashlib
import json
import os
from pathlib import Path
from typing import BinaryIO

import numpy as np

from lmforge.atomic import write_text_atomic
from lmforge.errors import DataError

MANIFEST = "manifest.json"
SPLITS = ("train", "val")
FORMAT = "lmforge-token-shards-v1"


def shard_name(split: str) -> str:
    return f"{split}.bin"


def token_dtype(vocab_size: int) -> np.dtype:
    """uint16 when all ids (0 .. vocab_size-1) fit in 16 bits, else uint32."""
    return np.dtype(np.uint16) if vocab_size <= 2**16 else np.dtype(np.uint32)


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SplitWriter:
    """Appends token ids to an open `.bin` file, converting them to the shard dtype."""

    def __init__(self, file: BinaryIO, dtype: np.dtype) -> None:
        self.file = file
        self.dtype = dtype
        self.num_tokens = 0
        self.num_documents = 0

    def append(self, ids: np.ndarray) -> None:
        """Write one document's ids (EOS included)."""
        self.file.write(np.ascontiguousarray(ids, dtype=self.dtype).tobytes())
        self.num_tokens += len(ids)
        self.num_documents += 1


def remove_manifest(out_dir: str | Path) -> None:
    """Invalidate a prepared folder before its shards are rewritten."""
    (Path(out_dir) / MANIFEST).unlink(missing_ok=True)


def write_manifest(out_dir: str | Path, manifest: dict) -> None:
    write_text_atomic(Path(out_dir) / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def read_manifest(out_dir: str | Path) -> dict:
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        raise DataError(f"{path} not found: run `lmforge prepare` first (or it was interrupted)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: invalid JSON ({e.msg})") from None
    if manifest.get("format") != FORMAT:
        raise DataError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    return manifest


def open_split(out_dir: str | Path, split: str) -> np.ndarray:
    """Memory-map the `split` ("train" or "val") tokens of a prepared folder.

    Returns an `np.memmap` (read-only), or an empty array when the split holds no tokens
    (a zero-length file cannot be memory-mapped).
    """
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}; expected one of {SPLITS}")
    manifest = read_manifest(out_dir)
    dtype = np.dtype(manifest["dtype"])
    num_tokens = manifest["tokens"][split]
    path = Path(out_dir) / manifest["shards"][split][0]
    expected = num_tokens * dtype.itemsize
    actual = os.path.getsize(path) if path.is_file() else None
    if actual != expected:
        raise DataError(f"{path}: expected {expected} bytes ({num_tokens} tokens), found {actual}")
    if num_tokens == 0:
        return np.zeros(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", shape=(num_tokens,))
