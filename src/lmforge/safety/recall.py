"""Recall and false positives of the safety filter on a labelled set, per language.

    rows = filter_recall(read_jsonl("classifier_heldout.jsonl"), classifiers=[clf])
    print(format_recall(rows))

A record is {"text", "label", "lang"}: a policy category (harmful) or "benign". Harmful
means any category but prompt_injection (that one is measured on documents by the red-team
suite). A harmful request is caught when `check(text, "input")` blocks it (rules, plus the
classifiers by union); a benign one is a false positive when it is blocked. The category
need not match: blocking a drug request as weapons still keeps it from the model. Each rate
comes with its 95% Wilson score interval (a binomial interval that stays inside [0, 1] and
behaves at 0/n and n/n, where the normal approximation does not).

Test: `pytest tests/safety/test_recall.py`.
"""

import math

from lmforge.safety.guard import check

NOT_HARM = ("benign", "prompt_injection")


def filter_recall(records: list[dict], classifiers: list | None = None,
                  policy=None) -> list[dict]:
    """Per language: harmful caught / harmful, benign blocked / benign, and the misses."""
    rows = []
    for lang in sorted({r.get("lang", "en") for r in records}):
        group = [r for r in records if r.get("lang", "en") == lang]
        harmful = [r for r in group if r["label"] not in NOT_HARM]
        benign = [r for r in group if r["label"] == "benign"]
        blocked = {r["text"]: not check(r["text"], "input", policy,
                                        classifiers=classifiers).allowed
                   for r in harmful + benign}
        rows.append({"lang": lang, "harmful": len(harmful),
                     "caught": sum(blocked[r["text"]] for r in harmful),
                     "benign": len(benign),
                     "blocked": sum(blocked[r["text"]] for r in benign),
                     "missed": [r["text"] for r in harmful if not blocked[r["text"]]],
                     "false_positives": [r["text"] for r in benign if blocked[r["text"]]]})
    return rows


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a rate k/n (95% for z = 1.96)."""
    if n == 0:
        return 0.0, 1.0
    center = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return max(0.0, center - half), min(1.0, center + half)


def _rate(k: int, n: int) -> str:
    low, high = wilson(k, n)
    return f"{k}/{n} ({k / max(n, 1):.1%}; {low:.1%}-{high:.1%})"


def format_recall(rows: list[dict], name: str = "filter") -> str:
    lines = ["| filter | language | harmful caught (recall; 95% CI) | benign blocked (FP rate; "
             "95% CI) |", "| --- | --- | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {name} | {r['lang']} | {_rate(r['caught'], r['harmful'])} | "
                     f"{_rate(r['blocked'], r['benign'])} |")
    return "\n".join(lines)
