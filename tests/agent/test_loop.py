"""The agent loop with a scripted model: tools run, results feed back, limits stop it,
failing tools become observations, the transcript records it all, memory persists."""

import json
import threading
import time

import pytest

from lmforge.agent import (
    Agent,
    AssistantMessage,
    LongTermMemory,
    ScriptedChatModel,
    make_tool_call,
    tool,
)
from lmforge.agent.builtin_tools import calculator_tool
from lmforge.agent.transcript import read_transcript


def call(name, **arguments):
    return AssistantMessage("", [make_tool_call(name, arguments)])


def answer_from_last_tool(messages):
    return f"The result is {messages[-1]['content']}."


def test_the_loop_runs_a_tool_feeds_back_the_result_and_stops(tmp_path):
    model = ScriptedChatModel([
        AssistantMessage("I will multiply.", [make_tool_call("calculator",
                                                             {"expression": "37 * 48"})]),
        answer_from_last_tool])
    log = tmp_path / "run.jsonl"
    result = Agent(model, [calculator_tool()], transcript=log).run("What is 37 * 48?")
    assert (result.answer, result.stop_reason, result.steps) == ("The result is 1776.",
                                                                 "answer", 2)
    assistant, observation = result.messages[2], result.messages[3]
    assert assistant["tool_calls"][0]["function"] == {"name": "calculator",
                                                      "arguments": '{"expression": "37 * 48"}'}
    assert observation == {"role": "tool", "tool_call_id": assistant["tool_calls"][0]["id"],
                           "name": "calculator", "content": "1776"}
    assert model.seen[1][-1]["content"] == "1776"  # the model saw the observation
    events = read_transcript(log)
    assert [e["kind"] for e in events] == ["task", "thought", "tool_call", "observation",
                                           "final"]
    assert events[3]["ok"] is True and events[-1]["content"] == "The result is 1776."


def test_the_step_limit_stops_a_model_that_never_answers():
    model = ScriptedChatModel([call("calculator", expression="1 + 1")] * 10)
    result = Agent(model, [calculator_tool()], max_steps=3).run("loop forever")
    assert (result.stop_reason, result.steps) == ("max_steps", 3)
    assert len(model.seen) == 3
    assert sum(m["role"] == "tool" for m in result.messages) == 3


def test_the_time_limit_stops_the_loop_and_bounds_a_slow_tool():
    release, finished = threading.Event(), threading.Event()

    def slow(seconds: float) -> str:
        """Waits (until released, at most `seconds`)."""
        release.wait(seconds)
        finished.set()
        return "done"
    model = ScriptedChatModel([call("slow", seconds=60)] * 20)
    result = Agent(model, [tool(slow)], time_limit_s=1.0).run("be slow")
    assert not finished.is_set()  # the call was cut at the time limit, not waited for
    release.set()
    assert result.stop_reason == "time_limit" and result.steps == 1
    observation = next(e for e in result.events if e["kind"] == "observation")
    assert observation["error"] in ("timeout", "time_limit")  # cut, or not started
    assert result.events[-1]["kind"] == "stopped"


def test_raising_hanging_unknown_and_badly_called_tools_are_observations(tmp_path):
    def explode() -> str:
        """Fails."""
        raise OSError("disk on fire")

    def hang() -> str:
        """Hangs."""
        time.sleep(30)
        return "never"
    model = ScriptedChatModel([
        call("explode"), call("hang"), call("teleport", where="moon"),
        call("calculator", expression=42), AssistantMessage("", [make_tool_call(
            "calculator", '{"expression": ')]),
        lambda messages: "recovered"])
    tools = [tool(explode), tool(hang, timeout_s=0.2), calculator_tool()]
    result = Agent(model, tools, transcript=tmp_path / "t.jsonl").run("try everything")
    assert (result.answer, result.stop_reason, result.failed_steps) == ("recovered", "answer", 5)
    errors = [m["content"] for m in result.messages if m["role"] == "tool"]
    assert errors[0] == "error: OSError: disk on fire"
    assert "did not finish within 0.2 s" in errors[1]
    assert "unknown tool 'teleport'" in errors[2]
    assert "42 is not of type 'string'" in errors[3]
    assert "not valid JSON" in errors[4]
    observations = [e for e in read_transcript(tmp_path / "t.jsonl")
                    if e["kind"] == "observation"]
    assert [e["error"] for e in observations] == ["raised", "timeout", "unknown_tool",
                                                  "invalid_arguments", "invalid_arguments"]


def test_a_long_conversation_is_trimmed_to_the_context_with_a_summary():
    model = ScriptedChatModel([call("calculator", expression=f"{i} * 1000") for i in range(12)]
                              + ["done"])
    result = Agent(model, [calculator_tool()], max_steps=20, context_tokens=150,
                   reply_tokens=50).run("add many numbers")
    assert result.answer == "done"
    last_view = model.seen[-1]
    assert model.count_tokens(last_view) <= 100
    assert any(str(m["content"]).startswith("Summary of earlier steps") for m in last_view)
    assert len(result.messages) > len(last_view)  # the full history is still returned


@pytest.mark.slow
def test_long_term_memory_recalls_a_fact_from_an_earlier_session(tmp_path):
    from lmforge.rag.embedder import Embedder

    embed = Embedder("all-minilm-l6-v2").embed
    path = tmp_path / "memory.sqlite"
    first = ScriptedChatModel([call("remember", fact="The user's cat is called Miso."), "Noted."])
    Agent(first, [], memory=LongTermMemory(path, embed)).run("My cat is called Miso.")

    def answer_from_memory(messages):
        system = messages[0]["content"]
        return "Your cat is called Miso." if "cat is called Miso" in system else "I don't know."
    second = ScriptedChatModel([answer_from_memory])
    log = tmp_path / "second.jsonl"
    result = Agent(second, [], memory=LongTermMemory(path, embed),
                   transcript=log).run("What is the name of my cat?")
    assert result.answer == "Your cat is called Miso."
    recall = next(e for e in read_transcript(log) if e["kind"] == "recall")
    assert "The user's cat is called Miso." in recall["memories"]
    assert json.loads(log.read_text().splitlines()[0])["kind"] == "task"
