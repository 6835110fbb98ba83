"""`lmforge chat` and `generate --chat` start from the library's chat defaults
(lmforge/infer/defaults.py); an option given on the line is used as given; plain `generate`
keeps the raw model's sampling. The sampling is read before any model loads."""

import importlib

import pytest
from typer.testing import CliRunner

import lmforge.cli  # noqa: F401  (registers every command)
from lmforge.infer.defaults import CHAT_DEFAULTS

infer = importlib.import_module("lmforge.cli.infer")


class ModelLoad(Exception):
    """Raised where the command would load a model: the test has what it needs by then."""


@pytest.fixture
def sampling_of(monkeypatch):
    """sampling_of(*args) -> the SamplingParams the command built (no model is loaded)."""
    built = []
    original = infer._sampling
    monkeypatch.setattr(infer, "_sampling", lambda *a, **kw: built.append(original(*a, **kw))
                        or built[-1])

    def stop(*args, **kwargs):
        raise ModelLoad

    monkeypatch.setattr(infer, "_load", stop)

    def run(*args: str):
        out = CliRunner().invoke(infer.app, list(args), input="hi\n")
        assert isinstance(out.exception, ModelLoad), out.output
        return built[-1]
    return run


def settings(params) -> dict:
    return {"temperature": params.temperature, "top_p": params.top_p,
            "repetition_penalty": params.repetition_penalty, "max_tokens": params.max_tokens}


@pytest.mark.parametrize("command", [["chat"], ["generate", "What is 2+2?", "--chat"]])
def test_chats_start_from_the_chat_defaults(sampling_of, command):
    expected = {k: v for k, v in CHAT_DEFAULTS.to_json().items() if k != "stop_loops"}
    assert settings(sampling_of(*command)) == expected


@pytest.mark.parametrize("command", [["chat"], ["generate", "What is 2+2?", "--chat"]])
def test_options_on_the_line_are_used_as_given(sampling_of, command):
    params = sampling_of(*command, "--temperature", "0.7", "--top-p", "0.9",
                         "--repetition-penalty", "1.0", "--max-tokens", "20")
    assert settings(params) == {"temperature": 0.7, "top_p": 0.9, "repetition_penalty": 1.0,
                                "max_tokens": 20}


def test_plain_generate_keeps_the_raw_models_sampling(sampling_of):
    assert settings(sampling_of("generate", "Once upon a time")) == {
        "temperature": 0.7, "top_p": 1.0, "repetition_penalty": 1.0, "max_tokens": 128}


def test_beam_search_takes_no_default_penalty(sampling_of):
    params = sampling_of("generate", "What is 2+2?", "--chat", "--beams", "2")
    assert (params.n_beams, params.repetition_penalty, params.temperature) == (2, 1.0, 0.0)
