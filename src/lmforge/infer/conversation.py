"""A conversation's turns, and fitting them into the model's context window.

A chat grows by one user turn and one reply at a time; an agent by one assistant step (tool
calls) and its tool results. When the rendered conversation no longer fits, one policy
applies everywhere (`lmforge chat`, the agent): keep the head (the system message; an agent
also keeps its task), drop the oldest whole turns, keep the newest. Cutting whole turns
means the kept part never opens with a reply to a question it no longer shows, or a tool
result whose call was cut.

    [system, user 1, reply 1, user 2, reply 2, user 3]      too long
    [system,                  user 2, reply 2, user 3]      one turn dropped
    [system, summary,         user 2, reply 2, user 3]      the agent: cut turns summarised

Pure Python on message dicts; the caller says how to count tokens (the chat template's).

Test: `pytest tests/infer/test_chat_session.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass

Messages = list[dict]


@dataclass
class Fitted:
    messages: Messages
    """The messages to render: head, optional summary, the newest turns."""
    dropped_turns: int
    """How many of the oldest turns were cut (0: the conversation fitted as it was)."""


def starts_turn(previous: dict, message: dict) -> bool:
    """A turn opens with a user message, or with an agent's next step (an assistant message
    after tool results); a tool result never does, nor does a reply to a user message."""
    role = message.get("role")
    return role == "user" or (role == "assistant" and previous.get("role") == "tool")


def turn_starts(messages: Messages) -> list[int]:
    """Indexes (after the first message) where a turn opens: where a cut may fall."""
    return [i for i in range(1, len(messages)) if starts_turn(messages[i - 1], messages[i])]


def head_length(messages: Messages) -> int:
    """The head always kept: the system message, when there is one."""
    return 1 if messages and messages[0].get("role") == "system" else 0


def fit_messages(messages: Messages, count_tokens: Callable[[Messages], int], max_tokens: int,
                 *, head: int | None = None, summarize: Callable[[Messages], dict] | None = None,
                 keep_newest_turn: bool = True) -> Fitted:
    """Drop the oldest turns until `count_tokens(messages) <= max_tokens`.

    head: how many leading messages always stay (default: the system message, if any).
    summarize: makes one message standing for the dropped ones, placed after the head.
    keep_newest_turn: the last turn stays even when it alone is too long (a chat must send
    the user's question); False lets it go too, leaving the head and the summary.
    When nothing fits, the shortest candidate comes back (it may still be over budget).
    """
    if count_tokens(messages) <= max_tokens:
        return Fitted(messages, 0)
    n_head = head_length(messages) if head is None else head
    kept, rest = messages[:n_head], messages[n_head:]
    cuts = turn_starts(rest)  # the kept tail starts at one of these
    if not keep_newest_turn and rest:
        cuts.append(len(rest))
    fitted = Fitted(messages, 0)
    for n, cut in enumerate(cuts, start=1):
        summary = [summarize(rest[:cut])] if summarize is not None else []
        fitted = Fitted(kept + summary + rest[cut:], n)
        if count_tokens(fitted.messages) <= max_tokens:
            break
    return fitted
