"""Read a GGUF file (llama.cpp's format) into a Hugging Face style checkpoint in memory.

A GGUF file is a typed key/value header (the config and tokenizer) followed by tensors, each
possibly quantized in blocks (Q8_0, Q4_1, the K-quants ...). `read_gguf` returns the HF
`config.json` dict plus a state dict with HF parameter names, every tensor dequantized to a
float dtype; mapping HF names onto lmforge's model is someone else's job. Two facts matter:

- GGUF lists dims fastest-first (ggml's ne[0] is the row length), the reverse of torch.
  The `gguf` package's reader already reverses them, so its arrays come out (out, in).
- llama.cpp's converter permutes the rows of llama q/k projections from HF's rotary layout
  (first half / second half of each head) to GPT-J's interleaved pairs; we undo it here.

The header (metadata and tensor table) is parsed by `gguf_header.py`, ~20x faster than
gguf's GGUFReader on a 49k-token vocabulary; tensors are gguf `ReaderTensor`s either way.

Test: pytest tests/io/test_gguf_reader.py
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from gguf import GGMLQuantizationType, GGUFReader, ReaderTensor
from gguf.quants import dequantize

from lmforge.errors import ModelFileError, UnknownArchitectureError
from lmforge.io import gguf_names as names
from lmforge.io.gguf_header import check_magic, read_header
from lmforge.io.gguf_quant import dequantize_blocks, is_quantized


@dataclass
class GGUFCheckpoint:
    """An HF-style checkpoint read from a GGUF file."""

    arch: str  # GGUF general.architecture, e.g. "llama"
    hf_config: dict[str, Any]  # as HF's config.json would have it
    state_dict: dict[str, torch.Tensor]  # HF parameter names, dequantized
    metadata: dict[str, Any] = field(repr=False)  # every GGUF key/value, as Python values
    tensor_types: dict[str, str] = field(default_factory=dict)  # HF name -> GGML type name


def open_gguf(path: str | os.PathLike) -> GGUFReader:
    """Open `path` with gguf's own (slower) memory-mapped reader; bad files raise
    ModelFileError. lmforge reads with `gguf_header.read_header`; this is for comparisons."""
    path = check_magic(path)
    try:
        return GGUFReader(path)
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        # gguf slices its memmap without bounds checks, so a short file or an offset past
        # the end surfaces as a failed reshape or index deep inside; name the real problem.
        size = path.stat().st_size
        raise ModelFileError(
            f"{path}: truncated or corrupted GGUF file ({size} bytes): a header field or "
            f"tensor lies beyond the end of the file or is malformed ({exc})"
        ) from exc


def read_gguf_metadata(path: str | os.PathLike) -> dict[str, Any]:
    """Every key/value pair in the GGUF header as Python values (str, int, float, bool, list)."""
    return read_header(path, with_tensors=False).metadata


def read_gguf(path: str | os.PathLike, dtype: torch.dtype = torch.float32) -> GGUFCheckpoint:
    """Read a llama/qwen2 GGUF file into an HF config dict and a dequantized HF state dict."""
    header = read_header(path)
    metadata = header.metadata
    arch = _architecture(path, metadata)
    tensors = _known_tensors(path, arch, header.tensors)
    hf_config = _hf_config(path, arch, metadata, tensors)

    def read(hf_name: str, tensor: ReaderTensor) -> torch.Tensor:
        weights = _dequantize(path, tensor)
        if arch == "llama" and hf_name.endswith(("q_proj.weight", "k_proj.weight")):
            weights = unpermute_qk(weights, _rotary_heads(hf_name, hf_config))
        return torch.from_numpy(weights).to(dtype)

    # numpy and torch release the GIL while copying and dequantizing: one tensor per core
    with ThreadPoolExecutor(max_workers=torch.get_num_threads()) as pool:
        state_dict = dict(zip(tensors, pool.map(read, tensors, tensors.values()), strict=True))
    tensor_types = {hf_name: tensor.tensor_type.name for hf_name, tensor in tensors.items()}
    return GGUFCheckpoint(arch, hf_config, state_dict, metadata, tensor_types)


def unpermute_qk(weights: np.ndarray, n_head: int) -> np.ndarray:
    """Undo llama.cpp's rotary row permutation of a q/k projection (rows = n_head * head_dim).

    llama.cpp stores each head's rows as interleaved pairs (x0, x_half, x1, x_half+1, ...);
    HF's rotate_half wants the first half then the second half.
    """
    half = weights.shape[0] // n_head // 2
    per_head = weights.reshape(n_head, half, 2, *weights.shape[1:])
    return per_head.swapaxes(1, 2).reshape(weights.shape)


def permute_qk(weights: np.ndarray, n_head: int) -> np.ndarray:
    """Apply llama.cpp's rotary row permutation (the inverse of `unpermute_qk`)."""
    half = weights.shape[0] // n_head // 2
    per_head = weights.reshape(n_head, 2, half, *weights.shape[1:])
    return per_head.swapaxes(1, 2).reshape(weights.shape)


def _hf_config(
    path: str | os.PathLike, arch: str, metadata: dict[str, Any], tensors: dict[str, ReaderTensor]
) -> dict[str, Any]:
    """Build HF's config.json dict from GGUF metadata (and the tensor list, for tying)."""
    for key in names.REQUIRED_CONFIG_KEYS:
        if f"{arch}.{key}" not in metadata:
            raise ModelFileError(f"{path}: GGUF metadata lacks required key '{arch}.{key}'")
    config: dict[str, Any] = {
        "model_type": names.HF_MODEL_TYPES[arch],
        "architectures": [names.HF_ARCHITECTURES[arch]],
        "hidden_act": "silu",
        "max_position_embeddings": 2048,  # HF defaults, used when the file is silent
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
    }
    for gguf_key, hf_key in names.ARCH_CONFIG_KEYS.items():
        if f"{arch}.{gguf_key}" in metadata:
            config[hf_key] = metadata[f"{arch}.{gguf_key}"]
    config.setdefault("num_key_value_heads", config["num_attention_heads"])
    config["head_dim"] = _head_dim(arch, metadata, config)
    config["rope_scaling"] = _rope_scaling(arch, metadata)
    config["vocab_size"] = _vocab_size(arch, metadata, tensors)
    # llama.cpp writes no output.weight when the LM head shares the embedding matrix.
    config["tie_word_embeddings"] = "lm_head.weight" not in tensors
    if arch == "llama":
        config["attention_bias"] = False
        config["mlp_bias"] = False
    for gguf_key, hf_key in names.TOKEN_ID_KEYS.items():
        if gguf_key in metadata:
            config[hf_key] = metadata[gguf_key]
    return config


def _architecture(path: str | os.PathLike, metadata: dict[str, Any]) -> str:
    arch = metadata.get("general.architecture")
    if arch is None:
        raise ModelFileError(f"{path}: GGUF metadata lacks 'general.architecture'")
    if arch not in names.SUPPORTED_ARCHITECTURES:
        raise UnknownArchitectureError(
            f"{path}: GGUF architecture {arch!r} is not supported; "
            f"supported: {', '.join(names.SUPPORTED_ARCHITECTURES)}"
        )
    return arch


def _known_tensors(
    path: str | os.PathLike, arch: str, tensors: list[ReaderTensor]
) -> dict[str, ReaderTensor]:
    """Map HF name -> tensor; a tensor this architecture cannot hold is a file error."""
    by_hf_name = {}
    for tensor in tensors:
        if tensor.name in names.DERIVED_TENSORS:
            continue
        hf_name = names.hf_tensor_name(arch, tensor.name)
        if hf_name is None:
            raise ModelFileError(f"{path}: unexpected tensor {tensor.name!r} for {arch}")
        by_hf_name[hf_name] = tensor
    return by_hf_name


def _dequantize(path: str | os.PathLike, tensor: ReaderTensor) -> np.ndarray:
    """Float32 array in torch order (out, in) from a (possibly quantized) GGUF tensor."""
    torch_shape = tuple(int(d) for d in reversed(tensor.shape.tolist()))
    try:
        if is_quantized(tensor):
            weights = dequantize_blocks(tensor.data, tensor.tensor_type, torch_shape[-1])
        else:
            weights = dequantize(tensor.data, tensor.tensor_type)
    except NotImplementedError as exc:
        raise ModelFileError(
            f"{path}: tensor {tensor.name!r} has type {tensor.tensor_type.name}, "
            "which the gguf package cannot dequantize"
        ) from exc
    except (ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: tensor {tensor.name!r} is malformed ({exc})") from exc
    if tensor.tensor_type == GGMLQuantizationType.F32:
        weights = np.array(weights)  # a view into the read-only memmap; torch needs it owned
    return weights.reshape(torch_shape)


def _rotary_heads(hf_name: str, config: dict[str, Any]) -> int:
    # k_proj has num_key_value_heads heads under GQA; q_proj has all of them.
    if hf_name.endswith("k_proj.weight"):
        return config["num_key_value_heads"]
    return config["num_attention_heads"]


def _head_dim(arch: str, metadata: dict[str, Any], config: dict[str, Any]) -> int:
    if f"{arch}.attention.key_length" in metadata:
        return metadata[f"{arch}.attention.key_length"]
    # llama rotates the whole head, so llama.cpp's rope.dimension_count is the head size.
    if arch == "llama" and f"{arch}.rope.dimension_count" in metadata:
        return metadata[f"{arch}.rope.dimension_count"]
    return config["hidden_size"] // config["num_attention_heads"]


def _rope_scaling(arch: str, metadata: dict[str, Any]) -> dict[str, Any] | None:
    prefix = f"{arch}.rope.scaling."
    kind = metadata.get(prefix + "type")
    if kind in (None, "none"):
        return None
    return {
        hf_key: metadata[prefix + gguf_key]
        for gguf_key, hf_key in names.ROPE_SCALING_KEYS.items()
        if prefix + gguf_key in metadata
    }


def _vocab_size(arch: str, metadata: dict[str, Any], tensors: dict[str, ReaderTensor]) -> int:
    if f"{arch}.vocab_size" in metadata:
        return metadata[f"{arch}.vocab_size"]
    if "model.embed_tokens.weight" in tensors:
        return int(tensors["model.embed_tokens.weight"].shape[1])  # ggml dims: (in, out)
    return len(metadata.get("tokenizer.ggml.tokens", []))
