"""A multi-turn chat with a model: history, slash commands, context fitting, streamed replies.

    session = ChatSession(Engine(lm.model, lm.tokenizer))  # infer/defaults.py: CHAT_DEFAULTS
    session.command("/system You are a pirate.")   # Command(notice="(system message set; ...)")
    prompt = session.add_user("Say hello.")         # ids through the chat template
    reply = session.stream(prompt.ids, on_text=print_piece, cancelled=ctrl_c_pressed)
    session.add_reply(reply.text)

One turn: the user's line joins the history; the history is fitted to the context (the
oldest turns go, the system message stays: infer/conversation.py); the chat template turns
system + history into prompt ids; the Engine streams the reply, which ends early when the
caller cancels (Ctrl-C) or when it repeats one passage three times in a row (a small model
stuck in a loop). The caller prints: this module writes nothing to stdout or stderr, so
`lmforge chat`, a notebook or a test drive the same session. Callers that want a reply
whole (RAG answers, the agent) take it from `reply_without_loops`, with the same loop stop.

Test: `pytest tests/infer/test_chat_session.py`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lmforge.infer.conversation import fit_messages
from lmforge.infer.defaults import CHAT_DEFAULTS
from lmforge.infer.params import SamplingParams

EXIT_COMMANDS = ("/exit", "/quit")
CANCELLED = "stopped by Ctrl-C"
LOOPING = "stopped: the reply was repeating itself"
TURN_DROPPED = "(the oldest turn was dropped to fit the context window)"


LOOP_REPEATS = 3


def loop_period(ids: list[int], times: int = LOOP_REPEATS, max_period: int = 64,
                min_span: int = 24) -> int | None:
    """The length p of a passage the tokens end with `times` times in a row (a reply stuck
    in a loop), else None: p <= max_period, p * times >= min_span so "!!!" or "---" do not
    count."""
    for period in range(1, max_period + 1):
        span = period * times
        if span > len(ids):
            break
        if span < min_span:
            continue
        tail = ids[-period:]
        if all(ids[-(k + 1) * period:len(ids) - k * period] == tail for k in range(1, times)):
            return period
    return None


def repeating(ids: list[int], times: int = LOOP_REPEATS, max_period: int = 64,
              min_span: int = 24) -> bool:
    """True when the tokens end with one passage `times` times in a row (see loop_period)."""
    return loop_period(ids, times, max_period, min_span) is not None


def chat_messages(system: str | None, history: list[dict]) -> list[dict]:
    """The conversation as the chat template reads it: the system message (if any) first."""
    return ([{"role": "system", "content": system}] if system else []) + history


@dataclass
class Reply:
    """A finished (or stopped) reply and how it ended."""

    text: str
    token_ids: list[int]
    prompt_tokens: int
    finish_reason: str | None
    """'stop' or 'length' from the Engine; None when stopped early."""
    stopped: str | None = None
    """Why the caller's check ended it early (CANCELLED, LOOPING), else None."""
    seconds: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return len(self.token_ids) / max(self.seconds, 1e-9)


def stream_reply(engine, prompt_ids: list[int], params: SamplingParams,
                 on_text: Callable[[str], None],
                 stop_when: Callable[[list[int]], str | None] | None = None) -> Reply:
    """Stream one reply, handing each piece of text to `on_text`. `stop_when(token_ids)`
    returning a reason ends it early; closing the stream then aborts the request."""
    pieces, ids, reason, stopped = [], [], None, None
    start = time.perf_counter()
    events = engine.stream([prompt_ids], params)
    for event in events:
        if event.token_id is not None:
            ids.append(event.token_id)
        reason = event.finish_reason or reason
        if event.text:
            on_text(event.text)
            pieces.append(event.text)
        if stop_when is not None and (stopped := stop_when(ids)):
            break
    events.close()
    return Reply("".join(pieces), ids, len(prompt_ids), None if stopped else reason, stopped,
                 time.perf_counter() - start)


def loop_stop(token_ids: list[int]) -> str | None:
    """A `stop_when` for stream_reply: LOOPING once the reply repeats itself, else None."""
    return LOOPING if repeating(token_ids) else None


def reply_without_loops(engine, prompt_ids: list[int], params: SamplingParams,
                        stop_loops: bool = CHAT_DEFAULTS.stop_loops) -> Reply:
    """The whole reply for callers that show it only once done (RAG answers, the agent):
    with `stop_loops`, a reply stuck in a loop ends at its third repeat and keeps one copy
    of the repeated passage (the first; the text is decoded again from the kept tokens)."""
    reply = stream_reply(engine, prompt_ids, params, lambda text: None,
                         loop_stop if stop_loops else None)
    if reply.stopped == LOOPING:
        reply.token_ids = one_copy(reply.token_ids, loop_period(reply.token_ids))
        reply.text = engine.tokenizer.decode(reply.token_ids, skip_special=True)
    return reply


def one_copy(ids: list[int], period: int) -> list[int]:
    """`ids` with the repeats at its end cut to one copy: the passage is the shortest one
    whose copies make up the last `period` tokens (a period of 24 may be 3 x 8 tokens)."""
    block = ids[-period:]
    passage = next(p for p in range(1, period + 1)
                   if period % p == 0 and block == block[:p] * (period // p))
    while len(ids) >= 2 * passage and ids[-passage:] == ids[-2 * passage:-passage]:
        ids = ids[:-passage]
    return ids


def whole_reply(engine, prompt_ids: list[int], params: SamplingParams) -> Reply:
    """The reply at once (beam search keeps several hypotheses to the end)."""
    start = time.perf_counter()
    result = engine.generate([prompt_ids], params)[0]
    return Reply(result.text, result.token_ids, len(prompt_ids), result.finish_reason,
                 seconds=time.perf_counter() - start)


@dataclass
class Command:
    """What a slash command (or a blank line) did: a notice to show, whether to leave."""

    notice: str | None = None
    leave: bool = False


@dataclass
class TurnPrompt:
    """A user turn ready for the model: its prompt ids and notices (turns dropped)."""

    ids: list[int]
    notices: list[str] = field(default_factory=list)


class ChatSession:
    """One conversation through an Engine: system message, history, the loop stop."""

    def __init__(self, engine, params: SamplingParams | None = None, system: str | None = None,
                 *, stop_loops: bool = CHAT_DEFAULTS.stop_loops) -> None:
        self.engine, self.tokenizer = engine, engine.tokenizer
        self.params = params or CHAT_DEFAULTS.sampling_params()
        self.system = system
        self.stop_loops = stop_loops
        self.history: list[dict] = []

    # -- slash commands ---------------------------------------------------------------------

    def command(self, line: str) -> Command | None:
        """Handle a blank line, /exit (/quit), /reset or /system TEXT; None for a message."""
        text = line.strip()
        if not text:
            return Command()
        if text in EXIT_COMMANDS:
            return Command(leave=True)
        if text == "/reset":
            self.history.clear()
            return Command("(conversation cleared)")
        if line.startswith("/system"):
            self.system = line.removeprefix("/system").strip() or None
            self.history.clear()
            return Command(f"(system message {'set' if self.system else 'cleared'}; "
                           "history cleared)")
        return None

    # -- the prompt -------------------------------------------------------------------------

    def add_user(self, text: str) -> TurnPrompt:
        """Add the user's turn, fit the history to the context, and template the prompt."""
        self.history.append({"role": "user", "content": text})
        dropped = self.fit_history()
        ids = self.tokenizer.encode_chat(chat_messages(self.system, self.history))
        return TurnPrompt(ids, [TURN_DROPPED] * dropped)

    def add_reply(self, text: str) -> None:
        self.history.append({"role": "assistant", "content": text})

    def fit_history(self) -> int:
        """Drop the oldest turns until the prompt takes under 3/4 of the context, so a
        quarter stays for the reply (the newest turn always stays); returns how many went."""
        budget = self.engine.max_seq_len * 3 // 4 - 1  # under 3/4: at most this many
        fitted = fit_messages(chat_messages(self.system, self.history), self.count_tokens,
                              budget)
        if fitted.dropped_turns:
            self.history = fitted.messages[1:] if self.system else fitted.messages
        return fitted.dropped_turns

    def count_tokens(self, messages: list[dict]) -> int:
        return len(self.tokenizer.encode_chat(messages))

    # -- the reply --------------------------------------------------------------------------

    def stream(self, prompt_ids: list[int], on_text: Callable[[str], None],
               cancelled: Callable[[], bool] = lambda: False) -> Reply:
        """Stream the reply to `on_text`; it stops early when `cancelled()` turns true
        (read between tokens: a Ctrl-C handler sets it) or, with stop_loops, when it loops."""
        return stream_reply(self.engine, prompt_ids, self.params, on_text,
                            stop_when=lambda ids: self.stop_reason(ids, cancelled()))

    def stop_reason(self, token_ids: list[int], cancelled: bool) -> str | None:
        if cancelled:
            return CANCELLED
        if self.stop_loops and repeating(token_ids):
            return LOOPING
        return None
