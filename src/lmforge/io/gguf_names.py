"""GGUF <-> Hugging Face name tables for the llama and qwen2 architectures.

GGUF (llama.cpp's file format) names tensors `blk.N.attn_q.weight` where Hugging Face says
`model.layers.N.self_attn.q_proj.weight`, and stores the config as metadata keys such as
`llama.embedding_length` where HF's `config.json` says `hidden_size`. This file holds those
tables and the two lookups built on them; `gguf_reader.py` and `gguf_writer.py` hold the logic.
Tested through tests/io/test_gguf_reader.py and tests/io/test_gguf_writer.py.
"""

import re

from gguf import GGUFValueType

# general.architecture -> what HF's config.json calls the model.
HF_MODEL_TYPES = {"llama": "llama", "qwen2": "qwen2"}
HF_ARCHITECTURES = {"llama": "LlamaForCausalLM", "qwen2": "Qwen2ForCausalLM"}
SUPPORTED_ARCHITECTURES = tuple(HF_MODEL_TYPES)

# Tensors outside the transformer blocks (GGUF stem -> HF prefix; ".weight" is appended).
GLOBAL_TENSORS = {
    "token_embd": "model.embed_tokens",
    "output_norm": "model.norm",
    "output": "lm_head",
}

# Tensors inside block N (GGUF stem -> HF suffix after "model.layers.N.").
LAYER_TENSORS = {
    "attn_norm": "input_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_norm": "post_attention_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}

# Which (stem, kind) pairs each architecture may carry. Qwen2 adds biases to q/k/v.
_WEIGHTS = {(stem, "weight") for stem in (*GLOBAL_TENSORS, *LAYER_TENSORS)}
ALLOWED_TENSORS = {
    "llama": _WEIGHTS,
    "qwen2": _WEIGHTS | {("attn_q", "bias"), ("attn_k", "bias"), ("attn_v", "bias")},
}

# Tensors llama.cpp derives from the config (llama-3 rope frequency factors); HF has no
# parameter for them, so the reader skips them.
DERIVED_TENSORS = {"rope_freqs.weight"}

# "{arch}.<key>" metadata -> HF config key. Both architectures share the llama layout.
ARCH_CONFIG_KEYS = {
    "context_length": "max_position_embeddings",
    "embedding_length": "hidden_size",
    "block_count": "num_hidden_layers",
    "feed_forward_length": "intermediate_size",
    "attention.head_count": "num_attention_heads",
    "attention.head_count_kv": "num_key_value_heads",
    "rope.freq_base": "rope_theta",
    "attention.layer_norm_rms_epsilon": "rms_norm_eps",
}
REQUIRED_CONFIG_KEYS = (
    "embedding_length",
    "block_count",
    "feed_forward_length",
    "attention.head_count",
)

# "{arch}.rope.scaling.<key>" -> key inside HF's rope_scaling dict.
ROPE_SCALING_KEYS = {
    "type": "rope_type",
    "factor": "factor",
    "original_context_length": "original_max_position_embeddings",
}

# Special-token ids: GGUF tokenizer metadata -> HF config key.
TOKEN_ID_KEYS = {
    "tokenizer.ggml.bos_token_id": "bos_token_id",
    "tokenizer.ggml.eos_token_id": "eos_token_id",
    "tokenizer.ggml.padding_token_id": "pad_token_id",
}

# GGUF value type of each tokenizer key (value type, element type for arrays). GGUF is typed
# and llama.cpp checks types, so "add_bos_token" must be BOOL and ids UINT32, not a guess.
TOKENIZER_VALUE_TYPES: dict[str, tuple[GGUFValueType, GGUFValueType | None]] = {
    "tokenizer.ggml.model": (GGUFValueType.STRING, None),
    "tokenizer.ggml.pre": (GGUFValueType.STRING, None),
    "tokenizer.ggml.tokens": (GGUFValueType.ARRAY, GGUFValueType.STRING),
    "tokenizer.ggml.token_type": (GGUFValueType.ARRAY, GGUFValueType.INT32),
    "tokenizer.ggml.scores": (GGUFValueType.ARRAY, GGUFValueType.FLOAT32),
    "tokenizer.ggml.merges": (GGUFValueType.ARRAY, GGUFValueType.STRING),
    "tokenizer.ggml.bos_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.eos_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.unknown_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.seperator_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.padding_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.eot_token_id": (GGUFValueType.UINT32, None),
    "tokenizer.ggml.add_bos_token": (GGUFValueType.BOOL, None),
    "tokenizer.ggml.add_eos_token": (GGUFValueType.BOOL, None),
    "tokenizer.ggml.add_space_prefix": (GGUFValueType.BOOL, None),
    "tokenizer.chat_template": (GGUFValueType.STRING, None),
}

_LAYER_RE = re.compile(r"blk\.(\d+)\.(\w+)\.(weight|bias)")
_HF_LAYER_RE = re.compile(r"model\.layers\.(\d+)\.(.+)\.(weight|bias)")
_HF_TO_LAYER = {hf: stem for stem, hf in LAYER_TENSORS.items()}
_HF_TO_GLOBAL = {hf: stem for stem, hf in GLOBAL_TENSORS.items()}


def hf_tensor_name(arch: str, gguf_name: str) -> str | None:
    """HF parameter name for a GGUF tensor name, or None if `arch` has no such tensor."""
    if m := _LAYER_RE.fullmatch(gguf_name):
        layer, stem, kind = m.groups()
        if stem in LAYER_TENSORS and (stem, kind) in ALLOWED_TENSORS[arch]:
            return f"model.layers.{layer}.{LAYER_TENSORS[stem]}.{kind}"
        return None
    stem, _, kind = gguf_name.rpartition(".")
    if stem in GLOBAL_TENSORS and (stem, kind) in ALLOWED_TENSORS[arch]:
        return f"{GLOBAL_TENSORS[stem]}.{kind}"
    return None


def gguf_tensor_name(arch: str, hf_name: str) -> str | None:
    """GGUF tensor name for an HF parameter name, or None if `arch` has no such tensor."""
    if m := _HF_LAYER_RE.fullmatch(hf_name):
        layer, suffix, kind = m.groups()
        stem = _HF_TO_LAYER.get(suffix)
        name = f"blk.{layer}.{stem}.{kind}"
    else:
        prefix, _, kind = hf_name.rpartition(".")
        stem = _HF_TO_GLOBAL.get(prefix)
        name = f"{stem}.{kind}"
    if stem is None or (stem, kind) not in ALLOWED_TENSORS[arch]:
        return None
    return name
