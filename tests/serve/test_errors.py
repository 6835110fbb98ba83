"""Bad input: each gets the right status, OpenAI's error shape and a message naming the
problem, and the server keeps serving afterwards."""

import httpx
import pytest
from serve_helpers import MAX_BATCH, MAX_QUEUE, MODEL

pytestmark = pytest.mark.slow
CHAT = "/v1/chat/completions"
HELLO = [{"role": "user", "content": "hi"}]


def check(response: httpx.Response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    for word in words:
        assert word in error["message"], (word, error["message"])
    return error


@pytest.mark.parametrize("body, status, words", [
    ({"model": MODEL, "messages": HELLO, "temperature": "hot"}, 400, ["temperature"]),
    ({"model": MODEL, "messages": HELLO, "max_tokens": -5}, 400, ["max_tokens", "-5"]),
    ({"model": MODEL, "messages": HELLO, "max_completion_tokens": 0}, 400,
     ["max_completion_tokens"]),
    ({"model": MODEL, "messages": [{"role": "user", "content": 7}]}, 400,
     ["messages[0].content"]),
    ({"model": "gpt-9", "messages": HELLO}, 404, ["gpt-9", MODEL]),
    ({"model": MODEL, "messages": []}, 400, ["messages"]),
    ({"model": MODEL, "messages": [{"role": "wizard", "content": "hi"}]}, 400, ["wizard"]),
    ({"model": MODEL, "messages": HELLO, "max_tokens": 100000}, 400, ["max_tokens", "8192"]),
    ({"model": MODEL, "messages": HELLO, "top_p": 3}, 400, ["top_p"]),
    ({"model": MODEL, "messages": HELLO, "response_format": {
        "type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "banana"}}}},
     400, ["schema"]),
    ({"model": MODEL, "messages": HELLO, "tools": [{"type": "function", "function": {
        "name": "f", "parameters": {"type": "object", "properties": {"a": {"type": 7}}}}}]},
     400, ["tools[0]", "f"]),
    ({"model": MODEL, "messages": HELLO, "tool_choice": "required"}, 400, ["tools"]),
    ({"messages": HELLO}, 400, ["model"]),
])
def test_bad_chat_requests(http, body, status, words):
    check(http.post(CHAT, json=body), status, *words)


def test_malformed_json_is_400(http):
    r = http.post(CHAT, content=b'{"model": "x", "messages": [', headers={
        "Content-Type": "application/json"})
    check(r, 400, "JSON")


def test_a_negative_max_tokens_is_an_invalid_value_naming_it(http):
    for path, body in ((CHAT, {"model": MODEL, "messages": HELLO, "max_tokens": -5}),
                       ("/v1/completions", {"model": MODEL, "prompt": "hi", "max_tokens": -5})):
        error = check(http.post(path, json=body), 400, "max_tokens")
        assert (error["param"], error["code"]) == ("max_tokens", "invalid_value")
        assert error["type"] == "invalid_request_error"


@pytest.mark.parametrize("path", [CHAT, "/v1/completions", "/v1/embeddings"])
@pytest.mark.parametrize("content_type", [None, "text/plain",
                                          "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_400_naming_the_content_type(http, path, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    error = check(http.post(path, content=b"hello there", headers=headers), 400)
    if content_type:  # without a type FastAPI tries JSON, and says it is not JSON
        assert "Content-Type: application/json" in error["message"], error
        assert content_type in error["message"]


@pytest.mark.parametrize("path", [CHAT, "/v1/completions", "/v1/embeddings"])
@pytest.mark.parametrize("body", [b"", b"null"])
def test_an_empty_body_is_400_saying_so(http, path, body):
    error = check(http.post(path, content=body, headers={"Content-Type": "application/json"}),
                  400, "body is empty")
    assert error["code"] == "missing_body" and "None" not in error["message"]


def test_a_body_that_is_not_an_object_is_400(http):
    error = check(http.post(CHAT, json=[1, 2]), 400, "JSON object", "list")
    assert error["param"] is None


def test_prompt_longer_than_context_is_400_naming_the_limit(http):
    long = "hello " * 9000  # ~9000 tokens, over SmolLM2's 8192
    error = check(http.post(CHAT, json={"model": MODEL, "messages": [
        {"role": "user", "content": long}], "max_tokens": 1}), 400, "8192")
    assert error["code"] == "context_length_exceeded"


def test_ten_megabyte_body_is_413(http):
    body = b'{"model": "%s", "messages": [{"role": "user", "content": "' % MODEL.encode()
    body += b"a" * (10 * 2**20) + b'"}]}'
    check(http.post(CHAT, content=body, headers={"Content-Type": "application/json"}), 413,
          "limit")


def test_api_key_required_on_v1(server, http):
    no_key = httpx.post(f"{server.url}{CHAT}", json={"model": MODEL, "messages": HELLO})
    check(no_key, 401, "API key")
    wrong = httpx.get(f"{server.url}/v1/models", headers={"Authorization": "Bearer nope"})
    check(wrong, 401)
    assert http.get("/v1/models").status_code == 200
    assert httpx.get(f"{server.url}/health").status_code == 200  # not under /v1


def test_full_queue_is_429_with_retry_after(http):
    prompts = ["a"] * (MAX_BATCH + MAX_QUEUE + 1)
    r = http.post("/v1/completions", json={"model": MODEL, "prompt": prompts, "max_tokens": 1})
    check(r, 429, "busy")
    assert r.headers["retry-after"] == "1"


def test_unknown_route_is_404(http):
    check(http.get("/v1/nothing"), 404, "/v1/nothing")


def test_server_still_serves_after_bad_input(http):
    r = http.post(CHAT, json={"model": MODEL, "messages": HELLO, "max_tokens": 2,
                              "temperature": 0})
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"]
