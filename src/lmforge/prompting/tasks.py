"""The problems the techniques are measured on, each with its own answer check.

    word_problems   the RL chapter's arithmetic word problems (data/synthetic/arithmetic.py,
                    level 1, held-out `test` split); few-shot examples from the `train` split
    game24          Game-of-24 puzzles shipped in prompting/data/game24.jsonl (40, all
                    solvable), checked by game24.is_solution
    mc_en, mc_zh    the evaluation chapter's multiple-choice sets (eval/data), asked as
                    lettered options; the reply's letter is checked
    arithmetic      the evaluation chapter's 40 two-number questions, with worked rationales

    problems, pool = load_problems("word_problems", limit=50)

`pool` holds solved examples for few-shot prompts; for the sets without a separate pool the
other problems of the set serve, and a question is never its own example (few_shot.py).
Test: `pytest tests/prompting/test_tasks.py`.
"""

import json
import re
from dataclasses import dataclass, field
from importlib.resources import files

from lmforge.errors import ConfigError
from lmforge.prompting.game24 import is_solution, read_expression, show

TASKS = ("word_problems", "game24", "mc_en", "mc_zh", "arithmetic")
LETTERS = "ABCDEFGH"
NUMBER_INSTRUCTION = "End your reply with: The answer is N."
CHOICE_INSTRUCTION = {"en": "Reply with the letter of the right choice.",
                      "zh": "请回答正确选项的字母。"}
GAME24_QUESTION = ("Use the numbers {numbers}, each exactly once, with + - * / and brackets, "
                   "to make 24. Reply with the expression.")


@dataclass
class Problem:
    """One question, its gold answer, and what kind of check reads a reply."""

    question: str
    answer: str
    kind: str
    """number (exact numeric match), choice (a letter), game24 (the verifier)."""
    solution: str = ""
    """A worked solution ending in the answer, shown when the problem is a few-shot example."""
    numbers: list[int] = field(default_factory=list)
    """game24: the four numbers."""
    language: str = "en"

    def is_correct(self, answer: str | None) -> bool:
        """Whether a parsed answer is right."""
        from lmforge.verify.answers import exact_match

        if answer is None:
            return False
        if self.kind == "game24":
            return is_solution(answer, self.numbers)
        if self.kind == "choice":
            return answer.upper() == self.answer
        return exact_match(answer, self.answer)


def parse_answer(problem: Problem, reply: str) -> str | None:
    """The final answer in a reply, read the way each kind of problem writes it."""
    from lmforge.verify.answers import extract_answer

    if problem.kind == "game24":
        return read_expression(reply)
    if problem.kind == "choice":
        return read_letter(reply)
    return extract_answer(reply)


def read_letter(reply: str) -> str | None:
    """A choice letter: the one after "answer is"/"答案" if present, else the first
    standalone capital A-H (so "B. Mars" and "(B)" both read as B)."""
    said = re.search(r"(?:answer(?: is)?|答案(?:是)?)\s*[:：]?\s*\(?([A-H])\b", reply, re.I)
    if said:
        return said[1].upper()
    found = re.search(r"(?<![A-Za-z])([A-H])(?![a-z])", reply)
    return found[1] if found else None


def load_problems(name: str, limit: int | None = None) -> tuple[list[Problem], list[Problem]]:
    """(problems, few-shot pool) of a task; an unknown name is an error listing the known."""
    loaders = {"word_problems": _word_problems, "game24": _game24, "mc_en": _choices,
               "mc_zh": _choices, "arithmetic": _arithmetic}
    if name not in loaders:
        raise ConfigError(f"unknown prompting task {name!r} (known: {', '.join(TASKS)})")
    problems, pool = loaders[name](name, limit)
    return problems[:limit], pool


def _word_problems(name: str, limit: int | None) -> tuple[list[Problem], list[Problem]]:
    from lmforge.data.synthetic import arithmetic

    test = arithmetic.generate(limit or 100, split="test", seed=1337, level=1)
    train = arithmetic.generate(32, split="train", seed=0, level=1)
    return [_word_problem(r) for r in test], [_word_problem(r) for r in train]


def _word_problem(record: dict) -> Problem:
    a, b = (int(n) for n in re.findall(r"\d+", record["question"])[:2])
    op = "-" if "gives away" in record["question"] else "+"
    working = f"{a} {op} {b} = {record['answer']}. The answer is {record['answer']}."
    return Problem(f"{record['question']} {NUMBER_INSTRUCTION}", record["answer"], "number",
                   working)


def _game24(name: str, limit: int | None) -> tuple[list[Problem], list[Problem]]:
    lines = (files("lmforge.prompting") / "data" / "game24.jsonl").read_text(encoding="utf-8")
    problems = []
    for line in lines.splitlines():
        record = json.loads(line)
        numbers = record["numbers"]
        problems.append(Problem(GAME24_QUESTION.format(numbers=show(numbers)), "24",
                                "game24", f"{record['solution']} = 24", numbers))
    return problems, problems


def _choices(name: str, limit: int | None) -> tuple[list[Problem], list[Problem]]:
    from lmforge.eval.tasks import load_task

    task = load_task(name)
    problems = []
    for record in task.records:
        options = task.choice_texts(record)
        letter = LETTERS[task.gold_index(record)]
        lines = [record["question"], *(f"{LETTERS[i]}. {o}" for i, o in enumerate(options)),
                 CHOICE_INSTRUCTION[task.language]]
        said = "答案是" if task.language == "zh" else "The answer is "
        problems.append(Problem("\n".join(lines), letter, "choice", f"{said}{letter}.",
                                language=task.language))
    return problems, problems


def _arithmetic(name: str, limit: int | None) -> tuple[list[Problem], list[Problem]]:
    from lmforge.eval.tasks import load_task

    task = load_task("arithmetic")
    problems = [Problem(f"{r['question']} {NUMBER_INSTRUCTION}", str(r["answer"]), "number",
                        r.get("rationale", f"The answer is {r['answer']}."))
                for r in task.records]
    return problems, problems
