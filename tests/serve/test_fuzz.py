"""A few thousand malformed bodies, sent to every endpoint of the session's real server
(issue 24, item 3): each gets a 4xx in OpenAI's error shape naming the field at fault,
never a 5xx and never FastAPI's own 422; the server answers a good request afterwards.

hypothesis draws each body (derandomized: the same bodies every run): a good body with
one thing broken (a field missing, of the wrong type or out of range), JSON that is not an
object, or bytes under various content types. Only one thing is broken, so a server that
let it through would generate (one token), and the status would show it.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_helpers import EMBED_MODEL, MODEL

pytestmark = pytest.mark.slow
EXAMPLES = 1000  # bodies per endpoint
CHAT, COMPLETIONS, EMBEDDINGS = "/v1/chat/completions", "/v1/completions", "/v1/embeddings"
GOOD = {
    CHAT: {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1},
    COMPLETIONS: {"model": MODEL, "prompt": "hi", "max_tokens": 1},
    EMBEDDINGS: {"model": EMBED_MODEL, "input": "hi"},
}
REQUIRED = {CHAT: ["model", "messages"], COMPLETIONS: ["model", "prompt"],
            EMBEDDINGS: ["model", "input"]}
JSON = "application/json"
CONTENT_TYPES = [None, JSON, "text/plain", "application/x-www-form-urlencoded"]

# Text that no lax parser reads as a number or a bool ("f", "n", "inf", "nan" and "no" would
# be), containers, and numbers: the wrong types for each kind of field.
words = st.text(alphabet="abcdeghijk", min_size=1, max_size=8)
containers = st.one_of(st.lists(st.integers(), min_size=1, max_size=3),
                       st.dictionaries(words, st.integers(), min_size=1, max_size=2))
not_a_number = st.one_of(words, containers, st.booleans().map(lambda b: [b]))
not_an_int = st.one_of(not_a_number, st.floats(0.1, 0.9).map(lambda f: 3 + f))
not_a_string = st.one_of(st.integers(), st.booleans(), containers)
not_a_bool = st.one_of(words, containers, st.integers(min_value=2))
huge = st.integers(min_value=2**64, max_value=2**80)


def outside(low: float, high: float) -> st.SearchStrategy:
    """Floats clearly below `low` or above `high` (infinities included), and NaN."""
    return st.one_of(st.floats(max_value=low - 1e-3, allow_nan=False),
                     st.floats(min_value=high + 1e-3, allow_nan=False),
                     st.just(float("nan")))


below_zero = st.one_of(st.floats(max_value=-1e-3, allow_nan=False), st.just(float("nan")))


SAMPLING = {
    "model": st.one_of(not_a_string, words),  # a string, but not the served id: 404
    "max_tokens": st.one_of(not_an_int, st.integers(max_value=0),
                            st.integers(min_value=10**6)),
    "temperature": st.one_of(not_a_number, below_zero),
    "top_p": st.one_of(not_a_number, outside(0, 1)),
    "n": st.one_of(not_an_int, st.integers(max_value=0), st.integers(min_value=17)),
    "stop": st.one_of(st.integers(), containers, st.just(""),
                      st.lists(words, min_size=5, max_size=8)),
    "seed": st.one_of(not_an_int, huge, huge.map(lambda s: -s)),
    "stream": not_a_bool,
    "stream_options": st.one_of(words, st.integers()),
    "presence_penalty": st.one_of(not_a_number, outside(-2, 2)),
    "frequency_penalty": st.one_of(not_a_number, outside(-2, 2)),
    "top_k": not_an_int,
    "min_p": st.one_of(not_a_number, outside(0, 1)),
    "repetition_penalty": st.one_of(not_a_number, below_zero),
    "user": not_a_string,
}
bad_message = st.one_of(
    not_a_string,  # not an object
    st.fixed_dictionaries({"content": words}),  # no role
    st.fixed_dictionaries({"role": words, "content": words}),  # an unknown role
    st.fixed_dictionaries({"role": st.just("user"), "content": st.one_of(
        st.integers(), st.dictionaries(words, words, min_size=1, max_size=2))}),
    st.fixed_dictionaries({"role": st.just("user"), "content": st.just(
        [{"type": "image_url", "image_url": {"url": "http://x"}}])}),
)
FIELDS = {
    CHAT: {**SAMPLING,
           "messages": st.one_of(words, st.integers(), st.just([]),
                                 st.lists(bad_message, min_size=1, max_size=2)),
           "max_completion_tokens": st.one_of(not_an_int, st.integers(max_value=0)),
           "logprobs": not_a_bool,
           "top_logprobs": st.one_of(not_an_int, st.integers(max_value=-1),
                                     st.integers(min_value=21)),
           "response_format": st.one_of(
               words, st.fixed_dictionaries({"type": words}),
               st.just({"type": "json_schema", "json_schema": {"name": "x"}}),
               st.just({"type": "json_schema", "json_schema": {"schema": {"type": "banana"}}})),
           "tools": st.one_of(words, st.integers(), st.just([{"type": "function"}]),
                              st.just([{"type": "function", "function": {"name": "f",
                                       "parameters": {"type": 7}}}])),
           "tool_choice": st.one_of(words, st.just("required"), st.integers()),
           "rag": words.map(lambda w: f"no-such-index-{w}.sqlite")},
    COMPLETIONS: {**SAMPLING,
                  "prompt": st.one_of(st.just([]), st.just([[]]), st.integers(),
                                      st.booleans(), st.dictionaries(words, words, min_size=1),
                                      st.lists(st.integers(max_value=-1), min_size=1),
                                      st.lists(st.integers(min_value=49152), min_size=1)),
                  "logprobs": st.one_of(not_an_int, st.integers(max_value=-1),
                                        st.integers(min_value=6)),
                  "echo": not_a_bool},
    EMBEDDINGS: {"model": st.one_of(not_a_string, words),
                 "input": st.one_of(st.just(""), st.just([]), st.just([""]), st.integers(),
                                    st.lists(st.integers(), min_size=1, max_size=3)),
                 "encoding_format": words,
                 "user": not_a_string},
}
not_objects = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def broken_bodies(path: str) -> st.SearchStrategy:
    """(body bytes, content type, the field the error must name, or None for the body)."""
    good = GOOD[path]

    def with_field(pair):
        field, value = pair
        return json.dumps({**good, field: value}).encode(), JSON, field

    def without(field):
        return json.dumps({k: v for k, v in good.items() if k != field}).encode(), JSON, field

    one_bad_field = st.one_of([st.tuples(st.just(field), values)
                               for field, values in FIELDS[path].items()]).map(with_field)
    return st.one_of(
        one_bad_field,
        st.sampled_from(REQUIRED[path]).map(without),
        st.tuples(not_objects.map(lambda v: json.dumps(v).encode()), st.just(JSON), st.none()),
        st.tuples(st.binary(max_size=64), st.sampled_from(CONTENT_TYPES), st.none()),
    )


def check_refused(response, field: str | None) -> None:
    assert 400 <= response.status_code < 500 and response.status_code != 422, (
        response.status_code, response.text)
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    assert isinstance(error["message"], str) and error["message"], error
    if response.status_code == 400:
        assert error["type"] == "invalid_request_error", error
    if field is not None:
        assert field in (error["param"] or "") or field in error["message"], (field, error)


@pytest.mark.parametrize("path", list(GOOD))
def test_malformed_bodies_get_a_4xx_naming_the_field(http, path):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=broken_bodies(path))
    def send(case):
        content, content_type, field = case
        headers = {"Content-Type": content_type} if content_type else {}
        check_refused(http.post(path, content=content, headers=headers), field)

    send()
    good = http.post(path, json=GOOD[path])  # and the server still serves
    assert good.status_code == 200, good.text
