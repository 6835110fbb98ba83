"""`lmforge agent TASK`: a tool-using agent on a chat model; the final answer on stdout.

    lmforge agent "What is 37 * 48?" --tools calculator
    lmforge agent "What does the handbook say about dues?" --tools rag --db docs.sqlite
    lmforge agent "Summarise notes.txt" --tools files --root ./notes --transcript run.jsonl
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Model, app
from lmforge.infer.defaults import CHAT_DEFAULTS


@app.command()
def agent(
    task: Annotated[str, typer.Argument(help="What the agent should do.")],
    model: Model = DEFAULT_MODEL,
    tools: Annotated[str, typer.Option(
        help="Comma-separated: calculator, python, rag, files (date/time always).")] = "calculator",
    db: Annotated[Path | None, typer.Option(help="RAG index for the rag tool.")] = None,
    root: Annotated[Path | None, typer.Option(
        help="The one folder the files tool may read (default: the current folder).")] = None,
    memory: Annotated[Path | None, typer.Option(
        help="Long-term memory (SQLite), kept across runs.")] = None,
    max_steps: Annotated[int, typer.Option(help="Most model turns.")] = 8,
    time_limit: Annotated[float, typer.Option(help="Seconds before the agent stops.")] = 300.0,
    transcript: Annotated[Path | None, typer.Option(
        help="Write every thought, call and observation here (JSONL).")] = None,
    max_tokens: Annotated[int, typer.Option(help="Most tokens per model turn (the chat "
                                            "defaults' own).")] = CHAT_DEFAULTS.max_tokens,
):
    """Run TASK with tools; print the final answer."""
    from lmforge.agent import Agent, EngineChatModel, LongTermMemory, make_tools
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load

    toolset = make_tools(tools, db=db, root=root)
    lm = load(model)
    chat_model = EngineChatModel(Engine(lm.model, lm.tokenizer), max_tokens=max_tokens)
    long_term = None
    if memory is not None:
        from lmforge.rag.service import cached_embedder

        long_term = LongTermMemory(memory, cached_embedder("all-minilm-l6-v2").embed)
    result = Agent(chat_model, toolset, max_steps=max_steps, time_limit_s=time_limit,
                   transcript=transcript, memory=long_term,
                   reply_tokens=max_tokens).run(task)
    if result.stop_reason != "answer":
        typer.secho(f"(stopped: {result.stop_reason} after {result.steps} steps)", err=True,
                    fg="yellow")
    sys.stdout.write(result.answer + "\n")
