"""Streaming inboxes: each call sees only its own requests' events, in step order; a call
that stops listening aborts its unfinished requests (plain Python, no model)."""

from lmforge.infer.outputs import StreamEvent
from lmforge.infer.params import SamplingParams
from lmforge.infer.sequence import Sequence, Status
from lmforge.infer.streaming import Inboxes


def seqs(*names: str) -> list[Sequence]:
    return [Sequence(name, [1, 2], SamplingParams(), frozenset(), 10) for name in names]


def event(seq: Sequence, token: int, finished: bool = False) -> StreamEvent:
    if finished:
        seq.status = Status.FINISHED  # as the Engine marks it before returning the event
    return StreamEvent(seq.request_id, token, str(token), None, finished,
                       "stop" if finished else None)


def test_each_call_follows_only_its_requests_in_step_order():
    inboxes = Inboxes()
    (a, b), (x,) = seqs("a", "b"), seqs("x")
    inboxes.open([a, b])
    inboxes.open([x])
    steps = iter([lambda: [event(a, 1), event(x, 9), event(b, 2, finished=True)],
                  lambda: [event(a, 3, finished=True), event(x, 8, finished=True)]])
    aborted = []

    def step():
        inboxes.deliver(next(steps)())

    got = [(e.request_id, e.token_id) for e in inboxes.follow([a, b], step, aborted.append)]
    assert got == [("a", 1), ("b", 2), ("a", 3)] and aborted == []
    got = [(e.request_id, e.token_id) for e in inboxes.follow([x], step, aborted.append)]
    assert got == [("x", 9), ("x", 8)] and aborted == []  # x's events waited in its inbox


def test_a_call_that_stops_listening_aborts_its_unfinished_requests():
    inboxes = Inboxes()
    a, b = seqs("a", "b")
    inboxes.open([a, b])
    aborted = []
    stream = inboxes.follow([a, b], lambda: inboxes.deliver([event(a, 1)]), aborted.append)
    assert next(stream).token_id == 1
    stream.close()
    assert aborted == ["a", "b"]
    inboxes.deliver([event(a, 2)])  # the inbox is gone: later events go nowhere
    assert inboxes._by_request == {}
