"""Concurrency on a real server: 16 concurrent greedy requests return what each returns
alone; a client that disconnects mid-stream frees its request at once (seen on /metrics);
one slow reader does not stall the others."""

import asyncio
import time

import httpx
import pytest
from serve_helpers import API_KEY, KV_BLOCKS, MODEL, metric

pytestmark = pytest.mark.slow
QUESTIONS = ["What is the capital of France?", "Name a color.", "Say hi.", "Count to three."]


def ask(q: str) -> list[dict]:
    return [{"role": "user", "content": q}]


def test_16_concurrent_greedy_requests_equal_alone(client, aclient):
    alone = [client.chat.completions.create(model=MODEL, messages=ask(q), temperature=0,
                                            max_tokens=8).choices[0].message.content
             for q in QUESTIONS]

    async def together():
        return await asyncio.gather(*[aclient.chat.completions.create(
            model=MODEL, messages=ask(q), temperature=0, max_tokens=8) for q in QUESTIONS * 4])

    replies = [r.choices[0].message.content for r in asyncio.run(together())]
    assert len(replies) == 16 and replies == alone * 4


def test_disconnect_mid_stream_frees_the_request(server, http):
    body = {"model": MODEL, "messages": ask("Tell me a long story."), "max_tokens": 2000,
            "temperature": 0, "stream": True}
    with httpx.Client(base_url=server.url, timeout=60,
                      headers={"Authorization": f"Bearer {API_KEY}"}) as c, \
            c.stream("POST", "/v1/chat/completions", json=body) as r:
        lines = r.iter_lines()
        received = [next(lines) for _ in range(6)]  # a few tokens in: the request is running
        assert any("content" in line for line in received)
        during = http.get("/metrics").text
        assert metric(during, "requests_running") >= 1
        assert metric(during, "kv_blocks_used") >= 1  # its prompt and reply hold blocks
    # the connection is closed: within a moment the Engine has no request left
    deadline = time.monotonic() + 60  # a hang guard, not a speed limit
    while time.monotonic() < deadline:
        text = http.get("/metrics").text
        if metric(text, "requests_running") == 0 and metric(text, "requests_in_flight") == 0:
            break
        time.sleep(0.1)
    assert metric(text, "requests_running") == 0, text
    assert metric(text, "kv_blocks_used") == 0, text
    assert metric(text, "requests_in_flight") == 0, text


def test_slow_reader_does_not_stall_others(server, aclient):
    async def slow():
        async with httpx.AsyncClient(base_url=server.url, timeout=120, headers={
                "Authorization": f"Bearer {API_KEY}"}) as c, c.stream(
                    "POST", "/v1/chat/completions", json={
                        "model": MODEL, "messages": ask("Tell me a story."), "max_tokens": 60,
                        "temperature": 0, "stream": True}) as r:
            async for _ in r.aiter_lines():
                await asyncio.sleep(0.5)  # reads one line every half second

    async def fast():
        await asyncio.sleep(0.5)
        for q in QUESTIONS[:3]:
            await aclient.chat.completions.create(model=MODEL, messages=ask(q), temperature=0,
                                                  max_tokens=5)

    async def both():
        slow_task = asyncio.create_task(slow())
        await fast()
        done_early = not slow_task.done()
        slow_task.cancel()
        return done_early

    slow_still_reading = asyncio.run(both())
    assert slow_still_reading  # the others finished while the slow client was still reading


def test_metrics_count_requests_and_tokens(http):
    deadline = time.monotonic() + 30  # let requests of earlier tests (aborted ones) drain:
    # an aborted request leaves requests_in_flight at once, the running batch a step later

    def busy(text: str) -> float:
        return metric(text, "requests_in_flight") + metric(text, "requests_running")

    while busy(http.get("/metrics").text) and time.monotonic() < deadline:
        time.sleep(0.1)
    before = http.get("/metrics").text
    r = http.post("/v1/chat/completions", json={"model": MODEL, "messages": ask("Hi"),
                                                "max_tokens": 3, "temperature": 0})
    after = http.get("/metrics").text
    generated = r.json()["usage"]["completion_tokens"]
    assert metric(after, "generation_tokens_total") - metric(
        before, "generation_tokens_total") == generated
    assert 'lmforge_requests_total{route="/v1/chat/completions",status="200"}' in after
    assert "lmforge_prefix_cache_hit_rate" in after
    assert metric(after, "kv_blocks_total") == KV_BLOCKS  # serve --kv-blocks sized the pool
    assert metric(after, "kv_blocks_used") + metric(after, "kv_blocks_free") == KV_BLOCKS
