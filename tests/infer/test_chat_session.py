"""The chat session: fitting a conversation to the context, slash commands, the loop stop and
cancellation, and prompts/replies through a real tiny Engine."""

import pytest

from lmforge.infer import Engine, SamplingParams, StreamEvent
from lmforge.infer.chat_session import (
    CANCELLED,
    LOOPING,
    TURN_DROPPED,
    ChatSession,
    Command,
    chat_messages,
    repeating,
    stream_reply,
)
from lmforge.infer.conversation import fit_messages, turn_starts


def words(messages):  # one token per word, plus one per message
    return sum(len(str(m.get("content") or "").split()) + 1 for m in messages)


def msg(role, content=""):
    return {"role": role, "content": content}


SYSTEM = msg("system", "be brief")
CHAT = [SYSTEM, msg("user", "one two three"), msg("assistant", "four five six"),
        msg("user", "seven eight"), msg("assistant", "nine ten"), msg("user", "eleven")]


# -- fitting -----------------------------------------------------------------------------------

def test_turns_open_at_user_messages_and_at_steps_after_tool_results():
    assert turn_starts(CHAT[1:]) == [2, 4]
    agent = [msg("assistant", "call"), msg("tool", "1"), msg("tool", "2"),
             msg("assistant", "call"), msg("tool", "3"), msg("user", "more?")]
    assert turn_starts(agent) == [3, 5]  # never at a tool result or a reply to a user


def test_a_conversation_that_fits_is_untouched():
    fitted = fit_messages(CHAT, words, words(CHAT))
    assert fitted.messages is CHAT and fitted.dropped_turns == 0


def test_the_oldest_turns_go_and_the_system_message_stays():
    assert words(CHAT) == 19
    one = fit_messages(CHAT, words, 18)
    assert one.messages == [SYSTEM, *CHAT[3:]] and one.dropped_turns == 1
    two = fit_messages(CHAT, words, 10)
    assert two.messages == [SYSTEM, CHAT[-1]] and two.dropped_turns == 2
    no_system = fit_messages(CHAT[1:], words, 12)
    assert no_system.messages == CHAT[3:] and no_system.dropped_turns == 1


def test_the_newest_turn_stays_even_when_it_alone_is_too_long():
    fitted = fit_messages(CHAT, words, 1)
    assert fitted.messages == [SYSTEM, CHAT[-1]] and fitted.dropped_turns == 2


def test_a_summary_stands_for_what_was_cut_and_the_newest_turn_may_go():
    def summarize(cut):
        return msg("user", f"{len(cut)} cut")

    fitted = fit_messages(CHAT, words, 5, head=2, summarize=summarize, keep_newest_turn=False)
    assert fitted.messages == [SYSTEM, CHAT[1], msg("user", "4 cut")]  # over, but shortest
    assert fitted.dropped_turns == 3
    fitted = fit_messages(CHAT, words, 12, head=2, summarize=summarize, keep_newest_turn=False)
    assert fitted.messages == [SYSTEM, CHAT[1], msg("user", "3 cut"), CHAT[-1]]


# -- the loop stop ------------------------------------------------------------------------------

def test_loop_guard_sees_a_passage_three_times_in_a_row():
    passage = [101, 7, 55, 9, 12, 8, 40, 3]
    assert repeating([1, 2, 3] + passage * 3)
    assert not repeating([1, 2, 3] + passage * 2)  # twice can be a refrain
    assert not repeating([13] * 10)  # "!!!!!" or a rule of dashes is not a loop
    assert repeating([13] * 24)
    assert not repeating(list(range(300)))


class ScriptedEngine:
    """Streams a fixed list of tokens (token i has text "<i>"), and records whether the
    caller closed the stream before its end (the real Engine aborts the request then)."""

    def __init__(self, tokens, max_seq_len=64):
        self.tokens, self.max_seq_len = tokens, max_seq_len
        self.tokenizer = None
        self.closed_early = False

    def stream(self, prompts, params):
        for n, token in enumerate(self.tokens, start=1):
            last = n == len(self.tokens)
            try:
                yield StreamEvent("r0", token, f"<{token}>", None, last,
                                  "length" if last else None)
            except GeneratorExit:
                self.closed_early = not last
                raise


def test_a_looping_reply_stops_at_its_third_repeat_and_is_aborted():
    engine = ScriptedEngine([1, 2] + [5, 6, 7, 8, 9, 10, 11, 12] * 10)
    shown = []
    reply = ChatSession(engine, SamplingParams()).stream([0], shown.append)
    assert reply.stopped == LOOPING and reply.finish_reason is None
    assert len(reply.token_ids) == 2 + 24 and engine.closed_early
    assert "".join(shown) == reply.text == "".join(f"<{t}>" for t in reply.token_ids)


def test_without_stop_loops_the_reply_runs_to_its_end():
    engine = ScriptedEngine([5, 6, 7, 8] * 10)
    reply = ChatSession(engine, SamplingParams(), stop_loops=False).stream([0], lambda t: None)
    assert reply.stopped is None and reply.finish_reason == "length"
    assert len(reply.token_ids) == 40 and not engine.closed_early


def test_cancelling_stops_the_reply_between_tokens():
    engine = ScriptedEngine(list(range(30)))
    pressed = []
    reply = ChatSession(engine, SamplingParams()).stream(
        [0], lambda text: pressed.append(text) if text == "<3>" else None,
        cancelled=lambda: bool(pressed))
    assert reply.stopped == CANCELLED and reply.token_ids == [0, 1, 2, 3]
    assert engine.closed_early


# -- slash commands -----------------------------------------------------------------------------

def test_slash_commands_say_what_they_did():
    session = ChatSession(ScriptedEngine([]), SamplingParams(), system="old")
    session.history = [msg("user", "hi"), msg("assistant", "hello")]
    assert session.command("What is 2 + 2?") is None  # a message for the model
    assert session.command("   ") == Command()
    assert session.command("/reset") == Command("(conversation cleared)")
    assert session.history == []
    session.history = [msg("user", "hi")]
    assert session.command("/system You are a pirate.") == Command(
        "(system message set; history cleared)")
    assert session.system == "You are a pirate." and session.history == []
    assert session.command("/system") == Command("(system message cleared; history cleared)")
    assert session.system is None
    assert session.command("/exit") == session.command(" /quit ") == Command(leave=True)


# -- through a real tiny Engine -----------------------------------------------------------------

def test_prompt_is_the_templated_conversation_and_old_turns_go(tiny_model, tokenizer):
    """Context 128: the history must stay under 96 tokens (a quarter is for the reply)."""
    engine = Engine(tiny_model(tokenizer.vocab_size), tokenizer, max_seq_len=128)
    session = ChatSession(engine, SamplingParams(max_tokens=4, temperature=0), system="Be kind.")
    first = session.add_user("the quick brown fox")
    assert first.ids == tokenizer.encode_chat(chat_messages("Be kind.", session.history))
    assert first.notices == []
    session.add_reply("jumps over the lazy dog " * 6)
    whole = tokenizer.encode_chat(chat_messages("Be kind.", [
        *session.history, msg("user", "hello world, hello there!")]))
    assert len(whole) == 105  # over 96: the first turn must go
    second = session.add_user("hello world, hello there!")
    assert second.notices == [TURN_DROPPED]
    assert session.history == [msg("user", "hello world, hello there!")]
    assert second.ids == tokenizer.encode_chat(chat_messages("Be kind.", session.history))
    assert len(second.ids) == 49


def test_a_streamed_reply_is_the_engines_greedy_reply(tiny_model, tokenizer):
    engine = Engine(tiny_model(tokenizer.vocab_size), tokenizer)
    params = SamplingParams(max_tokens=12, temperature=0, ignore_eos=True)
    prompt = tokenizer.encode("once upon a time")
    expected = engine.generate([prompt], params)[0]
    shown = []
    reply = stream_reply(engine, prompt, params, shown.append)
    assert reply.token_ids == expected.token_ids and reply.text == expected.text
    assert "".join(shown) == expected.text and reply.finish_reason == "length"
    assert reply.prompt_tokens == len(prompt)


@pytest.mark.parametrize("stop_loops", [True, False])
def test_session_replies_join_the_history(tiny_model, tokenizer, stop_loops):
    engine = Engine(tiny_model(tokenizer.vocab_size), tokenizer)
    session = ChatSession(engine, SamplingParams(max_tokens=6, temperature=0),
                          stop_loops=stop_loops)
    prompt = session.add_user("hello")
    reply = session.stream(prompt.ids, lambda text: None)
    session.add_reply(reply.text)
    assert session.history == [msg("user", "hello"), msg("assistant", reply.text)]
    assert len(reply.token_ids) <= 6
