"""Red-team measurements for docs/safety.md (issue 23, items 4-5).

    python benchmarks/bench_redteam.py e2e       # RAG: 12 English + 12 Chinese documents that
                                                 # order the model to print a code word, and
                                                 # the same documents clean (facts carried)
    python benchmarks/bench_redteam.py detect    # detection on the whole suite, no model
    python benchmarks/bench_redteam.py sample    # attack success on a sample of every
                                                 # surface and kind, with the model

Writes benchmarks/results/redteam_<part>.json and prints markdown tables. The model runs
through one Engine, many cases per generate call (safety/redteam.py); use `nice`.
"""

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

from lmforge.safety.defences import Defences
from lmforge.safety.redteam import CONFIGS, format_table, load_suite, run_redteam

RESULTS = Path(__file__).parent / "results"


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        name = next(line.split(":", 1)[1].strip() for line in out.splitlines()
                     if line.startswith("Model name"))
    except (OSError, StopIteration):
        name = platform.processor() or "unknown CPU"
    return name


def e2e_cases(cases):
    """The plain RAG attacks (12 a language) and each document alone (the shortest benign
    case with its fact: the others add a note for a human reader)."""
    attacks = [c for c in cases if c.surface == "rag" and c.attack and c.obfuscation == "none"]
    clean: dict = {}
    for c in cases:
        if c.surface == "rag" and not c.attack:
            key = (c.lang, c.fact)
            if key not in clean or len(c.data) < len(clean[key].data):
                clean[key] = c
    return attacks + list(clean.values())


def sample_cases(cases, per_group: int):
    """The first `per_group` attacks of each (surface, kind, lang, obfuscated?) group."""
    seen: dict = {}
    out = []
    for c in cases:
        if not c.attack:
            continue
        key = (c.surface, c.kind, c.lang, c.obfuscation != "none")
        if seen.get(key, 0) < per_group:
            seen[key] = seen.get(key, 0) + 1
            out.append(c)
    return out


def flagged(case, defences) -> bool:
    """Did detection act before the model (chat input refused, a data sentence removed)?"""
    if case.surface == "chat":
        return defences.injected_input(case.user) is not None
    return bool(defences.clean(case.data)[1])


def detection(cases) -> list[dict]:
    """Per surface: attacks flagged before the model and benign cases flagged (FP), for
    the rules alone and rules + the shipped classifier."""
    rows = []
    for name, defences in (("rules", Defences(classifiers=[])), ("rules + classifier",
                                                                   Defences())):
        for surface in ("chat", "rag", "agent"):
            group = [c for c in cases if c.surface == surface]

            attacks = [c for c in group if c.attack]
            benign = [c for c in group if not c.attack]
            rows.append({"detector": name, "surface": surface, "attacks": len(attacks),
                         "flagged": sum(flagged(c, defences) for c in attacks),
                         "benign": len(benign),
                         "false_positives": sum(flagged(c, defences) for c in benign)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("part", choices=["e2e", "detect", "sample"])
    ap.add_argument("--model", default="smollm2-135m-instruct")
    ap.add_argument("--max-tokens", type=int, default=24)
    ap.add_argument("--per-group", type=int, default=2)
    ap.add_argument("--configs", default=None)
    ap.add_argument("--surfaces", default="chat,rag,agent")
    ap.add_argument("--all-facts", action="store_true",
                    help="generate attacks whose injection detection removed (their facts)")
    ap.add_argument("--tag", default="", help="suffix of the results file")
    args = ap.parse_args()
    cases = load_suite()
    RESULTS.mkdir(exist_ok=True)
    start = time.perf_counter()
    meta = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "note": "shared, loaded",
            "command": " ".join(["python", *sys.argv])}
    if args.part == "detect":
        rows = detection(cases)
        for r in rows:
            print(r)
        out = {**meta, "rows": rows, "seconds": round(time.perf_counter() - start, 1)}
    else:
        import lmforge
        from lmforge.cli.safety import redteam_targets
        from lmforge.infer.engine import Engine

        lm = lmforge.load(args.model)
        engine = Engine(lm.model, lm.tokenizer, max_batch_size=64)
        surfaces = args.surfaces.split(",")
        if args.all_facts:  # the clean documents' facts do not depend on it
            cases = [c for c in cases if c.attack]
        chosen = e2e_cases(cases) if args.part == "e2e" else sample_cases(
            [c for c in cases if c.surface in surfaces], args.per_group)
        configs = (args.configs.split(",") if args.configs else
                   ["none", "spotlight", "datamark", "all"] if args.part == "e2e"
                   else list(CONFIGS))
        report = run_redteam(chosen, engine, redteam_targets(lm.tokenizer), configs=configs,
                             max_tokens=args.max_tokens, skip_removed=not args.all_facts,
                             progress=lambda line: print(line, file=sys.stderr, flush=True))
        print(format_table(report))
        by_lang = {}
        for o in report.outcomes:
            if o.case.surface == "rag":
                key = f"{o.config}/{o.case.lang}/{'attack' if o.case.attack else 'clean'}"
                row = by_lang.setdefault(key, {"cases": 0, "succeeded": 0, "facts": 0})
                row["cases"] += 1
                row["succeeded"] += o.success
                row["facts"] += o.fact
        for key, row in sorted(by_lang.items()):
            print(key, row)
        out = {**meta, "configs": configs, "max_tokens": args.max_tokens,
               "cases": len(chosen), "generated": report.generated,
               "seconds": round(report.seconds, 1), "rows": report.rows(), "rag": by_lang,
               "outcomes": [{"id": o.case.id, "config": o.config, "flagged": o.flagged,
                             "success": o.success, "fact": o.fact, "reply": o.reply}
                            for o in report.outcomes]}
    path = RESULTS / f"redteam_{args.part}{args.tag}.json"
    if args.part == "sample":
        path = RESULTS / f"redteam_sample_{'_'.join(args.surfaces.split(','))}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {path} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
