"""One background thread drives the Engine; each HTTP request reads its own event queue.

    request handler (asyncio)              stepping thread
    ------------------------               ---------------
    runner.submit(ids, params) ---cmd--->  engine.add_request(...)
    await queue.get()  <---events-------   engine.step()  (all running requests, one batch)
    client gone: runner.abort(id) -cmd-->  engine.abort(id)  (its KV blocks freed at once)

The Engine is not asyncio code and one step is a whole forward pass, so it runs in its own
thread: the event loop stays free to accept requests and write streams while the model
computes. Requests join the running batch between steps (continuous batching). Commands go
through a queue the thread drains between steps, so the event loop never waits on the
Engine's lock. Events go to per-request asyncio queues that never block the thread: a slow
reader only lets its own queue grow, it never stalls the other streams.

`lmforge serve` steps the Engine on the process's main thread (`step_here`) and runs the
event loop in the other one: the OpenMP team a second thread starts for the kernels made
libgomp count more threads than cores and park its workers at every parallel region (300
context switches a token), and decode ran at 0.67x of the main thread's speed
(docs/benchmarks.md). An app built in-process (tests) keeps the stepping thread.

Test: `pytest tests/serve/test_concurrency.py`.
"""

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from lmforge.infer import Engine, SamplingParams, StreamEvent

log = logging.getLogger("lmforge.serve")


@dataclass(slots=True)
class Failure:
    """Put on a request's queue when the Engine rejects or fails it."""

    error: Exception


class EngineRunner:
    """Owns the stepping thread; see the module docstring."""

    def __init__(self, engine: Engine, max_in_flight: int,
                 on_tokens: Callable[[int], None] | None = None) -> None:
        self.engine = engine
        self.on_tokens = on_tokens  # told how many tokens each step generated (metrics)
        self.max_in_flight = max_in_flight
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._queues: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = {}
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="lmforge-engine", daemon=True)
        self._stepped_here = False  # step_here(): the caller's thread steps, no thread of ours
        self.started = False

    def start(self) -> None:
        if not self._stepped_here:
            self._thread.start()
        self.started = True

    def step_here(self) -> None:
        """Step the Engine on the calling thread until `stop()` (called from the app's
        shutdown) and the last in-flight request are done."""
        self._stepped_here = True
        self._run()

    @property
    def accepting(self) -> bool:
        return self.started and not self._stopping

    @property
    def in_flight(self) -> int:
        return len(self._queues)

    # -- called from the event loop ---------------------------------------------------------

    def submit(self, prompt_ids: list[int], params: SamplingParams, request_id: str
               ) -> asyncio.Queue:
        """Queue one request; its StreamEvents (or a Failure) arrive on the returned queue."""
        events: asyncio.Queue = asyncio.Queue()
        self._queues[request_id] = (asyncio.get_running_loop(), events)
        self._send(("add", prompt_ids, params, request_id))
        return events

    def abort(self, request_id: str) -> None:
        """Stop a request (client gone); its cache is freed before the next step."""
        if self._queues.pop(request_id, None) is not None:
            self._send(("abort", request_id))

    def stop(self) -> None:
        """Abort everything still in flight and end the thread (graceful shutdown)."""
        for request_id in list(self._queues):
            self.abort(request_id)
        self._stopping = True
        self._wake.set()
        if self.started and not self._stepped_here:
            self._thread.join(timeout=30)

    def _send(self, command: tuple) -> None:
        self._commands.put(command)
        self._wake.set()

    # -- the stepping thread ----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._drain_commands()
            if self._stopping and not self.engine.has_unfinished():
                return
            if not self.engine.has_unfinished():
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            try:
                events = self.engine.step()
            except Exception as e:  # noqa: BLE001 - fail the requests, keep serving
                log.exception("engine step failed")
                self._fail_all(e)
                continue
            if self.on_tokens is not None:
                self.on_tokens(sum(e.token_id is not None for e in events))
            self._deliver(events)

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            if command[0] == "add":
                _, prompt_ids, params, request_id = command
                try:
                    self.engine.add_request(prompt_ids, params, request_id)
                except Exception as e:  # noqa: BLE001 - reported to that request only
                    self._deliver_to(request_id, Failure(e))
            else:
                self.engine.abort(command[1])

    def _deliver(self, events: list[StreamEvent]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for event in events:  # a finished request's queue gets its last event, then is dropped
            target = (self._queues.pop(event.request_id, None) if event.finished
                      else self._queues.get(event.request_id))
            if target is not None:
                by_loop.setdefault(target[0], []).append((target[1], event))
        for loop, items in by_loop.items():  # one wake-up of the event loop per step
            loop.call_soon_threadsafe(_put_all, items)

    def _deliver_to(self, request_id: str, item: object) -> None:
        target = self._queues.pop(request_id, None)  # (only ever a final Failure)
        if target is not None:
            target[0].call_soon_threadsafe(target[1].put_nowait, item)

    def _fail_all(self, error: Exception) -> None:
        for request_id in list(self._queues):
            self._deliver_to(request_id, Failure(error))
            self.engine.abort(request_id)


def _put_all(items: list[tuple[asyncio.Queue, object]]) -> None:
    for events, event in items:
        events.put_nowait(event)
