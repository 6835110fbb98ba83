"""Prompts for evaluation: zero-shot, few-shot (k solved examples drawn with a seed), and
chain-of-thought (a trigger phrase, and worked solutions in the examples).

    zero-shot      "Question: What is 2 + 3?\\nAnswer:"
    few-shot, k=2  "Question: What is 7 * 8?\\nAnswer: 56\\n\\nQuestion: ...\\nAnswer: 12\\n\\n"
                   + the zero-shot prompt
    CoT            "... Answer: Let's think step by step." and examples that show their
                   working ("7 * 8 = 56. The answer is 56."); the final answer is read back
                   with the verifiers' answer extraction

Few-shot examples never include the record being asked (drawn from the other records with
`random.Random(seed + index)`, so a run is reproducible and each question gets its own set).
Test: `pytest tests/eval/test_tasks.py`.
"""

import random

from lmforge.eval.tasks import Task

SEPARATOR = "\n\n"


def solved_text(task: Task, record: dict, cot: bool) -> str:
    """What a solved example shows after its prompt."""
    if task.type == "multiple_choice":
        return task.target_prefix + task.choice_texts(record)[task.gold_index(record)]
    if cot and task.rationale and record.get(task.rationale):
        return f" {task.cot_trigger} {record[task.rationale]}"
    return f" {record[task.answer]}"


def draw_examples(n_records: int, index: int | None, shots: int, seed: int) -> list[int]:
    """`shots` record indices drawn with `random.Random(seed + index)`, never `index` itself
    (None: a question from outside the records, so any record may serve)."""
    others = [i for i in range(n_records) if i != index]
    return random.Random(seed + (index or 0)).sample(others, shots)


def build_prompt(task: Task, index: int, shots: int = 0, seed: int = 0, cot: bool = False
                 ) -> str:
    """The prompt for record `index`: `shots` solved examples, then the question."""
    record = task.records[index]
    if shots > len(task.records) - 1:
        raise ValueError(f"task {task.name!r} has {len(task.records)} records: not enough for "
                         f"{shots} examples plus the question")
    chosen = draw_examples(len(task.records), index, shots, seed)
    examples = [task.render(task.records[i]) + solved_text(task, task.records[i], cot)
                for i in chosen]
    question = task.render(record)
    if cot and task.type == "generation":
        question += f" {task.cot_trigger}"
    return SEPARATOR.join([*examples, question])
