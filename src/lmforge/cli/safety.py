"""`lmforge safety check TEXT`: run the safety filters on one text and print the decision."""

import json
import sys
from typing import Annotated

import typer

from lmforge.cli.app import app

safety_app = typer.Typer(no_args_is_help=True, help="Safety filters: harmful content, PII, "
                         "prompt injection.")
app.add_typer(safety_app, name="safety")


@safety_app.command("check")
def check_command(
    text: Annotated[str, typer.Argument(help="The text to check ('-' reads stdin).")],
    policy: Annotated[str | None, typer.Option(help="Policy YAML (default: the shipped "
                                               "one).")] = None,
    direction: Annotated[str, typer.Option(help="input, output or document.")] = "input",
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")]
    = False,
    audit: Annotated[str | None, typer.Option(help="Append the decision to this JSONL "
                                              "audit log.")] = None,
):
    """Decide whether TEXT may pass; print allowed, categories and the redacted text."""
    from lmforge.safety import check
    from lmforge.safety.policy import DIRECTIONS

    if direction not in DIRECTIONS:
        raise typer.BadParameter(f"--direction must be one of {', '.join(DIRECTIONS)}, got "
                                 f"{direction!r}")
    if text == "-":
        text = sys.stdin.read()
    decision = check(text, direction, policy, audit=audit)
    if as_json:
        out = decision.to_dict()
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    verdict = "allowed" if decision.allowed else "blocked"
    cats = ", ".join(decision.categories) or "none"
    typer.echo(f"{verdict} ({decision.action}); categories: {cats}")
    for f in decision.findings:
        typer.echo(f"  {f.category}.{f.rule} -> {f.action}")
    typer.echo(decision.refusal if not decision.allowed else decision.redacted)


# -- the --safety option of `generate` and `chat` --------------------------------------------

SAFETY_HELP = ("Filter the prompt and the reply with a safety policy: 'default' (the shipped "
               "one) or a policy YAML file. The reply then comes whole, not streamed.")
Safety = Annotated[str | None, typer.Option("--safety", metavar="POLICY", help=SAFETY_HELP)]


def refuse_input(text: str, policy: str) -> str | None:
    """The refusal to print instead of answering `text`, or None when it may pass."""
    from lmforge.safety import check

    decision = check(text, "input", None if policy == "default" else policy)
    return None if decision.allowed else decision.refusal


def guarded_reply(engine, prompt_ids: list[int], params, policy: str) -> str:
    """Generate the whole reply, check it as output, print it (PII redacted) or a refusal."""
    from lmforge.safety import check

    text = engine.generate([prompt_ids], params)[0].text
    decision = check(text, "output", None if policy == "default" else policy)
    shown = decision.redacted if decision.allowed else decision.refusal
    sys.stdout.write(shown + "\n")
    sys.stdout.flush()
    return shown
