"""Tiny models with known answers for the lesson tests (imported by conftest and tests)."""

import math

import torch

from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer

# -- a bigram model whose beam search has a known answer (as in tests/infer/test_beam.py) --

WORDS = ["<eos>", "START", "A", "B", "C", "D", "E", "F"]
EOS, START, A, B, C, D, E, F = range(8)
# Greedy takes A (0.6) but every continuation of A is unlikely (<= 0.3);
# B (0.4) leads to C with 0.95, so START B C beats START A *.
TRAP = {START: {A: 0.6, B: 0.4}, A: {C: 0.3, D: 0.25, E: 0.25, F: 0.2}, B: {C: 0.95, D: 0.05},
        C: {EOS: 1.0}, D: {EOS: 1.0}, E: {EOS: 1.0}, F: {EOS: 1.0}}


def bigram_model(table: dict[int, dict[int, float]]) -> Transformer:
    """A real Transformer whose next-token distribution depends only on the last token:
    attention and MLP outputs are zeroed, so the residual stream is the token's one-hot
    embedding, and lm_head column i holds log P(. | i) (unlisted tokens ~1e-6)."""
    V = len(WORDS)
    config = ModelConfig(vocab_size=V, hidden_size=V, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, intermediate_size=8,
                         max_position_embeddings=32, tie_word_embeddings=False)
    model = Transformer(config)
    model.init_weights()
    norm_scale = (1 / V + config.norm_eps) ** -0.5  # RMSNorm of a one-hot vector
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("o_proj.weight", "down_proj.weight")):
                p.zero_()
        model.embed.tokens.weight.copy_(torch.eye(V))
        head = torch.full((V, V), math.log(1e-6))
        for prev, nxt in table.items():
            for token, prob in nxt.items():
                head[token, prev] = math.log(prob)
        model.lm_head.weight.copy_(head / norm_scale)
    return model.eval()
