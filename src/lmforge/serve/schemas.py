"""The request and response bodies of OpenAI's API, as pydantic models.

FastAPI reads these to parse and type-check each request (a wrong type or a value out of
range is a 400 naming the field: errors.py) and to write the OpenAPI document at
`/openapi.json`, so the document always matches what is served. Fields follow OpenAI's
names and defaults; `top_k`, `min_p` and `repetition_penalty` are accepted as vLLM accepts
them. Unknown fields are ignored, as OpenAI-compatible servers do, so newer clients keep
working.

Test: through `pytest tests/serve/`.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

ROLES = ("system", "developer", "user", "assistant", "tool")


class TextPart(BaseModel):
    type: str = "text"
    text: str | None = None


class FunctionCall(BaseModel):
    name: str
    arguments: str = "{}"


class ToolCall(BaseModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class ChatMessage(BaseModel):
    role: str
    content: str | list[TextPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None


class FunctionDef(BaseModel):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None


class Tool(BaseModel):
    type: Literal["function"] = "function"
    function: FunctionDef


class NamedFunction(BaseModel):
    name: str


class NamedToolChoice(BaseModel):
    type: Literal["function"] = "function"
    function: NamedFunction


class JsonSchemaFormat(BaseModel):
    name: str = "response"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None
    description: str | None = None


class ResponseFormat(BaseModel):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None


class StreamOptions(BaseModel):
    include_usage: bool = False


class SamplingFields(BaseModel):
    """Fields shared by chat and text completions."""

    model: str
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = None
    top_p: float | None = None
    n: int = 1
    stop: str | list[str] | None = None
    seed: int | None = Field(default=None, ge=-(2**63), le=2**63 - 1)  # int64, as OpenAI
    stream: bool = False
    stream_options: StreamOptions | None = None
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    user: str | None = None
    top_k: int | None = None
    """vLLM extra: sample only among the k most likely tokens (-1 or 0 means off)."""
    min_p: float = 0.0
    """vLLM extra: drop tokens below min_p times the top probability."""
    repetition_penalty: float = 1.0
    """vLLM extra: CTRL penalty on tokens already seen (> 1 discourages repeats)."""
    ignore_eos: bool = False
    """vLLM extra: keep generating past the end-of-sequence token (benchmarks use it)."""


class ChatCompletionRequest(SamplingFields):
    messages: list[ChatMessage]
    max_completion_tokens: int | None = Field(default=None, ge=1)
    logprobs: bool = False
    top_logprobs: int | None = None
    response_format: ResponseFormat | None = None
    tools: list[Tool] | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    rag: str | None = None
    """lmforge extra: answer from this index (see docs/rag.md), with numbered sources."""


class CompletionRequest(SamplingFields):
    prompt: str | list[str] | list[int] | list[list[int]]
    logprobs: int | None = None
    echo: bool = False
    max_tokens: int | None = Field(default=16, ge=1)  # OpenAI's default for completions


class EmbeddingRequest(BaseModel):
    model: str
    input: str | list[str]
    encoding_format: Literal["float", "base64"] = "float"
    user: str | None = None


# -- responses -------------------------------------------------------------------------------

class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class TopLogprob(BaseModel):
    token: str
    logprob: float
    bytes: list[int] | None


class TokenLogprobOut(TopLogprob):
    top_logprobs: list[TopLogprob]


class ChoiceLogprobs(BaseModel):
    content: list[TokenLogprobOut] | None


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str | None
    tool_calls: list[ToolCall] | None = None


class ChatChoice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: str | None
    logprobs: ChoiceLogprobs | None = None


class CompletionFields(BaseModel):
    """The envelope chat and text completions share (each names its own `object` and
    `choices`; a field overridden there keeps its place in the JSON)."""

    id: str
    object: str
    created: int
    model: str


class ChatCompletion(CompletionFields):
    object: Literal["chat.completion"] = "chat.completion"
    choices: list[ChatChoice]
    usage: Usage
    system_fingerprint: str | None = None
    sources: list[dict[str, Any]] | None = None
    """lmforge extra, with `rag`: the numbered sources that `[n]` in the answer cites."""


class CompletionLogprobs(BaseModel):
    tokens: list[str]
    token_logprobs: list[float]
    top_logprobs: list[dict[str, float]]
    text_offset: list[int]


class CompletionChoice(BaseModel):
    index: int
    text: str
    finish_reason: str | None
    logprobs: CompletionLogprobs | None = None


class Completion(CompletionFields):
    object: Literal["text_completion"] = "text_completion"
    choices: list[CompletionChoice]
    usage: Usage


class Embedding(BaseModel):
    object: Literal["embedding"] = "embedding"
    index: int
    embedding: list[float] | str


class EmbeddingList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Embedding]
    model: str
    usage: dict[str, int]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "lmforge"
    root: str | None = None
    """vLLM extra: what the id serves (its own id here)."""
    parent: str | None = None
    """vLLM extra: for an adapter, the base model it is applied to."""


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
