"""Lesson 1: the candidates are the Engine's own next-token distribution, step by step."""

import math

import pytest
import torch

from lmforge.errors import ConfigError, ContextLengthError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.learn import lesson_engine, next_token, word_by_word


def engine_top(engine: Engine, ids: list[int], n: int) -> list[tuple[int, float]]:
    """The Engine's own top-n (id, probability) for the next token after ids."""
    [done] = engine.generate(ids, SamplingParams(max_tokens=1, temperature=0, logprobs=n))
    return [(i, math.exp(lp)) for i, lp in done.logprobs[0].top]


def test_candidates_equal_the_engines_softmax(engine, tiny_tokenizer):
    prompt = "the cat sat on"
    ids = tiny_tokenizer.encode(prompt, add_special=True, parse_special=False)
    shown = next_token(engine, prompt, top=10)
    expected = engine_top(lesson_engine(engine.model, tiny_tokenizer), ids, 10)
    assert [c["id"] for c in shown["candidates"]] == [i for i, _ in expected]
    for c, (_, p) in zip(shown["candidates"], expected, strict=True):
        assert abs(c["p"] - p) < 1e-6
    assert shown["chosen"] == expected[0][0]
    # and it is the model's plain softmax at temperature 1 on the raw prompt
    plain = torch.softmax(engine.model.logits(engine.model(torch.tensor([ids]))[0, -1]), -1)
    assert [c["p"] for c in shown["candidates"]] == pytest.approx(
        plain.topk(10).values.tolist(), abs=1e-5)


def test_a_chosen_branch_continues_from_the_chosen_token(engine, tiny_tokenizer):
    first = next_token(engine, "the dog", top=5)
    branch = first["candidates"][3]["id"]  # not the greedy pick
    second = next_token(engine, "the dog", [branch], top=5)
    ids = tiny_tokenizer.encode("the dog", add_special=True, parse_special=False)
    expected = engine_top(engine, ids + [branch], 5)
    assert [c["id"] for c in second["candidates"]] == [i for i, _ in expected]
    assert max(abs(c["p"] - p) for c, (_, p) in
               zip(second["candidates"], expected, strict=True)) < 1e-6
    assert second["continuation"] == [branch]
    assert second["text"] == tiny_tokenizer.decode([branch], skip_special=True)


def test_word_by_word_follows_greedy_generation(engine, tiny_tokenizer):
    shown = word_by_word(engine, "the cat", steps=6, top=3)
    steps = shown["steps"]
    [greedy] = engine.generate(tiny_tokenizer.encode("the cat", add_special=True,
                                                     parse_special=False),
                               SamplingParams(max_tokens=6, temperature=0))
    assert [s["chosen"] for s in steps] == greedy.token_ids
    assert all(len(s["candidates"]) == 3 for s in steps)
    assert steps[-1]["continuation"] == greedy.token_ids[:-1]
    written = [t for t in greedy.token_ids if t not in tiny_tokenizer.stop_ids]
    assert shown["token_ids"] == written
    assert shown["text"] == tiny_tokenizer.decode(written, skip_special=True)


@pytest.mark.slow
def test_bundled_model_candidates_equal_the_engines_softmax(bundled_engine, smollm2):
    shown = next_token(bundled_engine, "今天天气真", top=10)
    ids = smollm2.tokenizer.encode("今天天气真", add_special=True, parse_special=False)
    expected = engine_top(bundled_engine, ids, 10)
    assert [c["id"] for c in shown["candidates"]] == [i for i, _ in expected]
    assert max(abs(c["p"] - p) for c, (_, p) in
               zip(shown["candidates"], expected, strict=True)) < 1e-6
    assert 0.05 < shown["candidates"][0]["p"] <= 1


def test_bad_input_names_the_problem(engine, encoder, tiny_tokenizer):
    with pytest.raises(ContextLengthError, match="prompt is empty"):
        next_token(engine, "")
    with pytest.raises(ContextLengthError, match="lessons hold at most 63"):
        next_token(engine, "the cat sat on the mat. " * 20)
    for top in (0, -3):
        with pytest.raises(SamplingError, match=f"top={top} is invalid"):
            next_token(engine, "the cat", top=top)
    with pytest.raises(ConfigError, match="not an id in 0..319"):
        next_token(engine, "the cat", [320])
    with pytest.raises(ConfigError, match="needs a decoder model; this model is kind 'encoder'"):
        lesson_engine(encoder, tiny_tokenizer)
