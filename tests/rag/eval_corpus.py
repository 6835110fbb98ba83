"""The retrieval evaluation set: documents and questions written for lmforge's tests.

`build_corpus(out)` lays out, under `out/`:

    en/, zh/            documents written for these tests (copied from tests/rag/docs/)
    python_docs/        Python's own documentation: one file per `help()` topic (pydoc_data)
    xiyouji/, hongloumeng/
                        the first chapters of 《西游记》 and 《红楼梦》, one file per chapter,
                        split at test time from ../shared/data (the novels are never copied
                        into the repository)

`load_questions()` reads eval_questions.jsonl: each line has `question`, `lang` (en/zh) and
`sources` (gold files relative to the corpus root; empty for questions that no document
answers) plus `answer`, a phrase the right passage contains.

Used by tests/rag/test_eval.py and benchmarks/bench_rag.py.
"""

import json
import re
import shutil
from pathlib import Path

HERE = Path(__file__).parent
QUESTIONS = HERE / "eval_questions.jsonl"
N_CHAPTERS = 12
PYTHON_TOPICS = ("assert", "augassign", "break", "continue", "del", "for", "global", "lambda",
                 "nonlocal", "pass", "raise", "return", "slicings", "truth", "while", "with",
                 "yield")
_CHAPTER = re.compile(r"^[ \t\u3000]*(第[一二三四五六七八九十百零〇]+回)[ \t\u3000]+\S.*$", re.M)


def shared_data_dir() -> Path:
    """../shared/data beside the checkout (the repository's parent holds shared/)."""
    for parent in HERE.resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/data (the novels) not found beside the checkout")


def split_chapters(text: str, n: int) -> list[str]:
    """The first n chapters of a novel, each from its heading to the next heading."""
    text = text.replace("\r\n", "\n")
    starts = [m.start() for m in _CHAPTER.finditer(text)]
    return [text[a:b].strip() + "\n" for a, b in zip(starts, starts[1:] + [len(text)],
                                                     strict=True)][:n]


def build_corpus(out: Path, n_chapters: int = N_CHAPTERS) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh"):
        shutil.copytree(HERE / "docs" / lang, out / lang, dirs_exist_ok=True)
    from pydoc_data.topics import topics

    (out / "python_docs").mkdir(exist_ok=True)
    for topic in PYTHON_TOPICS:
        (out / "python_docs" / f"{topic}.txt").write_text(topics[topic], encoding="utf-8")
    data = shared_data_dir()
    for novel in ("xiyouji", "hongloumeng"):
        (out / novel).mkdir(exist_ok=True)
        text = (data / f"{novel}.txt").read_text(encoding="utf-8")
        for i, chapter in enumerate(split_chapters(text, n_chapters), 1):
            (out / novel / f"{novel}_{i:02d}.txt").write_text(chapter, encoding="utf-8")
    return out


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def relative_source(source: str, root: Path) -> str:
    return Path(source).resolve().relative_to(root.resolve()).as_posix()


def recall_table(retriever, questions: list[dict], root: Path,
                 modes=("keyword", "dense", "hybrid"), k: int = 5) -> dict:
    """recall@1 and recall@k per mode, overall and per language, on answerable questions.

    A question counts at rank r when one of its gold files is the source of a hit at rank
    <= r."""
    table: dict = {}
    answerable = [q for q in questions if q["sources"]]
    for mode in modes:
        rows = []
        for q in answerable:
            hits = retriever.search(q["question"], k=k, mode=mode)
            ranks = [i for i, h in enumerate(hits, 1) if relative_source(h.source, root)
                     in q["sources"]]
            rows.append((q["lang"], ranks[0] if ranks else None))
        for lang in ("all", "en", "zh"):
            picked = [r for lg, r in rows if lang in ("all", lg)]
            if not picked:
                continue
            table[(mode, lang)] = {
                "n": len(picked),
                "recall@1": sum(r == 1 for r in picked) / len(picked),
                f"recall@{k}": sum(r is not None for r in picked) / len(picked)}
    return table
