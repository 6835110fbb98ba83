"""POST /v1/completions: plain text continuation (no chat template), OpenAI's legacy API.

A prompt is a string, a list of token ids, or a batch of either (one choice set per
prompt, `n` choices each, indexed prompt-major as OpenAI does). `logprobs` is an integer:
how many alternatives to list beside each chosen token. `echo` prepends the prompt.

Test: `pytest tests/serve/test_openai_client.py -k completions`.
"""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from lmforge.errors import LmforgeError
from lmforge.serve import generation as gen
from lmforge.serve.errors import APIError, bad_request
from lmforge.serve.logprobs import completion_logprobs
from lmforge.serve.schemas import Completion, CompletionRequest

router = APIRouter()
MAX_LOGPROBS = 5  # OpenAI's limit for completions


@router.post("/v1/completions", response_model=Completion)
async def completions(body: CompletionRequest, request: Request):
    server = request.app.state.server
    server.check_model(body.model)
    if body.logprobs is not None and not 0 <= body.logprobs <= MAX_LOGPROBS:
        raise APIError(400, f"logprobs={body.logprobs} is invalid: must be 0..{MAX_LOGPROBS}",
                       "logprobs")
    prompts = _prompts(server, body.prompt)
    batches = [gen.sampling_params(body, len(ids), server.context, body.max_tokens,
                                   body.logprobs) for ids in prompts]
    gen.admit(server.runner, body.n * len(prompts))
    server.metrics.prompt_tokens += sum(len(ids) for ids in prompts)
    if body.stream:
        if len(prompts) > 1:
            raise APIError(400, "stream with a batch of prompts is not supported; send one "
                           "prompt per streamed request", "prompt")
        return StreamingResponse(_chunks(server, body, prompts[0], batches[0]),
                                 media_type="text/event-stream")
    gathered = await asyncio.gather(*[gen.collect(server.runner, ids, params, request)
                                      for ids, params in zip(prompts, batches, strict=True)])
    choices, results_all = [], []
    for p, (ids, results) in enumerate(zip(prompts, gathered, strict=True)):  # batched
        results_all += results
        for r in results:
            choices.append(_choice(server, body, ids, r, p * body.n + r.index))
    usage = gen.usage(sum(len(ids) for ids in prompts), results_all)
    return {"id": gen.new_id("cmpl"), "object": "text_completion", "created": gen.now(),
            "model": body.model, "choices": choices, "usage": usage}


def _prompts(server, prompt) -> list[list[int]]:
    """Every prompt as token ids; strings are encoded as the model expects (with BOS)."""
    tokenizer = server.lm.tokenizer
    if isinstance(prompt, str) or (prompt and isinstance(prompt[0], int)):
        prompt = [prompt]
    if not prompt:
        raise APIError(400, "prompt is empty", "prompt")
    out = []
    for i, p in enumerate(prompt):
        try:
            ids = (tokenizer.encode(p, add_special=True, parse_special=False)
                   if isinstance(p, str) else list(p))
        except (LmforgeError, ValueError, TypeError) as e:
            raise bad_request(e, "prompt") from e
        bad = [t for t in ids if not 0 <= t < server.lm.model.config.vocab_size]
        if bad:
            raise APIError(400, f"prompt[{i}] has token id {bad[0]} outside the vocabulary "
                           f"(0..{server.lm.model.config.vocab_size - 1})", "prompt")
        if not ids:
            raise APIError(400, f"prompt[{i}] is empty: give at least one token", "prompt")
        out.append(ids)
    return out


def _choice(server, body, prompt_ids, result: gen.ChoiceResult, index: int) -> dict:
    text = result.text
    logprobs = None
    records = result.logprobs
    if records and records[-1].token_id in server.lm.tokenizer.stop_ids:
        records = records[:-1]
    prefix = server.lm.tokenizer.decode(prompt_ids, skip_special=True) if body.echo else ""
    if body.logprobs is not None:
        logprobs = completion_logprobs(records, server.token_text, len(prefix))
    return {"index": index, "text": prefix + text, "finish_reason": result.finish_reason,
            "logprobs": logprobs}


async def _chunks(server, body, prompt_ids, params):
    chunk_id, created = gen.new_id("cmpl"), gen.now()
    results = [gen.ChoiceResult(i) for i in range(body.n)]
    try:
        async for index, event in gen.stream_events(server.runner, prompt_ids, params):
            gen.add_event(results[index], event)
            logprobs = None
            if body.logprobs is not None and event.logprob is not None and (
                    event.logprob.token_id not in server.lm.tokenizer.stop_ids):
                logprobs = completion_logprobs([event.logprob], server.token_text)
            finish = results[index].finish_reason if event.finished else None
            yield gen.sse({"id": chunk_id, "object": "text_completion", "created": created,
                           "model": body.model, "choices": [{
                               "index": index, "text": event.text, "logprobs": logprobs,
                               "finish_reason": finish}]})
    except APIError as e:
        yield gen.sse({"error": {"message": e.message, "type": "server_error",
                                 "param": e.param, "code": e.code}})
        return
    if body.stream_options and body.stream_options.include_usage:
        yield gen.sse({"id": chunk_id, "object": "text_completion", "created": created,
                       "model": body.model, "choices": [],
                       "usage": gen.usage(len(prompt_ids), results)})
    yield gen.sse("[DONE]")
