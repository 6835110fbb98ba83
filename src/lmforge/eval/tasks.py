"""Evaluation tasks as files: a YAML that says how to prompt and score, a JSONL of records.

    name: arithmetic
    type: generation              # multiple_choice | generation | code
    data: arithmetic.jsonl        # relative to the YAML file
    prompt: "Q: {question}\\nA:"   # a format string over each record's fields
    answer: answer                # the field with the reference answer (for multiple
                                  # choice: the index of the right choice, or its text)
    choices: choices              # multiple choice: the field with the list of choices
    metrics: [exact_match]        # generation: exact_match, bleu, chrf, rouge
    language: en                  # zh switches BLEU and ROUGE to Chinese tokenization
    max_tokens: 16                # generation settings
    stop: ["\\n"]
    cot_trigger: "Let's think step by step."   # used with chain-of-thought prompting
    samples: 5                    # code: completions per problem, scored by pass@k
    k: [1, 5]

Users add tasks by writing these two files; `load_task("arithmetic")` finds the built-in
ones shipped in `lmforge/eval/data/`. Every record is checked when the task loads: a
missing field is an error naming the file, the line and the field.
Test: `pytest tests/eval/test_tasks.py`.
"""

import string
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from lmforge.data.jsonl import iter_jsonl
from lmforge.errors import DataError

TASK_TYPES = ("multiple_choice", "generation", "code")
GENERATION_METRICS = ("exact_match", "bleu", "chrf", "rouge")
BUILTIN_DIR = files("lmforge.eval") / "data"
_KEYS = {"name", "description", "type", "data", "prompt", "answer", "choices", "metrics",
         "language", "max_tokens", "stop", "cot_trigger", "samples", "k", "target_prefix",
         "temperature", "rationale"}


@dataclass
class Task:
    name: str
    type: str
    records: list[dict]
    prompt: str
    answer: str = "answer"
    choices: str | None = None
    metrics: list[str] = field(default_factory=lambda: ["exact_match"])
    language: str = "en"
    max_tokens: int = 32
    stop: list[str] = field(default_factory=lambda: ["\n"])
    cot_trigger: str = "Let's think step by step."
    samples: int = 1
    k: list[int] = field(default_factory=lambda: [1])
    target_prefix: str = " "
    temperature: float = 0.8
    rationale: str | None = None
    """Field with a worked solution, shown in chain-of-thought few-shot examples."""
    description: str = ""
    source: str = ""

    def render(self, record: dict) -> str:
        return self.prompt.format(**record)

    def choice_texts(self, record: dict) -> list[str]:
        return list(record[self.choices])

    def gold_index(self, record: dict) -> int:
        """The index of the right choice (the answer field holds an index or the text)."""
        gold, options = record[self.answer], self.choice_texts(record)
        return gold if isinstance(gold, int) else options.index(gold)


def builtin_tasks() -> list[str]:
    return sorted(p.name.removesuffix(".yaml") for p in BUILTIN_DIR.iterdir()
                  if p.name.endswith(".yaml"))


def load_task(name_or_path: str | Path) -> Task:
    """A built-in task by name, or a task YAML file."""
    path = Path(name_or_path)
    if not path.suffix and str(name_or_path) in builtin_tasks():
        path = Path(str(BUILTIN_DIR / f"{name_or_path}.yaml"))
    if not path.is_file():
        raise DataError(f"no task {str(name_or_path)!r}: not a file, and not a built-in task "
                        f"({', '.join(builtin_tasks())})")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise DataError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(spec, dict):
        raise DataError(f"{path}: a task file is a mapping of settings")
    _check_spec(spec, path)
    records = _read_records(path.parent / spec["data"])
    task = Task(**{k: v for k, v in spec.items() if k not in ("data",)}, records=records,
                source=str(path))
    _check_records(task, path.parent / spec["data"])
    return task


def _check_spec(spec: dict, path: Path) -> None:
    unknown = set(spec) - _KEYS
    if unknown:
        raise DataError(f"{path}: unknown key {sorted(unknown)[0]!r} (known: "
                        f"{', '.join(sorted(_KEYS))})")
    for key in ("name", "type", "data", "prompt"):
        if key not in spec:
            raise DataError(f"{path}: missing required key {key!r}")
    if spec["type"] not in TASK_TYPES:
        raise DataError(f"{path}: type must be one of {', '.join(TASK_TYPES)}, got "
                        f"{spec['type']!r}")
    if spec["type"] == "multiple_choice" and "choices" not in spec:
        raise DataError(f"{path}: a multiple_choice task needs 'choices' (the field holding "
                        "the list of options)")
    for metric in spec.get("metrics", []):
        if spec["type"] == "generation" and metric not in GENERATION_METRICS:
            raise DataError(f"{path}: unknown metric {metric!r} (generation tasks: "
                            f"{', '.join(GENERATION_METRICS)})")


def _read_records(path: Path) -> list[dict]:
    if not path.is_file():
        raise DataError(f"task data file {path} does not exist")
    records = [{**record, "_line": n} for n, record in iter_jsonl(path)]
    if not records:
        raise DataError(f"{path}: no records")
    return records


def _check_records(task: Task, path: Path) -> None:
    needed = {f for _, f, _, _ in string.Formatter().parse(task.prompt) if f}
    needed.add(task.answer if task.type != "code" else "tests")
    if task.choices:
        needed.add(task.choices)
    for record in task.records:
        missing = sorted(needed - set(record))
        if missing:
            raise DataError(f"{path} line {record['_line']}: missing field {missing[0]!r} "
                            f"(task {task.name!r} uses {', '.join(sorted(needed))})")
        if task.type == "multiple_choice":
            _check_choice(task, record, path)


def _check_choice(task: Task, record: dict, path: Path) -> None:
    options, gold = record[task.choices], record[task.answer]
    where = f"{path} line {record['_line']}"
    if not isinstance(options, list) or len(options) < 2:
        raise DataError(f"{where}: {task.choices!r} must be a list of at least 2 choices")
    if isinstance(gold, int) and not 0 <= gold < len(options):
        raise DataError(f"{where}: answer index {gold} is out of range for "
                        f"{len(options)} choices")
    if not isinstance(gold, int) and gold not in options:
        raise DataError(f"{where}: answer {gold!r} is not one of the choices")
