"""ModelConfig: one dataclass that describes every model lmforge can build.

The three families differ only in a handful of choices, made here once:

    family           kind             norm       position   mlp      example
    GPT-2            decoder          layernorm  learned    gelu     gpt2
    Llama / Qwen2    decoder          rmsnorm    rope       swiglu   SmolLM2, Qwen2
    Qwen3            decoder          rmsnorm    rope       swiglu   + RMSNorm on q, k per head
    Mixtral          decoder          rmsnorm    rope       MoE      8 SwiGLU experts, top-2
    Qwen2-MoE        decoder          rmsnorm    rope       MoE      + a gated shared expert
    Mamba            decoder          rmsnorm    none       -        selective state space
    BERT             encoder          layernorm  learned    gelu     all-MiniLM-L6-v2
    T5               encoder-decoder  rmsnorm    relative   relu     t5-small

Field names follow Hugging Face's Llama `config.json` where one exists, so a reader who
knows HF configs knows these; `io/` translates each family's own names.
"""

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from lmforge.errors import ConfigError
from lmforge.field_types import check_fields, check_keys

Kind = Literal["decoder", "encoder", "encoder-decoder"]
# families whose checkpoint names (io/hf_names.py) hold per-head q/k norms; and experts
QK_NORM_ARCHES = ("llama", "qwen2", "qwen3", "mixtral", "qwen2_moe")
MOE_ARCHES = ("mixtral", "qwen2_moe")
SSM_ARCHES = ("mamba",)  # blocks are state-space mixers (model/mamba.py), not attention


@dataclass
class ModelConfig:
    """The architecture of one Transformer: its family choices and its sizes."""

    arch: str = "llama"
    """Family name used for import/export: gpt2, llama, qwen2, qwen3, mixtral, qwen2_moe,
    mamba, bert or t5."""
    kind: Kind = "decoder"
    """decoder (causal LM), encoder (bidirectional, masked LM) or encoder-decoder (seq2seq)."""
    vocab_size: int = 32000
    """Number of token ids the embedding table holds."""
    hidden_size: int = 512
    """Width of the residual stream (d_model)."""
    num_hidden_layers: int = 8
    """Number of Transformer blocks (in each stack, for encoder-decoder)."""
    num_decoder_layers: int | None = None
    """Decoder blocks for encoder-decoder models; None means num_hidden_layers."""
    num_attention_heads: int = 8
    """Query heads per attention layer."""
    num_key_value_heads: int | None = None
    """Key/value heads: = heads is MHA, 1 is MQA, in between is GQA. None means MHA."""
    head_dim: int | None = None
    """Width of one head; None means hidden_size // num_attention_heads."""
    intermediate_size: int = 2048
    """Hidden width of the feed-forward network."""
    max_position_embeddings: int = 2048
    """Longest sequence the model is built for (size of the learned position table)."""

    norm: Literal["layernorm", "rmsnorm"] = "rmsnorm"
    """LayerNorm (GPT-2, BERT) or RMSNorm (Llama, T5)."""
    norm_eps: float = 1e-5
    """Epsilon inside the norm's square root."""
    norm_position: Literal["pre", "post"] = "pre"
    """pre: x + f(norm(x)) (GPT-2, Llama, T5); post: norm(x + f(x)) (BERT)."""
    embedding_norm: bool = False
    """Normalise the embeddings before the first block (BERT)."""

    position: Literal["learned", "sinusoidal", "rope", "relative", "none"] = "rope"
    """How the model knows token order."""
    rope_theta: float = 10000.0
    """RoPE base frequency."""
    rope_scaling: dict[str, Any] | None = None
    """RoPE scaling as in HF (`{"rope_type": "linear"|"llama3", "factor": ...}`)."""
    relative_attention_num_buckets: int = 32
    """T5 relative position buckets."""
    relative_attention_max_distance: int = 128
    """T5: distances beyond this share the last bucket."""
    type_vocab_size: int = 0
    """BERT segment (token type) embeddings; 0 means none."""

    mlp: Literal["gelu", "swiglu", "relu", "geglu"] = "swiglu"
    """Feed-forward shape: up/act/down (gelu, relu) or gated (swiglu, geglu)."""
    activation: str = "silu"
    """Activation: gelu, gelu_tanh, relu or silu."""
    attention_bias: bool = False
    """Bias on the q/k/v projections (GPT-2, BERT, Qwen2)."""
    attention_out_bias: bool = False
    """Bias on the attention output projection (GPT-2, BERT)."""
    mlp_bias: bool = False
    """Bias on the feed-forward projections (GPT-2, BERT)."""
    qk_norm: bool = False
    """RMSNorm over each head's queries and keys before RoPE (Qwen3)."""
    attention_scale: float | None = None
    """Multiplier on q.k; None means 1/sqrt(head_dim). T5 uses 1.0 (folded into init)."""
    num_experts: int = 0
    """Mixture-of-experts: SwiGLU experts in each feed-forward layer; 0 means a dense MLP."""
    num_experts_per_tok: int = 2
    """Experts each token is routed to (the router's top-k)."""
    moe_intermediate_size: int | None = None
    """Hidden width of one expert; None means intermediate_size."""
    shared_expert_intermediate_size: int = 0
    """Width of an always-on shared expert with a sigmoid gate (Qwen2-MoE); 0 means none."""
    router_softmax: Literal["before", "after"] = "before"
    """Softmax over all experts' logits, then keep the top-k (Mixtral, Qwen2-MoE); or keep
    the top-k logits, then softmax over those k (their weights sum to 1)."""
    norm_topk_prob: bool = True
    """Rescale the kept probabilities to sum to 1 (Mixtral); False keeps them (Qwen2-MoE)."""
    router_aux_loss_coef: float = 0.01
    """Weight of the load-balancing loss the objective adds in training (Switch: 0.01)."""
    router_z_loss_coef: float = 0.001
    """Weight of the router z-loss the objective adds in training (ST-MoE: 0.001)."""
    state_size: int = 16
    """Mamba: size N of each channel's recurrent state (intermediate_size channels)."""
    conv_kernel: int = 4
    """Mamba: width of the causal depthwise convolution before the scan."""
    time_step_rank: int | None = None
    """Mamba: rank of the time-step projection; None means ceil(hidden_size / 16)."""
    use_conv_bias: bool = True
    """Mamba: bias on the convolution (mlp_bias covers the in/out projections)."""
    tie_word_embeddings: bool = True
    """Share the input embedding matrix with the output projection."""
    scale_decoder_output: bool = False
    """T5 with tied embeddings scales the last hidden state by hidden_size**-0.5."""
    mlm_head: bool = False
    """Add BERT's masked-LM head (dense + act + norm + tied decoder)."""
    dropout: float = 0.0
    """Dropout on embeddings, attention weights and residual branches (training only)."""

    bos_token_id: int | None = None
    eos_token_id: int | list[int] | None = None
    pad_token_id: int | None = None
    decoder_start_token_id: int | None = None
    """First decoder token for encoder-decoder models (T5 uses the pad id)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Metadata carried through unchanged (e.g. the source file's architecture name)."""

    def __post_init__(self) -> None:
        # "192" for an int fails here, named; a bad choice (kind "x") is named by validate()
        check_fields(self, "model config", ConfigError, choices=False)
        if self.num_key_value_heads is None:
            self.num_key_value_heads = self.num_attention_heads
        if self.head_dim is None:
            if self.hidden_size % self.num_attention_heads:
                raise ConfigError(
                    f"hidden_size {self.hidden_size} is not divisible by "
                    f"num_attention_heads {self.num_attention_heads}"
                )
            self.head_dim = self.hidden_size // self.num_attention_heads
        if self.num_decoder_layers is None:
            self.num_decoder_layers = self.num_hidden_layers
        if self.moe_intermediate_size is None:
            self.moe_intermediate_size = self.intermediate_size
        if self.time_step_rank is None:
            self.time_step_rank = -(-self.hidden_size // 16)
        self.validate()

    def validate(self) -> None:
        """Reject shapes and choices that cannot build a model."""
        for name in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                     "intermediate_size", "max_position_embeddings"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")
        if self.num_attention_heads % self.num_key_value_heads:
            raise ConfigError(
                f"num_attention_heads {self.num_attention_heads} is not a multiple of "
                f"num_key_value_heads {self.num_key_value_heads}"
            )
        if self.position == "rope" and self.head_dim % 2:
            raise ConfigError(f"RoPE needs an even head_dim, got {self.head_dim}")
        if self.kind not in ("decoder", "encoder", "encoder-decoder"):
            raise ConfigError(f"unknown model kind {self.kind!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.qk_norm and self.arch not in QK_NORM_ARCHES:
            raise ConfigError(f"qk_norm needs arch {' or '.join(QK_NORM_ARCHES)} (their "
                              f"checkpoints have names for q/k norms), got {self.arch!r}")
        if self.num_experts:
            self.validate_experts()
        if self.arch in SSM_ARCHES:
            self.validate_ssm()

    def validate_experts(self) -> None:
        """Reject a mixture-of-experts layout that cannot build, or whose router would learn
        nothing from the language-model loss."""
        k, n = self.num_experts_per_tok, self.num_experts
        if self.kind != "decoder":
            raise ConfigError(f"mixture-of-experts needs a decoder, got kind {self.kind!r}")
        if self.arch not in MOE_ARCHES:
            raise ConfigError(f"num_experts needs arch mixtral or qwen2_moe (their checkpoints "
                              f"have names for experts), got {self.arch!r}")
        if self.shared_expert_intermediate_size and self.arch != "qwen2_moe":
            raise ConfigError(f"a shared expert needs arch qwen2_moe (Mixtral has none), "
                              f"got {self.arch!r}")
        if n < 0:
            raise ConfigError(f"num_experts must be >= 0 (0: a dense MLP), got {n}")
        if not 1 <= k <= n:
            raise ConfigError(f"num_experts_per_tok {k} must be between 1 and num_experts {n}")
        if self.router_softmax not in ("before", "after"):
            raise ConfigError(f"router_softmax must be 'before' or 'after', "
                              f"got {self.router_softmax!r}")
        if self.mlp != "swiglu":
            raise ConfigError(f"experts are SwiGLU MLPs; mlp {self.mlp!r} with num_experts "
                              f"{n} is not supported")
        if self.moe_intermediate_size <= 0:
            raise ConfigError(f"moe_intermediate_size must be positive, "
                              f"got {self.moe_intermediate_size}")
        if self.shared_expert_intermediate_size < 0:
            raise ConfigError(f"shared_expert_intermediate_size must be >= 0 (0: no shared "
                              f"expert), got {self.shared_expert_intermediate_size}")
        if k == 1 and (self.norm_topk_prob or self.router_softmax == "after"):
            # the one kept weight is p / p = 1 whatever the logits: no gradient reaches the
            # router and only the auxiliary loss would move it
            raise ConfigError(
                "top-1 routing with renormalised weights gives the router no gradient (its "
                "one weight is always 1); set norm_topk_prob: false and router_softmax: "
                "before (Switch Transformer: the weight is the router probability)")

    def validate_ssm(self) -> None:
        """Reject a Mamba layout that cannot build: it reads tokens in order (a decoder, no
        position encoding) and its block has no attention or feed-forward choices."""
        got = (self.kind, self.position, self.norm, self.activation, self.num_experts)
        if got != ("decoder", "none", "rmsnorm", "silu", 0):
            raise ConfigError(f"arch mamba is a decoder with position none, norm rmsnorm, "
                              f"activation silu and no experts; got kind {self.kind!r}, "
                              f"position {self.position!r}, norm {self.norm!r}, activation "
                              f"{self.activation!r}, num_experts {self.num_experts}")
        for name in ("state_size", "conv_kernel", "time_step_rank"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")

    @property
    def is_recurrent(self) -> bool:
        """Decoding carries a fixed-size state per sequence (Mamba), not a growing KV cache."""
        return self.arch in SSM_ARCHES

    @property
    def is_causal(self) -> bool:
        return self.kind == "decoder"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = "config") -> "ModelConfig":
        """Build from a dict, naming any unknown key (typos should not pass silently)."""
        check_keys(cls, d, source, "model config key(s)")
        try:
            return cls(**d)
        except ConfigError as e:
            raise ConfigError(f"{source}: {e}") from None
