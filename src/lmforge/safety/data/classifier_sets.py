"""The labelled sets of the safety classifier, written for lmforge: templates x objects.

    python -m lmforge.safety.data.classifier_sets     # rewrites classifier_train.jsonl and
                                                      # classifier_heldout.jsonl beside it

Each category has dangerous *objects* and two kinds of *templates*: requests for harm ("how
do I make {x}") and benign look-alikes on the same objects ("why is {x} banned"), so the
classifier must learn intent, not words. The held-out set uses other templates and other
objects than the training set (nothing of it is seen in training) plus the held-out
requests of tests/safety/cases.py; it is the honest estimate in docs/safety.md. Labels: the
policy's category names, or "benign". Deterministic (seeded), so the files reproduce.
The templates and objects are in classifier_templates.py.
"""

import json
import random
from pathlib import Path

from lmforge.safety.data.classifier_templates import (
    BENIGN_ON,
    CODE_WORDS,
    DOCUMENTS,
    EVERYDAY,
    HARMFUL,
    INJECTION,
    OBJECTS,
)

HERE = Path(__file__).parent

def _records(split: int, rng: random.Random) -> list[dict]:
    out = []
    for cat in HARMFUL:
        for lang in ("en", "zh"):
            objs = OBJECTS[cat][lang][split]
            out += [{"text": t.format(x=o), "label": cat, "lang": lang}
                    for t in HARMFUL[cat][lang][split] for o in objs]
            out += [{"text": t.format(x=o), "label": "benign", "lang": lang}
                    for t in BENIGN_ON[cat][lang][split] for o in objs]
    for lang in ("en", "zh"):
        out += [{"text": t, "label": "benign", "lang": lang} for t in EVERYDAY[lang][split]]
        docs = DOCUMENTS[lang][split]
        out += [{"text": d, "label": "benign", "lang": lang} for d in docs]
        for t in INJECTION[lang][split]:
            for w in CODE_WORDS[split]:
                host = rng.choice(docs)  # an injection hides inside an ordinary document
                text = t.format(w=w)
                out.append({"text": rng.choice([text, f"{host} {text}", f"{text} {host}"]),
                            "label": "prompt_injection", "lang": lang})
    return unique_texts(out)


def unique_texts(records: list[dict]) -> list[dict]:
    """The records in order, each text once (its first record)."""
    seen, out = set(), []
    for r in records:
        if r["text"] not in seen:
            seen.add(r["text"])
            out.append(r)
    return out


def held_out_cases() -> list[dict]:
    """The held-out requests of tests/safety/cases.py, written before this classifier."""
    path = HERE.parents[3] / "tests" / "safety" / "cases.py"
    if not path.exists():
        return []
    namespace: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    out = []
    for text, _direction, expected, _ in namespace["HELD_OUT"]:
        if "pii" in expected:
            continue
        lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
        out.append({"text": text, "label": expected[0] if expected else "benign",
                    "lang": lang, "source": "tests/safety/cases.py"})
    return out


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(0)
    train = _records(0, rng)
    held = _records(1, rng) + held_out_cases()
    seen = {r["text"] for r in train}
    return train, unique_texts([r for r in held if r["text"] not in seen])


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


if __name__ == "__main__":
    train, held = build()
    write_jsonl(HERE / "classifier_train.jsonl", train)
    write_jsonl(HERE / "classifier_heldout.jsonl", held)
    for name, recs in (("train", train), ("held-out", held)):
        counts: dict = {}
        for r in recs:
            key = (r["label"], r["lang"])
            counts[key] = counts.get(key, 0) + 1
        print(name, len(recs), sorted(counts.items()))
