"""`lmforge rag index|search|ask`: documents in, cited answers out (see docs/rag.md).

    lmforge rag index docs/ notes.md --db docs.sqlite
    lmforge rag search "how do I descale the kettle" --db docs.sqlite --k 5 --json
    lmforge rag ask "How often should I descale?" --db docs.sqlite
    lmforge rag tune-embedder novels/ --out novels-encoder   # an encoder that reads your text
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Model, app
from lmforge.infer.defaults import RAG_DEFAULTS

rag_app = typer.Typer(no_args_is_help=True, help="Retrieval-augmented generation over your "
                      "documents: index, search, ask.")
app.add_typer(rag_app, name="rag")

Db = Annotated[Path, typer.Option("--db", help="The index: one SQLite file.")]
K = Annotated[int, typer.Option("--k", help="How many chunks to retrieve.")]
Fusion = Annotated[int, typer.Option("--fusion", help="RAG-Fusion: N rewrites of the query by "
                                     "the chat model, fused by reciprocal rank (0: off).")]
Mode = Annotated[str, typer.Option("--mode", help="hybrid, dense, keyword (FTS5) or bm25 "
                                    "(jieba words + character bigrams).")]


@rag_app.command("index")
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    db: Db,
    embedding_model: Annotated[str | None, typer.Option(
        help="Encoder for the vectors (default all-minilm-l6-v2, or the index's own).")] = None,
    keyword_tokenizer: Annotated[str, typer.Option(
        help="Keyword index for Chinese: jieba (segmenter) or trigram.")] = "jieba",
    chunk_tokens: Annotated[int, typer.Option(help="Most tokens per chunk.")] = 200,
    overlap_tokens: Annotated[int, typer.Option(help="Tokens shared by neighbours.")] = 40,
):
    """Index files and folders into --db; re-running updates only what changed."""
    from rich.progress import Progress

    from lmforge.rag.embedder import DEFAULT_EMBEDDING_MODEL
    from lmforge.rag.indexer import index_paths, require_paths
    from lmforge.rag.service import cached_embedder
    from lmforge.rag.store import Store

    require_paths(paths)  # a missing path: one line, no index file left behind
    if db.exists():  # an existing index keeps its model; another one is an error, early
        existing = Store(db, embedding_model=embedding_model, create=False)
        embedding_model = existing.embedding_model
        existing.close()
    embedder = cached_embedder(embedding_model or DEFAULT_EMBEDDING_MODEL)
    store = Store(db, embedding_model=embedder.name, dim=embedder.dim,
                  keyword_tokenizer=keyword_tokenizer)
    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("indexing", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name[:40])

        report = index_paths(paths, store, embedder, max_tokens=chunk_tokens,
                             overlap_tokens=overlap_tokens, progress=progress)
    counts = store.counts()
    for failure in report.failed:
        typer.secho(f"skipped {failure}", err=True, fg="yellow")
    typer.echo(f"{db}: {report.added} added, {report.updated} updated, {report.removed} "
               f"removed, {report.unchanged} unchanged; {report.chunks_embedded} chunks "
               f"embedded; index holds {counts['files']} files, {counts['chunks']} chunks")


@rag_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    db: Db, k: K = 5, mode: Mode = "hybrid", fusion: Fusion = 0,
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout.")] = False,
):
    """The best chunks for QUERY, best first (--model writes the --fusion rewrites)."""
    from lmforge.rag.service import open_index

    _, retriever = open_index(db)
    if fusion:
        retriever = _fusion_retriever(retriever, model, fusion)
    hits = retriever.search(query, k=k, mode=mode)
    if as_json:
        sys.stdout.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        return
    for n, hit in enumerate(hits, 1):
        typer.secho(f"[{n}] {hit.source} · {hit.position} (score {hit.score:.4f})", bold=True)
        typer.echo(hit.text.strip()[:500] + "\n")


@rag_app.command("ask")
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    db: Db, model: Model = DEFAULT_MODEL, k: K = 4, mode: Mode = "hybrid", fusion: Fusion = 0,
    max_tokens: Annotated[int, typer.Option(help="Most tokens in the answer.")]
    = RAG_DEFAULTS.max_tokens,
    as_json: Annotated[bool, typer.Option("--json", help="Answer and sources as JSON.")] = False,
):
    """Answer QUESTION from the indexed documents, then list the numbered sources.

    The answer is sampled with the chat defaults less the repetition penalty (greedy, the
    loop stop; docs/rag.md); "Not found in the documents." when the retrieved text is not
    relevant or does not hold the words of the answer."""
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load
    from lmforge.rag.answer import answer_question
    from lmforge.rag.service import open_index

    _, retriever = open_index(db)
    lm = load(model)
    engine = Engine(lm.model, lm.tokenizer)
    if fusion:
        retriever = _fusion_retriever(retriever, engine, fusion)
    answer = answer_question(question, retriever, engine, k=k, mode=mode,
                             max_tokens=max_tokens)
    if as_json:
        sys.stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        return
    typer.echo(answer.text + "\n")
    for n, hit in answer.numbered_sources:
        mark = "*" if n in answer.cited else " "
        typer.echo(f"{mark}[{n}] {hit.source} · {hit.position}")


@rag_app.command("tune-embedder")
def tune_embedder_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive): the "
                                                "documents you will index.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the tuned encoder.")],
    kind: Annotated[str, typer.Option(
        help="static: a token-vector table tuned in minutes (reads Chinese; default); "
             "transformer: MiniLM itself tuned (slow on a CPU).")] = "static",
    base: Annotated[str, typer.Option(help="Encoder to start from (static: the English "
                                      "vocabulary).")] = "all-minilm-l6-v2",
    epochs: Annotated[float, typer.Option(help="static: passes over the corpus.")] = 30.0,
    dim: Annotated[int, typer.Option(help="static: vector size.")] = 256,
    steps: Annotated[int, typer.Option(help="transformer: optimizer steps.")] = 40,
    minutes: Annotated[float | None, typer.Option(
        help="Stop after this many minutes of training even if steps remain.")] = None,
    batch_size: Annotated[int | None, typer.Option(
        help="Pairs per step (in-batch negatives); default 128 static, 32 transformer.")]
    = None,
    lr: Annotated[float | None, typer.Option(
        help="Peak learning rate; default 3e-3 static, 3e-4 transformer.")] = None,
    layers: Annotated[int, typer.Option(
        help="transformer: keep the first N layers (0: all); fewer tune and index faster.")]
    = 2,
):
    """Tune an encoder on your documents (inverse cloze, in-batch negatives; docs/rag.md),
    then index with --embedding-model OUT."""
    from rich.progress import Progress

    from lmforge.errors import ConfigError
    from lmforge.rag.indexer import require_paths

    if kind not in ("static", "transformer"):
        raise ConfigError(f"--kind {kind!r} is not one of static, transformer")
    require_paths(paths)
    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("making pairs", total=None)

        def progress(step: int, total: int, loss: float) -> None:
            bar.update(task, completed=step, total=total, description=f"loss {loss:.3f}")

        if kind == "static":
            from lmforge.rag.static_encoder import StaticSettings, tune_static

            report = tune_static(paths, out, StaticSettings(
                base=base, dim=dim, epochs=epochs, minutes=minutes,
                batch_size=batch_size or 128, lr=lr or 3e-3), progress)
            typer.echo(f"{out}: a static encoder ({report.vocabulary} tokens x {dim}) tuned on "
                       f"{report.pairs} passages, {report.steps} steps in {report.seconds:.0f} "
                       f"s, loss {report.first_loss:.3f} -> {report.last_loss:.3f}, held-out "
                       f"top-1 {report.heldout_top1_before:.2f} -> "
                       f"{report.heldout_top1_after:.2f}; index with --embedding-model {out}")
            return
        from lmforge.rag.tune_embedder import TuneSettings, tune_embedder

        report = tune_embedder(paths, out, TuneSettings(
            base=base, steps=steps, minutes=minutes, batch_size=batch_size or 32,
            lr=lr or 3e-4, layers=layers or None), progress)
    typer.echo(f"{out}: {base} tuned on {report.pairs} passages, {report.steps} steps in "
               f"{report.seconds:.0f} s, loss {report.first_loss:.3f} -> {report.last_loss:.3f}; "
               f"index with --embedding-model {out}")


def _fusion_retriever(retriever, model_or_engine, n: int):
    """RAG-Fusion over `retriever` (rag/fusion.py); the rewrites come from a model name or an
    Engine already built."""
    from lmforge.prompting.completer import EngineCompleter
    from lmforge.rag.fusion import FusionRetriever

    if n < 0:
        raise typer.BadParameter(f"--fusion must be >= 0 rewrites, got {n}")
    engine = model_or_engine
    if isinstance(model_or_engine, str):
        from lmforge.infer.engine import Engine
        from lmforge.io.registry import load

        lm = load(model_or_engine)
        engine = Engine(lm.model, lm.tokenizer)
    return FusionRetriever(retriever, EngineCompleter(engine), n)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)
