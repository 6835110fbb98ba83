"""Beam search: width 1 is greedy; width 2 finds a likelier sequence than greedy."""

import math

import torch

from lmforge.infer import Engine, SamplingParams
from lmforge.infer.beam import beam_search
from lmforge.infer.naive import naive_greedy, sequence_logprob
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer

EOS, START, A, B, C, D, E, F = range(8)


def bigram_model(table: dict[int, dict[int, float]]) -> Transformer:
    """A real Transformer whose next-token distribution depends only on the last token.

    Attention and MLP outputs are zeroed, so the residual stream is the token's one-hot
    embedding; the final RMSNorm scales it by sqrt(C), and lm_head column i holds
    log P(. | i). Unlisted tokens get probability ~1e-6.
    """
    V = C_ = 8
    config = ModelConfig(vocab_size=V, hidden_size=C_, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, intermediate_size=8,
                         max_position_embeddings=32, tie_word_embeddings=False)
    model = Transformer(config)
    model.init_weights()
    norm_scale = (1 / C_ + config.norm_eps) ** -0.5  # RMSNorm of a one-hot vector
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


# Greedy takes A (0.6) but every continuation of A is unlikely (<= 0.3);
# B (0.4) leads to C with 0.95, so START B C beats START A *.
TRAP = {
    START: {A: 0.6, B: 0.4},
    A: {C: 0.3, D: 0.25, E: 0.25, F: 0.2},
    B: {C: 0.95, D: 0.05},
    C: {EOS: 1.0}, D: {EOS: 1.0}, E: {EOS: 1.0}, F: {EOS: 1.0},
}


def test_two_beams_beat_greedy_on_a_trap():
    model = bigram_model(TRAP)
    engine = Engine(model)
    params = SamplingParams(max_tokens=5, stop_token_ids=[EOS])
    [greedy] = engine.generate([START], SamplingParams(temperature=0, max_tokens=5,
                                                        stop_token_ids=[EOS]))
    [beam] = engine.generate([START], SamplingParams(n_beams=2, **_fields(params)))
    assert greedy.token_ids == [A, C, EOS] and greedy.finish_reason == "stop"
    assert beam.token_ids == [B, C, EOS] and beam.finish_reason == "stop"
    greedy_ll = sequence_logprob(model, [START], greedy.token_ids)
    beam_ll = sequence_logprob(model, [START], beam.token_ids)
    assert math.isclose(greedy_ll, math.log(0.6 * 0.3), abs_tol=1e-3)
    assert math.isclose(beam_ll, math.log(0.4 * 0.95), abs_tol=1e-3)
    assert beam_ll > greedy_ll
    assert math.isclose(beam.cumulative_logprob, beam_ll, abs_tol=1e-4)


def _fields(params: SamplingParams) -> dict:
    return {"max_tokens": params.max_tokens, "stop_token_ids": params.stop_token_ids}


def test_one_beam_equals_greedy(tiny_model):
    model = tiny_model(300, seed=4)
    for prompt in ([5, 9, 200], list(range(10, 40))):
        params = SamplingParams(n_beams=1, max_tokens=12)
        best = beam_search(model, prompt, params, frozenset(), max_len=len(prompt) + 12)
        assert best.token_ids == naive_greedy(model, prompt, 12)
        assert best.finish_reason == "length"


def test_one_beam_equals_greedy_with_a_stop_token(tiny_model):
    model = tiny_model(300, seed=5)
    prompt = [7, 8, 9]
    greedy = naive_greedy(model, prompt, 12)
    stop = greedy[4]
    expected = greedy[: greedy.index(stop) + 1]
    best = beam_search(model, prompt, SamplingParams(n_beams=1), frozenset({stop}), max_len=15)
    assert best.token_ids == expected and best.finish_reason == "stop"


def test_beam_results_keep_order_and_logprobs_in_generate(tiny_model):
    model = tiny_model(300, seed=6)
    engine = Engine(model, max_batch_size=2)
    params = [SamplingParams(temperature=0, max_tokens=6),
              SamplingParams(n_beams=3, max_tokens=6, logprobs=2),
              SamplingParams(temperature=0, max_tokens=4)]
    prompts = [[5, 6], [7, 8, 9], [10]]
    out = engine.generate(prompts, params)
    assert out[0].token_ids == naive_greedy(model, prompts[0], 6)
    assert out[2].token_ids == naive_greedy(model, prompts[2], 4)
    beam = out[1]
    assert len(beam.token_ids) == 6 and len(beam.logprobs) == 6
    assert math.isclose(sequence_logprob(model, prompts[1], beam.token_ids),
                        beam.cumulative_logprob, abs_tol=1e-4)
    greedy_ll = sequence_logprob(model, prompts[1], naive_greedy(model, prompts[1], 6))
    assert beam.cumulative_logprob >= greedy_ll - 1e-5  # 3 beams never do worse here
