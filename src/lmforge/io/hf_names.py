"""Rename tables between Hugging Face parameter names and lmforge's, one per family.

Each rule maps an HF name to lmforge name(s); `{i}` stands for a layer index, `{j}` for an
expert's. Most rules copy the tensor. GPT-2 stores its linears as `Conv1D` (weight
transposed: (in, out)) and fuses q, k, v into one `c_attn`; mixture-of-experts checkpoints
keep each expert's linears apart (the hub's files, and what transformers 5 saves by default)
or stacked (transformers 5 in memory: `experts.gate_up_proj` (n, 2I, C), `experts.down_proj`
(n, C, I)), while lmforge stacks them as gate_proj, up_proj (n, I, C) and down_proj (n, C, I):
    "t"        transpose on the way in and out
    "qkv_t"    transpose, then split into three (and concatenate back on export)
    "stack"    expert j's matrix is row j of one stacked tensor (and is split back on export)
    "gate_up"  split (n, 2I, C) into gate (n, I, C) and up (n, I, C); read only (export=False)

Keys in IGNORED exist in HF checkpoints but carry nothing lmforge uses (buffers, tied copies,
BERT's classification pooler).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    hf: str
    ours: str | tuple[str, ...]
    kind: str = "copy"
    gated: bool | None = None
    """Export this rule only for gated (True) or plain (False) MLPs; None: always."""
    export: bool = True
    """False: a second spelling read on load, never written (export uses the first)."""


_LLAMA_LAYER = "model.layers.{i}"
_OURS_DEC = "decoder.layers.{i}"
LLAMA = [
    Rule("model.embed_tokens.weight", "embed.tokens.weight"),
    *[Rule(f"{_LLAMA_LAYER}.self_attn.{p}_proj.{w}", f"{_OURS_DEC}.attn.{p}_proj.{w}")
      for p in "qkvo" for w in ("weight", "bias")],
    *[Rule(f"{_LLAMA_LAYER}.mlp.{p}_proj.{w}", f"{_OURS_DEC}.mlp.{p}_proj.{w}")
      for p in ("gate", "up", "down") for w in ("weight", "bias")],
    # Qwen3's per-head q/k norms (absent from Llama and Qwen2 checkpoints)
    *[Rule(f"{_LLAMA_LAYER}.self_attn.{p}_norm.weight", f"{_OURS_DEC}.attn.{p}_norm.weight")
      for p in "qk"],
    Rule(f"{_LLAMA_LAYER}.input_layernorm.weight", f"{_OURS_DEC}.attn_norm.weight"),
    Rule(f"{_LLAMA_LAYER}.post_attention_layernorm.weight", f"{_OURS_DEC}.mlp_norm.weight"),
    Rule("model.norm.weight", "decoder.norm.weight"),
    Rule("lm_head.weight", "lm_head.weight"),
]


def _experts(hf_mlp: str, per_expert: dict[str, str]) -> list[Rule]:
    """Expert rules for one family: `per_expert` maps each expert's HF linear name (under
    `hf_mlp.experts.{j}.`) to lmforge's stacked tensor; transformers 5's stacked spelling is
    read too."""
    hf, ours = f"{_LLAMA_LAYER}.{hf_mlp}", f"{_OURS_DEC}.mlp"
    stacked = f"{_LLAMA_LAYER}.mlp.experts"  # transformers 5 renames block_sparse_moe to mlp
    return [
        *[Rule(f"{hf}.experts.{{j}}.{name}.weight", f"{ours}.experts.{proj}", "stack")
          for name, proj in per_expert.items()],
        Rule(f"{stacked}.gate_up_proj", (f"{ours}.experts.gate_proj", f"{ours}.experts.up_proj"),
             "gate_up", export=False),
        Rule(f"{stacked}.down_proj", f"{ours}.experts.down_proj", export=False),
    ]


MIXTRAL = [
    *LLAMA,
    Rule(f"{_LLAMA_LAYER}.block_sparse_moe.gate.weight", f"{_OURS_DEC}.mlp.router.weight"),
    Rule(f"{_LLAMA_LAYER}.mlp.gate.weight", f"{_OURS_DEC}.mlp.router.weight", export=False),
    *_experts("block_sparse_moe", {"w1": "gate_proj", "w3": "up_proj", "w2": "down_proj"}),
]

QWEN2_MOE = [
    *LLAMA,
    Rule(f"{_LLAMA_LAYER}.mlp.gate.weight", f"{_OURS_DEC}.mlp.router.weight"),
    *_experts("mlp", {p: p for p in ("gate_proj", "up_proj", "down_proj")}),
    *[Rule(f"{_LLAMA_LAYER}.mlp.shared_expert.{p}.weight",
           f"{_OURS_DEC}.mlp.shared_expert.{p}.weight")
      for p in ("gate_proj", "up_proj", "down_proj")],
    Rule(f"{_LLAMA_LAYER}.mlp.shared_expert_gate.weight",
         f"{_OURS_DEC}.mlp.shared_expert_gate.weight"),
]

_MAMBA_LAYER = "backbone.layers.{i}"
_MIXER = ("A_log", "D", "conv1d.weight", "conv1d.bias", "in_proj.weight", "in_proj.bias",
          "x_proj.weight", "dt_proj.weight", "dt_proj.bias", "out_proj.weight", "out_proj.bias")
MAMBA = [
    Rule("backbone.embeddings.weight", "embed.tokens.weight"),
    Rule(f"{_MAMBA_LAYER}.norm.weight", f"{_OURS_DEC}.norm.weight"),
    *[Rule(f"{_MAMBA_LAYER}.mixer.{p}", f"{_OURS_DEC}.mixer.{p}") for p in _MIXER],
    Rule("backbone.norm_f.weight", "decoder.norm.weight"),
    Rule("lm_head.weight", "lm_head.weight"),
]

_GPT2_LAYER = "h.{i}"
GPT2 = [
    Rule("wte.weight", "embed.tokens.weight"),
    Rule("wpe.weight", "embed.positions.weight"),
    *[Rule(f"{_GPT2_LAYER}.ln_1.{w}", f"{_OURS_DEC}.attn_norm.{w}") for w in ("weight", "bias")],
    Rule(f"{_GPT2_LAYER}.attn.c_attn.weight",
         tuple(f"{_OURS_DEC}.attn.{p}_proj.weight" for p in "qkv"), "qkv_t"),
    Rule(f"{_GPT2_LAYER}.attn.c_attn.bias",
         tuple(f"{_OURS_DEC}.attn.{p}_proj.bias" for p in "qkv"), "qkv_t"),
    Rule(f"{_GPT2_LAYER}.attn.c_proj.weight", f"{_OURS_DEC}.attn.o_proj.weight", "t"),
    Rule(f"{_GPT2_LAYER}.attn.c_proj.bias", f"{_OURS_DEC}.attn.o_proj.bias"),
    *[Rule(f"{_GPT2_LAYER}.ln_2.{w}", f"{_OURS_DEC}.mlp_norm.{w}") for w in ("weight", "bias")],
    Rule(f"{_GPT2_LAYER}.mlp.c_fc.weight", f"{_OURS_DEC}.mlp.up_proj.weight", "t"),
    Rule(f"{_GPT2_LAYER}.mlp.c_fc.bias", f"{_OURS_DEC}.mlp.up_proj.bias"),
    # GPT-2 has no gated MLP; a GPT-2 block with SwiGLU (recipes/char-shakespeare.yaml) is
    # lmforge-only (its config.json says so), and its gate needs a name to be saved at all
    Rule(f"{_GPT2_LAYER}.mlp.c_gate.weight", f"{_OURS_DEC}.mlp.gate_proj.weight", "t",
         gated=True),
    Rule(f"{_GPT2_LAYER}.mlp.c_gate.bias", f"{_OURS_DEC}.mlp.gate_proj.bias", gated=True),
    Rule(f"{_GPT2_LAYER}.mlp.c_proj.weight", f"{_OURS_DEC}.mlp.down_proj.weight", "t"),
    Rule(f"{_GPT2_LAYER}.mlp.c_proj.bias", f"{_OURS_DEC}.mlp.down_proj.bias"),
    *[Rule(f"ln_f.{w}", f"decoder.norm.{w}") for w in ("weight", "bias")],
    Rule("lm_head.weight", "lm_head.weight"),
]

_BERT_LAYER = "encoder.layer.{i}"
_OURS_ENC = "encoder.layers.{i}"
_BERT_LINEARS = {
    "attention.self.query": "attn.q_proj", "attention.self.key": "attn.k_proj",
    "attention.self.value": "attn.v_proj", "attention.output.dense": "attn.o_proj",
    "attention.output.LayerNorm": "attn_norm", "intermediate.dense": "mlp.up_proj",
    "output.dense": "mlp.down_proj", "output.LayerNorm": "mlp_norm",
}
BERT = [
    Rule("embeddings.word_embeddings.weight", "embed.tokens.weight"),
    Rule("embeddings.position_embeddings.weight", "embed.positions.weight"),
    Rule("embeddings.token_type_embeddings.weight", "embed.token_types.weight"),
    *[Rule(f"embeddings.LayerNorm.{w}", f"embed.norm.{w}") for w in ("weight", "bias")],
    *[Rule(f"{_BERT_LAYER}.{hf}.{w}", f"{_OURS_ENC}.{ours}.{w}")
      for hf, ours in _BERT_LINEARS.items() for w in ("weight", "bias")],
    *[Rule(f"cls.predictions.transform.dense.{w}", f"mlm_head.dense.{w}")
      for w in ("weight", "bias")],
    *[Rule(f"cls.predictions.transform.LayerNorm.{w}", f"mlm_head.norm.{w}")
      for w in ("weight", "bias")],
    Rule("cls.predictions.bias", "mlm_head.bias"),
]


def _t5_stack(side: str, ours: str, cross: bool) -> list[Rule]:
    """T5 numbers sublayers: 0 self-attention, (1 cross-attention,) then the feed-forward."""
    hf, ff = f"{side}.block.{{i}}.layer", 2 if cross else 1
    rules = [Rule(f"{hf}.0.SelfAttention.{p}.weight", f"{ours}.attn.{p}_proj.weight")
             for p in "qkvo"]
    rules.append(Rule(f"{hf}.0.layer_norm.weight", f"{ours}.attn_norm.weight"))
    if cross:
        rules += [Rule(f"{hf}.1.EncDecAttention.{p}.weight", f"{ours}.cross_attn.{p}_proj.weight")
                  for p in "qkvo"]
        rules.append(Rule(f"{hf}.1.layer_norm.weight", f"{ours}.cross_norm.weight"))
    rules += [
        # T5 names the up projection `wi`, or `wi_0` (gate) + `wi_1` (up) when gated
        Rule(f"{hf}.{ff}.DenseReluDense.wi.weight", f"{ours}.mlp.up_proj.weight", gated=False),
        Rule(f"{hf}.{ff}.DenseReluDense.wi_0.weight", f"{ours}.mlp.gate_proj.weight"),
        Rule(f"{hf}.{ff}.DenseReluDense.wi_1.weight", f"{ours}.mlp.up_proj.weight", gated=True),
        Rule(f"{hf}.{ff}.DenseReluDense.wo.weight", f"{ours}.mlp.down_proj.weight"),
        Rule(f"{hf}.{ff}.layer_norm.weight", f"{ours}.mlp_norm.weight"),
        Rule(f"{side}.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
             f"{side}.relative_bias.weight"),
        Rule(f"{side}.final_layer_norm.weight", f"{side}.norm.weight"),
    ]
    return rules


T5 = [
    Rule("shared.weight", "embed.tokens.weight"),
    *_t5_stack("encoder", _OURS_ENC, cross=False),
    *_t5_stack("decoder", _OURS_DEC, cross=True),
    Rule("lm_head.weight", "lm_head.weight"),
]

TABLES = {"llama": LLAMA, "qwen2": LLAMA, "qwen3": LLAMA, "mixtral": MIXTRAL,
          "qwen2_moe": QWEN2_MOE, "mamba": MAMBA, "gpt2": GPT2, "bert": BERT, "t5": T5}

# Prefixes some HF heads put before the base model's names (stripped on load).
PREFIXES = {"gpt2": "transformer.", "bert": "bert."}

IGNORED_SUFFIXES = (
    ".attn.bias", ".attn.masked_bias",  # GPT-2's causal-mask buffers
    "embeddings.position_ids",  # BERT's arange buffer
    "encoder.embed_tokens.weight", "decoder.embed_tokens.weight",  # T5's tied copies
    "cls.predictions.decoder.weight", "cls.predictions.decoder.bias",  # tied to embeddings
    "pooler.dense.weight", "pooler.dense.bias",  # BERT's [CLS] classifier, unused here
)
