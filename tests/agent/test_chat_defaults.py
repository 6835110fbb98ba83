"""The agent's turns start from the chat defaults (lmforge/infer/defaults.py) and end at a
loop, keeping one copy of the repeated passage, as `rag ask` and `lmforge chat` do."""

from lmforge.agent import EngineChatModel
from lmforge.infer import StreamEvent
from lmforge.infer.defaults import CHAT_DEFAULTS, ChatDefaults

WORDS = {1: "The answer is 42.", 2: " I", 3: " am", 4: " sure", 5: " of", 6: " it."}


class LoopingEngine:
    """Says "The answer is 42." and then one sentence over and over; records the sampling."""

    max_seq_len = 2048

    def __init__(self):
        self.tokenizer, self.params = self, None

    def encode_chat(self, messages):
        return [0] * 20

    def decode(self, ids, skip_special=False):
        return "".join(WORDS[i] for i in ids)

    def stream(self, prompts, params):
        self.params = params
        for token in [1] + [2, 3, 4, 5, 6] * 100:
            yield StreamEvent("r0", token, WORDS[token], None, False, None)


def test_turns_take_the_chat_defaults_and_end_at_a_loop():
    engine = LoopingEngine()
    reply = EngineChatModel(engine).complete([{"role": "user", "content": "6*7?"}], [])
    params = engine.params
    assert (params.temperature, params.repetition_penalty, params.max_tokens) == (
        CHAT_DEFAULTS.temperature, CHAT_DEFAULTS.repetition_penalty, CHAT_DEFAULTS.max_tokens)
    assert reply.content == "The answer is 42. I am sure of it."


def test_other_defaults_and_a_turn_limit_are_used_as_given():
    engine = LoopingEngine()
    model = EngineChatModel(engine, max_tokens=64,
                            defaults=ChatDefaults(repetition_penalty=1.0, stop_loops=False))
    reply = model.complete([{"role": "user", "content": "6*7?"}], [])
    assert (engine.params.repetition_penalty, engine.params.max_tokens) == (1.0, 64)
    assert reply.content.count("I am sure of it.") == 100  # no loop stop: the whole stream


def test_turns_offering_tools_take_no_repetition_penalty():
    """A call copies numbers from the question, which the penalty shuns (defaults.py)."""
    from lmforge.agent.builtin_tools import calculator_tool

    engine = LoopingEngine()
    EngineChatModel(engine, constrained=False).complete(
        [{"role": "user", "content": "6*7?"}], [calculator_tool().spec()])
    assert (engine.params.repetition_penalty, engine.params.temperature) == (1.0, 0.0)
