"""Recall and false positives of the safety filter on a labelled set, per language.

    rows = filter_recall(read_jsonl("classifier_heldout.jsonl"), classifiers=[clf])
    print(format_recall(rows))

A record is {"text", "label", "lang"}: a policy category (harmful) or "benign". Harmful
means any category but prompt_injection (that one is measured on documents by the red-team
suite). A harmful request is caught when `check(text, "input")` blocks it (rules, plus the
classifiers by union); a benign one is a false positive when it is blocked. The category
need not match: blocking a drug request as weapons still keeps it from the model.

Test: `pytest tests/safety/test_recall.py`.
"""

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


def format_recall(rows: list[dict], name: str = "filter") -> str:
    lines = ["| filter | language | harmful caught (recall) | benign blocked (FP rate) |",
             "| --- | --- | ---: | ---: |"]
    for r in rows:
        recall = r["caught"] / max(r["harmful"], 1)
        fp = r["blocked"] / max(r["benign"], 1)
        lines.append(f"| {name} | {r['lang']} | {r['caught']}/{r['harmful']} ({recall:.1%}) | "
                     f"{r['blocked']}/{r['benign']} ({fp:.1%}) |")
    return "\n".join(lines)
