"""The Transformer: embeddings, a stack of blocks, and an output head.

One class builds all three families from a `ModelConfig`:

    decoder-only     tokens -> embed -> decoder stack (causal) -> lm_head -> next-token logits
    encoder-only     tokens -> embed -> encoder stack (bidirectional) -> hidden states
                                                          (-> mlm_head -> masked-token logits)
    encoder-decoder  source -> embed -> encoder stack --------------------.
                     target -> embed -> decoder stack (causal + cross-attn) -> lm_head

Inputs are explicit: token ids, their positions, and optionally a KV-cache view owned by the
caller (the Engine's paged pool, or a dense `KVCache.view`; see kv_cache.py). The model
returns hidden states; `logits` applies the head only to the positions the caller passes
(generation needs the last one, training all of them).
"""

import torch
import torch.utils.checkpoint
from torch import nn

from lmforge.model.block import Block
from lmforge.model.config import ModelConfig
from lmforge.model.kv_cache import CacheView
from lmforge.model.mamba import MambaBlock, MambaMixer
from lmforge.model.mlp import activation
from lmforge.model.norm import make_norm
from lmforge.model.positions import RelativePositionBias, RotaryEmbedding, sinusoidal_table


class Embeddings(nn.Module):
    """Token vectors, plus absolute position and segment vectors where the family has them."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        C = config.hidden_size
        self.tokens = nn.Embedding(config.vocab_size, C)
        self.position = config.position
        if config.position == "learned":
            self.positions = nn.Embedding(config.max_position_embeddings, C)
        elif config.position == "sinusoidal":
            table = sinusoidal_table(config.max_position_embeddings, C)
            self.register_buffer("sinusoids", table, persistent=False)
        if config.type_vocab_size:
            self.token_types = nn.Embedding(config.type_vocab_size, C)
        self.norm = make_norm(config) if config.embedding_norm else None
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, input_ids, positions, token_type_ids=None) -> torch.Tensor:
        x = self.tokens(input_ids)  # (B, T, C)
        if self.position == "learned":
            x = x + self.positions(positions)
        elif self.position == "sinusoidal":
            x = x + self.sinusoids[positions].to(x.dtype)
        if hasattr(self, "token_types"):
            if token_type_ids is None:
                token_type_ids = torch.zeros_like(input_ids)
            x = x + self.token_types(token_type_ids)
        if self.norm is not None:
            x = self.norm(x)
        return self.dropout(x)


class Stack(nn.Module):
    """A sequence of blocks sharing one mask, one set of rotary tables, one final norm."""

    def __init__(self, config: ModelConfig, n_layer: int, causal: bool, cross: bool = False):
        super().__init__()
        self.causal = causal
        # Mamba's blocks mix tokens by a state-space scan where others attend (mamba.py)
        self.layers = nn.ModuleList(MambaBlock(config) if config.is_recurrent
                                    else Block(config, cross) for _ in range(n_layer))
        self.rotary = RotaryEmbedding(config) if config.position == "rope" else None
        if config.position == "relative":
            self.relative_bias = RelativePositionBias(config, bidirectional=not causal)
        # pre-norm leaves the residual stream unnormalised, so it needs one norm at the end
        self.norm = make_norm(config) if config.norm_position == "pre" else None
        self.gradient_checkpointing = False

    def forward(
        self,
        x: torch.Tensor,
        positions: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        cache: CacheView | None = None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        attention_maps: list | None = None,
    ) -> torch.Tensor:
        if cache is not None and hasattr(self, "relative_bias"):
            raise ValueError("a KV cache with relative position bias is not supported")
        mask = None if cache is not None else self.attention_mask(x, positions, padding_mask)
        if memory is not None and memory_mask is not None:
            memory_mask = memory_mask[:, None, None, :].bool()  # (B, 1, 1, S_enc)
        rope = self.rotary(positions, x.dtype) if self.rotary is not None else None
        plan = getattr(cache, "decode_plan", None)  # prepared by model/backend.py
        if plan is not None and memory is None and attention_maps is None:
            fused = plan.run(self.layers, x, rope, cache)  # one C call, or None
            if fused is not None:
                return self.norm(fused) if self.norm is not None else fused
        for i, block in enumerate(self.layers):
            kwargs = dict(rope=rope, cache=cache, layer=i, is_causal=self.causal,
                          attention_maps=attention_maps)
            if self.gradient_checkpointing and self.training:
                x = torch.utils.checkpoint.checkpoint(
                    block, x, mask, memory, memory_mask, use_reentrant=False, **kwargs)
            else:
                x = block(x, mask, memory, memory_mask, **kwargs)
        return self.norm(x) if self.norm is not None else x

    def attention_mask(self, x, positions, padding_mask) -> torch.Tensor | None:
        """Which keys each query may see: bool (B, 1, T, S), or a float bias (B, H, T, S).

        Returns None for plain causal attention, so SDPA can use its fastest causal kernel.
        (With a KV cache the cache view supplies the mask: it knows where keys are stored.)
        """
        B, T = positions.shape
        has_bias = hasattr(self, "relative_bias")
        if padding_mask is None and not has_bias:
            return None
        allowed = torch.ones(B, T, T, dtype=torch.bool, device=x.device)
        if self.causal:  # a query at position p sees keys at positions <= p
            allowed = positions[:, None, :] <= positions[:, :, None]
        if padding_mask is not None:  # (B, S) with 1 for real tokens, or (B, T, S) bool:
            # which keys each query may see (packed SFT examples: block-diagonal)
            if padding_mask.dim() == 2:
                padding_mask = padding_mask[:, None, :]
            allowed = allowed & padding_mask.bool()
        if not has_bias:
            return allowed[:, None]
        bias = self.relative_bias(positions, positions).to(x.dtype)
        return bias.masked_fill(~allowed[:, None], float("-inf"))


class MaskedLMHead(nn.Module):
    """BERT's head: transform each hidden state, then score it against every token embedding."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.act = activation(config.activation)
        self.norm = make_norm(config)
        self.bias = nn.Parameter(torch.zeros(config.vocab_size))

    def forward(self, hidden: torch.Tensor, embedding: torch.Tensor) -> torch.Tensor:
        return self.norm(self.act(self.dense(hidden))) @ embedding.t() + self.bias


class Transformer(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = Embeddings(config)
        L = config.num_hidden_layers
        if config.kind in ("encoder", "encoder-decoder"):
            self.encoder = Stack(config, L, causal=False)
        if config.kind in ("decoder", "encoder-decoder"):
            is_seq2seq = config.kind == "encoder-decoder"
            n_dec = config.num_decoder_layers if is_seq2seq else L
            self.decoder = Stack(config, n_dec, causal=True, cross=is_seq2seq)
            self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
            if config.tie_word_embeddings:
                self.lm_head.weight = self.embed.tokens.weight
        if config.mlm_head:
            self.mlm_head = MaskedLMHead(config)

    # -- running the model ---------------------------------------------------------------

    def forward(
        self,
        input_ids: torch.Tensor,
        positions: torch.Tensor | None = None,
        *,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        cache: CacheView | None = None,
        encoder_hidden: torch.Tensor | None = None,
        encoder_mask: torch.Tensor | None = None,
        attention_maps: list | None = None,
    ) -> torch.Tensor:
        """Token ids (B, T) -> hidden states (B, T, C) of the model's main stack.

        positions: (B, T) position of each token; defaults to 0..T-1 (required with a cache).
        attention_mask: (B, T) 1 for real tokens, 0 for padding; or (B, T, T) bool, True
            where query t may see key s (packed examples), combined with causality.
        encoder_hidden / encoder_mask: the encoder output a seq2seq decoder attends to.
        attention_maps: pass a list to collect every layer's weights (B, H, T, S).
        """
        if self.config.kind == "encoder":
            return self.encode(input_ids, attention_mask, token_type_ids, attention_maps)
        if self.config.kind == "encoder-decoder" and encoder_hidden is None:
            raise ValueError("an encoder-decoder model needs encoder_hidden (call encode first)")
        positions = self.default_positions(input_ids, positions)
        x = self.embed(input_ids, positions)
        return self.decoder(x, positions, attention_mask, cache, encoder_hidden, encoder_mask,
                            attention_maps)

    def encode(self, input_ids, attention_mask=None, token_type_ids=None, attention_maps=None):
        """Run the bidirectional encoder: (B, T) ids -> (B, T, C) contextual vectors."""
        positions = self.default_positions(input_ids, None)
        x = self.embed(input_ids, positions, token_type_ids)
        return self.encoder(x, positions, attention_mask, attention_maps=attention_maps)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Hidden states (..., C) -> vocabulary logits (..., V) through the model's head."""
        if self.config.kind == "encoder":
            if not hasattr(self, "mlm_head"):
                raise ValueError("this encoder has no masked-LM head (config.mlm_head=False)")
            return self.mlm_head(hidden, self.embed.tokens.weight)
        if self.config.scale_decoder_output:  # T5 rescales before its tied projection
            hidden = hidden * self.config.hidden_size**-0.5
        return self.lm_head(hidden)

    def default_positions(self, input_ids, positions):
        if positions is not None:
            return positions
        T = input_ids.shape[1]
        if self.config.max_position_embeddings < T and self.config.position == "learned":
            raise ValueError(f"sequence of {T} tokens exceeds max_position_embeddings "
                             f"{self.config.max_position_embeddings}")
        return torch.arange(T, device=input_ids.device).expand(input_ids.shape[0], -1)

    # -- set-up helpers -------------------------------------------------------------------

    @property
    def stacks(self) -> list[Stack]:
        return [s for s in (getattr(self, "encoder", None), getattr(self, "decoder", None)) if s]

    def set_gradient_checkpointing(self, enabled: bool) -> None:
        """Recompute each block's activations in backward instead of storing them."""
        for stack in self.stacks:
            stack.gradient_checkpointing = enabled

    def init_weights(self, std: float = 0.02) -> None:
        """GPT-2 initialisation: N(0, 0.02), zero biases, unit norms; residual projections
        scaled by 1/sqrt(2 * n_layer) so the stream's variance does not grow with depth."""
        n_layer = sum(len(s.layers) for s in self.stacks)
        for name, p in self.named_parameters():
            if p.dim() == 1:
                nn.init.ones_(p) if name.endswith("norm.weight") else nn.init.zeros_(p)
            elif name.endswith(("o_proj.weight", "down_proj.weight", "experts.down_proj")):
                nn.init.normal_(p, std=std / (2 * n_layer) ** 0.5)
            else:
                nn.init.normal_(p, std=std)
        for module in self.modules():  # A, D, the step sizes and the conv have their own
            if isinstance(module, MambaMixer):
                module.init_ssm(n_layer)

    def num_parameters(self, exclude_embeddings: bool = False) -> int:
        """Unique parameters (a tied lm_head is counted once)."""
        n = sum(p.numel() for p in self.parameters())
        if exclude_embeddings:
            n -= self.embed.tokens.weight.numel()
        return n
