"""`lmforge learn`: the Learn lessons in the terminal, the same numbers as the Learn tab.

    lmforge learn next "今天天气真" --top 10 [--then 25472 --then ...]   1 one step, branching
    lmforge learn words "Once upon a time" --steps 8                     1 greedy, step by step
    lmforge learn strategies "今天天气真" [--strategy top_k=5 ...]         2 decoding strategies
    lmforge learn beam "The capital of France is" --beams 3              3 the beam tree
    lmforge learn tokens "今天天气真好" "The weather is nice"               4 tokenization
    lmforge learn attention "他把香蕉给了猴子，因为它很饿。" --token 9        5 attention
    lmforge learn positions --positions 64                               6 positions
    lmforge learn objectives "The cat sat on the mat because it was tired."  7 objectives
    lmforge learn finetune --rank 8 [--targets 'q_proj|v_proj'] [--measure]  8 fine-tuning
    lmforge learn quantization [--text-file held_out.txt]                9 quantization
    lmforge learn grpo "What is 7 + 8? Reply with the number only." --answer 15   10 RL
    lmforge learn grpo-step --group-size 4                               10 one live step
    lmforge learn replay runs/grpo                                       10 a recorded run

Every command takes the model options of `generate` (--model, --quantize, --dtype) and
--json (the lesson's data as one JSON object). Bad values exit 1 with one line naming them.
"""

import json
import sys
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Dtype, Model, Quantize, app

learn_app = typer.Typer(no_args_is_help=True, help="The Learn lessons on a real model: next "
                        "tokens, decoding strategies, beam search, tokens, attention.")
app.add_typer(learn_app, name="learn")

Prompt = Annotated[str, typer.Argument(help="The text to continue (raw, no chat template).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the lesson's data as JSON.")]
Top = Annotated[int, typer.Option(help="Candidates shown per step.")]
MaxTokens = Annotated[int, typer.Option(help="Most new tokens per continuation.")]


def load(model: str, dtype: str, quantize: str | None):
    """The model as `generate` loads it."""
    from lmforge.cli.app import _load

    return _load(model, dtype) if quantize is None else _load(model, dtype, quantize)


def lesson_engine_for(model: str, dtype: str, quantize: str | None):
    """The lessons' Engine over the model as `generate` loads it."""
    from lmforge.learn import lesson_engine

    lm = load(model, dtype, quantize)
    return lesson_engine(lm.model, lm.tokenizer)


def emit(result: dict, as_json: bool, formatter) -> None:
    text = json.dumps(result, ensure_ascii=False) if as_json else formatter(result)
    sys.stdout.write(text + "\n")


@learn_app.command("next")
def next_command(
    prompt: Prompt, model: Model = DEFAULT_MODEL, quantize: Quantize = None,
    dtype: Dtype = "fp32", top: Top = 10, as_json: AsJson = False,
    then: Annotated[list[int] | None, typer.Option(
        help="A token id taken after the prompt (repeatable, in order): a branch.")] = None,
):
    """Lesson 1: the model's next-token candidates and their probabilities."""
    from lmforge.learn import next_token
    from lmforge.learn.lesson_engine import check_top
    from lmforge.learn.terminal import format_step

    check_top(top)
    engine = lesson_engine_for(model, dtype, quantize)
    emit(next_token(engine, prompt, then or [], top), as_json, format_step)


@learn_app.command("words")
def words_command(
    prompt: Prompt, model: Model = DEFAULT_MODEL, quantize: Quantize = None,
    dtype: Dtype = "fp32", top: Top = 5, as_json: AsJson = False,
    steps: Annotated[int, typer.Option(help="Greedy steps to take.")] = 8,
):
    """Lesson 1: write word by word, greedily, with every step's candidates."""
    from lmforge.learn import word_by_word
    from lmforge.learn.lesson_engine import check_top
    from lmforge.learn.terminal import format_words

    check_top(top)
    engine = lesson_engine_for(model, dtype, quantize)
    emit(word_by_word(engine, prompt, steps, top), as_json, format_words)


@learn_app.command("strategies")
def strategies_command(
    prompt: Prompt, model: Model = DEFAULT_MODEL, quantize: Quantize = None,
    dtype: Dtype = "fp32", top: Top = 8, as_json: AsJson = False,
    strategy: Annotated[list[str] | None, typer.Option(
        help="A strategy as key=value pairs, e.g. 'temperature=0.7,top_p=0.9' or 'beams=3' "
             "(repeatable; default: the course's eight).")] = None,
    samples: Annotated[int, typer.Option(help="Seeded continuations per strategy.")] = 3,
    max_tokens: MaxTokens = 12,
    seed: Annotated[int, typer.Option(help="Sample i of every strategy uses seed + i.")] = 0,
):
    """Lesson 2: greedy, beam, temperature, top-k, top-p, min-p, penalties side by side."""
    from lmforge.learn.strategies import STRATEGIES, compare_strategies, settings_params
    from lmforge.learn.terminal import format_strategies

    chosen = [(spec, parse_strategy(spec)) for spec in strategy] if strategy else STRATEGIES
    for _, settings in chosen:  # bad settings fail before the model loads
        settings_params(settings, max_tokens, seed)
    engine = lesson_engine_for(model, dtype, quantize)
    emit(compare_strategies(engine, prompt, chosen, samples, max_tokens, seed, top), as_json,
         format_strategies)


@learn_app.command("beam")
def beam_command(
    prompt: Prompt, model: Model = DEFAULT_MODEL, quantize: Quantize = None,
    dtype: Dtype = "fp32", as_json: AsJson = False,
    beams: Annotated[int, typer.Option(help="Beams kept at every step (1..16).")] = 3,
    max_tokens: MaxTokens = 8,
    length_penalty: Annotated[float, typer.Option(
        help="Finished hypotheses score sum logprob / length**this.")] = 1.0,
):
    """Lesson 3: the beam search tree, the same search as `generate --beams`."""
    from lmforge.learn import beam_tree
    from lmforge.learn.beam_tree import check_beams
    from lmforge.learn.terminal import format_tree

    check_beams(beams)
    engine = lesson_engine_for(model, dtype, quantize)
    emit(beam_tree(engine, prompt, beams, max_tokens, length_penalty), as_json, format_tree)


@learn_app.command("tokens")
def tokens_command(
    texts: Annotated[list[str] | None, typer.Argument(
        help="Texts to split (default: a Chinese sentence and its English twin).")] = None,
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
):
    """Lesson 4: how texts split into tokens, and what each language pays per token."""
    from lmforge.learn.terminal import format_tokens
    from lmforge.learn.tokenization import EXAMPLES, tokenize_texts

    lm = load(model, dtype, quantize)
    emit(tokenize_texts(lm.model, lm.tokenizer, texts or EXAMPLES), as_json, format_tokens)


@learn_app.command("attention")
def attention_command(
    text: Annotated[str | None, typer.Argument(
        help="The text (default: the course's coreference example).")] = None,
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
    layer: Annotated[int | None, typer.Option(help="Layer (default: the middle one).")] = None,
    token: Annotated[int | None, typer.Option(
        help="The token whose attention is printed (default: the last).")] = None,
):
    """Lesson 5: one layer's attention, every head and their average."""
    from lmforge.learn.attention import EXAMPLES, attention_lesson
    from lmforge.learn.terminal import format_attention

    lm = load(model, dtype, quantize)
    result = attention_lesson(lm.model, lm.tokenizer, text or EXAMPLES[0], layer)
    emit(result, as_json, lambda r: format_attention(r, token))


@learn_app.command("positions")
def positions_command(
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
    positions: Annotated[int, typer.Option(help="Positions shown (2..256).")] = 64,
):
    """Lesson 6: the sinusoidal table and RoPE's rotations, with the model's head size."""
    from lmforge.learn.positions import positions_lesson
    from lmforge.learn.terminal import format_positions

    lm = load(model, dtype, quantize)
    emit(positions_lesson(lm.model.config, positions), as_json, format_positions)


@learn_app.command("objectives")
def objectives_command(
    text: Annotated[str | None, typer.Argument(help="One sentence (default: an example).")]
    = None,
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
    seed: Annotated[int, typer.Option(help="Which tokens are masked or dropped.")] = 0,
    families: Annotated[bool, typer.Option(
        help="Also train a tiny model of each family (a few seconds) for its real loss.")]
    = True,
    corpus: Annotated[str | None, typer.Option(
        help="A text file the tiny models train on (default: the lesson's sentences).")]
    = None,
    steps: Annotated[int, typer.Option(help="The tiny models' training steps.")] = 100,
):
    """Lesson 7: one sentence as causal-LM, masked-LM and seq2seq training see it."""
    from lmforge.learn.objectives import EXAMPLE, objectives_lesson
    from lmforge.learn.terminal import format_objectives
    from lmforge.learn.tiny_families import family_losses

    lm = load(model, dtype, quantize)
    result = objectives_lesson(lm.model, lm.tokenizer, text or EXAMPLE, seed)
    if families:
        result["families"] = family_losses(text or EXAMPLE, seed, corpus, steps)
    emit(result, as_json, format_objectives)


@learn_app.command("finetune")
def finetune_command(
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
    rank: Annotated[int, typer.Option(help="LoRA rank r.")] = 8,
    targets: Annotated[str | None, typer.Option(
        help="Regex over linear names, as `sft --lora-targets` (default: every projection).")]
    = None,
    qlora_group_size: Annotated[int, typer.Option(help="Weights per int4 scale under QLoRA.")]
    = 64,
    measure: Annotated[bool, typer.Option(
        help="Also take one real optimizer step per mode, timed (loads the model to train).")]
    = False,
    tokens: Annotated[int, typer.Option(help="Tokens per row of the measured step.")] = 32,
    batch: Annotated[int, typer.Option(help="Rows of the measured step.")] = 1,
):
    """Lesson 8: trainable weights and memory of full fine-tuning, LoRA and QLoRA."""
    from lmforge.learn.finetuning import finetune_costs
    from lmforge.learn.terminal import format_finetuning

    lm = load(model, dtype, quantize)
    result = finetune_costs(lm.model.config, rank, targets, qlora_group_size)
    if measure:
        from lmforge.learn.finetune_step import measure_steps

        result["measured"] = measure_steps(model, rank, targets, qlora_group_size, tokens,
                                           batch)
    emit(result, as_json, format_finetuning)


@learn_app.command("quantization")
def quantization_command(
    model: Model = DEFAULT_MODEL, as_json: AsJson = False,
    text_file: Annotated[str | None, typer.Option(
        help="A held-out text to score (default: a paragraph written for the lesson).")] = None,
    setting: Annotated[list[str] | None, typer.Option(
        help="fp32, bf16, fp16, int8, int4 or 'GGUF blocks' (repeatable; default: all that "
             "apply).")] = None,
):
    """Lesson 9: size, perplexity, KL to fp32 and top-1 agreement at each precision."""
    from pathlib import Path

    from lmforge.learn.quantization import HELD_OUT, quantization_costs
    from lmforge.learn.terminal import format_quantization

    text = Path(text_file).read_text(encoding="utf-8") if text_file else HELD_OUT
    emit(quantization_costs(model, text, setting), as_json, format_quantization)


@learn_app.command("grpo")
def grpo_command(
    question: Annotated[str | None, typer.Argument(help="A question with one right answer "
                                                   "(default: an arithmetic one).")] = None,
    answer: Annotated[str | None, typer.Option(help="Its answer (a number is read from "
                                               "the reply's end).")] = None,
    model: Model = DEFAULT_MODEL, quantize: Quantize = None, dtype: Dtype = "fp32",
    as_json: AsJson = False,
    group_size: Annotated[int, typer.Option(help="Answers sampled (2..16).")] = 8,
    max_tokens: MaxTokens = 32,
    seed: Annotated[int, typer.Option(help="The group's random seed.")] = 0,
):
    """Lesson 10: one GRPO group: sampled answers, rewards, group-relative advantages."""
    from lmforge.learn.rlhf import EXAMPLE, grpo_group
    from lmforge.learn.terminal import format_grpo

    if (question is None) != (answer is None):
        raise typer.BadParameter("give a QUESTION and its --answer, or neither")
    engine = lesson_engine_for(model, dtype, quantize)
    question, answer = (question, answer) if question is not None else EXAMPLE
    emit(grpo_group(engine, question, answer, group_size, max_tokens, seed=seed), as_json,
         format_grpo)


@learn_app.command("grpo-step")
def grpo_step_command(
    model: Model = DEFAULT_MODEL, as_json: AsJson = False,
    group_size: Annotated[int, typer.Option(help="Replies sampled per question (2..8).")] = 4,
    max_tokens: MaxTokens = 16,
    rank: Annotated[int, typer.Option(help="LoRA rank of the policy.")] = 8,
    lr: Annotated[float, typer.Option(help="AdamW's learning rate for the step.")] = 2e-4,
    seed: Annotated[int, typer.Option(help="The rollout's random seed.")] = 0,
):
    """Lesson 10: one live GRPO step (two sums): replies, rewards, advantages, the update."""
    from lmforge.learn.grpo_step import TASKS, grpo_step
    from lmforge.learn.terminal import format_grpo_step

    emit(grpo_step(model, TASKS, group_size, max_tokens, rank, lr, seed=seed), as_json,
         format_grpo_step)


@learn_app.command("replay")
def replay_command(
    run: Annotated[str, typer.Argument(help="A run folder (with metrics.csv).")],
    as_json: AsJson = False,
):
    """Lesson 10: a recorded run's reward, KL and the rest, step by step."""
    from lmforge.learn.rlhf import replay_run
    from lmforge.learn.terminal import format_replay

    emit(replay_run(run), as_json, format_replay)


def parse_strategy(spec: str) -> dict:
    """'temperature=0.7,top_k=5' -> {"temperature": 0.7, "top_k": 5}."""
    settings = {}
    for pair in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"--strategy {spec!r}: {pair!r} is not key=value")
        try:
            settings[key.strip()] = int(value) if value.strip().lstrip("-").isdigit() else (
                float(value))
        except ValueError:
            raise typer.BadParameter(f"--strategy {spec!r}: {value!r} is not a number") from None
    return settings
