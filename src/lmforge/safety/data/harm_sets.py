"""The training set of the harmful-request classifier (harm_classifier.py).

    python -m lmforge.safety.data.harm_sets     # rewrites harm_train.jsonl beside it

It is the n-gram classifier's training set (classifier_train.jsonl) less its prompt
injections (injection detection has its own classifier), plus harm_templates.py's
templates x objects: many more phrasings per category in both languages, and benign
look-alikes on the same objects. The three sets and what each is for:

- harm_train.jsonl: training;
- classifier_heldout.jsonl: development (read while building; the thresholds are chosen
  on it);
- classifier_test.jsonl: the sealed test set (classifier_test_set.py), written before
  this training set and never tuned on; the numbers in docs/safety.md come from it.
"""

import json
from pathlib import Path

from lmforge.safety.data.harm_templates import BENIGN_ON, EVERYDAY, HARMFUL, OBJECTS

HERE = Path(__file__).parent


def _extra() -> list[dict]:
    out = []
    for cat, by_lang in OBJECTS.items():
        for lang, objs in by_lang.items():
            for t in HARMFUL[cat][lang]:
                texts = [t.format(x=o) for o in objs] if "{x}" in t else [t]
                out += [{"text": text, "label": cat, "lang": lang} for text in texts]
            for t in BENIGN_ON[cat][lang]:
                texts = [t.format(x=o) for o in objs] if "{x}" in t else [t]
                out += [{"text": text, "label": "benign", "lang": lang} for text in texts]
    for lang, texts in EVERYDAY.items():
        out += [{"text": t, "label": "benign", "lang": lang} for t in texts]
    return out


def build() -> list[dict]:
    base = [json.loads(line) for line in
            (HERE / "classifier_train.jsonl").read_text(encoding="utf-8").splitlines()]
    dev_and_test = {json.loads(line)["text"] for name in ("classifier_heldout.jsonl",
                                                          "classifier_test.jsonl")
                    for line in (HERE / name).read_text(encoding="utf-8").splitlines()}
    seen, out = set(), []
    for r in [r for r in base if r["label"] != "prompt_injection"] + _extra():
        if r["text"] not in seen and r["text"] not in dev_and_test:
            seen.add(r["text"])
            out.append({"text": r["text"], "label": r["label"], "lang": r["lang"]})
    return out


if __name__ == "__main__":
    records = build()
    (HERE / "harm_train.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    counts: dict = {}
    for r in records:
        key = (r["lang"], "benign" if r["label"] == "benign" else "harmful")
        counts[key] = counts.get(key, 0) + 1
    print(len(records), sorted(counts.items()))
