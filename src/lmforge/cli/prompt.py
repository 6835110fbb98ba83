"""`lmforge prompt`: prompt templates and prompting techniques on one question or a task.

    lmforge prompt render question.j2 --var question="What is 7 * 8?"   the exact model input
    lmforge prompt ask "Ana has 3 apples and gets 4 more. How many?" \
        --technique self-consistency --k 5
    lmforge prompt ask "4 6 8 3" --task game24 --technique tot --breadth 3 --budget 40
    lmforge prompt ask "What is 37 * 48?" --technique react          ReAct: the agent + calculator
    lmforge eval word_problems game24 --technique cot --limit 20      accuracy, 95% CI, calls

Techniques live in lmforge/prompting/ (one module each; docs/prompting.md has the measured
table). ReAct is the agent loop (agent/loop.py) with the calculator tool: it sits above
prompting/, so it is wired here.
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Model, app

prompt_app = typer.Typer(no_args_is_help=True, help="Prompt templates and prompting "
                         "techniques: render, ask.")
app.add_typer(prompt_app, name="prompt")

Technique = Annotated[str, typer.Option(
    help="direct, few-shot, cot, self-consistency, tot (or react for `ask`).")]
K = Annotated[int, typer.Option("--k", help="self-consistency: samples per question.")]
Breadth = Annotated[int, typer.Option(help="tot: states kept per level.")]
Depth = Annotated[int | None, typer.Option(help="tot: levels (default 3 for game24, else 1).")]
Budget = Annotated[int, typer.Option(help="tot: most model calls per question.")]
Adapter = Annotated[str | None, typer.Option(help="A LoRA adapter folder for --model.")]


@prompt_app.command("render")
def render(
    template: Annotated[Path, typer.Argument(help="Template file: Jinja text (the user "
                                             "message) or YAML with system/user.")],
    var: Annotated[list[str] | None, typer.Option(
        "--var", help="NAME=VALUE for a template variable; repeat.")] = None,
    model: Model = DEFAULT_MODEL,
):
    """Print the exact text the model reads: the template's messages in its chat template."""
    from lmforge.io.registry import load
    from lmforge.prompting.templates import load_template

    variables = dict(_pair(v) for v in var or [])
    loaded = load_template(template)
    loaded.messages(**variables)  # an undefined variable fails before the model loads
    sys.stdout.write(loaded.chat_prompt(load(model).tokenizer, **variables))


@prompt_app.command("ask")
def ask(
    question: Annotated[str, typer.Argument(help="The question (game24: the four numbers).")],
    technique: Technique = "direct",
    task: Annotated[str, typer.Option(
        help="How answers are read and where few-shot examples come from: word_problems, "
             "game24, mc_en, mc_zh, arithmetic.")] = "word_problems",
    k: K = 5, shots: Annotated[int, typer.Option(help="few-shot: examples.")] = 3,
    breadth: Breadth = 3, depth: Depth = None, budget: Budget = 40,
    seed: Annotated[int, typer.Option(help="Seed of samples and example draws.")] = 0,
    model: Model = DEFAULT_MODEL, adapter: Adapter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Answer, reply and calls as "
                                          "JSON.")] = False,
):
    """Answer one QUESTION with a prompting technique; print the answer."""
    from lmforge.prompting.evaluate import Settings, solve
    from lmforge.prompting.tasks import load_problems

    if technique == "react":
        return _react(question, model, as_json)
    settings = Settings(technique, k=k, shots=shots, breadth=breadth, depth=depth,
                        budget=budget, seed=seed).check()  # bad input: before the model loads
    _, pool = load_problems(task, limit=None)
    problem = _problem(question, task, pool)
    [outcome] = solve(_completer(model, adapter), [problem], pool, settings)
    if as_json:
        sys.stdout.write(json.dumps({"answer": outcome.answer, "reply": outcome.reply,
                                     "calls": outcome.calls, "samples": outcome.samples},
                                    ensure_ascii=False) + "\n")
        return
    typer.secho(f"[{technique}: {outcome.calls} model calls]", err=True, dim=True)
    sys.stdout.write(f"{outcome.answer or outcome.reply or '(no answer)'}\n")


def evaluate_techniques(targets: list[str], models: list[str], technique: str, k: int,
                        limit: int | None, seed: int, as_json: bool) -> None:
    """`lmforge eval --technique`: accuracy with a 95% bootstrap interval and model calls
    per question, per model and task."""
    from lmforge.prompting.evaluate import Settings, evaluate
    from lmforge.prompting.tasks import load_problems

    settings = Settings(technique, k=k, seed=seed).check()
    for target in targets:  # every task name checked before any model loads
        load_problems(target, limit=1)
    reports = [evaluate(_completer(name, None), target, settings, limit) | {"model": name}
               for name in models for target in targets]
    if as_json:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(f"technique={technique} k={k} limit={limit} seed={seed}\n\n"
                     "| model | task | n | accuracy | 95% CI | calls / question |\n"
                     "|---|---|---:|---:|---|---:|\n")
    for r in reports:
        sys.stdout.write(f"| {r['model']} | {r['task']} | {r['n']} | {r['accuracy']:.3f} | "
                         f"[{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] | "
                         f"{r['calls_per_question']:.1f} |\n")


def _completer(model: str, adapter: str | None):
    from lmforge.cli.app import _load
    from lmforge.infer.engine import Engine
    from lmforge.prompting.completer import EngineCompleter

    lm = _load(model, "fp32", adapter=adapter)
    return EngineCompleter(Engine(lm.model, lm.tokenizer, max_batch_size=32))


def _problem(question: str, task: str, pool):
    """The question as a problem of the task's kind (no gold answer: it is not scored)."""
    from lmforge.prompting.tasks import GAME24_QUESTION, NUMBER_INSTRUCTION, Problem

    kind = pool[0].kind
    if kind == "game24":
        try:
            numbers = [int(n) for n in question.split()]
        except ValueError:
            numbers = []
        if len(numbers) != 4:
            raise typer.BadParameter(f"--task game24 takes four whole numbers, got "
                                     f"{question!r}")
        return Problem(GAME24_QUESTION.format(numbers=question), "24", kind, numbers=numbers)
    if kind == "number" and "The answer is" not in question:
        question = f"{question} {NUMBER_INSTRUCTION}"
    return Problem(question, "", kind, language=pool[0].language)


def _react(question: str, model: str, as_json: bool) -> None:
    """ReAct (Yao et al., 2022): think, call a tool, observe, until an answer: the agent."""
    from lmforge.agent import Agent, EngineChatModel, make_tools
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load

    lm = load(model)
    result = Agent(EngineChatModel(Engine(lm.model, lm.tokenizer)),
                   make_tools("calculator")).run(question)
    if as_json:
        sys.stdout.write(json.dumps({"answer": result.answer, "calls": result.steps,
                                     "stop_reason": result.stop_reason},
                                    ensure_ascii=False) + "\n")
        return
    typer.secho(f"[react: {result.steps} model calls, {result.stop_reason}]", err=True,
                dim=True)
    sys.stdout.write(result.answer + "\n")


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise typer.BadParameter(f"--var takes NAME=VALUE, got {text!r}")
    return name.strip(), value
