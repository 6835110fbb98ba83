"""Read a GGUF file's header fast: the metadata key/values and the tensor table.

A GGUF file is: magic `GGUF`, version, tensor count, key/value count, the key/values (typed,
little-endian), one info record per tensor (name, dims, GGML type, offset), padding to the
alignment, then the tensor data. The `gguf` package's `GGUFReader` builds a numpy view for
every part of every value; SmolLM2's vocabulary (49,152 tokens + 48,900 merges) made that
~3 s of every `lmforge tokenize` / `generate` start. Here strings are sliced from one
`bytes` object and number arrays are read with one `np.frombuffer`, so the same header reads
in well under 0.2 s. Tensor data stays in a read-only memory map and is returned as gguf's
own `ReaderTensor`s (shapes and dtypes exactly as `GGUFReader` gives them), so dequantizing
code works on either.

    header = read_header("model.gguf")
    header.metadata["tokenizer.ggml.tokens"][:3], [t.name for t in header.tensors][:3]

Test: `pytest tests/io/test_gguf_reader.py -k header`.
"""

import mmap
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, ReaderTensor
from gguf.quants import quant_shape_to_byte_shape

from lmforge.errors import ModelFileError

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
# GGUF value types (gguf.GGUFValueType): fixed-size ones map to a struct code / numpy dtype.
STRING, ARRAY, BOOL = 8, 9, 7
SCALAR_FORMATS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
                  10: "<Q", 11: "<q", 12: "<d"}
NUMPY_TYPES = {0: "<u1", 1: "<i1", 2: "<u2", 3: "<i2", 4: "<u4", 5: "<i4", 6: "<f4", 7: "<u1",
               10: "<u8", 11: "<i8", 12: "<f8"}
# Tensor types that GGUFReader exposes as numbers (the rest as raw uint8 blocks).
PLAIN_TENSOR_TYPES = {GGMLQuantizationType.F32: np.float32, GGMLQuantizationType.F16: np.float16,
                      GGMLQuantizationType.F64: np.float64, GGMLQuantizationType.I8: np.int8,
                      GGMLQuantizationType.I16: np.int16, GGMLQuantizationType.I32: np.int32,
                      GGMLQuantizationType.I64: np.int64}


@dataclass
class GGUFHeader:
    version: int
    metadata: dict[str, Any]  # every key/value, as Python values (str, int, float, bool, list)
    tensors: list[ReaderTensor]  # in file order; .data is a view into the memory map
    mapping: np.memmap | None = None  # the file, mapped read-only

    def release(self, tensor: ReaderTensor) -> None:
        """Drop the tensor's pages from this process once its data has been copied out: a
        mapped file's pages count as resident memory for as long as the mapping lives."""
        if self.mapping is None or not hasattr(self.mapping, "_mmap"):
            return
        page = mmap.PAGESIZE
        begin = tensor.data_offset // page * page
        end = min(tensor.data_offset + tensor.n_bytes, len(self.mapping))
        self.mapping._mmap.madvise(mmap.MADV_DONTNEED, begin, end - begin)


class _Cursor:
    """Reads little-endian values from `buf`, failing with the GGUF error a user can act on."""

    def __init__(self, buf: bytes | memoryview, path: Path) -> None:
        self.buf, self.pos, self.path = buf, 0, path

    def need(self, n: int) -> None:
        if n < 0 or self.pos + n > len(self.buf):
            raise _truncated(self.path, f"a header field at byte {self.pos} needs {n} bytes")

    def scalar(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        self.need(size)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return value

    def string(self) -> str:
        n = self.scalar("<Q")
        self.need(n)
        raw = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return raw.decode("utf-8", errors="replace")

    def strings(self, count: int) -> list[str]:
        """`count` strings in a row: the hot loop for vocabularies, kept minimal."""
        buf, pos, end, out = self.buf, self.pos, len(self.buf), []
        unpack = struct.Struct("<Q").unpack_from
        for _ in range(count):
            if pos + 8 > end:
                self.pos = pos
                raise _truncated(self.path, f"a string at byte {pos} runs past the end")
            (n,) = unpack(buf, pos)
            pos += 8
            if pos + n > end:
                self.pos = pos
                raise _truncated(self.path, f"a string at byte {pos} runs past the end")
            out.append(bytes(buf[pos : pos + n]).decode("utf-8", errors="replace"))
            pos += n
        self.pos = pos
        return out

    def array(self, value_type: int, count: int) -> np.ndarray:
        dtype = np.dtype(NUMPY_TYPES[value_type])
        self.need(count * dtype.itemsize)
        values = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += count * dtype.itemsize
        return values

    def value(self, value_type: int) -> Any:
        if value_type == STRING:
            return self.string()
        if value_type in SCALAR_FORMATS:
            return self.scalar(SCALAR_FORMATS[value_type])
        if value_type == ARRAY:
            item_type, count = self.scalar("<I"), self.scalar("<Q")
            if item_type == STRING:
                return self.strings(count)
            if item_type in NUMPY_TYPES:
                values = self.array(item_type, count)
                return [bool(v) for v in values] if item_type == BOOL else values.tolist()
            return [self.value(item_type) for _ in range(count)]  # nested arrays (rare)
        raise ModelFileError(f"{self.path}: truncated or corrupted GGUF file: unknown value type "
                             f"{value_type} at byte {self.pos}")


def _truncated(path: Path, detail: str) -> ModelFileError:
    size = path.stat().st_size
    return ModelFileError(f"{path}: truncated or corrupted GGUF file ({size} bytes): a header "
                          f"field or tensor lies beyond the end of the file or is malformed "
                          f"({detail})")


def check_magic(path: str | os.PathLike) -> Path:
    """`path` as a Path if it exists and starts with GGUF's magic; else a ModelFileError."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such GGUF file")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != GGUF_MAGIC:
        raise ModelFileError(
            f"{path}: not a GGUF file (bad magic: expected {GGUF_MAGIC!r}, found {magic!r})")
    return path


def read_header(path: str | os.PathLike, with_tensors: bool = True) -> GGUFHeader:
    """Parse the metadata (and, unless `with_tensors` is False, the tensor table)."""
    path = check_magic(path)
    data = np.memmap(path, dtype=np.uint8, mode="r")
    cursor = _Cursor(memoryview(data), path)
    cursor.pos = 4
    version = cursor.scalar("<I")
    if version not in (2, 3):
        raise ModelFileError(f"{path}: GGUF version {version} is not supported (2 or 3 are; a "
                             "big-endian file also shows up this way)")
    n_tensors, n_kv = cursor.scalar("<Q"), cursor.scalar("<Q")
    metadata = {}
    for _ in range(n_kv):
        key = cursor.string()
        metadata[key] = cursor.value(cursor.scalar("<I"))
    tensors = _tensor_table(cursor, data, n_tensors, metadata) if with_tensors else []
    return GGUFHeader(version, metadata, tensors, data)


def _tensor_table(cursor: _Cursor, data: np.memmap, count: int, metadata: dict
                  ) -> list[ReaderTensor]:
    infos = []
    for _ in range(count):
        name = cursor.string()
        n_dims = cursor.scalar("<I")
        dims = cursor.array(10, n_dims).copy()  # ggml order: ne[0] (the row length) first
        infos.append((name, dims, cursor.scalar("<I"), cursor.scalar("<Q")))
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    start = -(-cursor.pos // alignment) * alignment
    return [_tensor(cursor.path, data, start, *info) for info in infos]


def _tensor(path: Path, data: np.memmap, start: int, name: str, dims: np.ndarray,
            type_id: int, offset: int) -> ReaderTensor:
    """One tensor as GGUFReader builds it: numbers for plain types, uint8 blocks otherwise."""
    try:
        ggml_type = GGMLQuantizationType(type_id)
        block_size, type_size = GGML_QUANT_SIZES[ggml_type]
    except (ValueError, KeyError):
        raise ModelFileError(f"{path}: tensor {name!r} has unknown GGML type {type_id}") from None
    n_elements = int(np.prod(dims))
    n_bytes = n_elements * type_size // block_size
    shape = tuple(reversed(dims.tolist()))  # numpy order: the row length last
    begin = start + offset
    if begin + n_bytes > len(data):
        raise _truncated(path, f"tensor {name!r} at byte {begin} with {n_bytes} bytes")
    raw = data[begin : begin + n_bytes]
    if ggml_type in PLAIN_TENSOR_TYPES:
        array = raw.view(PLAIN_TENSOR_TYPES[ggml_type]).reshape(shape)
    else:
        array = raw.reshape(quant_shape_to_byte_shape(shape, ggml_type))
    return ReaderTensor(name=name, tensor_type=ggml_type, shape=dims, n_elements=n_elements,
                        n_bytes=n_bytes, data_offset=begin, data=array, field=None)
