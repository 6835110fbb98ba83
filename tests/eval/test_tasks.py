"""Task files (YAML + JSONL): built-ins load, bad files name the problem, prompts are
reproducible few-shot / chain-of-thought prompts."""

import json

import pytest

from lmforge.errors import DataError
from lmforge.eval.prompting import build_prompt
from lmforge.eval.tasks import builtin_tasks, load_task


def write_task(tmp_path, records, **spec):
    base = {"name": "t", "type": "generation", "data": "t.jsonl", "prompt": "Q: {question}\nA:"}
    base.update(spec)
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                              for r in records), encoding="utf-8")
    lines = []
    for key, value in base.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    (tmp_path / "t.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "t.yaml"


def test_builtin_tasks_load_with_their_records():
    assert {"arithmetic", "mc_en", "mc_zh", "code_basic"} <= set(builtin_tasks())
    arithmetic = load_task("arithmetic")
    assert arithmetic.type == "generation" and len(arithmetic.records) == 40
    mc = load_task("mc_zh")
    assert mc.type == "multiple_choice" and mc.language == "zh"
    assert all(0 <= mc.gold_index(r) < 4 for r in mc.records)
    assert load_task("code_basic").samples == 5


def test_missing_field_names_file_line_and_field(tmp_path):
    path = write_task(tmp_path, [{"question": "1+1?", "answer": "2"}, {"question": "2+2?"}])
    with pytest.raises(DataError, match=r"t.jsonl line 2: missing field 'answer'"):
        load_task(path)


@pytest.mark.parametrize(("records", "spec", "message"), [
    ([{"question": "q", "choices": ["a"], "answer": 0}],
     {"type": "multiple_choice", "choices": "choices"}, "at least 2 choices"),
    ([{"question": "q", "choices": ["a", "b"], "answer": 5}],
     {"type": "multiple_choice", "choices": "choices"}, "index 5 is out of range"),
    ([{"question": "q", "choices": ["a", "b"], "answer": "c"}],
     {"type": "multiple_choice", "choices": "choices"}, "'c' is not one of the choices"),
    ([{"question": "q", "answer": "a"}], {"type": "multiple_choice"}, "needs 'choices'"),
    ([{"question": "q", "answer": "a"}], {"type": "essay"}, "type must be one of"),
    ([{"question": "q", "answer": "a"}], {"metrics": ["meteor"]}, "unknown metric 'meteor'"),
    ([{"question": "q", "answer": "a"}], {"colour": "red"}, "unknown key 'colour'"),
])
def test_bad_task_files(tmp_path, records, spec, message):
    with pytest.raises(DataError, match=message):
        load_task(write_task(tmp_path, records, **spec))


def test_bad_json_line_and_missing_files(tmp_path):
    path = write_task(tmp_path, [{"question": "q", "answer": "a"}])
    (tmp_path / "t.jsonl").write_text('{"question": "q", "answer": "a"}\n{oops\n')
    with pytest.raises(DataError, match="t.jsonl:2: not valid JSON"):
        load_task(path)
    with pytest.raises(DataError, match="no task 'nope'"):
        load_task("nope")


def test_few_shot_prompts_are_seeded_and_never_show_the_question():
    task = load_task("arithmetic")
    prompt = build_prompt(task, 0, shots=3, seed=7)
    assert prompt == build_prompt(task, 0, shots=3, seed=7)
    assert prompt != build_prompt(task, 0, shots=3, seed=8)
    parts = prompt.split("\n\n")
    assert len(parts) == 4 and parts[-1] == task.render(task.records[0])
    for shot in parts[:3]:
        question = shot.split("\n")[0]
        assert question != f"Question: {task.records[0]['question']}"
        record = next(r for r in task.records if f"Question: {r['question']}" == question)
        assert shot.endswith(f"Answer: {record['answer']}")


def test_chain_of_thought_prompts_show_worked_examples():
    task = load_task("arithmetic")
    prompt = build_prompt(task, 1, shots=1, seed=0, cot=True)
    example, question = prompt.split("\n\n")
    assert "Let's think step by step." in example and "The answer is" in example
    assert question.endswith("Answer: Let's think step by step.")


def test_multiple_choice_examples_show_the_right_choice():
    task = load_task("mc_en")
    example = build_prompt(task, 0, shots=1, seed=0).split("\n\n")[0]
    record = next(r for r in task.records if example.startswith(task.render(r)))
    assert example.endswith(" " + record["choices"][record["answer"]])
