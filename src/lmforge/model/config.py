"""ModelConfig: one dataclass that describes every model lmforge can build.

The three families differ only in a handful of choices, made here once:

    family           kind             norm       position   mlp      example
    GPT-2            decoder          layernorm  learned    gelu     gpt2
    Llama / Qwen2    decoder          rmsnorm    rope       swiglu   SmolLM2, Qwen2
    BERT             encoder          layernorm  learned    gelu     all-MiniLM-L6-v2
    T5               encoder-decoder  rmsnorm    relative   relu     t5-small

Field names follow Hugging Face's Llama `config.json` where one exists, so a reader who
knows HF configs knows these; `io/` translates each family's own names.
"""

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from lmforge.errors import ConfigError
from lmforge.field_types import check_fields

Kind = Literal["decoder", "encoder", "encoder-decoder"]


@dataclass
class ModelConfig:
    """The architecture of one Transformer: its family choices and its sizes."""

    arch: str = "llama"
    """Family name used for import/export: gpt2, llama, qwen2, bert or t5."""
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
    attention_scale: float | None = None
    """Multiplier on q.k; None means 1/sqrt(head_dim). T5 uses 1.0 (folded into init)."""
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

    @property
    def is_causal(self) -> bool:
        return self.kind == "decoder"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = "config") -> "ModelConfig":
        """Build from a dict, naming any unknown key (typos should not pass silently)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ConfigError(f"{source}: unknown model config key(s): {', '.join(unknown)}")
        try:
            return cls(**d)
        except ConfigError as e:
            raise ConfigError(f"{source}: {e}") from None
