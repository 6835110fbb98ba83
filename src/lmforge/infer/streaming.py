"""Streaming: each step's events go to the calls that follow their requests.

`Engine.step()` returns the events of every running request. `generate`, `stream` and
`astream` each follow only their own requests, through one inbox per call:

    step() -> [a1, x1, b1]  --deliver-->  inbox of call 1 (requests a, b):  a1 b1
                                          inbox of call 2 (request x):      x1

A follower drains its inbox and steps the Engine when the inbox is empty (`astream` steps
in a worker thread, so the event loop stays free). Followers share steps, so concurrent
calls' requests batch together. A caller that stops listening aborts its unfinished
requests, which frees their KV blocks at once.

Test: `pytest tests/infer/test_engine.py -k "stream or abort"`.
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator

from lmforge.infer.outputs import StreamEvent
from lmforge.infer.sequence import Sequence

Step = Callable[[], list[StreamEvent]]
Abort = Callable[[str], bool]


class Inboxes:
    """An event queue for each following call, found by the ids of its requests."""

    def __init__(self) -> None:
        self._by_request: dict[str, deque[StreamEvent]] = {}

    def open(self, seqs: list[Sequence]) -> None:
        """One inbox for a call's requests: one queue keeps their events in step order."""
        inbox: deque[StreamEvent] = deque()
        for seq in seqs:
            self._by_request[seq.request_id] = inbox

    def deliver(self, events: list[StreamEvent]) -> None:
        """Queue each event for the call following its request, if one does."""
        for event in events:
            inbox = self._by_request.get(event.request_id)
            if inbox is not None:
                inbox.append(event)

    def follow(self, seqs: list[Sequence], step: Step, abort: Abort) -> Iterator[StreamEvent]:
        """Yield the events of seqs until all have finished, stepping when none are queued."""
        inbox, remaining = self._by_request[seqs[0].request_id], _ids(seqs)
        try:
            while remaining:
                if not inbox:
                    step()
                yield from _drain(inbox, remaining)
        finally:
            self._close(seqs, abort)

    async def afollow(self, seqs: list[Sequence], step: Step,
                      abort: Abort) -> AsyncIterator[StreamEvent]:
        """`follow` for asyncio: each step runs in a worker thread."""
        inbox, remaining = self._by_request[seqs[0].request_id], _ids(seqs)
        try:
            while remaining:
                for event in _drain(inbox, remaining):
                    yield event
                if remaining:
                    await asyncio.to_thread(step)
        finally:
            self._close(seqs, abort)

    def _close(self, seqs: list[Sequence], abort: Abort) -> None:
        """Forget the inbox; abort the requests the caller stopped listening to."""
        for seq in seqs:
            if not seq.is_finished:
                abort(seq.request_id)
            self._by_request.pop(seq.request_id, None)


def _ids(seqs: list[Sequence]) -> set[str]:
    return {seq.request_id for seq in seqs}


def _drain(inbox: deque[StreamEvent], remaining: set[str]) -> Iterator[StreamEvent]:
    """Pop the queued events, crossing off each request as it finishes."""
    while inbox:
        event = inbox.popleft()
        if event.finished:
            remaining.discard(event.request_id)
        yield event
