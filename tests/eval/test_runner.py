"""Running tasks: multiple choice by log-likelihood, generation through the Engine, code
through the sandbox as pass@k, and a results table comparing two models."""

import json

import numpy as np
import pytest

from lmforge.eval import runner
from lmforge.eval.loglikelihood import loglikelihoods
from lmforge.eval.metrics import pass_at_k
from lmforge.eval.prompting import build_prompt
from lmforge.eval.tasks import load_task


def test_multiple_choice_accuracy_equals_a_hand_argmax(tiny_lm):
    task = load_task("mc_en")
    scores = runner.evaluate_task(tiny_lm, task, shots=1, limit=6)
    acc, acc_norm = [], []
    for i in range(6):
        record, prompt = task.records[i], build_prompt(task, i, 1, 0)
        sums, per_char = [], []
        for choice in record["choices"]:
            ctx, cont = runner.split_tokens(tiny_lm.tokenizer, prompt, " " + choice)
            [(lp, _)] = loglikelihoods(tiny_lm.model, [(ctx, cont)])
            sums.append(lp)
            per_char.append(lp / len(choice))
        acc.append(np.argmax(sums) == record["answer"])
        acc_norm.append(np.argmax(per_char) == record["answer"])
    assert scores["n"] == 6
    assert scores["acc"] == pytest.approx(np.mean(acc))
    assert scores["acc_norm"] == pytest.approx(np.mean(acc_norm))


def test_generation_goes_through_the_engine_and_is_scored(tiny_lm, monkeypatch):
    task = load_task("arithmetic")
    calls = []
    real = runner._complete

    def spy(lm, prompts, *args, **kwargs):
        calls.append(len(prompts))
        outputs = real(lm, prompts, *args, **kwargs)
        # make the first two answers right, so the score is not trivially 0
        return [f" {task.records[i]['answer']}" if i < 2 else o for i, o in enumerate(outputs)]

    monkeypatch.setattr(runner, "_complete", spy)
    scores = runner.evaluate_task(tiny_lm, task, limit=5)
    assert calls == [5]  # one batched Engine call for the whole task
    assert scores["exact_match"] == pytest.approx(2 / 5)


def test_code_tasks_report_pass_at_k_from_the_sandbox(tiny_lm, monkeypatch):
    task = load_task("code_basic")
    right = {"add": "    return a + b\n", "is_even": "    return n % 2 == 0\n"}
    wrong = "    return None\n"

    def fake_model(lm, prompts, max_tokens, stop, temperature, seed):
        # sample j of problem p is right for j < p + 1 (problem 0: 1 of 5, problem 1: 2 of 5)
        out = []
        for n in range(len(prompts)):
            problem, sample = divmod(n, task.samples)
            name = "add" if problem == 0 else "is_even"
            out.append(right[name] if sample < problem + 1 else wrong)
        return out

    monkeypatch.setattr(runner, "_complete", fake_model)
    scores = runner.evaluate_task(tiny_lm, task, limit=2)
    for k in (1, 5):
        expected = (pass_at_k(5, 1, k) + pass_at_k(5, 2, k)) / 2
        assert scores[f"pass@{k}"] == pytest.approx(expected)


def test_base_and_tuned_models_share_one_table(tiny_lm, tiny_lm_b, tmp_path):
    results = runner.evaluate_models({"base": tiny_lm, "tuned": tiny_lm_b}, ["mc_en", "mc_zh"],
                                     shots=0, limit=4)
    json_path, md_path = runner.write_results(results, tmp_path)
    saved = json.loads(json_path.read_text())
    assert set(saved["results"]) == {"base", "tuned"}
    table = md_path.read_text()
    assert "| task | metric | base | tuned |" in table
    assert table.count("| mc_en | acc |") == 1 and "| mc_zh | acc_norm |" in table
    base_acc = saved["results"]["base"]["mc_en"]["acc"]
    assert f"| mc_en | acc | {base_acc:.4f} |" in table
