"""RAG-Fusion against plain hybrid search on the retrieval benchmark (docs/prompting.md).

    python benchmarks/bench_rag_fusion.py --chapters 3 --fusion 4 --per-lang 15 \
        --out runs/bench_rag_fusion.json

The corpus and questions are those of benchmarks/bench_rag.py (tests/rag/eval_corpus.py,
tests/rag/eval_questions.jsonl; the answerable questions whose gold files are in the corpus).
For each question: plain hybrid search (Retriever.search) and RAG-Fusion (rag/fusion.py:
`--fusion` rewrites by the bundled SmolLM2, sampled at 0.7, fused by reciprocal rank with
the question's own search), both top 10. Reported per language:

- recall@5: a gold file is the source of one of the first 5 hits (bench_rag's definition);
- nDCG@10: binary gain 1 for the first hit of each gold file (a second chunk of a credited
  file gains nothing), ideal DCG from min(gold files, 10) hits;
- the paired difference fusion - plain, with a 95% paired bootstrap interval (resample the
  questions, 2,000 times, the same questions for both systems);
- latency: median and mean milliseconds per query, the rewrites' generation included.

The machine is shared: times are from a loaded machine (printed first).
"""

import argparse
import json
import math
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "rag"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_prompting import machine  # noqa: E402
from eval_corpus import build_corpus, load_questions, relative_source  # noqa: E402


def recall_at(sources: list[str], gold: list[str], k: int) -> float:
    return float(any(s in gold for s in sources[:k]))


def ndcg_at(sources: list[str], gold: list[str], k: int = 10) -> float:
    credited, dcg = set(), 0.0
    for rank, source in enumerate(sources[:k], 1):
        if source in gold and source not in credited:
            credited.add(source)
            dcg += 1 / math.log2(rank + 1)
    ideal = sum(1 / math.log2(r + 1) for r in range(1, min(len(gold), k) + 1))
    return dcg / ideal


def paired_bootstrap(a: list[float], b: list[float], resamples: int = 2000, seed: int = 0
                     ) -> tuple[float, float, float]:
    """Mean of b - a and its 95% percentile interval over resampled questions."""
    diff = np.asarray(b) - np.asarray(a)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), (resamples, len(diff)))].mean(axis=1)
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> None:
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load
    from lmforge.prompting.completer import EngineCompleter
    from lmforge.rag.embedder import Embedder
    from lmforge.rag.fusion import FusionRetriever
    from lmforge.rag.indexer import index_paths
    from lmforge.rag.retrieval import Retriever
    from lmforge.rag.store import Store

    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=3)
    parser.add_argument("--fusion", type=int, default=4, help="rewrites per question")
    parser.add_argument("--per-lang", type=int, default=None,
                        help="at most this many questions per language, evenly spaced")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None, help="keep corpus and index here")
    args = parser.parse_args()
    torch.set_num_threads(1)  # on a CPU shared by many jobs, two threads wait on each other
    print(f"machine: {machine()} (shared by other jobs: loaded); python "
          f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
          flush=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_rag_fusion_"))
    root = build_corpus(work / "corpus", args.chapters)
    questions = [q for q in load_questions() if q["sources"]
                 and all((root / s).exists() for s in q["sources"])]
    if args.per_lang:
        questions = [q for lang in ("en", "zh") for q in
                     evenly([q for q in questions if q["lang"] == lang], args.per_lang)]
    embedder = Embedder()
    store = Store(work / "index.sqlite", embedding_model=embedder.name, dim=embedder.dim,
                  keyword_tokenizer="jieba")
    index_paths([root], store, embedder)
    print(f"index: {store.counts()}; {len(questions)} answerable questions", flush=True)
    plain = Retriever(store, embedder)
    lm = load("smollm2-135m-instruct")
    engine = Engine(lm.model, lm.tokenizer, num_threads=1)  # a shared CPU: see above
    fusion = FusionRetriever(plain, EngineCompleter(engine), args.fusion)
    rows = []
    for i, q in enumerate(questions):
        row = {"question": q["question"], "lang": q["lang"], "gold": q["sources"]}
        for name, retriever in (("plain", plain), ("fusion", fusion)):
            start = time.perf_counter()
            hits = retriever.search(q["question"], k=10, mode="hybrid")
            row[f"{name}_ms"] = (time.perf_counter() - start) * 1000
            sources = [relative_source(h.source, root) for h in hits]
            row[f"{name}_recall@5"] = recall_at(sources, q["sources"], 5)
            row[f"{name}_ndcg@10"] = ndcg_at(sources, q["sources"])
        row["rewrites"] = fusion.last_queries[1:]
        rows.append(row)
        print(f"{i + 1}/{len(questions)} {q['lang']} R@5 {row['plain_recall@5']:.0f}->"
              f"{row['fusion_recall@5']:.0f} nDCG {row['plain_ndcg@10']:.2f}->"
              f"{row['fusion_ndcg@10']:.2f} {row['fusion_ms']:.0f} ms {row['rewrites'][:2]}",
              flush=True)
    summary = summarise(rows)
    print(json.dumps(summary, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows,
                                        "settings": vars(args) | {"out": str(args.out),
                                                                  "work": str(args.work)}},
                                       ensure_ascii=False, indent=1, default=str),
                            encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def evenly(items: list, n: int) -> list:
    """n items spread evenly over the list (all of them when it has n or fewer)."""
    if len(items) <= n:
        return items
    return [items[round(i * (len(items) - 1) / (n - 1))] for i in range(n)] if n > 1 \
        else items[:1]


def summarise(rows: list[dict]) -> dict:
    out = {}
    for lang in ("en", "zh", "all"):
        picked = [r for r in rows if lang in ("all", r["lang"])]
        if not picked:
            continue
        entry = {"n": len(picked)}
        for metric in ("recall@5", "ndcg@10"):
            a = [r[f"plain_{metric}"] for r in picked]
            b = [r[f"fusion_{metric}"] for r in picked]
            diff, low, high = paired_bootstrap(a, b)
            entry[metric] = {"plain": float(np.mean(a)), "fusion": float(np.mean(b)),
                             "diff": diff, "diff_ci95": [low, high]}
        for name in ("plain", "fusion"):
            times = [r[f"{name}_ms"] for r in picked]
            entry[f"{name}_ms"] = {"median": round(statistics.median(times), 1),
                                   "mean": round(statistics.fmean(times), 1)}
        out[lang] = entry
    return out


if __name__ == "__main__":
    main()
