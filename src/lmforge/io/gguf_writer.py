"""Write an HF-style checkpoint (config dict + state dict) as a GGUF file for llama.cpp.

The inverse of `gguf_reader.py`: rename HF parameters to GGUF tensor names, re-apply
llama.cpp's rotary row permutation to llama q/k projections, store 2-D weights as F32, F16 or
a block format (Q8_0, Q4_0, Q4_1, Q4_K in llama.cpp's mix of types: `gguf_quantize.py`;
norms and biases stay F32, as llama.cpp's own converter does, because they are tiny and
precision-sensitive), and write the architecture and tokenizer metadata llama.cpp reads.
The file appears atomically: written to a temporary sibling, then renamed.

Test: pytest tests/io/test_gguf_writer.py tests/io/test_gguf_writer_quant.py
"""

import os
from typing import Any

import numpy as np
import torch
from gguf import GGUFValueType, GGUFWriter, LlamaFileType, RopeScalingType

from lmforge.atomic import atomic_path
from lmforge.errors import ConfigError, UnknownArchitectureError
from lmforge.io import gguf_names as names
from lmforge.io.gguf_quantize import FILE_TYPES, quantize, tensor_types
from lmforge.io.gguf_reader import permute_qk


def write_gguf(
    path: str | os.PathLike,
    hf_config: dict[str, Any],
    state_dict: dict[str, torch.Tensor],
    tokenizer_metadata: dict[str, Any],
    *,
    dtype: str = "f16",
    name: str | None = None,
) -> dict[str, str]:
    """Write `state_dict` (HF names) with `hf_config` and GGUF tokenizer metadata to `path`;
    returns each GGUF tensor's stored type ({"blk.0.attn_q.weight": "Q4_0", ...})."""
    if dtype not in FILE_TYPES:
        raise ConfigError(f"GGUF dtype {dtype!r} is not supported; choose from "
                          f"{', '.join(FILE_TYPES)}")
    file_type = FILE_TYPES[dtype][2]
    arch = _architecture(hf_config)
    tensors = _gguf_tensors(arch, hf_config, state_dict)
    types = tensor_types({n: a.shape for n, a in tensors.items()}, dtype)
    with atomic_path(path) as tmp:
        writer = GGUFWriter(tmp, arch)
        if name is not None:
            writer.add_name(name)
        _add_architecture_metadata(writer, hf_config, file_type)
        _add_tokenizer_metadata(writer, tokenizer_metadata)
        for gguf_name in list(tensors):
            # quantize one tensor at a time, dropping its float copy as it goes
            stored = quantize(tensors.pop(gguf_name), types[gguf_name])
            writer.add_tensor(gguf_name, stored, raw_dtype=types[gguf_name])
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    return {gguf_name: kind.name for gguf_name, kind in types.items()}


def _architecture(hf_config: dict[str, Any]) -> str:
    model_type = hf_config.get("model_type")
    for arch, hf_type in names.HF_MODEL_TYPES.items():
        if hf_type == model_type:
            return arch
    raise UnknownArchitectureError(
        f"cannot write GGUF for model_type {model_type!r}; "
        f"supported: {', '.join(names.HF_MODEL_TYPES.values())}"
    )


def _gguf_tensors(
    arch: str, hf_config: dict[str, Any], state_dict: dict[str, torch.Tensor]
) -> dict[str, np.ndarray]:
    """GGUF name -> float32 numpy array, rows permuted where llama.cpp expects it."""
    tensors = {}
    for hf_name, tensor in state_dict.items():
        # A tied LM head is the embedding matrix; llama.cpp reuses token_embd when output is absent.
        if hf_name == "lm_head.weight" and hf_config.get("tie_word_embeddings"):
            continue
        gguf_name = names.gguf_tensor_name(arch, hf_name)
        if gguf_name is None:
            raise ConfigError(f"parameter {hf_name!r} has no GGUF name for architecture {arch}")
        array = tensor.detach().to(torch.float32).cpu().numpy()
        if arch == "llama" and hf_name.endswith(("q_proj.weight", "k_proj.weight")):
            heads_key = "num_key_value_heads" if "k_proj" in hf_name else "num_attention_heads"
            array = permute_qk(array, hf_config[heads_key])
        tensors[gguf_name] = array
    return tensors


def _add_architecture_metadata(
    writer: GGUFWriter, hf_config: dict[str, Any], file_type: LlamaFileType
) -> None:
    c = hf_config
    n_head = c["num_attention_heads"]
    head_dim = c.get("head_dim") or c["hidden_size"] // n_head
    writer.add_context_length(c["max_position_embeddings"])
    writer.add_embedding_length(c["hidden_size"])
    writer.add_block_count(c["num_hidden_layers"])
    writer.add_feed_forward_length(c["intermediate_size"])
    writer.add_head_count(n_head)
    writer.add_head_count_kv(c.get("num_key_value_heads") or n_head)
    writer.add_rope_freq_base(_rope_theta(c))
    writer.add_layer_norm_rms_eps(c["rms_norm_eps"])
    writer.add_vocab_size(c["vocab_size"])
    writer.add_rope_dimension_count(head_dim)
    if head_dim != c["hidden_size"] // n_head:
        # llama.cpp assumes hidden_size / n_head unless told otherwise.
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    writer.add_file_type(file_type)
    _add_rope_scaling(writer, c.get("rope_scaling"))


def _rope_theta(hf_config: dict[str, Any]) -> float:
    # transformers >= 5 folds rope_theta into rope_parameters when it serialises a config.
    if "rope_theta" in hf_config:
        return float(hf_config["rope_theta"])
    return float((hf_config.get("rope_parameters") or {}).get("rope_theta", 10000.0))


def _add_rope_scaling(writer: GGUFWriter, rope_scaling: dict[str, Any] | None) -> None:
    kind = (rope_scaling or {}).get("rope_type") or (rope_scaling or {}).get("type")
    if kind in (None, "default"):
        return
    if kind not in ("linear", "yarn"):
        raise ConfigError(f"rope_scaling type {kind!r} cannot be written to GGUF (linear, yarn)")
    writer.add_rope_scaling_type(RopeScalingType(kind))
    writer.add_rope_scaling_factor(float(rope_scaling["factor"]))
    if "original_max_position_embeddings" in rope_scaling:
        writer.add_rope_scaling_orig_ctx_len(rope_scaling["original_max_position_embeddings"])


def _add_tokenizer_metadata(writer: GGUFWriter, tokenizer_metadata: dict[str, Any]) -> None:
    for key, value in tokenizer_metadata.items():
        if not key.startswith("tokenizer."):
            raise ConfigError(f"tokenizer metadata key {key!r} does not start with 'tokenizer.'")
        if key in names.TOKENIZER_VALUE_TYPES:
            vtype, sub_type = names.TOKENIZER_VALUE_TYPES[key]
        else:
            # A key outside our table: let gguf infer the type from the Python value.
            vtype = GGUFValueType.get_type(value)
            sub_type = None
        writer.add_key_value(key, value, vtype, sub_type)
