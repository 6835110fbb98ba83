"""Does a small chat model help the rules? SmolLM2-135M-Instruct as a yes/no judge through
the classifier hook, measured on the safety test tables (binary: harmful or not).

    python benchmarks/safety_judge.py [--threshold 0.5] [--limit N]

For every case of tests/safety/cases.py that is either benign or harmful (PII-only and
injection cases left out), it records whether the rules block it, the judge's P(yes), and
whether rules + judge (union) block it; it prints precision and recall of each on the
development and held-out tables. Results go to docs/safety.md by hand.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "safety"))

from cases import ALL_CASES, HELD_OUT  # noqa: E402

import lmforge  # noqa: E402
from lmforge.safety import check  # noqa: E402
from lmforge.safety.classifier import ChatModelJudge  # noqa: E402

HARM = {"violence_weapons", "self_harm", "illegal_drugs", "malware_intrusion",
        "sexual_minors", "hate"}
WHAT = ("weapons, violence, self-harm, illegal drugs, malware, hacking, sexual content "
        "involving minors, or hate")


def binary_cases(cases):
    for text, direction, expected, _ in cases:
        if direction == "document" or set(expected) - HARM - {"pii"}:
            continue  # injections are another question
        yield text, bool(set(expected) & HARM)


def score(rows, key) -> str:
    tp = sum(1 for r in rows if r[key] and r["harmful"])
    fp = sum(1 for r in rows if r[key] and not r["harmful"])
    positives = sum(r["harmful"] for r in rows)
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    return f"precision {precision}, recall {tp / positives:.2f} ({tp}/{positives}), FP {fp}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    print(next(line for line in lscpu.splitlines() if line.startswith("Model name")),
          time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    lm = lmforge.load("smollm2-135m-instruct")
    judge = ChatModelJudge(lm.model, lm.tokenizer, "harmful", what=WHAT)
    for name, cases in (("development", ALL_CASES), ("held-out", HELD_OUT)):
        rows = []
        for text, harmful in list(binary_cases(cases))[:args.limit]:
            p = judge(text, "input")["harmful"]
            rules = not check(text).allowed
            rows.append({"harmful": harmful, "rules": rules, "judge": p >= args.threshold,
                         "union": rules or p >= args.threshold, "p": p})
        print(f"{name} ({len(rows)} cases, {sum(r['harmful'] for r in rows)} harmful):")
        for key in ("rules", "judge", "union"):
            print(f"  {key:6s} {score(rows, key)}")
        mean = {h: sum(r["p"] for r in rows if r["harmful"] == h) / max(
            1, sum(r["harmful"] == h for r in rows)) for h in (True, False)}
        print(f"  mean P(yes): harmful {mean[True]:.3f}, benign {mean[False]:.3f}")


if __name__ == "__main__":
    main()
