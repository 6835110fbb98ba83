"""The server's sampling when a request leaves a field unset: a chat starts from the library's
chat defaults (lmforge/infer/defaults.py), a field the request sets is used exactly as given
(OpenAI semantics), and /v1/completions keeps OpenAI's own defaults. The README's curl
example answers "What is the capital of France?" with Paris."""

import re

import pytest
from serve_helpers import MODEL

from lmforge.infer.defaults import CHAT_DEFAULTS
from lmforge.serve import generation as gen
from lmforge.serve.schemas import ChatCompletionRequest, CompletionRequest

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
CONTEXT = 8192


def chat_params(prompt_len: int = 10, **fields):
    body = ChatCompletionRequest(model=MODEL, messages=QUESTION, **fields)
    return gen.sampling_params(body, prompt_len, CONTEXT, body.max_completion_tokens
                               or body.max_tokens, None, None, CHAT_DEFAULTS)[0]


def settings(params) -> dict:
    return {"temperature": params.temperature, "top_p": params.top_p,
            "repetition_penalty": params.repetition_penalty, "max_tokens": params.max_tokens}


def test_unset_chat_fields_take_the_chat_defaults():
    expected = {k: v for k, v in CHAT_DEFAULTS.to_json().items() if k != "stop_loops"}
    assert settings(chat_params()) == expected
    # null is unset too; the answer's room stays capped by the context
    assert settings(chat_params(temperature=None, top_p=None)) == expected
    assert chat_params(prompt_len=CONTEXT - 100).max_tokens == 100


def test_fields_the_request_sets_are_used_as_given():
    given = {"temperature": 0.7, "top_p": 0.9, "repetition_penalty": 1.0, "max_tokens": 20}
    assert settings(chat_params(**given)) == given
    assert chat_params(max_completion_tokens=7).max_tokens == 7
    assert settings(chat_params(temperature=1.0)) == {**settings(chat_params()),
                                                      "temperature": 1.0}


def test_text_completions_keep_openais_defaults():
    body = CompletionRequest(model=MODEL, prompt="Once upon a time")
    params = gen.sampling_params(body, 5, CONTEXT, body.max_tokens, None)[0]
    assert settings(params) == {"temperature": 1.0, "top_p": 1.0, "repetition_penalty": 1.0,
                                "max_tokens": 16}


@pytest.mark.slow
def test_the_server_serves_the_defaults_it_uses(http):
    assert http.get("/chat-defaults").json() == CHAT_DEFAULTS.to_json()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_the_readme_curl_example_answers_paris(http, seed):
    readme = {"model": MODEL, "messages": QUESTION, "seed": seed}  # README.md, "Serve"
    reply = http.post("/v1/chat/completions", json=readme).json()
    content = reply["choices"][0]["message"]["content"]
    assert re.search(r"\bParis\b", content), content  # not "Parisis la cité"
    spelled_out = {**readme, "temperature": CHAT_DEFAULTS.temperature,
                   "repetition_penalty": CHAT_DEFAULTS.repetition_penalty,
                   "max_tokens": CHAT_DEFAULTS.max_tokens}
    same = http.post("/v1/chat/completions", json=spelled_out).json()
    assert same["choices"][0]["message"]["content"] == content


@pytest.mark.slow
def test_serve_weights_answer_paris_whether_or_not_the_prompt_is_cached():
    """`serve` runs the bundled Q4_1 blocks; asked again (the prompt in the prefix cache),
    the rest of the prompt is still computed on the prefill routes (backend.prompt_step).
    On the one-row decode path the answer's first token flipped from "The" to "L"
    ("L'Étoile ... Parisis")."""
    import lmforge
    from lmforge.infer import Engine

    lm = lmforge.load(MODEL)
    engine = Engine(lm.model, lm.tokenizer)
    prompt = lm.tokenizer.encode_chat(QUESTION)
    params = CHAT_DEFAULTS.sampling_params(max_tokens=16)
    first, again = (engine.generate([prompt], params)[0].text for _ in range(2))
    assert re.search(r"\bParis\b", first) and again == first, (first, again)
