"""The paged Engine: paged attention equals the dense reference, chunked prefill equals
one-shot, prefix hits reuse blocks, every block comes back, tiny budgets still finish."""

import pytest
import torch

from lmforge.errors import ContextLengthError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.naive import naive_greedy

GREEDY = SamplingParams(temperature=0, max_tokens=10, ignore_eos=True)


def prompts_of(lengths: list[int], vocab: int, seed: int = 0) -> list[list[int]]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(4, vocab, (n,), generator=g).tolist() for n in lengths]


@torch.inference_mode()
def reference_logits(model, token_ids: list[int]) -> torch.Tensor:
    """Next-token logits after token_ids from one dense, uncached forward."""
    return model.logits(model(torch.tensor([token_ids]))[0, -1])


@pytest.mark.parametrize(("dtype", "tolerance"), [(torch.float64, 1e-10), (torch.float32, 1e-4)])
@torch.inference_mode()
def test_paged_logits_equal_the_dense_reference_for_mixed_batches(model, tokenizer, dtype,
                                                                  tolerance, monkeypatch):
    """Steps mixing prefill chunks, decodes and sequences of different lengths (ragged,
    decode-only and single-sequence layouts) against an uncached forward of each sequence.
    In float64 they agree to rounding; in float32 to 1e-5 of the logits' scale (|logit| ~10
    here: batching N tokens through one matmul rounds differently from one at a time).
    float32 decode steps run the C paged-attention kernel, float64 the gather + SDPA path."""
    from lmforge.model import cpu_kernels

    kernel_calls = []
    real = cpu_kernels.paged_attention_decode
    monkeypatch.setattr(cpu_kernels, "paged_attention_decode",
                        lambda *a: kernel_calls.append(1) or real(*a))
    model = model.to(dtype)
    engine = Engine(model, tokenizer, block_size=4, max_num_batched_tokens=12)
    prompts = prompts_of([3, 17, 9, 30], tokenizer.vocab_size)
    for prompt in prompts[:2]:
        engine.add_request(prompt, GREEDY)
    layouts, compared = set(), 0
    for step in range(14):
        if step == 3:
            for prompt in prompts[2:]:
                engine.add_request(prompt, GREEDY)
        batch = engine.scheduler.schedule()
        if batch.is_empty:
            break
        logits, owners = engine.runner.run(batch)
        layouts.add(engine.runner.last_layout)
        for row, (seq, _) in enumerate(owners):
            expected = reference_logits(model, seq.token_ids)
            torch.testing.assert_close(logits[row], expected, atol=tolerance, rtol=0)
            compared += 1
        engine._postprocess(batch, logits, owners)
    assert layouts == {"one", "decode", "ragged"} and compared > 20
    assert bool(kernel_calls) == (dtype == torch.float32 and cpu_kernels.available())


def test_chunked_prefill_gives_the_one_shot_tokens_and_logprobs(model, tokenizer):
    prompts = prompts_of([40, 7, 23], tokenizer.vocab_size, seed=3)
    params = SamplingParams(temperature=0, max_tokens=8, ignore_eos=True, logprobs=0)
    one_shot = Engine(model, tokenizer).generate(prompts, params)
    chunked = Engine(model, tokenizer, block_size=4, max_num_batched_tokens=5).generate(
        prompts, params)
    for a, b in zip(one_shot, chunked, strict=True):
        assert a.token_ids == b.token_ids
        assert a.cumulative_logprob == pytest.approx(b.cumulative_logprob, abs=1e-4)


@pytest.mark.parametrize("seeded", [False, True])
def test_joining_and_leaving_mid_batch_gives_the_tokens_of_running_alone(model, tokenizer,
                                                                         seeded):
    prompts = prompts_of([25, 3, 17, 9], tokenizer.vocab_size, seed=4)
    params = [SamplingParams(temperature=0.9 if seeded else 0, seed=i, ignore_eos=True,
                             max_tokens=n) for i, n in enumerate((12, 4, 9, 6))]
    alone = [Engine(model, tokenizer).generate(p, sp)[0].token_ids
             for p, sp in zip(prompts, params, strict=True)]
    engine = Engine(model, tokenizer, block_size=4, max_num_batched_tokens=8)
    tokens: dict[str, list[int]] = {}
    ids = {}
    for step in range(60):
        if step in (0, 2, 3, 7):  # requests arrive while others are mid-prefill or decoding
            i = (0, 2, 3, 7).index(step)
            ids[engine.add_request(prompts[i], params[i])] = i
        for event in engine.step():
            tokens.setdefault(event.request_id, []).append(event.token_id)
        if step > 7 and not engine.has_unfinished():
            break
    for request_id, i in ids.items():
        assert tokens[request_id] == alone[i]


def test_a_prefix_hit_reuses_blocks_and_gives_identical_output(model, tokenizer):
    system = prompts_of([24], tokenizer.vocab_size, seed=5)[0]
    questions = prompts_of([5, 9], tokenizer.vocab_size, seed=6)
    engine = Engine(model, tokenizer, block_size=4)
    [first] = engine.generate(system + questions[0], GREEDY)
    before = engine.stats()
    [second] = engine.generate(system + questions[1], GREEDY)
    after = engine.stats()
    assert after["prefix_cache_hit_tokens"] - before["prefix_cache_hit_tokens"] == 24
    assert second.token_ids == naive_greedy(model, system + questions[1], GREEDY.max_tokens)
    # the whole first conversation (prompt and answer) is cached: resending it hits too
    turn2 = first.prompt_token_ids + first.token_ids + questions[1]
    [c] = engine.generate(turn2, GREEDY)
    hit = engine.stats()["prefix_cache_hit_tokens"] - after["prefix_cache_hit_tokens"]
    assert hit == (len(system + questions[0]) + GREEDY.max_tokens - 1) // 4 * 4
    assert c.token_ids == naive_greedy(model, turn2, GREEDY.max_tokens)
    engine.reset_prefix_cache()  # e.g. after a weight update: nothing is served stale
    engine.generate(turn2, GREEDY)
    assert engine.stats()["prefix_cache_hit_tokens"] == after["prefix_cache_hit_tokens"] + hit


def test_abort_finish_and_preemption_return_every_block(model, tokenizer):
    engine = Engine(model, tokenizer, block_size=4, num_kv_blocks=12)
    total = engine.stats()["kv_blocks_free"]
    prompts = prompts_of([20, 14, 9], tokenizer.vocab_size, seed=7)
    ids = [engine.add_request(p, SamplingParams(temperature=0, max_tokens=20, ignore_eos=True))
           for p in prompts]
    for _ in range(6):
        engine.step()
    assert engine.stats()["kv_blocks_free"] < total
    engine.abort(ids[1])
    while engine.has_unfinished():
        engine.step()
    assert engine.scheduler.num_preemptions > 0  # 12 blocks cannot hold all three at once
    stats = engine.stats()
    assert stats["kv_blocks_free"] == total and stats["kv_blocks_used"] == 0
    assert all(b.ref_count == 0 for b in engine.block_manager.blocks)


def test_a_budget_of_a_few_blocks_still_completes_every_request_correctly(model, tokenizer):
    prompts = prompts_of([10, 3, 17, 6, 12], tokenizer.vocab_size, seed=8)
    params = SamplingParams(temperature=0, max_tokens=9, ignore_eos=True)
    engine = Engine(model, tokenizer, block_size=4, num_kv_blocks=7, max_num_batched_tokens=6)
    completions = engine.generate(prompts, params)
    for prompt, c in zip(prompts, completions, strict=True):
        assert c.token_ids == naive_greedy(model, prompt, params.max_tokens)
    assert engine.scheduler.num_preemptions > 0
    assert engine.stats()["kv_blocks_free"] == 7


def test_a_kv_budget_too_small_for_one_request_is_a_clear_error(model, tokenizer):
    engine = Engine(model, tokenizer, block_size=4, num_kv_blocks=3)
    with pytest.raises(ContextLengthError, match="needs 4 KV blocks of 4 tokens.*has 3"):
        engine.add_request([5] * 10, SamplingParams(max_tokens=5))
    engine.add_request([5] * 7, SamplingParams(max_tokens=5))  # 12 tokens fit exactly


@torch.inference_mode()
def test_an_fp16_kv_cache_halves_the_pool_and_keeps_greedy_output(model, tokenizer):
    """Keys and values stored in fp16 (Engine(kv_dtype=torch.float16)) take half the bytes;
    attention reads them back in fp32 (the C kernel at decode, the gather path otherwise),
    so greedy output equals the fp32 cache's on this model and logits stay within fp16's
    rounding."""
    model = model.float()
    prompts = prompts_of([5, 21, 12], tokenizer.vocab_size, seed=3)
    params = SamplingParams(temperature=0, max_tokens=12, ignore_eos=True)
    full = Engine(model, tokenizer, block_size=4)
    half = Engine(model, tokenizer, block_size=4, kv_dtype=torch.float16)
    pool32, pool16 = full.runner.pool.keys[0], half.runner.pool.keys[0]
    assert pool16.dtype == torch.float16 and pool16.nbytes * 2 == pool32.nbytes
    expected = [o.token_ids for o in full.generate(prompts, params)]
    assert [o.token_ids for o in half.generate(prompts, params)] == expected
