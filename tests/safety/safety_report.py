"""Precision and recall of the shipped safety policy on the test table (cases.py).

    python tests/safety/safety_report.py              # print the table
    python tests/safety/safety_report.py --write      # also update docs/safety.md

test_cases.py runs `evaluate` and asserts the thresholds; this script writes the numbers
into docs/safety.md between the markers `<!-- safety-table -->` and `<!-- /safety-table -->`.
"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cases import ALL_CASES, HELD_OUT  # noqa: E402

from lmforge.safety import check  # noqa: E402

CATEGORIES = ["violence_weapons", "self_harm", "illegal_drugs", "malware_intrusion",
              "sexual_minors", "hate", "prompt_injection", "pii"]


def evaluate(cases=ALL_CASES):
    """(per-category counts {cat: Counter(tp, fp, fn, support)}, list of mistakes)."""
    counts = {c: Counter() for c in CATEGORIES}
    mistakes = []
    for text, direction, expected, _ in cases:
        predicted = set(check(text, direction).categories)
        for c in CATEGORIES:
            hit, want = c in predicted, c in expected
            counts[c]["support"] += want
            counts[c]["tp"] += hit and want
            counts[c]["fp"] += hit and not want
            counts[c]["fn"] += want and not hit
        if predicted != set(expected):
            mistakes.append((text, direction, sorted(expected), sorted(predicted)))
    return counts, mistakes


def markdown(counts, title: str) -> str:
    lines = [title, "",
             "| category | cases | true pos. | false pos. | false neg. | precision | recall |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c, k in counts.items():
        predicted = k["tp"] + k["fp"]
        precision = f"{k['tp'] / predicted:.2f}" if predicted else "- (none flagged)"
        recall = f"{k['tp'] / k['support']:.2f}" if k["support"] else "-"
        lines.append(f"| {c} | {k['support']} | {k['tp']} | {k['fp']} | {k['fn']} | "
                     f"{precision} | {recall} |")
    return "\n".join(lines)


def main() -> None:
    counts, mistakes = evaluate()
    held_counts, held_mistakes = evaluate(HELD_OUT)
    table = "\n\n".join([
        markdown(counts, f"**Development table** ({len(ALL_CASES)} cases, used to write the "
                 "rules, so these numbers are optimistic):"),
        markdown(held_counts, f"**Held-out table** ({len(HELD_OUT)} cases written after the "
                 "policy was frozen, never used to tune it):"),
        "Held-out mistakes (left as they are):\n\n" + "\n".join(
            f"- `{t}` ({d}): expected {e or 'nothing'}, got {p or 'nothing'}"
            for t, d, e, p in held_mistakes)])
    print(table)
    for m in mistakes:
        print("MISTAKE", m)
    if "--write" in sys.argv:
        doc = Path(__file__).parents[2] / "docs" / "safety.md"
        text = doc.read_text(encoding="utf-8")
        start, end = "<!-- safety-table -->", "<!-- /safety-table -->"
        head, rest = text.split(start)
        _, tail = rest.split(end)
        doc.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
