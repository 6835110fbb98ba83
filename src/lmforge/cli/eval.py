"""`lmforge eval`: run evaluation tasks, or measure perplexity on a text file.

    lmforge eval                                     the built-in tasks on the bundled model
    lmforge eval arithmetic my_task.yaml --shots 3 --limit 20 --out runs/eval
    lmforge eval mc_en --model smollm2-135m-instruct --model runs/sft   base vs tuned
    lmforge eval perplexity held_out.txt --context 512 --stride 256 --json
    lmforge eval word_problems game24 --technique self-consistency --k 5 --limit 20
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, app

BUILTIN_DEFAULT = ["arithmetic", "mc_en", "mc_zh"]


@app.command("eval")
def eval_command(
    targets: Annotated[list[str] | None, typer.Argument(
        help="Task names or task YAML files (default: arithmetic mc_en mc_zh); or "
             "'perplexity FILE'.")] = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model to evaluate; repeat to compare models in one table.")]
    = None,
    shots: Annotated[int, typer.Option(help="Few-shot examples per question.")] = 0,
    limit: Annotated[int | None, typer.Option(help="At most this many records per task.")]
    = None,
    seed: Annotated[int, typer.Option(help="Seed for drawing few-shot examples.")] = 0,
    cot: Annotated[bool, typer.Option(help="Chain-of-thought prompting.")] = False,
    technique: Annotated[str | None, typer.Option(
        help="A prompting technique on the prompting tasks (word_problems, game24, mc_en, "
             "mc_zh, arithmetic): direct, few-shot, cot, self-consistency, tot.")] = None,
    k: Annotated[int, typer.Option("--k", help="--technique self-consistency: samples.")] = 5,
    out: Annotated[str | None, typer.Option(help="Write results.json and results.md "
                                            "here.")] = None,
    context: Annotated[int | None, typer.Option(help="perplexity: window in tokens.")] = None,
    stride: Annotated[int | None, typer.Option(help="perplexity: tokens between window "
                                               "starts.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
):
    """Evaluate models on tasks (a results table), or 'perplexity FILE'."""
    from lmforge.cli.app import _load

    targets = list(targets or BUILTIN_DEFAULT)
    models = list(model or [DEFAULT_MODEL])
    if targets[0] == "perplexity":
        return _perplexity(targets[1:], models, context, stride, as_json)
    if technique is not None:  # lmforge/prompting/: accuracy, 95% CI and calls per question
        from lmforge.cli.prompt import evaluate_techniques

        tasks = ["word_problems"] if targets == BUILTIN_DEFAULT else targets
        return evaluate_techniques(tasks, models, technique, k, limit, seed, as_json)
    from lmforge.eval.runner import evaluate_models, markdown_table, write_results
    from lmforge.eval.tasks import load_task

    for target in targets:  # check every task file before loading any model
        load_task(target)
    loaded = {name: _load(name, "fp32") for name in models}
    results = evaluate_models(loaded, targets, shots, limit, seed, cot)
    if out:
        json_path, md_path = write_results(results, out)
        typer.echo(f"wrote {json_path} and {md_path}", err=True)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(markdown_table(results))


def _perplexity(files: list[str], models: list[str], context, stride, as_json: bool) -> None:
    from lmforge.cli.app import _load
    from lmforge.eval.perplexity import perplexity

    if len(files) != 1:
        raise typer.BadParameter("usage: lmforge eval perplexity FILE [--context N] "
                                 "[--stride S]")
    text = Path(files[0]).read_text(encoding="utf-8")
    lm = _load(models[0], "fp32")
    result = perplexity(lm.model, lm.tokenizer, text, context, stride)
    if as_json:
        sys.stdout.write(json.dumps({"perplexity": result.perplexity, "tokens": result.tokens,
                                     "nll": result.nll, "context": result.context,
                                     "stride": result.stride}) + "\n")
    else:
        sys.stdout.write(f"perplexity {result.perplexity:.4f} over {result.tokens} tokens "
                         f"(context {result.context}, stride {result.stride})\n")
