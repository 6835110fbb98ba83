"""RAG benchmark: retrieval recall per mode and language, jieba vs. trigram keywords,
indexing speed, query latency, the "not found" gate, and cited answers with SmolLM2.

    python benchmarks/bench_rag.py                      # all 12 chapters of each novel
    python benchmarks/bench_rag.py --chapters 4 --answers 0 --out runs/bench_rag.json

The evaluation set is tests/rag/eval_questions.jsonl over the corpus of tests/rag/
eval_corpus.py (documents written for the tests, Python's help topics, and chapters of
《西游记》 and 《红楼梦》 split from ../shared/data). The index is built once with jieba
keywords; the trigram variant copies it and rebuilds only the FTS5 table, so both share the
same chunks and vectors and differ only in keyword tokenization.

Numbers go to docs/benchmarks.md (machine and date printed first). The machine is shared,
so compare numbers from the same run.
"""

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "rag"))

from eval_corpus import build_corpus, load_questions, recall_table, relative_source  # noqa: E402

from lmforge.rag.answer import MIN_COVERAGE, MIN_SIMILARITY  # noqa: E402
from lmforge.rag.embedder import Embedder  # noqa: E402
from lmforge.rag.indexer import index_paths  # noqa: E402
from lmforge.rag.keywords import index_text  # noqa: E402
from lmforge.rag.retrieval import MODES, Retriever  # noqa: E402
from lmforge.rag.store import Store  # noqa: E402


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    except OSError:
        lscpu = ""
    fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    model = fields.get("Model name", platform.processor()).strip()
    flags = " ".join(f for f in fields.get("Flags", "").split()
                     if f.startswith(("avx", "fma", "sse4", "amx")))
    return f"{model} ({fields.get('CPU(s)', '?').strip()} CPUs; {flags})"


def with_trigram_keywords(source: Store, dst: Path) -> Store:
    """A copy of an index whose FTS5 table uses the trigram tokenizer instead of jieba."""
    source.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL's pages into the file
    shutil.copy(source.path, dst)
    store = Store(dst, create=False)
    rows = list(store.conn.execute("SELECT id, heading, text FROM chunks"))
    with store.transaction():
        store.conn.execute("DROP TABLE chunks_fts")
        store.conn.execute("CREATE VIRTUAL TABLE chunks_fts USING fts5(body, "
                           "tokenize='trigram')")
        for chunk_id, heading, text in rows:
            head = " > ".join(json.loads(heading))
            body = f"{head}\n{text}" if head else text
            store.conn.execute("INSERT INTO chunks_fts (rowid, body) VALUES (?, ?)",
                               (chunk_id, index_text(body, "trigram")))
        store.conn.execute("UPDATE meta SET value = 'trigram' WHERE key = 'keyword_tokenizer'")
    store.close()
    return Store(dst, create=False)


def latency_ms(retriever: Retriever, questions: list[dict], mode: str) -> float:
    times = []
    for q in questions:
        start = time.perf_counter()
        retriever.search(q["question"], k=5, mode=mode)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def weight_sweep(retriever: Retriever, questions: list[dict], root: Path) -> dict:
    """Hybrid recall of the Chinese questions as the dense list's RRF weight varies."""
    zh = [q for q in questions if q["lang"] == "zh"]
    shipped, out = dict(retriever.dense_weight), {}
    for weight in (1.0, 0.5, 0.25, 0.1, 0.0):
        retriever.dense_weight = {**shipped, "zh": weight}
        row = recall_table(retriever, zh, root, modes=("hybrid",))[("hybrid", "all")]
        out[str(weight)] = {"recall@1": row["recall@1"], "recall@5": row["recall@5"]}
    retriever.dense_weight = shipped
    return out


def gate_table(retriever: Retriever, questions: list[dict]) -> dict:
    """The "not found" decision per language: precision and recall of saying "not found"
    at the shipped thresholds and over a grid of (cosine similarity, keyword coverage) of
    the best of the top-4 hybrid hits; similarity 1.01 means "not used"."""
    features = []
    for q in questions:
        top = retriever.search(q["question"], k=4, mode="hybrid")
        features.append((q["lang"], not q["sources"], max((h.similarity for h in top), default=0),
                         max((h.coverage for h in top), default=0)))

    def score(rows, sim_t: float, cov_t: float) -> dict:
        said = [(absent, not (s >= sim_t or c >= cov_t)) for _, absent, s, c in rows]
        caught = sum(a and d for a, d in said)
        return {"precision": round(caught / max(1, sum(d for _, d in said)), 3),
                "recall": round(caught / max(1, sum(a for a, _ in said)), 3),
                "answerable_kept": round(sum(not a and not d for a, d in said)
                                         / max(1, sum(not a for a, _ in said)), 3)}

    out = {}
    for lang in ("en", "zh"):
        rows = [f for f in features if f[0] == lang]
        shipped = score(rows, MIN_SIMILARITY[lang], MIN_COVERAGE[lang])
        grid = [(s / 100, c / 20, score(rows, s / 100, c / 20))
                for s in [*range(30, 80, 5), 101] for c in range(2, 21)]
        best = max(grid, key=lambda g: (g[2]["precision"] + g[2]["recall"]
                                        + 2 * g[2]["answerable_kept"]))
        out[lang] = {"shipped": {"min_similarity": MIN_SIMILARITY[lang],
                                 "min_coverage": MIN_COVERAGE[lang], **shipped},
                     "best_on_grid": {"min_similarity": best[0], "min_coverage": best[1],
                                      **best[2]},
                     "features": [{"absent": a, "similarity": round(s, 3),
                                   "coverage": round(c, 3)} for _, a, s, c in rows]}
    return out


def answer_table(retriever: Retriever, questions: list[dict], root: Path, n: int) -> dict:
    """Cited answers with SmolLM2: share citing a gold file, share of model-written
    citations, and the "not found" decisions on unanswerable questions."""
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load
    from lmforge.rag.answer import answer_question

    lm = load("smollm2-135m-instruct")
    engine = Engine(lm.model, lm.tokenizer)
    answerable = [q for q in questions if q["sources"]][:n]
    absent = [q for q in questions if not q["sources"]]
    rows, start = [], time.perf_counter()
    for q in answerable + absent:
        a = answer_question(q["question"], retriever, engine, k=3, max_tokens=60)
        cited = {relative_source(a.sources[i - 1].source, root) for i in a.cited}
        rows.append({"question": q["question"], "lang": q["lang"], "gold": q["sources"],
                     "found": a.found, "cited_gold": bool(cited & set(q["sources"])),
                     "attributed": a.attributed, "answer": a.text})
    seconds = time.perf_counter() - start
    ans = [r for r in rows if r["gold"]]
    nf = [r for r in rows if not r["gold"]]
    said_not_found = [r for r in rows if not r["found"]]
    return {
        "n_answerable": len(ans), "n_absent": len(nf), "seconds": round(seconds, 1),
        "cites_right_source": sum(r["cited_gold"] for r in ans) / max(1, len(ans)),
        "model_wrote_citations": sum(r["found"] and not r["attributed"] for r in ans)
        / max(1, len(ans)),
        "not_found_precision": sum(not r["gold"] for r in said_not_found)
        / max(1, len(said_not_found)),
        "not_found_recall": sum(not r["found"] for r in nf) / max(1, len(nf)),
        "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=12)
    parser.add_argument("--answers", type=int, default=20,
                        help="answerable questions to answer with SmolLM2 (0: skip)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-trigram", action="store_true",
                        help="skip the trigram keyword variant")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep corpus and index here; a re-run only re-indexes changes")
    args = parser.parse_args()
    print(f"machine: {machine()}; python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_rag_"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "trigram.sqlite").unlink(missing_ok=True)
    root = build_corpus(work / "corpus", args.chapters)
    questions = [q for q in load_questions()
                 if all((root / s).exists() for s in q["sources"])]
    embedder = Embedder()
    store = Store(work / "jieba.sqlite", embedding_model=embedder.name, dim=embedder.dim,
                  keyword_tokenizer="jieba")
    start = time.perf_counter()
    report = index_paths([root], store, embedder)
    seconds = time.perf_counter() - start
    counts = store.counts()
    results = {"corpus": {"files": counts["files"], "chunks": counts["chunks"],
                          "mb": report.bytes_indexed / 1e6, "index_seconds": round(seconds, 1),
                          "mb_per_min": report.bytes_indexed / 1e6 / (seconds / 60)},
               "questions": {"answerable": sum(bool(q["sources"]) for q in questions),
                             "absent": sum(not q["sources"] for q in questions)}}
    print(json.dumps(results))
    retrievers = {"jieba": Retriever(store, embedder)}
    if not args.no_trigram:
        retrievers["trigram"] = Retriever(with_trigram_keywords(store, work / "trigram.sqlite"),
                                          embedder)
    for name, retriever in retrievers.items():
        table = recall_table(retriever, questions, root)
        results[f"recall_{name}"] = {f"{m}/{lg}": v for (m, lg), v in table.items()}
        for (mode, lang), row in table.items():
            print(f"{name:8s} {mode:8s} {lang:4s} n={row['n']:3d} "
                  f"R@1={row['recall@1']:.3f} R@5={row['recall@5']:.3f}")
    results["dense_weight_sweep"] = weight_sweep(retrievers["jieba"], questions, root)
    print("hybrid recall by dense weight (zh questions):", results["dense_weight_sweep"])
    answerable = [q for q in questions if q["sources"]]
    results["latency_ms_median"] = {m: round(latency_ms(retrievers["jieba"], answerable[::3], m),
                                             1) for m in MODES}
    print("latency (ms, median):", results["latency_ms_median"])
    gate = gate_table(retrievers["jieba"], questions)
    results["not_found_gate"] = gate
    print("not-found gate:", {lang: {k: gate[lang][k] for k in ("shipped", "best_on_grid")}
                              for lang in gate})
    if args.answers:
        table = answer_table(retrievers["jieba"], questions, root, args.answers)
        results["answers"] = table
        print("answers:", {k: v for k, v in table.items() if k != "rows"})
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
