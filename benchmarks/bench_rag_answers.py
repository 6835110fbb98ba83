"""`rag ask` on a two-file folder, as issue 24 met it: does "not found" fire when the
documents do not hold the answer, are answers supported by the chunk they cite, do they
loop, and how long does a question take warm (model loaded once) and cold (a process)?

    python benchmarks/bench_rag_answers.py                  # every configuration, warm
    python benchmarks/bench_rag_answers.py --cold 3         # + 3 whole `lmforge rag ask` runs
    python benchmarks/bench_rag_answers.py --repeats 3 --show  # each configuration 3 times
    python benchmarks/bench_rag_answers.py --configs shipped --cold 3 --serve 20  # latency

The folder holds tests/rag/docs/en/zephyr_kettle_manual.html and harbor_cooperative.md,
indexed as `lmforge rag index` does; the bundled SmolLM2-135M-Instruct answers, loaded as
`rag ask` loads it. 20 questions: 10 whose answer is in the folder (each with its key fact)
and 10 on the same topics whose answer is not (a kettle's wattage, a council's chair).

- "not found" on absent: the answer is "Not found in the documents." (the relevance gate,
  the model itself, or the support check);
- answered / right: an answerable question got an answer / one containing its key fact;
- supported: right, and the key fact is in a chunk the answer cites;
- loops: the reply was ended by the loop stop, or its text has a 6-token passage 3 times.

Configurations: "before" (the sampling `rag ask` had before the chat defaults: greedy,
repetition penalty 1.1, 160 tokens, no loop stop), the chat defaults as they are (penalty
1.2, which counts the sources' tokens too), the chat defaults without the penalty
(512 tokens), and what ships: that at 160 tokens (infer/defaults.py: RAG_DEFAULTS) plus
the support check (step 4 of rag/answer.py). The best cosine similarity and keyword
coverage of the top 4 hits, and with --show each reply's sentences with their support, are
printed too: they calibrate the gate and the check.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import lmforge
from lmforge.infer import Engine
from lmforge.infer.chat_session import LOOPING
from lmforge.infer.defaults import CHAT_DEFAULTS, RAG_DEFAULTS, ChatDefaults
from lmforge.rag.answer import answer_question, sentences, support
from lmforge.rag.embedder import Embedder
from lmforge.rag.indexer import index_paths
from lmforge.rag.retrieval import Retriever
from lmforge.rag.store import Store

DOCS = Path(__file__).resolve().parents[1] / "tests" / "rag" / "docs" / "en"
FILES = ("zephyr_kettle_manual.html", "harbor_cooperative.md")
ANSWERABLE = [  # (question, the key fact: any of these strings, lower case)
    ("How often should I descale?", ("30 days", "thirty days")),
    ("How much are the annual dues?", ("140",)),
    ("What does error code E7 mean?", ("sensor",)),
    ("How long is the kettle's warranty?", ("26 months",)),
    ("Which temperature preset is meant for green tea?", ("80",)),
    ("When is the berth lottery held?", ("march",)),
    ("Which radio channel should members listen on when entering the bay?", ("71",)),
    ("What is the speed limit inside the harbor walls?", ("four knots", "4 knots")),
    ("Who is the harbormaster?", ("vantreck",)),
    ("How long does KEEP WARM keep the water hot?", ("45 minutes",)),
]
ABSENT = [
    "How many watts does the kettle draw?",
    "How much does the kettle cost?",
    "Can the kettle go in the dishwasher?",
    "What does error code E5 mean?",
    "How long is the kettle's power cord?",
    "How much does a visitor's mooring cost per night?",
    "Who chairs the council?",
    "Is swimming allowed in the harbor?",
    "At what time does the harbor gate close at night?",
    "What year was the cooperative founded?",
]
CONFIGS = {  # name: (sampling, least support; None: the language's MIN_SUPPORT)
    "before": (ChatDefaults(repetition_penalty=1.1, max_tokens=160, stop_loops=False), 0.0),
    "chat defaults (penalty 1.2)": (CHAT_DEFAULTS, 0.0),
    "chat defaults without the penalty": (CHAT_DEFAULTS.for_copying(), 0.0),
    "shipped: + support check": (RAG_DEFAULTS, None),
}


def build_index(work: Path) -> Retriever:
    folder = work / "docs"
    folder.mkdir()
    for name in FILES:
        shutil.copy(DOCS / name, folder / name)
    embedder = Embedder()
    store = Store(work / "docs.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    index_paths([folder], store, embedder)
    return Retriever(store, embedder)


def loops(ids: list[int], n: int = 6, times: int = 3) -> bool:
    grams = Counter(tuple(ids[i:i + n]) for i in range(len(ids) - n + 1))
    return bool(grams) and max(grams.values()) >= times


def run(config: tuple[ChatDefaults, float | None], retriever: Retriever, engine) -> dict:
    defaults, min_support = config
    rows = []
    for question, facts in [*ANSWERABLE, *((q, None) for q in ABSENT)]:
        start = time.perf_counter()
        answer = answer_question(question, retriever, engine, defaults=defaults,
                                 min_support=min_support)
        seconds = time.perf_counter() - start
        text = answer.text.lower()
        right = facts is not None and any(f in text for f in facts)
        cited = [answer.sources[n - 1].text.lower() for n in answer.cited]
        rows.append({"question": question, "absent": facts is None, "found": answer.found,
                     "right": right, "seconds": seconds, "text": answer.text,
                     "sentences": [(x, support(x, question, answer.sources))
                                   for x in sentences(answer.reply)],
                     "supported": right and any(f in c for f in facts for c in cited),
                     "looped": answer.stopped == LOOPING
                     or loops(engine.tokenizer.encode(answer.text))})
    return summarize(rows)


def summarize(rows: list[dict]) -> dict:
    answerable = [r for r in rows if not r["absent"]]
    absent = [r for r in rows if r["absent"]]
    return {"not_found_absent": sum(not r["found"] for r in absent),
            "answered": sum(r["found"] for r in answerable),
            "right": sum(r["right"] for r in answerable),
            "supported": sum(r["supported"] for r in answerable),
            "looped": sum(r["looped"] for r in rows),
            "median_s": statistics.median(r["seconds"] for r in rows),
            "max_s": max(r["seconds"] for r in rows), "rows": rows}


def print_scores(retriever: Retriever) -> None:
    """The gate's inputs: best cosine similarity and keyword coverage among the top 4."""
    print("| question | absent | best similarity | best coverage |\n| --- | --- | --- | --- |")
    for question, facts in [*ANSWERABLE, *((q, None) for q in ABSENT)]:
        hits = retriever.search(question, k=4)
        print(f"| {question} | {facts is None} | {max(h.similarity for h in hits):.3f} | "
              f"{max(h.coverage for h in hits):.3f} |")


def cold_runs(db: Path, n: int) -> list[float]:
    """Whole `lmforge rag ask` processes: start Python, load both models, answer."""
    times = []
    for question, _ in ANSWERABLE[:n]:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lmforge.cli", "rag", "ask", question, "--db",
                        str(db)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def serve_runs(work: Path, n: int) -> list[float]:
    """Seconds per question to a running `lmforge serve` (its model loaded once, warm) asked
    with the `rag` option, every sampling field unset, as docs/rag.md's curl does."""
    import os

    import httpx

    env = {**os.environ, "LMFORGE_RAG_DIR": str(work)}
    from bench_first_answers import start_server  # benchmarks/ is on sys.path when run

    proc, url = start_server([], env)
    questions = [q for q, _ in ANSWERABLE] + ABSENT
    times = []
    try:
        for question in (questions * n)[:n]:
            body = {"model": "smollm2-135m-instruct", "rag": "docs",
                    "messages": [{"role": "user", "content": question}]}
            start = time.perf_counter()
            httpx.post(f"{url}/v1/chat/completions", json=body, timeout=600).raise_for_status()
            times.append(time.perf_counter() - start)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS),
                        help="configurations to run, by the start of their names")
    parser.add_argument("--cold", type=int, default=0, help="whole-process runs to time")
    parser.add_argument("--repeats", type=int, default=1,
                        help="runs per configuration (greedy replies still vary a little "
                        "from run to run on the quantized model)")
    parser.add_argument("--show", action="store_true", help="print every answer")
    parser.add_argument("--serve", type=int, default=0,
                        help="questions to time against a running `serve` with the rag option")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_rag_answers_"))
    retriever = build_index(work)
    print_scores(retriever)
    lm = lmforge.load("smollm2-135m-instruct")
    print("\n| configuration | \"not found\" on absent | answered | right | supported by the "
          "cited chunk | loops | warm s/question (median, max) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    chosen = [c for c in CONFIGS if any(c.startswith(a) for a in args.configs)]
    for name in [c for c in chosen for _ in range(args.repeats)]:
        # a fresh Engine each time: no prefix cached by an earlier run
        r = run(CONFIGS[name], retriever, Engine(lm.model, lm.tokenizer))
        print(f"| {name} | {r['not_found_absent']}/{len(ABSENT)} | {r['answered']}/"
              f"{len(ANSWERABLE)} | {r['right']}/{len(ANSWERABLE)} | {r['supported']}/"
              f"{len(ANSWERABLE)} | {r['looped']}/20 | {r['median_s']:.1f}, {r['max_s']:.1f} |",
              flush=True)
        if args.show:
            for row in r["rows"]:
                print(f"    {row['question']!r} -> {row['text'][:200]!r}")
                for sentence, share in row["sentences"]:
                    print(f"        {share:.2f} {sentence[:120]!r}")
    if args.cold:
        times = cold_runs(work / "docs.sqlite", args.cold)
        print(f"\ncold `lmforge rag ask` (whole process): "
              f"{', '.join(f'{t:.1f}' for t in times)} s")
    if args.serve:
        times = serve_runs(work, args.serve)
        print(f"\nwarm `serve` with rag (model loaded once): first {times[0]:.1f} s, then "
              f"median {statistics.median(times[1:] or times):.1f} s, max {max(times):.1f} s "
              f"over {len(times)} questions")


if __name__ == "__main__":
    main()
