"""Hugging Face `config.json` <-> `ModelConfig`, for each family lmforge knows.

Each family names the same sizes differently (GPT-2's `n_embd` is Llama's `hidden_size`
and T5's `d_model`); this file is the one place that knows those spellings. Qwen3 is Llama
with q/k norms; Mixtral and Qwen2-MoE are Llama with a mixture of experts (model/moe.py):
Mixtral renormalises its top-k weights, Qwen2-MoE says whether in `norm_topk_prob` and adds
a gated shared expert. Mamba has no attention: its state-space sizes are its own keys.

Test: pytest tests/model/test_parity_hf.py tests/io/test_qwen3.py tests/io/test_moe_families.py
tests/model/test_mamba.py
"""

from dataclasses import fields
from typing import Any

from lmforge.errors import ConfigError, UnknownArchitectureError
from lmforge.model.config import ModelConfig

ACTIVATION_NAMES = {"gelu": "gelu", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh",
                    "gelu_fast": "gelu_tanh", "relu": "relu", "silu": "silu", "swish": "silu"}
SUPPORTED = ("gpt2", "llama", "qwen2", "qwen3", "mixtral", "qwen2_moe", "mamba", "bert", "t5")


def _activation(name: str) -> str:
    if name not in ACTIVATION_NAMES:
        raise ConfigError(f"unsupported activation {name!r}")
    return ACTIVATION_NAMES[name]


def _special_ids(hf: dict) -> dict[str, Any]:
    return {k: hf.get(k) for k in ("bos_token_id", "eos_token_id", "pad_token_id")}


def _rope(hf: dict) -> tuple[float, dict | None]:
    """RoPE theta and scaling from either transformers 4 (`rope_theta`, `rope_scaling`) or 5
    (`rope_parameters`) spelling."""
    params = dict(hf.get("rope_parameters") or hf.get("rope_scaling") or {})
    theta = float(params.pop("rope_theta", hf.get("rope_theta", 10000.0)))
    kind = params.get("rope_type", params.get("type", "default"))
    return theta, (params if kind != "default" else None)


def from_gpt2(hf: dict) -> ModelConfig:
    return ModelConfig(
        arch="gpt2", kind="decoder", vocab_size=hf["vocab_size"], hidden_size=hf["n_embd"],
        num_hidden_layers=hf["n_layer"], num_attention_heads=hf["n_head"],
        intermediate_size=hf.get("n_inner") or 4 * hf["n_embd"],
        max_position_embeddings=hf["n_positions"], norm="layernorm",
        norm_eps=hf.get("layer_norm_epsilon", 1e-5), position="learned", mlp="gelu",
        activation=_activation(hf.get("activation_function", "gelu_new")),
        attention_bias=True, attention_out_bias=True, mlp_bias=True,
        tie_word_embeddings=hf.get("tie_word_embeddings", True), **_special_ids(hf),
    )


def from_llama(hf: dict) -> ModelConfig:
    return ModelConfig(**_llama_fields(hf))


def _llama_fields(hf: dict) -> dict[str, Any]:
    """The Llama-family fields (llama, qwen2, qwen3 and the MoE families built on them)."""
    theta, scaling = _rope(hf)
    model_type = hf["model_type"]
    # Qwen2 (and Qwen2-MoE: `qkv_bias`) put a bias on q, k, v only; Llama's attention_bias
    # (and Qwen3's) covers o_proj too
    qkv_only = {"qwen2": True, "qwen2_moe": hf.get("qkv_bias", True)}.get(model_type)
    bias = qkv_only if qkv_only is not None else hf.get("attention_bias", False)
    return dict(
        arch=model_type, kind="decoder", vocab_size=hf["vocab_size"],
        hidden_size=hf["hidden_size"], num_hidden_layers=hf["num_hidden_layers"],
        num_attention_heads=hf["num_attention_heads"],
        num_key_value_heads=hf.get("num_key_value_heads"), head_dim=hf.get("head_dim"),
        intermediate_size=hf["intermediate_size"],
        max_position_embeddings=hf.get("max_position_embeddings", 2048), norm="rmsnorm",
        norm_eps=hf.get("rms_norm_eps", 1e-6), position="rope", rope_theta=theta,
        rope_scaling=scaling, mlp="swiglu", activation=_activation(hf.get("hidden_act", "silu")),
        attention_bias=bias, attention_out_bias=qkv_only is None and bias,
        mlp_bias=hf.get("mlp_bias", False), qk_norm=model_type == "qwen3",
        tie_word_embeddings=hf.get("tie_word_embeddings", False), **_special_ids(hf),
    )


def from_qwen3(hf: dict) -> ModelConfig:
    _refuse_sliding_window(hf)
    return from_llama(hf)


def from_mixtral(hf: dict) -> ModelConfig:
    """Every layer sparse: 8 experts of intermediate_size, top-2, weights renormalised."""
    _refuse_sliding_window(hf)
    return ModelConfig(
        **_llama_fields(hf), num_experts=hf["num_local_experts"],
        num_experts_per_tok=hf.get("num_experts_per_tok", 2),
        moe_intermediate_size=hf["intermediate_size"], norm_topk_prob=True,
        router_aux_loss_coef=hf.get("router_aux_loss_coef", 0.001), router_z_loss_coef=0.0)


def from_qwen2_moe(hf: dict) -> ModelConfig:
    """Routed experts of moe_intermediate_size plus one gated shared expert per layer."""
    _refuse_sliding_window(hf)
    dense = sorted(hf.get("mlp_only_layers") or [])
    step = hf.get("decoder_sparse_step", 1)
    if dense or step != 1:
        raise ConfigError(
            f"unsupported expert layout: lmforge builds experts in every layer, this "
            f"checkpoint has dense layers (mlp_only_layers {dense}, decoder_sparse_step {step})")
    return ModelConfig(
        **_llama_fields(hf), num_experts=hf["num_experts"],
        num_experts_per_tok=hf.get("num_experts_per_tok", 4),
        moe_intermediate_size=hf["moe_intermediate_size"],
        shared_expert_intermediate_size=hf["shared_expert_intermediate_size"],
        norm_topk_prob=hf.get("norm_topk_prob", False),
        router_aux_loss_coef=hf.get("router_aux_loss_coef", 0.001), router_z_loss_coef=0.0)


def _refuse_sliding_window(hf: dict) -> None:
    """Mixtral sets `sliding_window`; Qwen turns it on with `use_sliding_window`."""
    window = hf.get("sliding_window")
    on = hf.get("use_sliding_window", window is not None)
    if on and window is not None:
        raise ConfigError(f"sliding-window attention (sliding_window {window}) is not "
                          f"supported for {hf['model_type']}")


def from_mamba(hf: dict) -> ModelConfig:
    """transformers' MambaConfig: D = expand * hidden_size channels, each with a state of
    state_size. It has no attention; the two attention-shaped keys lmforge writes
    (config_to_hf) are read back so a saved model's config round-trips."""
    rank = hf.get("time_step_rank", "auto")
    return ModelConfig(
        arch="mamba", kind="decoder", vocab_size=hf["vocab_size"], hidden_size=hf["hidden_size"],
        num_hidden_layers=hf["num_hidden_layers"],
        num_attention_heads=hf.get("num_attention_heads", 1),
        intermediate_size=hf.get("expand", 2) * hf["hidden_size"],
        max_position_embeddings=hf.get("max_position_embeddings", 2048), norm="rmsnorm",
        norm_eps=hf.get("layer_norm_epsilon", 1e-5), position="none",
        activation=_activation(hf.get("hidden_act", "silu")), mlp_bias=hf.get("use_bias", False),
        state_size=hf.get("state_size", 16), conv_kernel=hf.get("conv_kernel", 4),
        time_step_rank=None if rank == "auto" else rank,
        use_conv_bias=hf.get("use_conv_bias", True),
        tie_word_embeddings=hf.get("tie_word_embeddings", True), **_special_ids(hf),
    )


def from_bert(hf: dict) -> ModelConfig:
    architectures = hf.get("architectures") or []
    return ModelConfig(
        arch="bert", kind="encoder", vocab_size=hf["vocab_size"], hidden_size=hf["hidden_size"],
        num_hidden_layers=hf["num_hidden_layers"], num_attention_heads=hf["num_attention_heads"],
        intermediate_size=hf["intermediate_size"],
        max_position_embeddings=hf["max_position_embeddings"], norm="layernorm",
        norm_eps=hf.get("layer_norm_eps", 1e-12), norm_position="post", embedding_norm=True,
        position="learned", type_vocab_size=hf.get("type_vocab_size", 2), mlp="gelu",
        activation=_activation(hf.get("hidden_act", "gelu")), attention_bias=True,
        attention_out_bias=True, mlp_bias=True, tie_word_embeddings=True,
        mlm_head="BertForMaskedLM" in architectures, **_special_ids(hf),
    )


def from_t5(hf: dict) -> ModelConfig:
    proj = hf.get("feed_forward_proj", "relu")
    is_gated = proj.startswith("gated-")
    act = "gelu_new" if proj == "gated-gelu" else proj.removeprefix("gated-")
    scale = hf.get("scale_decoder_outputs", hf.get("tie_word_embeddings", True) is not False)
    return ModelConfig(
        arch="t5", kind="encoder-decoder", vocab_size=hf["vocab_size"],
        hidden_size=hf["d_model"], num_hidden_layers=hf["num_layers"],
        num_decoder_layers=hf.get("num_decoder_layers"), num_attention_heads=hf["num_heads"],
        head_dim=hf["d_kv"], intermediate_size=hf["d_ff"],
        max_position_embeddings=hf.get("n_positions", 512), norm="rmsnorm",
        norm_eps=hf.get("layer_norm_epsilon", 1e-6), position="relative",
        relative_attention_num_buckets=hf.get("relative_attention_num_buckets", 32),
        relative_attention_max_distance=hf.get("relative_attention_max_distance", 128),
        mlp="geglu" if is_gated else "relu", activation=_activation(act), attention_scale=1.0,
        tie_word_embeddings=True, scale_decoder_output=scale,
        decoder_start_token_id=hf.get("decoder_start_token_id", 0), **_special_ids(hf),
    )


READERS = {"gpt2": from_gpt2, "llama": from_llama, "qwen2": from_llama, "qwen3": from_qwen3,
           "mixtral": from_mixtral, "qwen2_moe": from_qwen2_moe, "mamba": from_mamba,
           "bert": from_bert, "t5": from_t5}


def config_from_hf(hf: dict, source: str = "config.json") -> ModelConfig:
    """Translate an HF config.json dict into a ModelConfig (`source` names it in errors)."""
    model_type = hf.get("model_type")
    if model_type not in READERS:
        raise UnknownArchitectureError(
            f"unknown architecture {model_type!r} (model_type in {source}); "
            f"lmforge supports: {', '.join(SUPPORTED)}")
    try:
        return READERS[model_type](hf)
    except KeyError as e:
        raise ConfigError(f"{source} for {model_type} is missing the key {e.args[0]!r}") from e
    except (TypeError, ValueError) as e:  # "192" where a number belongs, named by ModelConfig
        raise ConfigError(f"{source}: {e}") from None


# Fields that decide the computation; metadata (token ids, dropout, extra) may differ.
# The router loss coefficients are training settings: they change no forward.
METADATA_FIELDS = ("dropout", "extra", "bos_token_id", "eos_token_id", "pad_token_id",
                    "decoder_start_token_id", "router_aux_loss_coef", "router_z_loss_coef")


def check_native_agrees(native: ModelConfig, hf: dict, native_source: str, hf_source: str
                        ) -> None:
    """lmforge writes its exact config (lmforge_config.json) beside HF's config.json. When a
    user edits one of them, the two disagree; refuse, naming the field, rather than silently
    follow one file while transformers follows the other."""
    if hf.get("model_type") not in READERS:
        return  # config.json only points at lmforge_config.json: nothing to disagree with
    derived = config_from_hf(hf, hf_source)
    for f in fields(ModelConfig):
        if f.name in METADATA_FIELDS:
            continue
        ours, theirs = getattr(native, f.name), getattr(derived, f.name)
        if ours != theirs:
            raise ConfigError(
                f"{hf_source} and {native_source} disagree on {f.name} ({theirs!r} vs "
                f"{ours!r}); make them agree, or delete {native_source} to use {hf_source}")


def config_to_hf(c: ModelConfig) -> dict[str, Any]:
    """A config.json that transformers opens with the matching model class."""
    ids = {"bos_token_id": c.bos_token_id, "eos_token_id": c.eos_token_id,
           "pad_token_id": c.pad_token_id}
    if c.arch == "gpt2":
        return {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"],
                "vocab_size": c.vocab_size, "n_embd": c.hidden_size,
                "n_layer": c.num_hidden_layers, "n_head": c.num_attention_heads,
                "n_inner": c.intermediate_size, "n_positions": c.max_position_embeddings,
                "layer_norm_epsilon": c.norm_eps, "activation_function": _hf_act(c.activation),
                "tie_word_embeddings": c.tie_word_embeddings, **ids}
    if c.arch in ("llama", "qwen2", "qwen3", "mixtral", "qwen2_moe"):
        return _llama_to_hf(c, ids)
    if c.arch == "mamba":
        return _mamba_to_hf(c, ids)
    if c.arch == "bert":
        return {"model_type": "bert",
                "architectures": ["BertForMaskedLM" if c.mlm_head else "BertModel"],
                "vocab_size": c.vocab_size, "hidden_size": c.hidden_size,
                "num_hidden_layers": c.num_hidden_layers,
                "num_attention_heads": c.num_attention_heads,
                "intermediate_size": c.intermediate_size,
                "max_position_embeddings": c.max_position_embeddings,
                "type_vocab_size": c.type_vocab_size, "layer_norm_eps": c.norm_eps,
                "hidden_act": _hf_act(c.activation), **ids}
    if c.arch == "t5":
        proj = "gated-gelu" if c.mlp == "geglu" else c.activation
        return {"model_type": "t5", "architectures": ["T5ForConditionalGeneration"],
                "vocab_size": c.vocab_size, "d_model": c.hidden_size, "d_kv": c.head_dim,
                "d_ff": c.intermediate_size, "num_layers": c.num_hidden_layers,
                "num_decoder_layers": c.num_decoder_layers,
                "num_heads": c.num_attention_heads, "layer_norm_epsilon": c.norm_eps,
                "relative_attention_num_buckets": c.relative_attention_num_buckets,
                "relative_attention_max_distance": c.relative_attention_max_distance,
                "feed_forward_proj": proj, "tie_word_embeddings": c.scale_decoder_output,
                "decoder_start_token_id": c.decoder_start_token_id, "is_encoder_decoder": True,
                **ids}
    raise UnknownArchitectureError(f"cannot export architecture {c.arch!r} to an HF config")


HF_CLASSES = {"llama": "LlamaForCausalLM", "qwen2": "Qwen2ForCausalLM",
              "qwen3": "Qwen3ForCausalLM", "mixtral": "MixtralForCausalLM",
              "qwen2_moe": "Qwen2MoeForCausalLM"}


def _llama_to_hf(c: ModelConfig, ids: dict) -> dict[str, Any]:
    rope = {"rope_type": "default", "rope_theta": c.rope_theta, **(c.rope_scaling or {})}
    hf = {"model_type": c.arch, "architectures": [HF_CLASSES[c.arch]],
          "vocab_size": c.vocab_size,
          "hidden_size": c.hidden_size, "num_hidden_layers": c.num_hidden_layers,
          "num_attention_heads": c.num_attention_heads,
          "num_key_value_heads": c.num_key_value_heads, "head_dim": c.head_dim,
          "intermediate_size": c.intermediate_size,
          "max_position_embeddings": c.max_position_embeddings, "rms_norm_eps": c.norm_eps,
          "rope_theta": c.rope_theta, "rope_parameters": rope,
          "hidden_act": _hf_act(c.activation), "tie_word_embeddings": c.tie_word_embeddings,
          **ids}
    if c.arch in ("llama", "qwen3"):
        hf.update(attention_bias=c.attention_bias, mlp_bias=c.mlp_bias)
    if c.arch == "mixtral":
        hf.update(num_local_experts=c.num_experts, num_experts_per_tok=c.num_experts_per_tok,
                  intermediate_size=c.moe_intermediate_size,
                  router_aux_loss_coef=c.router_aux_loss_coef)
    if c.arch == "qwen2_moe":
        hf.update(num_experts=c.num_experts, num_experts_per_tok=c.num_experts_per_tok,
                  moe_intermediate_size=c.moe_intermediate_size,
                  shared_expert_intermediate_size=c.shared_expert_intermediate_size,
                  norm_topk_prob=c.norm_topk_prob, qkv_bias=c.attention_bias,
                  decoder_sparse_step=1, mlp_only_layers=[],
                  router_aux_loss_coef=c.router_aux_loss_coef)
    return hf


def _mamba_to_hf(c: ModelConfig, ids: dict) -> dict[str, Any]:
    """MambaConfig's keys; transformers derives intermediate_size as expand * hidden_size
    (a width that is no multiple has no config.json: the caller compares and falls back)."""
    return {"model_type": "mamba", "architectures": ["MambaForCausalLM"],
            "vocab_size": c.vocab_size, "hidden_size": c.hidden_size,
            "num_hidden_layers": c.num_hidden_layers, "state_size": c.state_size,
            "expand": c.intermediate_size // c.hidden_size, "conv_kernel": c.conv_kernel,
            "time_step_rank": c.time_step_rank, "layer_norm_epsilon": c.norm_eps,
            "use_bias": c.mlp_bias, "use_conv_bias": c.use_conv_bias,
            "hidden_act": _hf_act(c.activation), "tie_word_embeddings": c.tie_word_embeddings,
            # not MambaConfig's: kept so lmforge reads the same model back
            "num_attention_heads": c.num_attention_heads,
            "max_position_embeddings": c.max_position_embeddings, **ids}


def _hf_act(name: str) -> str:
    return {"gelu_tanh": "gelu_new"}.get(name, name)
