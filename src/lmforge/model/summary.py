"""What a model is and what it costs: architecture, parameter count, memory.

Weights take parameters x bytes per value; the KV cache takes, per token,
2 (k and v) x layers x kv_heads x head_dim values, which is why GQA matters at long context.
A state-space model (Mamba) has no KV cache: per sequence it keeps layers x channels x
(conv_kernel - 1 + state_size) values, whatever the context length.
"""

from typing import Any

from lmforge.model.transformer import Transformer

BYTES = {"fp32": 4, "bf16": 2, "fp16": 2, "int8": 1, "int4": 0.5}


def summarize(model: Transformer) -> dict[str, Any]:
    c = model.config
    n_params = model.num_parameters()
    kv_per_token = 2 * c.num_hidden_layers * c.num_key_value_heads * c.head_dim
    summary = {
        "architecture": c.arch,
        "kind": c.kind,
        "parameters": n_params,
        "parameters_without_embeddings": model.num_parameters(exclude_embeddings=True),
        "layers": c.num_hidden_layers,
        "hidden_size": c.hidden_size,
        "attention": f"{c.num_attention_heads} query heads, {c.num_key_value_heads} kv heads, "
                     f"head_dim {c.head_dim}",
        "ffn": f"{c.mlp} ({c.activation}), intermediate {c.intermediate_size}",
        "norm": f"{c.norm} ({c.norm_position}-norm)",
        "positions": c.position + (f" (theta {c.rope_theta:g})" if c.position == "rope" else ""),
        "vocab_size": c.vocab_size,
        "context_length": c.max_position_embeddings,
        "tied_embeddings": c.tie_word_embeddings,
        "weights_memory_mb": {k: round(n_params * b / 2**20, 1) for k, b in BYTES.items()},
        "kv_cache_kb_per_token_fp32": round(kv_per_token * 4 / 1024, 1),
    }
    if c.is_recurrent:  # no attention, no feed-forward, no KV cache: a scan over a state
        for key in ("attention", "ffn", "kv_cache_kb_per_token_fp32"):
            del summary[key]
        summary["mixer"] = (f"selective scan: {c.intermediate_size} channels x state "
                            f"{c.state_size}, conv {c.conv_kernel}")
        state = c.num_hidden_layers * c.intermediate_size * (c.conv_kernel - 1 + c.state_size)
        summary["state_kb_per_sequence_fp32"] = round(state * 4 / 1024, 1)
    return summary
