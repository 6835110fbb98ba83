"""Frequency/presence penalties (OpenAI's definitions) and per-request logits processors."""

import pytest
import torch

from lmforge.errors import SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.sampler import SamplingTensors, process_logits, sample, token_counts


def test_penalties_equal_a_hand_computation():
    logits = torch.tensor([[1.0, 2.0, 3.0, 0.5, -1.0, 0.0]])
    params = SamplingParams(temperature=0, frequency_penalty=0.5, presence_penalty=0.25)
    counts = token_counts([[3, 3, 5, 2]], 6, "cpu")
    assert counts.tolist() == [[0, 0, 1, 2, 0, 1]]
    out = process_logits(logits, SamplingTensors.from_params([params], 6, "cpu"), None, counts)
    # token 2: 3 - 1*0.5 - 0.25; token 3: 0.5 - 2*0.5 - 0.25; token 5: 0 - 0.5 - 0.25
    assert out.tolist() == [[1.0, 2.0, 2.25, -0.75, -1.0, -0.75]]


def test_negative_presence_penalty_encourages_repeats():
    logits = torch.tensor([[1.0, 0.9]])
    params = SamplingParams(temperature=0, presence_penalty=-0.5)
    settings = SamplingTensors.from_params([params], 2, "cpu")
    out = sample(logits, settings, [None], counts=token_counts([[1]], 2, "cpu"))
    assert out.token_ids.tolist() == [1]  # 0.9 + 0.5 beats 1.0


@torch.inference_mode()
def hand_penalised_greedy(model, prompt, n, frequency, presence):
    """Greedy with the penalties written out, recomputing the whole prefix each step."""
    output: list[int] = []
    for _ in range(n):
        logits = model.logits(model(torch.tensor([prompt + output]))[0, -1]).float()
        for token in set(output):
            logits[token] -= output.count(token) * frequency + presence
        output.append(int(logits.argmax()))
    return output


def test_engine_penalties_match_the_hand_computation(model, tokenizer):
    prompts = [[5, 9, 13, 5, 9], [40, 41, 42]]
    params = SamplingParams(temperature=0, max_tokens=10, ignore_eos=True,
                            frequency_penalty=1.5, presence_penalty=0.7)
    plain = SamplingParams(temperature=0, max_tokens=10, ignore_eos=True)
    engine = Engine(model, tokenizer)
    penalised, unpenalised = engine.generate(prompts, [params, plain])
    assert penalised.token_ids == hand_penalised_greedy(model, prompts[0], 10, 1.5, 0.7)
    assert unpenalised.token_ids == hand_penalised_greedy(model, prompts[1], 10, 0.0, 0.0)


def test_a_processor_that_masks_all_but_one_token_forces_it(model, tokenizer):
    seen_histories = []

    def only_seven(output_ids, logits):
        seen_histories.append(list(output_ids))
        assert logits.dtype == torch.float32 and logits.dim() == 1
        forced = torch.full_like(logits, float("-inf"))
        forced[7] = 0.0
        return forced

    forced = SamplingParams(max_tokens=5, ignore_eos=True, seed=1,
                            logits_processors=[only_seven])
    free = SamplingParams(temperature=0, max_tokens=5, ignore_eos=True)
    a, b = Engine(model, tokenizer).generate([[3, 4, 5], [3, 4, 5]], [forced, free])
    assert a.token_ids == [7] * 5
    assert b.token_ids != [7] * 5  # the other request in the batch is untouched
    assert seen_histories == [[7] * i for i in range(5)]


def test_a_processor_returning_the_wrong_shape_is_a_clear_error(model, tokenizer):
    params = SamplingParams(max_tokens=2, logits_processors=[lambda ids, logits: logits[:3]])
    with pytest.raises(SamplingError, match="must return a tensor of shape"):
        Engine(model, tokenizer).generate([[3, 4]], params)


@pytest.mark.parametrize(("field", "value"), [
    ("frequency_penalty", 2.5), ("presence_penalty", -2.1), ("logits_processors", [3]),
])
def test_bad_penalty_values_name_the_field(field, value):
    with pytest.raises(SamplingError, match=rf"^{field}="):
        SamplingParams(**{field: value}).validate()


def test_stats_count_waiting_and_running(model, tokenizer):
    engine = Engine(model, tokenizer, max_batch_size=1)
    engine.add_request([3, 4], SamplingParams(max_tokens=3, ignore_eos=True))
    engine.add_request([5, 6], SamplingParams(max_tokens=3, ignore_eos=True))
    assert engine.stats()["waiting"] == 2
    engine.step()
    stats = engine.stats()
    assert (stats["waiting"], stats["running"]) == (1, 1)
    assert {"kv_blocks_total", "kv_blocks_used", "kv_blocks_free", "prefix_cache_hit_tokens",
            "prefix_cache_query_tokens"} <= stats.keys()
    engine.reset_prefix_cache()
