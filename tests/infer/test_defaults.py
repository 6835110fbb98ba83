"""The chat defaults (infer/defaults.py) and the whole-reply loop stop that RAG answers and
the agent take (infer/chat_session.py: reply_without_loops)."""

import subprocess
import sys

import pytest

from lmforge.errors import SamplingError
from lmforge.infer import StreamEvent
from lmforge.infer.chat_session import LOOPING, one_copy, reply_without_loops
from lmforge.infer.defaults import CHAT_DEFAULTS, RAG_DEFAULTS, ChatDefaults


def test_the_measured_defaults_become_sampling_params():
    # docs/benchmarks.md, "Chat defaults": greedy, penalty 1.2, 512 tokens, the loop stop
    assert CHAT_DEFAULTS.to_json() == {"temperature": 0.0, "top_p": 1.0,
                                       "repetition_penalty": 1.2, "max_tokens": 512,
                                       "stop_loops": True}
    params = CHAT_DEFAULTS.sampling_params()
    assert (params.temperature, params.top_p, params.repetition_penalty, params.max_tokens) == (
        0.0, 1.0, 1.2, 512)
    changed = CHAT_DEFAULTS.sampling_params(max_tokens=16, stop=["\n"])
    assert (changed.max_tokens, changed.stop, changed.repetition_penalty) == (16, ["\n"], 1.2)


def test_output_that_copies_its_prompt_keeps_the_defaults_but_the_penalty():
    copying = CHAT_DEFAULTS.for_copying()
    assert copying.to_json() == {**CHAT_DEFAULTS.to_json(), "repetition_penalty": 1.0}
    # RAG answers copy their sources' facts, in at most 160 tokens (docs/rag.md)
    assert RAG_DEFAULTS.to_json() == {**copying.to_json(), "max_tokens": 160}


def test_a_wrong_change_is_an_error_naming_it():
    with pytest.raises(AttributeError, match="max_token"):
        CHAT_DEFAULTS.sampling_params(max_token=16)
    with pytest.raises(SamplingError, match="temperature"):
        ChatDefaults(temperature=-1.0).sampling_params()


def test_the_defaults_import_without_torch():
    """The CLI reads them to write its --help, which must not wait for torch."""
    code = ("import sys, lmforge.cli, lmforge.infer.defaults; "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


class DigitTokenizer:
    def decode(self, ids, skip_special=False):
        return "".join(f"<{i}>" for i in ids)


class ScriptedEngine:
    """Streams a fixed list of tokens (token i has text "<i>"); records the params."""

    def __init__(self, tokens):
        self.tokens, self.tokenizer, self.params = tokens, DigitTokenizer(), None

    def stream(self, prompts, params):
        self.params = params
        for n, token in enumerate(self.tokens, start=1):
            last = n == len(self.tokens)
            yield StreamEvent("r0", token, f"<{token}>", None, last, "stop" if last else None)


def test_a_looping_whole_reply_keeps_one_copy_of_the_passage():
    passage = [5, 6, 7, 8, 9, 10, 11, 12]
    engine = ScriptedEngine([1, 2] + passage * 10)
    reply = reply_without_loops(engine, [0], CHAT_DEFAULTS.sampling_params())
    assert reply.stopped == LOOPING and reply.finish_reason is None
    assert reply.token_ids == [1, 2] + passage
    assert reply.text == "".join(f"<{t}>" for t in [1, 2] + passage)


def test_without_the_loop_stop_the_whole_reply_runs_to_its_end():
    engine = ScriptedEngine([5, 6, 7, 8] * 10)
    reply = reply_without_loops(engine, [0], CHAT_DEFAULTS.sampling_params(), stop_loops=False)
    assert reply.stopped is None and reply.finish_reason == "stop"
    assert len(reply.token_ids) == 40


def test_one_copy_cuts_the_repeats_down_to_the_shortest_passage():
    assert one_copy([1, 2] + [5, 6, 7, 8] * 6, 8) == [1, 2, 5, 6, 7, 8]
    assert one_copy([9] + [3] * 24, 24) == [9, 3]  # "!!!!...": one "!"
    assert one_copy([4, 1, 2, 3, 1, 2, 3], 3) == [4, 1, 2, 3]
