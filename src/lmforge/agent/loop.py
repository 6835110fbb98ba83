"""The agent loop: plan, act, observe, until an answer or a limit.

    agent = Agent(EngineChatModel(engine), make_tools("calculator,files"), max_steps=6)
    result = agent.run("What is 37 * 48?")
    result.answer, result.stop_reason        # ('37 * 48 = 1776.', 'answer')

Each step is one model turn (ReAct, Yao et al., 2022):

    messages --model--> assistant turn ──no tool calls──> final answer, stop
                           │ tool calls
                           ▼
               validate arguments, run each tool (time-limited, in a worker thread)
                           │ observations as OpenAI `tool` messages
                           └──────────────> next step

The conversation uses OpenAI's message shapes (assistant `tool_calls`, `tool` results with
`tool_call_id`). Every thought, call, observation and the final answer go to the transcript.
Anything a tool does wrong (unknown name, invalid arguments, an exception, a hang) becomes
an error observation the model can react to; the loop itself only stops on an answer, the
step limit or the time limit. Before each turn the conversation is fitted to the model's
context (memory.fit_conversation). With a long-term memory, facts recalled for the task open
the conversation, a `remember` tool lets the model save new ones, and each finished task is
saved with its answer.

Tool output is untrusted data (a web page or a file can carry an injected instruction), so
with `defences` (safety/defences.py, on by default) the output of every tool but the local
calculator, clock and memory has its instruction sentences removed and is marked as data
(spotlighting); when such a tool is present the system prompt says so and carries a canary
token (an answer that leaks it is replaced); and a tool call that the data asked for and
the user did not is refused with an error observation (injection.requested_by_data).

Test: `pytest tests/agent/test_loop.py`, `tests/safety/test_defences.py`.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from lmforge.agent.memory import LongTermMemory, fit_conversation
from lmforge.agent.tools import Tool, ToolResult, run_tool, tool
from lmforge.agent.transcript import Transcript
from lmforge.data.synthetic.tool_use import AGENT_PREAMBLE
from lmforge.infer.defaults import CHAT_DEFAULTS
from lmforge.safety.canary import LEAK_REFUSAL, leaked, new_canary, with_canary
from lmforge.safety.defences import DEFAULT_DEFENCES, Defences
from lmforge.safety.injection import requested_by_data

SYSTEM = AGENT_PREAMBLE
# tools whose output lmforge computes from the model's own arguments: no outside text
TRUSTED_TOOLS = {"calculator", "current_datetime", "remember"}


@dataclass
class AgentResult:
    answer: str
    stop_reason: str
    """'answer', 'max_steps' or 'time_limit'."""
    steps: int
    messages: list[dict]
    events: list[dict] = field(default_factory=list)
    failed_steps: int = 0


class Agent:
    def __init__(self, model, tools: list[Tool] | None = None, *, max_steps: int = 8,
                 time_limit_s: float = 300.0, transcript: str | Path | None = None,
                 memory: LongTermMemory | None = None, system: str = SYSTEM,
                 context_tokens: int | None = None,
                 reply_tokens: int = CHAT_DEFAULTS.max_tokens,
                 defences: Defences | None = DEFAULT_DEFENCES) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps={max_steps} must be >= 1")
        self.model = model
        self.tools = {t.name: t for t in (tools or [])}
        self.memory = memory
        if memory is not None:
            self.tools["remember"] = self._remember_tool(memory)
        self.max_steps, self.time_limit_s = max_steps, time_limit_s
        self.transcript_path = transcript
        self.system = system
        self.context_tokens = context_tokens or getattr(model, "context", None)
        self.reply_tokens = reply_tokens
        self.defences = defences or Defences.off()

    @staticmethod
    def _remember_tool(memory: LongTermMemory) -> Tool:
        def remember(fact: str) -> str:
            """Save a fact to long-term memory so later sessions can recall it.

            Args:
                fact: one self-contained sentence worth remembering
            """
            memory.remember(fact, {"source": "remember tool"})
            return "saved"
        return tool(remember, timeout_s=30)

    def run(self, task: str) -> AgentResult:
        if not isinstance(task, str) or not task.strip():
            raise ValueError("the agent's task is empty")
        transcript = Transcript(self.transcript_path)
        try:
            return self._run(task, transcript)
        finally:
            transcript.close()

    def _run(self, task: str, transcript: Transcript) -> AgentResult:
        deadline = time.monotonic() + self.time_limit_s
        transcript.log(0, "task", content=task, tools=list(self.tools))
        system, canary = self._system_message(task, transcript), None
        if any(name not in TRUSTED_TOOLS for name in self.tools):  # it will read data
            system = self.defences.system_rule(system)
            if self.defences.canary:
                canary = new_canary()
                system = with_canary(system, canary)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": task}]
        data: list[str] = []  # the untrusted tool outputs read so far
        specs = [t.spec() for t in self.tools.values()]
        failed, last_text = 0, ""
        for step in range(1, self.max_steps + 1):
            if time.monotonic() >= deadline:
                return self._stop("time_limit", step - 1, last_text, messages, transcript, failed)
            reply = self.model.complete(self._fit(messages, specs), specs)
            messages.append(reply.to_message())
            last_text = reply.content or last_text
            if not reply.tool_calls:
                if canary is not None and leaked(reply.content, system, canary):
                    transcript.log(step, "canary_leak", content=reply.content)
                    reply.content = LEAK_REFUSAL["en"]
                transcript.log(step, "final", content=reply.content)
                self._save_outcome(task, reply.content)
                return AgentResult(reply.content, "answer", step, messages, transcript.events,
                                   failed)
            if reply.content:
                transcript.log(step, "thought", content=reply.content)
            for call in reply.tool_calls:
                result = self._call(call, step, deadline, transcript, task, data)
                failed += not result.ok
                if result.ok and call["function"]["name"] not in TRUSTED_TOOLS:
                    data.append(result.content)  # raw: what the data asked, for refusals
                messages.append({"role": "tool", "tool_call_id": call["id"],
                                 "name": call["function"]["name"],
                                 "content": self._observation(call, result, step, transcript)})
        return self._stop("max_steps", self.max_steps, last_text, messages, transcript, failed)

    def _call(self, call: dict, step: int, deadline: float, transcript: Transcript,
              task: str = "", data: list[str] | None = None) -> ToolResult:
        name, arguments = call["function"]["name"], call["function"]["arguments"]
        transcript.log(step, "tool_call", id=call["id"], name=name, arguments=arguments)
        remaining = deadline - time.monotonic()
        asked = self._asked_by_data(name, arguments, task, data or [])
        if asked is not None:
            result = ToolResult(False, f"error: refused: {asked}; only the user can ask for "
                                "this call", 0.0, "refused")
        elif name not in self.tools:
            result = ToolResult(False, f"error: unknown tool {name!r}; available: "
                                f"{', '.join(self.tools) or 'none'}", 0.0, "unknown_tool")
        elif remaining <= 0:
            result = ToolResult(False, "error: the agent's time limit was reached", 0.0,
                                "time_limit")
        else:
            result = run_tool(self.tools[name], arguments, timeout_s=remaining)
        transcript.log(step, "observation", id=call["id"], name=name, ok=result.ok,
                       content=result.content, error=result.error, wall_s=round(result.wall_s, 4))
        return result

    def _asked_by_data(self, name: str, arguments, task: str,
                       data: list[str]) -> str | None:
        """Why the call looks requested by tool output and not by the user, else None."""
        if not self.defences.refuse_tool_calls or not data:
            return None
        return requested_by_data(name, arguments, data, [task])

    def _observation(self, call: dict, result: ToolResult, step: int,
                     transcript: Transcript) -> str:
        """What the model sees of a result: untrusted output guarded (detect, spotlight)."""
        if not result.ok or call["function"]["name"] in TRUSTED_TOOLS:
            return result.content
        content, flags = self.defences.guard_data(result.content)
        if flags:
            transcript.log(step, "injection_removed", id=call["id"],
                           sentences=[f.sentence for f in flags], rules=[f.rule for f in flags])
        return content

    def _stop(self, reason: str, steps: int, last_text: str, messages: list[dict],
              transcript: Transcript, failed: int) -> AgentResult:
        limit = (f"{self.max_steps} steps" if reason == "max_steps"
                 else f"{self.time_limit_s:g} s")
        answer = last_text or f"(stopped: the {limit} limit was reached before an answer)"
        transcript.log(steps, "stopped", reason=reason, limit=limit, content=answer)
        return AgentResult(answer, reason, steps, messages, transcript.events, failed)

    def _system_message(self, task: str, transcript: Transcript) -> str:
        if self.memory is None:
            return self.system
        recalled = self.memory.recall(task)
        transcript.log(0, "recall", memories=[m.text for m in recalled])
        if not recalled:
            return self.system
        return self.system + "\nThings you remember from earlier sessions:\n" + "\n".join(
            f"- {m.text}" for m in recalled)

    def _save_outcome(self, task: str, answer: str) -> None:
        if self.memory is not None and answer.strip():
            self.memory.remember(f"Task: {task} Answer: {answer}", {"source": "outcome"})

    def _fit(self, messages: list[dict], specs: list[dict]) -> list[dict]:
        count = getattr(self.model, "count_tokens", None)
        if self.context_tokens is None or count is None:
            return messages
        budget = self.context_tokens - self.reply_tokens
        return fit_conversation(messages, lambda ms: count(ms, specs), budget)
