"""JSON extraction: read facts from a short text into an object that matches a schema.

    text    "Rosa Silva is 34 years old. She lives in Lisbon and works as a nurse."
    answer  {"name": "Rosa Silva", "age": 34, "city": "Lisbon", "job": "nurse"}

The schema (required fields and types) goes in the task, so the json_schema verifier
checks the format and json_match checks the values.
Test: `pytest tests/data/test_checkable_tasks.py`.
"""

import json
import random

from lmforge.data.synthetic.splits import collect

FIRST = ["Rosa", "Ivan", "Mei", "Tomas", "Aisha", "Lars", "Noor", "Diego", "Yuki", "Kwame"]
LAST = ["Silva", "Petrov", "Chen", "Novak", "Bello", "Berg", "Haddad", "Ruiz", "Sato", "Mensah"]
CITIES = ["Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Porto", "Cairo", "Quito", "Riga"]
JOBS = ["nurse", "pilot", "baker", "teacher", "chemist", "carpenter", "lawyer", "farmer"]
FIELDS = {"name": {"type": "string"}, "age": {"type": "integer"},
          "city": {"type": "string"}, "job": {"type": "string"}}
INSTRUCTION = "Reply with only a JSON object with the fields {fields}."


def make_task(rng: random.Random) -> dict:
    person = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "age": rng.randint(18, 90),
              "city": rng.choice(CITIES), "job": rng.choice(JOBS)}
    pronoun = rng.choice(["She", "He", "They"])
    verb = "live" if pronoun == "They" else "lives"
    work = "work" if pronoun == "They" else "works"
    text = (f"{person['name']} is {person['age']} years old. {pronoun} {verb} in "
            f"{person['city']} and {work} as a {person['job']}.")
    wanted = sorted(rng.sample(list(FIELDS), rng.randint(2, 4)))
    schema = {"type": "object", "required": wanted, "additionalProperties": False,
              "properties": {f: FIELDS[f] for f in wanted}}
    return {"question": f"Text: {text}", "schema": schema,
            "answer": {f: person[f] for f in wanted}, "fields": wanted}


def generate(n: int, split: str = "train", seed: int = 0,
             instruction: str = INSTRUCTION) -> list[dict]:
    """n distinct extraction tasks of one split, deterministic in seed."""
    rng = random.Random(f"json-{seed}-{split}")

    def draw() -> dict:
        task = make_task(rng)
        fields = ", ".join(task.pop("fields"))
        task["question"] += f" Fields: {fields}."  # same text, other fields: another task
        prompt = f"{task['question']} {instruction.format(fields=fields)}"
        return {"prompt": prompt, **task}

    return collect(n, split, draw)


def schema_json(task: dict) -> str:
    return json.dumps(task["schema"])
