"""lm-evaluation-harness evaluates an lmforge model through the registered adapter, on a
local task (a task YAML and a JSONL in a temp dir: no download)."""

import json
from types import SimpleNamespace

import pytest

from lmforge.eval import runner
from lmforge.eval.loglikelihood import loglikelihoods, rolling_loglikelihood
from lmforge.eval.tasks import load_task

TASK_YAML = """\
task: lmforge_local_mc
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: multiple_choice
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_choice: "{{{{choices}}}}"
doc_to_target: "{{{{answer}}}}"
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
  - metric: acc_norm
    aggregation: mean
    higher_is_better: true
"""


@pytest.fixture
def adapter(tiny_lm):
    from lmforge.eval.harness import LmforgeLM

    return LmforgeLM(lm=tiny_lm, batch_size=4)


@pytest.mark.slow
def test_lm_eval_runs_a_local_task_and_agrees_with_lmforge_eval(tiny_lm, adapter, tmp_path,
                                                               monkeypatch):
    import lm_eval
    from lm_eval.tasks import TaskManager

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    task = load_task("mc_en")
    records = [{k: v for k, v in r.items() if k != "_line"} for r in task.records[:8]]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "local.yaml").write_text(TASK_YAML.format(data=data), encoding="utf-8")
    out = lm_eval.simple_evaluate(model=adapter, tasks=["lmforge_local_mc"],
                                  task_manager=TaskManager(include_path=str(tmp_path)),
                                  num_fewshot=0)
    harness = out["results"]["lmforge_local_mc"]
    ours = runner.evaluate_task(tiny_lm, task, shots=0, limit=8)
    assert harness["acc,none"] == pytest.approx(ours["acc"])
    assert harness["acc_norm,none"] == pytest.approx(ours["acc_norm"])


def test_adapter_loglikelihood_matches_the_split_lmforge_eval_uses(tiny_lm, adapter):
    requests = [SimpleNamespace(args=("Question: 2 + 3?\nAnswer:", " 5")),
                SimpleNamespace(args=("the quick", " brown fox"))]
    got = adapter.loglikelihood(requests)
    pairs = [runner.split_tokens(tiny_lm.tokenizer, *r.args) for r in requests]
    assert got == loglikelihoods(tiny_lm.model, pairs)


def test_adapter_rolling_loglikelihood_scores_every_token_after_a_prefix(tiny_lm, adapter):
    text = "the quick brown fox jumps over the lazy dog. " * 2
    [total] = adapter.loglikelihood_rolling([SimpleNamespace(args=(text,))])
    ids = adapter.prefix_ids + tiny_lm.tokenizer.encode(text, parse_special=False)
    assert adapter.prefix_ids == [tiny_lm.tokenizer.eos_id]
    expected, scored = rolling_loglikelihood(tiny_lm.model, ids, adapter.max_length,
                                             adapter.max_length)
    assert total == pytest.approx(expected) and scored == len(ids) - 1


def test_adapter_generate_until_stops_and_matches_the_engine(tiny_lm, adapter):
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams

    requests = [SimpleNamespace(args=("the quick", {"until": ["\n"], "max_gen_toks": 6})),
                SimpleNamespace(args=("def add(a, b):", {"until": "\n", "max_gen_toks": 4}))]
    got = adapter.generate_until(requests)
    engine = Engine(tiny_lm.model, tiny_lm.tokenizer)
    expected = [engine.generate(r.args[0], SamplingParams(
        max_tokens=r.args[1]["max_gen_toks"], temperature=0, stop=["\n"]))[0].text
        for r in requests]
    assert got == expected and all("\n" not in g for g in got)
