"""A tool-using agent with memory, on lmforge's own chat models (see docs/rag.md#agent).

    from lmforge.agent import Agent, EngineChatModel, make_tools
    agent = Agent(EngineChatModel(engine), make_tools("calculator"), max_steps=6)
    print(agent.run("What is 37 * 48?").answer)

Tests in tests/agent/.
"""

from lmforge.agent.builtin_tools import make_tools
from lmforge.agent.chat_model import (
    AssistantMessage,
    EngineChatModel,
    ScriptedChatModel,
    make_tool_call,
)
from lmforge.agent.loop import Agent, AgentResult
from lmforge.agent.memory import LongTermMemory, fit_conversation
from lmforge.agent.tools import Tool, ToolResult, run_tool, tool

__all__ = ["Agent", "AgentResult", "AssistantMessage", "EngineChatModel", "LongTermMemory",
           "ScriptedChatModel", "Tool", "ToolResult", "fit_conversation", "make_tool_call",
           "make_tools", "run_tool", "tool"]
