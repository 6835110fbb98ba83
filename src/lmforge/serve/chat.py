"""POST /v1/chat/completions: messages -> the model's chat template -> Engine -> reply.

Rendering follows the model's own chat template (SmolLM2's ChatML); content given as a
list of text parts is joined; the `developer` role is read as `system`. Tools, JSON mode
and JSON schemas become logits processors (infer/grammar.py); see tools.py for what each
`tool_choice` does.

Test: `pytest tests/serve/test_openai_client.py tests/serve/test_tools.py`.
"""

import asyncio
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from lmforge import extras
from lmforge.errors import LmforgeError
from lmforge.infer.defaults import CHAT_DEFAULTS, RAG_DEFAULTS, ChatDefaults
from lmforge.infer.grammar import (
    schema_logits_processor,
    tool_call_logits_processor,
    tool_tag_logits_processor,
)
from lmforge.safety.chat_defences import LeakFilter, whole_reply
from lmforge.serve import generation as gen
from lmforge.serve.errors import APIError, bad_request
from lmforge.serve.logprobs import chat_logprobs
from lmforge.serve.schemas import ROLES, ChatCompletion, ChatCompletionRequest
from lmforge.serve.tools import ToolCallParser, render_tool_call, tool_system_text

router = APIRouter()


@router.post("/v1/chat/completions", response_model=ChatCompletion,
             response_model_exclude_none=False)
async def chat_completions(body: ChatCompletionRequest, request: Request):
    server = request.app.state.server
    server.check_model(body.model)
    grounding = None
    if body.rag is not None:  # ground the last user turn in an index (lmforge.rag.service)
        from lmforge.rag.service import ground_chat_request, sources_json

        try:
            body, grounding = await asyncio.to_thread(ground_chat_request, body)
        except ModuleNotFoundError as e:  # a server installed without the [rag] extra
            if not extras.extra_for(e.name or ""):
                raise
            raise APIError(400, extras.message(e.name, "the rag option"), "rag") from e
        if grounding.not_found is not None:
            return _rag_not_found(body, grounding.not_found)
    tool_mode = _tool_mode(body)
    prompt_ids, leak = _render(server.lm.tokenizer, body, tool_mode, server.defences)
    factory = await _processor_factory(server.lm.tokenizer, body, tool_mode)
    if body.top_logprobs is not None and not body.logprobs:
        raise APIError(400, "top_logprobs needs logprobs: true", "top_logprobs")
    if body.top_logprobs is not None and not 0 <= body.top_logprobs <= gen.MAX_TOP_LOGPROBS:
        raise APIError(400, f"top_logprobs={body.top_logprobs} is invalid: must be 0.."
                       f"{gen.MAX_TOP_LOGPROBS}", "top_logprobs")
    params = gen.sampling_params(
        body, len(prompt_ids), server.context, body.max_completion_tokens or body.max_tokens,
        (body.top_logprobs or 0) if body.logprobs else None, [factory] if factory else None,
        _defaults(factory is not None, grounding is not None))
    gen.admit(server.runner, body.n)
    server.metrics.prompt_tokens += len(prompt_ids)
    if body.stream:
        return await _stream(server, body, prompt_ids, params, tool_mode, leak)
    results = await gen.collect(server.runner, prompt_ids, params, request)
    for result in results:  # a reply that leaks the system prompt is withheld (--defences)
        result.text = whole_reply(result.text, leak)
    for result in results if grounding else []:  # rag: unsupported answers are "not found"
        result.text = grounding.checked(result.text)
    choices = [_choice(server, r, tool_mode, body.logprobs) for r in results]
    return {"id": gen.new_id("chatcmpl"), "object": "chat.completion", "created": gen.now(),
            "model": body.model, "choices": choices,
            "usage": gen.usage(len(prompt_ids), results),
            "sources": sources_json(grounding.sources) if grounding else None}


def _defaults(constrained: bool, grounded: bool) -> ChatDefaults:
    """What a field the request leaves unset takes: the chat defaults, less the repetition
    penalty for output that copies from its prompt (a grammar's JSON, an answer from RAG
    sources: infer/defaults.py, for_copying), and RAG's shorter answers."""
    if grounded:
        return RAG_DEFAULTS
    return CHAT_DEFAULTS.for_copying() if constrained else CHAT_DEFAULTS


def _rag_not_found(body: ChatCompletionRequest, text: str):
    """No relevant source: the "not found" reply, without calling the model."""
    from lmforge.rag.service import not_found_message

    message = not_found_message(text)
    if body.stream:
        chunk = {"id": gen.new_id("chatcmpl"), "object": "chat.completion.chunk",
                 "created": gen.now(), "model": body.model, "choices": [{
                     "index": 0, "delta": message, "logprobs": None, "finish_reason": "stop"}]}
        return StreamingResponse(iter([gen.sse(chunk), gen.sse("[DONE]")]),
                                 media_type="text/event-stream")
    return {"id": gen.new_id("chatcmpl"), "object": "chat.completion", "created": gen.now(),
            "model": body.model, "usage": {"prompt_tokens": 0, "completion_tokens": 0,
                                           "total_tokens": 0}, "sources": [],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop",
                         "logprobs": None}]}


# -- the prompt ------------------------------------------------------------------------------

def _tool_mode(body: ChatCompletionRequest) -> str | None:
    """None (no tools), 'tagged' (auto) or 'json' (required / named)."""
    choice = body.tool_choice
    if not body.tools:
        if choice not in (None, "none"):
            raise APIError(400, "tool_choice needs tools: give a non-empty 'tools' list",
                           "tool_choice")
        return None
    if choice == "none":
        return None
    return "tagged" if choice in (None, "auto") else "json"


def _render(tokenizer, body: ChatCompletionRequest, tool_mode: str | None, defences):
    """Prompt ids, and the leak check replies must pass (None: no system prompt to guard).
    With the server's defences, tool messages are untrusted data (chat_defences.py)."""
    if not body.messages:
        raise APIError(400, "messages is empty: give at least one message", "messages")
    template = tokenizer.chat_template or ""
    template_tools = "tools" in template
    tools = [t.model_dump(exclude_none=True) for t in body.tools or []] if tool_mode else None
    messages = []
    for i, message in enumerate(body.messages):
        if message.role not in ROLES:
            raise APIError(400, f"messages[{i}].role {message.role!r} is not one of "
                           f"{', '.join(ROLES)}", f"messages[{i}].role")
        messages.append(_message(i, message, template_tools, defences))
    leak = None
    if messages[0]["role"] == "system":  # the system prompt the user wrote: guarded
        has_data = any(m.role == "tool" for m in body.messages)
        messages[0]["content"], leak = defences.guard_system(messages[0]["content"], has_data)
    if tools and not template_tools:
        text = tool_system_text(tools)
        if messages[0]["role"] == "system":
            messages[0]["content"] = f"{messages[0]['content']}\n\n{text}"
        else:
            messages.insert(0, {"role": "system", "content": text})
    try:
        extra = {"tools": tools} if tools and template_tools else {}
        return tokenizer.encode_chat(messages, **extra), leak
    except LmforgeError as e:
        raise bad_request(e, "messages") from e


def _message(i: int, message, template_tools: bool, defences) -> dict:
    content = message.content
    if isinstance(content, list):
        for j, part in enumerate(content):
            if part.type != "text" or part.text is None:
                raise APIError(400, f"messages[{i}].content[{j}] has type {part.type!r}; this "
                               "model reads text parts only", f"messages[{i}].content")
        content = "".join(part.text for part in content)
    role = "system" if message.role == "developer" else message.role
    if role == "assistant" and message.tool_calls:
        calls = "".join(render_tool_call(c.model_dump()) for c in message.tool_calls)
        content = f"{content or ''}{calls}"
    if role == "tool":  # untrusted data: spotlighted and cleaned as the defences say
        content = defences.data(content or "")
    if role == "tool" and not template_tools:
        return {"role": "user", "content": f"<tool_response>\n{content}\n</tool_response>"}
    if content is None:
        raise APIError(400, f"messages[{i}] ({role}) has no content", f"messages[{i}].content")
    return {"role": role, "content": content}


async def _processor_factory(tokenizer, body: ChatCompletionRequest, tool_mode: str | None):
    """A function making a fresh grammar processor per choice, compiled (and checked) once."""
    fmt = body.response_format
    if tool_mode is not None:
        tools = [t.model_dump(exclude_none=True) for t in body.tools]
        if tool_mode == "tagged":
            factory, param = partial(tool_tag_logits_processor, tokenizer, tools), "tools"
        else:
            name = None if body.tool_choice == "required" else body.tool_choice.function.name
            factory, param = partial(tool_call_logits_processor, tokenizer, tools, name), "tools"
    elif fmt is None or fmt.type == "text":
        return None
    elif fmt.type == "json_object":
        factory, param = partial(schema_logits_processor, tokenizer, None), "response_format"
    else:
        schema = fmt.json_schema.schema_ if fmt.json_schema else None
        if schema is None:
            raise APIError(400, "response_format json_schema needs json_schema.schema",
                           "response_format.json_schema")
        factory = partial(schema_logits_processor, tokenizer, schema)
        param = "response_format.json_schema.schema"
    try:
        await asyncio.to_thread(factory)  # compiles once (cached) and reports a bad schema
    except LmforgeError as e:
        raise bad_request(e, param) from e
    return factory


# -- the reply -------------------------------------------------------------------------------

def _choice(server, result: gen.ChoiceResult, tool_mode: str | None, logprobs: bool) -> dict:
    message = {"role": "assistant", "content": result.text, "tool_calls": None}
    finish = result.finish_reason
    if tool_mode is not None:
        parser = ToolCallParser(tool_mode)
        parser.feed(result.text)
        parser.finish()
        message["content"] = parser.content
        if parser.calls:
            message["tool_calls"] = parser.calls
            finish = "tool_calls" if finish == "stop" else finish
    choice = {"index": result.index, "message": message, "finish_reason": finish,
              "logprobs": None}
    if logprobs:
        records = _without_stop(server, result.logprobs)
        choice["logprobs"] = chat_logprobs(records, server.token_text)
    return choice


def _without_stop(server, records):
    if records and records[-1].token_id in server.lm.tokenizer.stop_ids:
        return records[:-1]
    return records


async def _stream(server, body, prompt_ids, params, tool_mode, leak=None):
    """SSE chunks in OpenAI's shape; the first event is awaited before the headers, so a
    request the Engine rejects still gets a proper error status."""
    events = gen.stream_events(server.runner, prompt_ids, params)
    try:
        first = await anext(events)
    except StopAsyncIteration:
        first = None
    return StreamingResponse(_chunks(server, body, prompt_ids, events, first, tool_mode, leak),
                             media_type="text/event-stream")


async def _chunks(server, body, prompt_ids, events, first, tool_mode, leak):
    chunk_id, created = gen.new_id("chatcmpl"), gen.now()
    results = [gen.ChoiceResult(i) for i in range(body.n)]
    parsers = [ToolCallParser(tool_mode) if tool_mode else None for _ in range(body.n)]
    shown = [LeakFilter(leak) for _ in range(body.n)]  # holds back a possible leak

    def chunk(index: int, delta: dict, finish=None, logprobs=None) -> str:
        return gen.sse({"id": chunk_id, "object": "chat.completion.chunk", "created": created,
                        "model": body.model, "choices": [{
                            "index": index, "delta": delta, "logprobs": logprobs,
                            "finish_reason": finish}]})

    for i in range(body.n):
        yield chunk(i, {"role": "assistant", "content": ""})
    pending = [first] if first is not None else []
    try:
        while True:
            if pending:
                index, event = pending.pop()
            else:
                try:
                    index, event = await anext(events)
                except StopAsyncIteration:
                    break
            result = results[index]
            gen.add_event(result, event)
            for piece in _event_chunks(server, body, index, event, parsers[index], chunk,
                                       shown[index]):
                yield piece
    except APIError as e:
        yield gen.sse({"error": {"message": e.message, "type": "server_error",
                                 "param": e.param, "code": e.code}})
        return
    finally:
        await events.aclose()
    if body.stream_options and body.stream_options.include_usage:
        yield gen.sse({"id": chunk_id, "object": "chat.completion.chunk", "created": created,
                       "model": body.model, "choices": [],
                       "usage": gen.usage(len(prompt_ids), results)})
    yield gen.sse("[DONE]")


def _event_chunks(server, body, index, event, parser, chunk, shown):
    logprobs = None
    if body.logprobs and event.logprob is not None:
        records = [] if event.logprob.token_id in server.lm.tokenizer.stop_ids else [
            event.logprob]
        logprobs = chat_logprobs(records, server.token_text) if records else None
    text = shown.feed(event.text) + (shown.finish() if event.finished else "")
    content, calls = (parser.feed(text) if parser else (text, []))
    if event.finished and parser:
        more, extra = parser.finish()
        content, calls = content + more, calls + extra
    if content or logprobs:
        yield chunk(index, {"content": content}, logprobs=logprobs)
    if calls:
        yield chunk(index, {"tool_calls": calls})
    if event.finished:
        finish = "length" if event.finish_reason == "length" else "stop"
        if parser and parser.calls and finish == "stop":
            finish = "tool_calls"
        yield chunk(index, {}, finish)
