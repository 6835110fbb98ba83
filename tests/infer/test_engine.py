"""Engine: cache + batching equal the naive oracle; stops, lengths, logprobs, streaming."""

import asyncio
import math

import pytest
import torch

from lmforge.errors import ConfigError, ContextLengthError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.naive import naive_greedy

GREEDY = SamplingParams(temperature=0, max_tokens=12, ignore_eos=True)


def prompts_of(lengths: list[int], vocab: int, seed: int = 0) -> list[list[int]]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(4, vocab, (n,), generator=g).tolist() for n in lengths]


def test_greedy_equals_naive_oracle_for_mixed_lengths(model, tokenizer):
    prompts = prompts_of([3, 17, 40], tokenizer.vocab_size)
    completions = Engine(model, tokenizer).generate(prompts, GREEDY)
    for prompt, c in zip(prompts, completions, strict=True):
        assert c.token_ids == naive_greedy(model, prompt, GREEDY.max_tokens)
        assert c.finish_reason == "length" and c.prompt_token_ids == prompt


def test_small_batch_with_different_lengths_equals_alone(model, tokenizer):
    prompts = prompts_of([3, 17, 40, 9, 25], tokenizer.vocab_size, seed=1)
    params = [SamplingParams(temperature=0, max_tokens=n, ignore_eos=True)
              for n in (5, 14, 3, 11, 8)]  # rows finish at different steps and move
    engine = Engine(model, tokenizer, max_batch_size=2)
    completions = engine.generate(prompts, params)
    for prompt, p, c in zip(prompts, params, completions, strict=True):
        assert c.token_ids == naive_greedy(model, prompt, p.max_tokens)
    assert not engine.has_unfinished()


def test_requests_joining_mid_flight_get_what_they_get_alone(model, tokenizer):
    prompts = prompts_of([40, 3, 17], tokenizer.vocab_size, seed=2)
    engine = Engine(model, tokenizer, max_batch_size=2)
    tokens: dict[str, list[int]] = {}
    ids = [engine.add_request(prompts[0], GREEDY)]
    for step in range(40):
        if step == 2:
            ids.append(engine.add_request(prompts[1], GREEDY))
        if step == 5:  # waits for a free row: the batch is full
            ids.append(engine.add_request(prompts[2], GREEDY))
        for event in engine.step():
            tokens.setdefault(event.request_id, []).append(event.token_id)
        if step > 5 and not engine.has_unfinished():
            break
    assert not engine.has_unfinished()
    for request_id, prompt in zip(ids, prompts, strict=True):
        assert tokens[request_id] == naive_greedy(model, prompt, GREEDY.max_tokens)


def test_context_end_gives_length(model, tokenizer):
    [prompt] = prompts_of([25], tokenizer.vocab_size)
    engine = Engine(model, tokenizer, max_seq_len=30)
    [c] = engine.generate(prompt, SamplingParams(temperature=0, max_tokens=20, ignore_eos=True))
    assert len(c.token_ids) == 5 and c.finish_reason == "length"  # 25 + 5 = the context
    assert c.token_ids == naive_greedy(model, prompt, 5)


def test_max_tokens_gives_length(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    [c] = Engine(model, tokenizer).generate("hello", SamplingParams(max_tokens=7, seed=0,
                                                                    ignore_eos=True))
    assert len(c.token_ids) == 7 and c.finish_reason == "length"


def test_stop_token_ids_end_with_stop_and_are_not_text(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    engine = Engine(model, tokenizer)
    params = SamplingParams(temperature=0, max_tokens=20, ignore_eos=True)
    [full] = engine.generate("hello world", params)
    k = next(i for i, t in enumerate(full.token_ids) if i >= 3 and t not in full.token_ids[:i])
    stop_id = full.token_ids[k]
    params.stop_token_ids = [stop_id]
    [c] = engine.generate("hello world", params)
    assert c.token_ids == full.token_ids[: k + 1] and c.finish_reason == "stop"
    assert c.text == tokenizer.decode(full.token_ids[:k], skip_special=True)


def swap_tokens(model, a: int, b: int) -> None:
    """Relabel token ids a <-> b everywhere in the model (same model up to renaming)."""
    with torch.no_grad():
        for weight in {id(w): w for w in (model.embed.tokens.weight,
                                          model.lm_head.weight)}.values():
            weight[[a, b]] = weight[[b, a]]


def test_eos_stops_and_ignore_eos_continues(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size, seed=3)
    engine = Engine(model, tokenizer)
    greedy = SamplingParams(temperature=0, max_tokens=15, ignore_eos=True)
    [before] = engine.generate("hello world", greedy)
    k = next(i for i, t in enumerate(before.token_ids) if i >= 2 and t > tokenizer.eos_id
             and t not in before.token_ids[:i] and t not in tokenizer.encode("hello world"))
    t = before.token_ids[k]
    swap_tokens(model, t, tokenizer.eos_id)  # now the model says EOS where it said t
    renamed = [tokenizer.eos_id if x == t else x for x in before.token_ids]
    [cont] = engine.generate("hello world", greedy)
    assert cont.token_ids == renamed and cont.finish_reason == "length"
    greedy.ignore_eos = False
    [stopped] = engine.generate("hello world", greedy)
    assert stopped.token_ids == renamed[: k + 1] and stopped.finish_reason == "stop"
    # streamed text is decode() less a character cut off at the very end (StreamDecoder.flush)
    full = tokenizer.decode(renamed[:k], skip_special=True)
    assert full.startswith(stopped.text) and set(full[len(stopped.text):]) <= {"\ufffd"}


def find_spanning_stop(tokenizer, ids: list[int]) -> str | None:
    """A 2-character string made of the end of one token and the start of the next."""
    for i in range(1, len(ids) - 1):
        left, right = tokenizer.decode([ids[i]]), tokenizer.decode([ids[i + 1]])
        if left.isascii() and right.isascii() and left.strip() and right.strip():
            return left[-1] + right[0]
    return None


@pytest.mark.parametrize("seed", range(3))
def test_stop_string_spanning_tokens_ends_text_before_it(tokenizer, seed, tiny_model):
    model = tiny_model(tokenizer.vocab_size, seed=seed)
    engine = Engine(model, tokenizer)
    params = SamplingParams(temperature=0, max_tokens=30, ignore_eos=True)
    [full] = engine.generate("the quick brown fox", params)
    stop = find_spanning_stop(tokenizer, full.token_ids)
    assert stop is not None
    full_text = tokenizer.decode(full.token_ids, skip_special=True)
    expected = full_text[: full_text.index(stop)]
    params.stop = [stop, "never-seen-stop"]
    [c] = engine.generate("the quick brown fox", params)
    assert c.text == expected and c.finish_reason == "stop"
    events = list(engine.stream("the quick brown fox", params))
    assert "".join(e.text for e in events) == expected
    assert all(stop not in e.text for e in events)
    assert events[-1].finished and events[-1].finish_reason == "stop"


def test_stream_text_equals_generate_and_interleaves(model, tokenizer):
    prompts = ["hello world", "once upon a time there was"]
    params = SamplingParams(temperature=0.8, seed=5, max_tokens=10, ignore_eos=True)
    engine = Engine(model, tokenizer)
    completions = engine.generate(prompts, params)
    events = list(engine.stream(prompts, params))
    by_request: dict[str, list] = {}
    for e in events:
        by_request.setdefault(e.request_id, []).append(e)
    texts = ["".join(e.text for e in evs) for evs in by_request.values()]
    tokens = [[e.token_id for e in evs] for evs in by_request.values()]
    assert texts == [c.text for c in completions]
    assert tokens == [c.token_ids for c in completions]
    first_finish = next(i for i, e in enumerate(events) if e.finished)
    assert len({e.request_id for e in events[:first_finish]}) == 2  # interleaved


def test_astream_under_asyncio_run(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    engine = Engine(model, tokenizer)
    params = SamplingParams(temperature=0, max_tokens=8, ignore_eos=True)
    [c] = engine.generate("hello", params)

    async def collect(prompt):
        return [e async for e in engine.astream(prompt, params)]

    async def both():  # two concurrent astreams share engine steps
        return await asyncio.gather(collect("hello"), collect("hello"))

    for events in asyncio.run(both()):
        assert "".join(e.text for e in events) == c.text
        assert [e.token_id for e in events] == c.token_ids


def test_seed_reproduces_in_any_batch_and_greedy_ignores_it(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    engine = Engine(model, tokenizer, max_batch_size=4)
    seeded = SamplingParams(temperature=1.0, seed=11, max_tokens=10, ignore_eos=True)
    other = SamplingParams(temperature=1.0, max_tokens=6, ignore_eos=True)
    [alone] = engine.generate("hello", seeded)
    batch = engine.generate(["the lazy dog", "hello", "a"], [other, seeded, other])
    assert batch[1].token_ids == alone.token_ids
    g1, g2 = (engine.generate("hello", SamplingParams(temperature=0, seed=s, max_tokens=10))
              for s in (1, 2))
    assert g1[0].token_ids == g2[0].token_ids


def test_logprobs_match_a_manual_forward(model, tokenizer):
    prompt = prompts_of([6], tokenizer.vocab_size)[0]
    engine = Engine(model, tokenizer)
    for params in (SamplingParams(temperature=0, max_tokens=6, logprobs=3, ignore_eos=True),
                   SamplingParams(temperature=0.7, seed=1, max_tokens=6, logprobs=3,
                                  ignore_eos=True)):
        [c] = engine.generate(prompt, params)
        with torch.no_grad():
            hidden = model(torch.tensor([prompt + c.token_ids]))
            raw = model.logits(hidden[0]).log_softmax(-1)  # (T, V)
        P = len(prompt)
        for j, record in enumerate(c.logprobs):
            expected = raw[P - 1 + j]
            assert record.token_id == c.token_ids[j]
            assert math.isclose(record.logprob, float(expected[record.token_id]), abs_tol=1e-4)
            assert [t for t, _ in record.top] == expected.topk(3).indices.tolist()
            lps = [lp for _, lp in record.top]
            assert lps == sorted(lps, reverse=True) and len(lps) == 3
            if params.temperature == 0:
                assert record.top[0][0] == record.token_id
        assert math.isclose(c.cumulative_logprob, sum(r.logprob for r in c.logprobs),
                            abs_tol=1e-4)
    [c0] = engine.generate(prompt, SamplingParams(max_tokens=2, logprobs=0, seed=0))
    assert all(r.top == [] for r in c0.logprobs)
    [c_none] = engine.generate(prompt, SamplingParams(max_tokens=2, seed=0))
    assert c_none.logprobs is None


def test_abort_frees_the_row_and_others_continue(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    engine = Engine(model, tokenizer, max_batch_size=2)
    a = engine.add_request([5, 6, 7], GREEDY)
    b = engine.add_request([8, 9, 10, 11], GREEDY)
    engine.step()
    engine.step()
    assert engine.abort(a) and not engine.abort("no-such-request")
    events = engine.step()
    assert events[0].request_id == a and events[0].finish_reason == "abort"
    tokens_b = []
    while engine.has_unfinished():
        tokens_b += [e.token_id for e in engine.step() if e.request_id == b]
    assert len(tokens_b) == GREEDY.max_tokens - 3
    assert tokens_b == naive_greedy(model, [8, 9, 10, 11], GREEDY.max_tokens)[3:]


def test_bad_input_gives_clear_errors(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size)
    engine = Engine(model, tokenizer)
    with pytest.raises(SamplingError, match="top_p=1.5"):
        engine.generate("hi", SamplingParams(top_p=1.5))
    with pytest.raises(SamplingError, match="temperature=-1"):
        engine.generate("hi", SamplingParams(temperature=-1))
    with pytest.raises(SamplingError, match="top_k=0"):
        engine.generate("hi", SamplingParams(top_k=0))
    with pytest.raises(SamplingError, match="max_tokens=0"):
        engine.generate("hi", SamplingParams(max_tokens=0))
    with pytest.raises(ContextLengthError, match="200 tokens .* context holds 128"):
        engine.generate([5] * 200)
    with pytest.raises(ContextLengthError, match="empty"):
        engine.generate("")
    with pytest.raises(ContextLengthError, match="empty"):
        engine.generate([[1, 2], []])
    with pytest.raises(ConfigError, match="needs a tokenizer"):
        Engine(model).generate("hi")
    with pytest.raises(SamplingError, match="needs text"):
        Engine(model).generate([1, 2], SamplingParams(stop=["x"]))
    with pytest.raises(ConfigError, match="kind 'encoder'"):
        Engine(tiny_model(50, kind="encoder"))
    assert not engine.has_unfinished()  # nothing half-queued after the errors


def test_repetition_penalty_in_the_engine_matches_a_manual_loop(tokenizer, tiny_model):
    model = tiny_model(tokenizer.vocab_size, seed=0)
    prompt = tokenizer.encode("a")  # this model repeats "a" forever without a penalty
    params = SamplingParams(temperature=0, max_tokens=10, repetition_penalty=1.8,
                            ignore_eos=True)
    [c] = Engine(model, tokenizer).generate([prompt, [9, 9]], params)[:1]
    ids = list(prompt)
    with torch.no_grad():
        for _ in range(10):  # CTRL by hand: penalise every token seen so far
            logits = model.logits(model(torch.tensor([ids]))[0, -1]).clone()
            seen = torch.tensor(sorted(set(ids)))
            logits[seen] = torch.where(logits[seen] > 0, logits[seen] / 1.8, logits[seen] * 1.8)
            ids.append(int(logits.argmax()))
    assert c.token_ids == ids[len(prompt):]
    assert c.token_ids != naive_greedy(model, prompt, 10)  # the penalty did change the output
