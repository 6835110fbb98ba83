"""The official `openai` client against a real `lmforge serve`: chat, streaming,
completions with logprobs, n with a seed, embeddings, models, health, OpenAPI."""

import json
import math
import subprocess
import sys

import pytest
from serve_helpers import EMBED_MODEL, MODEL

pytestmark = pytest.mark.slow
ASK = [{"role": "user", "content": "What is the capital of France?"}]


def test_chat_streamed_text_equals_plain_text_at_temperature_0(client):
    plain = client.chat.completions.create(model=MODEL, messages=ASK, temperature=0,
                                           max_tokens=12)
    choice = plain.choices[0]
    assert plain.model == MODEL and plain.id.startswith("chatcmpl-") and plain.created > 0
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert plain.usage.completion_tokens <= 12 and plain.usage.prompt_tokens > 5
    assert plain.usage.total_tokens == plain.usage.prompt_tokens + plain.usage.completion_tokens

    chunks = list(client.chat.completions.create(
        model=MODEL, messages=ASK, temperature=0, max_tokens=12, stream=True,
        stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == choice.message.content
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == choice.finish_reason and all(f is None for f in finishes[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == plain.usage.total_tokens


def test_chat_content_parts_and_system_roles(client):
    parts = [{"role": "developer", "content": "Answer briefly."},
             {"role": "user", "content": [{"type": "text", "text": "What is the capital "},
                                          {"type": "text", "text": "of France?"}]}]
    joined = [{"role": "system", "content": "Answer briefly."},
              {"role": "user", "content": "What is the capital of France?"}]
    a = client.chat.completions.create(model=MODEL, messages=parts, temperature=0, max_tokens=8)
    b = client.chat.completions.create(model=MODEL, messages=joined, temperature=0, max_tokens=8)
    assert a.choices[0].message.content == b.choices[0].message.content
    assert a.usage.prompt_tokens == b.usage.prompt_tokens


def test_chat_logprobs_are_a_distribution(client):
    r = client.chat.completions.create(model=MODEL, messages=ASK, temperature=0, max_tokens=6,
                                       logprobs=True, top_logprobs=3)
    content = r.choices[0].logprobs.content
    assert 1 <= len(content) <= 6
    text = bytes(b for entry in content for b in entry.bytes).decode()
    assert text == r.choices[0].message.content
    for entry in content:
        assert len(entry.top_logprobs) == 3
        top = [t.logprob for t in entry.top_logprobs]
        assert top == sorted(top, reverse=True) and sum(math.exp(x) for x in top) <= 1 + 1e-4
        assert entry.logprob == pytest.approx(top[0], abs=1e-5)  # greedy: chosen = best


def test_completions_with_logprobs(client):
    r = client.completions.create(model=MODEL, prompt="The capital of France is", max_tokens=5,
                                  temperature=0, logprobs=2)
    choice = r.choices[0]
    lp = choice.logprobs
    assert len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == 5
    assert "".join(lp.tokens) == choice.text and choice.finish_reason == "length"
    assert lp.text_offset == [sum(len(t) for t in lp.tokens[:i]) for i in range(5)]
    for chosen, top in zip(lp.token_logprobs, lp.top_logprobs, strict=True):
        assert len(top) == 2 and chosen == pytest.approx(max(top.values()), abs=1e-5)
    assert r.usage.completion_tokens == 5

    streamed = list(client.completions.create(model=MODEL, prompt="The capital of France is",
                                              max_tokens=5, temperature=0, stream=True))
    assert "".join(c.choices[0].text for c in streamed) == choice.text


def test_n3_with_seed_is_reproducible_and_varied(client):
    def ask():
        r = client.chat.completions.create(model=MODEL, messages=[
            {"role": "user", "content": "Write a word."}], n=3, seed=7, temperature=1.2,
            max_tokens=8)
        assert [c.index for c in r.choices] == [0, 1, 2]
        return [c.message.content for c in r.choices]

    first = ask()
    assert ask() == first
    assert len(set(first)) > 1  # seed + i per choice: three different samples


def test_embeddings_equal_lmforge_embed(client):
    texts = ["a cat sat on the mat", "量子计算"]
    r = client.embeddings.create(model=EMBED_MODEL, input=texts)
    assert [d.index for d in r.data] == [0, 1] and r.usage.prompt_tokens > 4
    cli = subprocess.run([sys.executable, "-m", "lmforge.cli", "embed", *texts], check=True,
                         capture_output=True, text=True).stdout
    expected = json.loads(cli)
    for got, want in zip(r.data, expected, strict=True):
        assert len(got.embedding) == 384
        assert max(abs(a - b) for a, b in zip(got.embedding, want, strict=True)) < 1e-6


def test_models_health_and_openapi(client, http):
    ids = [m.id for m in client.models.list().data]
    assert ids == [MODEL, EMBED_MODEL]
    assert http.get("/health").json()["status"] == "ok"
    spec = http.get("/openapi.json").json()
    for path in ("/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models"):
        assert path in spec["paths"]
    chat = spec["components"]["schemas"]["ChatCompletionRequest"]["properties"]
    for field in ("messages", "stream", "response_format", "tools", "tool_choice", "top_k",
                  "max_completion_tokens", "logprobs", "top_logprobs", "seed", "n"):
        assert field in chat, field


def test_requests_are_logged_on_stderr(client, server):
    client.chat.completions.create(model=MODEL, max_tokens=2, temperature=0,
                                   messages=[{"role": "user", "content": "Hi"}])
    assert "POST /v1/chat/completions 200" in server.stderr
