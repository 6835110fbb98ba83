"""Commands that run a model: generate, chat, embed, tokenize, convert, info."""

import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from lmforge.cli.app import (
    DEFAULT_MODEL,
    Adapter,
    Beams,
    Dtype,
    IgnoreEos,
    MaxTokens,
    MinP,
    Model,
    Quantize,
    Seed,
    Stop,
    System,
    Temperature,
    TopK,
    TopP,
    _end_streamed,
    _explain_length,
    _fit_prompt,
    _load,
    _sampling,
    _text_argument,
    _write,
    app,
)
from lmforge.cli.safety import (
    CHAT_DEFENCES_HELP,
    Safety,
    chat_defences,
    file_turn,
    guarded_reply,
    refuse_input,
)
from lmforge.infer.defaults import CHAT_DEFAULTS

KeepLast = Annotated[int | None, typer.Option(
    help="Keep only the last N tokens of a prompt longer than that (default: refuse).")]
# generate continues text as the raw model does; with --chat it starts from the chat
# defaults (lmforge/infer/defaults.py), as `lmforge chat` does
GENERATE_MAX_TOKENS = 128
GenerateMaxTokens = Annotated[int | None, typer.Option(
    help=f"Most tokens to generate. [default: {GENERATE_MAX_TOKENS}; "
    f"{CHAT_DEFAULTS.max_tokens} with --chat]", show_default=False)]
GenerateRepPenalty = Annotated[float | None, typer.Option(
    help="Penalise tokens already seen (>1). [default: 1 (off); "
    f"{CHAT_DEFAULTS.repetition_penalty:g} with --chat]", show_default=False)]
StopLoops = Annotated[bool, typer.Option(help="End a reply that repeats one passage 3 times "
                                         "in a row.")]
ChatDefencesOption = Annotated[str, typer.Option("--defences", help=CHAT_DEFENCES_HELP)]

@app.command()
def generate(
    prompt: Annotated[str, typer.Argument(help="The text to continue (or ask, with --chat).")],
    model: Model = DEFAULT_MODEL,
    chat: Annotated[bool, typer.Option(help="Wrap the prompt in the chat template.")] = False,
    system: System = None,
    max_tokens: GenerateMaxTokens = None, temperature: Temperature = None, top_k: TopK = None,
    top_p: TopP = 1.0, min_p: MinP = 0.0, repetition_penalty: GenerateRepPenalty = None,
    seed: Seed = None, stop: Stop = None, beams: Beams = 1, ignore_eos: IgnoreEos = False,
    keep_last: KeepLast = None, dtype: Dtype = "fp32", safety: Safety = None,
    quantize: Quantize = None, adapter: Adapter = None,
    speculative: Annotated[str | None, typer.Option(
        help="Speculative decoding: ngram (prompt lookup) or a draft MODEL with the same "
             "tokenizer; output as without it.")] = None,
    draft_tokens: Annotated[int, typer.Option(
        help="Tokens proposed per step with --speculative.")] = 4,
    stop_loops: Annotated[bool, typer.Option(help="With --chat: end a reply that repeats one "
                                             "passage 3 times in a row.")]
    = CHAT_DEFAULTS.stop_loops,
    defences: ChatDefencesOption = "leak",
):
    """Generate a continuation of PROMPT; prints only the generated text on stdout. With
    --chat, a reply that leaks the system prompt is withheld (--defences, as in chat)."""
    from lmforge.infer.chat_session import chat_messages, loop_stop, stream_reply
    from lmforge.infer.engine import Engine
    from lmforge.safety.chat_defences import LEAKED, LeakFilter

    prompt = _required_text("PROMPT", prompt)
    guard = chat_defences(defences)  # a bad name is a usage error before the model loads
    if safety and (refusal := refuse_input(prompt, safety)):
        sys.stdout.write(refusal + "\n")
        return
    if chat:  # a chat starts from the chat defaults; plain text from the raw model's
        max_tokens, repetition_penalty = _chat_defaults(
            max_tokens, repetition_penalty, beams == 1 and not speculative)
    else:
        max_tokens = GENERATE_MAX_TOKENS if max_tokens is None else max_tokens
        repetition_penalty = 1.0 if repetition_penalty is None else repetition_penalty
    params = _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                       stop, beams, ignore_eos,
                       default_temperature=CHAT_DEFAULTS.temperature if chat else 0.7)
    if speculative:
        params.speculative = "ngram" if speculative == "ngram" else "draft"
        params.draft_tokens = draft_tokens
        params.validate()
    lm = _load(model, dtype, quantize, adapter)
    draft = None
    if params.speculative == "draft":
        draft = _load(speculative, dtype).model
    system, check = guard.guard_system(system) if chat else (system, None)
    ids = (lm.tokenizer.encode_chat(chat_messages(system, [{"role": "user", "content": prompt}]))
           if chat else lm.tokenizer.encode(prompt, add_special=True, parse_special=False))
    engine = Engine(lm.model, lm.tokenizer, draft_model=draft)
    ids = _fit_prompt(ids, engine.max_seq_len, keep_last)
    if safety:
        guarded_reply(engine, ids, params, safety, check)
    elif beams > 1:
        _beam_reply(engine, ids, params, check)
    else:
        shown = LeakFilter(check)  # holds back what could still turn out to be a leak

        def stop_when(token_ids: list[int]) -> str | None:
            if shown.leaked:
                return LEAKED
            return loop_stop(token_ids) if chat and stop_loops else None

        reply = stream_reply(engine, ids, params, lambda text: _write(shown.feed(text)),
                             stop_when)
        _write(shown.finish())  # the held-back tail, or the refusal
        if shown.leaked:
            reply.text, reply.stopped = check.refusal, LEAKED
        _end_streamed(engine, reply, params.max_tokens)


def _chat_defaults(max_tokens: int | None, repetition_penalty: float | None,
                   penalty_applies: bool) -> tuple[int, float]:
    """Options left unset take the chat defaults. Beam search (whole-sequence scores) and
    speculative decoding (drafts checked together) take no repetition penalty: none then."""
    if repetition_penalty is None:
        repetition_penalty = CHAT_DEFAULTS.repetition_penalty if penalty_applies else 1.0
    return (CHAT_DEFAULTS.max_tokens if max_tokens is None else max_tokens), repetition_penalty


def _beam_reply(engine, ids: list[int], params, check=None) -> str:
    """Beam search keeps several hypotheses to the end, so its text comes at once."""
    from lmforge.infer.chat_session import whole_reply
    from lmforge.safety.chat_defences import whole_reply as unless_leaked

    reply = whole_reply(engine, ids, params)
    reply.text = unless_leaked(reply.text, check)
    _write(reply.text + "\n")
    _explain_length(engine, reply, params.max_tokens)
    return reply.text


ChatRepPenalty = Annotated[float | None, typer.Option(
    help=f"Penalise tokens already seen (>1). Default {CHAT_DEFAULTS.repetition_penalty:g}; "
    "none with --beams, which keeps whole-sequence scores.")]


@app.command()
def chat(
    model: Model = DEFAULT_MODEL, system: System = None,
    max_tokens: MaxTokens = CHAT_DEFAULTS.max_tokens, temperature: Temperature = None,
    top_k: TopK = None, top_p: TopP = CHAT_DEFAULTS.top_p, min_p: MinP = 0.0,
    repetition_penalty: ChatRepPenalty = None, seed: Seed = None,
    stop: Stop = None, beams: Beams = 1, ignore_eos: IgnoreEos = False, dtype: Dtype = "fp32",
    safety: Safety = None, quantize: Quantize = None, adapter: Adapter = None,
    stop_loops: StopLoops = CHAT_DEFAULTS.stop_loops, defences: ChatDefencesOption = "leak",
):
    """Chat, multi-turn and streaming: /reset, /system TEXT, /file PATH [QUESTION], /exit;
    piped lines work too.

    Ctrl-C stops the reply being written and returns to the prompt; Ctrl-D or /exit leaves.
    With --beams N each reply comes whole once the search ends. A reply that leaks the system
    prompt is withheld (--defences, docs/safety.md).
    """
    # The chat defaults (lmforge/infer/defaults.py): greedy, as a 135M model answers facts
    # most reliably that way (its Q4_1 weights give "The" 55% and "L" 36% after "What is the
    # capital of France?" at temperature 0.2); --temperature 0.7 --top-p 0.9 varies replies.
    from lmforge.infer.chat_session import ChatSession
    from lmforge.infer.engine import Engine

    max_tokens, repetition_penalty = _chat_defaults(max_tokens, repetition_penalty, beams == 1)
    params = _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                       stop, beams, ignore_eos, default_temperature=CHAT_DEFAULTS.temperature)
    guard = chat_defences(defences)
    lm = _load(model, dtype, quantize, adapter)
    session = ChatSession(Engine(lm.model, lm.tokenizer), params, system, stop_loops=stop_loops)
    session.system, check = guard.guard_system(system)
    interactive = sys.stdin.isatty()
    if interactive:
        typer.echo(f"{lm.name} ready. /reset, /system TEXT, /file PATH [QUESTION], /exit (or "
                   "Ctrl-D); Ctrl-C stops a reply", err=True)
    while (line := _read_turn(interactive)) is not None:
        if (command := session.command(line)) is not None:
            if command.notice:
                typer.echo(command.notice, err=True)
            if command.leave:
                break
            if line.startswith("/system"):  # a new system message gets its own guard
                session.system, check = guard.guard_system(session.system)
        elif line.startswith("/file") and (line := file_turn(line, guard)) is None:
            continue
        elif safety and (refusal := refuse_input(line, safety)):
            _write(refusal + "\n")
        else:
            prompt = session.add_user(line)
            for notice in prompt.notices:
                typer.echo(notice, err=True)
            session.add_reply(_chat_reply(session, prompt.ids, safety, interactive, check))


def _chat_reply(session, ids: list[int], safety: str | None, interactive: bool,
                check=None) -> str:
    """One reply printed as the options ask: checked whole, beam search, or streamed; a
    reply that leaks the system prompt (`check`) is replaced by a refusal."""
    from lmforge.safety.chat_defences import LEAKED, LeakFilter

    engine, params = session.engine, session.params
    if safety:
        return guarded_reply(engine, ids, params, safety, check)
    if params.n_beams > 1:
        return _beam_reply(engine, ids, params, check)
    shown = LeakFilter(check)  # holds back what could still turn out to be a leak
    with _ctrl_c_stops_reply(interactive) as pressed:
        write = _write_until(pressed)
        reply = session.stream(ids, lambda text: write(shown.feed(text)),
                               cancelled=lambda: pressed() or shown.leaked)
    _write(shown.finish())  # the held-back tail (or the refusal), even after Ctrl-C
    if shown.leaked:
        reply.text, reply.stopped = check.refusal, LEAKED
    return _end_streamed(engine, reply, params.max_tokens)


def _write_until(pressed: Callable[[], bool]) -> Callable[[str], None]:
    """_write, until Ctrl-C: the token the model was computing when it came is not shown."""
    return lambda text: None if pressed() else _write(text)


@contextmanager
def _ctrl_c_stops_reply(interactive: bool) -> Iterator[Callable[[], bool]]:
    """While a reply streams on a terminal, Ctrl-C sets a flag (read between tokens) instead
    of raising, so the reply ends cleanly and the chat goes on. Piped: Ctrl-C exits (130)."""
    pressed = []
    if not interactive:
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _read_turn(interactive: bool) -> str | None:
    """The next line; None at end of input (Ctrl-D). At the prompt, Ctrl-C only reminds."""
    while True:
        try:
            line = input(">>> ") if interactive else sys.stdin.readline()
            return line.rstrip("\r\n") if line else None
        except EOFError:  # Ctrl-D at the prompt: end its line, so the shell's starts clean
            sys.stdout.write("\n")
            return None
        except KeyboardInterrupt:
            if not interactive:
                raise
            typer.echo("\n(Ctrl-D or /exit leaves)", err=True)


@app.command()
def embed(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to embed.")] = None,
    model: Model = "all-minilm-l6-v2",
    image: Annotated[list[str] | None, typer.Option(
        help="Embed this image file instead (repeatable); needs a CLIP model folder.")] = None,
):
    """Print one JSON array of normalized embeddings: one per text, or one per --image (a
    CLIP model embeds both into one space: cosine similarity is its zero-shot score)."""
    from lmforge.infer.embeddings import embed_texts

    if bool(texts) == bool(image):
        raise typer.BadParameter("give texts to embed or --image FILE, not both or neither")
    if image:
        return _embed_images(model, image)
    texts = [_required_text(f"TEXT {i + 1}", t) for i, t in enumerate(texts)]
    lm = _load(model, "fp32")
    if type(lm.model).__name__ == "CLIPModel":  # CLIP's text tower, not mean pooling
        from lmforge.infer.clip_embeddings import embed_clip_texts

        vectors = embed_clip_texts(lm, texts)
    else:
        vectors = embed_texts(lm.model, lm.tokenizer, texts)
    sys.stdout.write(json.dumps([[round(x, 7) for x in v] for v in vectors.tolist()]) + "\n")


def _embed_images(model: str, paths: list[str]) -> None:
    from lmforge.extras import need
    from lmforge.infer.clip_embeddings import embed_images

    need("PIL.Image", "lmforge embed --image")  # before any model loads

    vectors = embed_images(_load(model, "fp32"), paths)
    sys.stdout.write(json.dumps([[round(x, 7) for x in v] for v in vectors.tolist()]) + "\n")


def _required_text(name: str, text: str) -> str:
    """UTF-8 text that is not empty (checked before any model loads), as /v1/embeddings and
    /v1/completions refuse "" too."""
    if not _text_argument(name, text):
        raise typer.BadParameter(f"{name} is empty: give some text")
    return text


@app.command()
def tokenize(
    text: Annotated[str, typer.Argument(help="Text to tokenize.")],
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print {ids, tokens, texts} as "
                                          "JSON.")] = False,
    add_special: Annotated[bool, typer.Option(help="Add BOS/EOS as the model does.")] = False,
):
    """Show how a model's tokenizer splits TEXT: each token's id, the text it stands for, and
    its symbol in the vocabulary (byte-level BPE spells bytes as symbols: 'é' is 'Ã©')."""
    from lmforge.io.registry import load_tokenizer

    text = _text_argument("TEXT", text)
    tok = load_tokenizer(model)
    ids = tok.encode(text, add_special=add_special)
    symbols, texts = tok.tokens(ids), token_texts(tok, ids)
    if as_json:  # part of a character: its bytes as "\\xNN" escapes
        shown = [t if isinstance(t, str) else t.decode("utf-8", "backslashreplace")
                 for t in texts]
        sys.stdout.write(json.dumps({"ids": ids, "tokens": symbols, "texts": shown},
                                    ensure_ascii=False) + "\n")
    else:  # 'é' for text, b'\xe4\xb8' for part of a character, then the vocabulary symbol
        sys.stdout.write("id\ttext\tsymbol\n")
        for i, t, sym in zip(ids, texts, symbols, strict=True):
            sys.stdout.write(f"{i}\t{t!r}\t{sym!r}\n")


def token_texts(tok, ids: list[int]) -> list[str | bytes]:
    """The text each token stands for; bytes for a token that holds only part of a
    character's UTF-8 bytes (common for Chinese and emoji in byte-level BPE)."""
    from lmforge.tokenizer.byte_table import unicode_to_byte

    byte_of = unicode_to_byte()
    is_byte_level = '"ByteLevel"' in (tok.backend.decoder.__getstate__().decode()
                                      if tok.backend.decoder is not None else "")
    texts = []
    for i, symbol in zip(ids, tok.tokens(ids), strict=True):
        if is_byte_level and all(c in byte_of for c in symbol):
            raw = bytes(byte_of[c] for c in symbol)
            try:
                texts.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(raw)
        else:
            texts.append(tok.decode([i], skip_special=False))
    return texts


@app.command()
def convert(
    source: Annotated[str, typer.Argument(help="Model name, folder or .gguf file.")],
    to: Annotated[str, typer.Option(help="Target format: safetensors or gguf.")],
    out: Annotated[str, typer.Option(help="Output folder (safetensors) or file (gguf).")],
    dtype: Annotated[str, typer.Option(
        help="Stored precision: f32 or f16 (safetensors); f32, f16, q8_0, q4_0, q4_1 or q4_k "
        "(gguf: llama.cpp's block formats and mix of types).")] = "f32",
    adapter: Adapter = None,
):
    """Convert between GGUF and the Hugging Face safetensors layout; write quantized GGUF."""
    from lmforge.errors import ConfigError
    from lmforge.io.convert import check_target, write_model
    from lmforge.io.convert import convert as run

    try:
        check_target(to, dtype)
    except ConfigError as e:  # a bad option value: a usage error, before any model loads
        raise typer.BadParameter(str(e)) from None
    if adapter:  # merged into its base first, as `lmforge merge` does
        from lmforge.train.lora import load_adapter, merge_and_unload
        from lmforge.train.pipeline import load_policy

        model, tokenizer = load_policy(source)
        load_adapter(model, adapter)
        path = write_model(merge_and_unload(model), tokenizer, to, out, dtype)
    else:
        path = run(source, to, out, dtype)
    size = f" ({path.stat().st_size / 2**20:.1f} MiB)" if path.is_file() else ""
    typer.echo(f"wrote {path}{size}", err=True)


@app.command()
def info(model: Annotated[str, typer.Argument(help="Model name, folder or .gguf file.")]
         = DEFAULT_MODEL):
    """Architecture, parameter count and memory of a model."""
    from rich.console import Console
    from rich.table import Table

    from lmforge.model.summary import summarize

    lm = _load(model, "fp32", quantize="none")  # float weights: every parameter counted
    table = Table(title=f"{lm.name} ({lm.path})", show_header=False)
    for key, value in summarize(lm.model).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v} MB" for k, v in value.items())
        elif isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:,}"
        table.add_row(key.replace("_", " "), str(value))
    Console().print(table)
