"""Constrained decoding: whatever the logits say, the grammar's mask keeps the output valid.

Random logits are the harshest model: with the mask applied, sampling from them must still
give JSON that parses and validates, end-of-sequence must be allowed only once the document
is complete, and bad schemas must fail with a message naming the problem. The bundled
SmolLM2 tokenizer (no weights) supplies a real 49k-token byte-level vocabulary."""

import json

import jsonschema
import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.infer.grammar import (
    schema_logits_processor,
    tool_call_logits_processor,
    tool_call_schema,
    tool_tag_logits_processor,
)

SCHEMAS = [
    {"type": "object", "properties": {"name": {"type": "string", "maxLength": 8},
                                      "ok": {"type": "boolean"}},
     "required": ["name", "ok"], "additionalProperties": False},
    {"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 1, "maxItems": 4},
    {"type": "object", "properties": {"p": {"type": "object", "properties": {
        "x": {"type": "integer", "minimum": 0, "maximum": 99}}, "required": ["x"]}},
     "required": ["p"]},
]


@pytest.fixture(scope="module")
def tok():
    from lmforge.io.registry import load_tokenizer

    return load_tokenizer("smollm2-135m-instruct")


def walk(tok, processor, seed: int, steps: int = 400, bias_stop: float = 0.0) -> tuple[str, int]:
    """Sample from random logits through the processor until a stop token; return text."""
    g = torch.Generator().manual_seed(seed)
    stop_ids = sorted(tok.stop_ids)
    out: list[int] = []
    for _ in range(steps):
        logits = torch.randn(tok.vocab_size, generator=g) * 3
        logits[stop_ids] += bias_stop
        logits = processor(out, logits)
        token = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=g))
        if token in tok.stop_ids:
            return tok.decode(out), token
        out.append(token)
    raise AssertionError(f"no stop within {steps} tokens: {tok.decode(out)!r}")


@pytest.mark.parametrize("index", range(len(SCHEMAS)))
def test_random_logits_still_give_valid_json(tok, index):
    schema = SCHEMAS[index]
    for seed in range(3):
        text, _ = walk(tok, schema_logits_processor(tok, schema), seed, bias_stop=20)
        jsonschema.validate(json.loads(text), schema)


def test_stop_is_masked_until_the_document_is_complete(tok):
    processor = schema_logits_processor(tok, SCHEMAS[0])
    prefix = tok.encode('{"name": "ab"')
    logits = processor(prefix, torch.zeros(tok.vocab_size))
    assert all(logits[i] == float("-inf") for i in tok.stop_ids)
    allowed = torch.isfinite(logits).nonzero().flatten().tolist()
    assert allowed and all(tok.decode([i]).startswith(",") for i in allowed)
    done = schema_logits_processor(tok, SCHEMAS[0])
    logits = done(tok.encode('{"name": "ab", "ok": true}'), torch.zeros(tok.vocab_size))
    assert torch.isfinite(logits).nonzero().flatten().tolist() == sorted(
        i for i in tok.stop_ids if i < tok.vocab_size)


def test_json_object_mode_and_wider_lm_head(tok):
    first = schema_logits_processor(tok, None)([], torch.zeros(tok.vocab_size))
    allowed = torch.isfinite(first).nonzero().flatten().tolist()
    starts = {tok.decode([i]).strip()[:1] for i in allowed}
    assert starts <= {"{", ""}  # an object, perhaps after whitespace; never "[" or "1"
    done = schema_logits_processor(tok, None)
    logits = done(tok.encode('{"a": [1, {"b": null}]}'), torch.zeros(tok.vocab_size))
    allowed = torch.isfinite(logits).nonzero().flatten().tolist()
    assert set(tok.stop_ids) <= set(allowed)
    assert all(i in tok.stop_ids or not tok.decode([i]).strip() for i in allowed)
    wide = schema_logits_processor(tok, None)(
        [], torch.zeros(tok.vocab_size + 64))  # padded LM heads are wider than the vocab
    assert torch.isinf(wide[tok.vocab_size:]).all()


def test_tool_call_schema_ties_arguments_to_the_name(tok):
    tools = [{"type": "function", "function": {"name": "add", "parameters": {
        "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}}},
        {"type": "function", "function": {"name": "echo", "parameters": {
            "type": "object", "properties": {"s": {"enum": ["x", "y"]}}, "required": ["s"]}}}]
    schema = tool_call_schema(tools)
    for seed in range(2):
        text, _ = walk(tok, tool_call_logits_processor(tok, tools), seed, bias_stop=20)
        call = json.loads(text)
        jsonschema.validate(call, schema)
        assert call["name"] in ("add", "echo")
    named = json.loads(walk(tok, tool_call_logits_processor(tok, tools, "echo"), 1,
                            bias_stop=20)[0])
    assert named["name"] == "echo" and named["arguments"]["s"] in ("x", "y")


def test_tagged_tool_calls_are_free_until_the_tag(tok):
    tools = [{"type": "function", "function": {"name": "add", "parameters": {
        "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}}}]
    processor = tool_tag_logits_processor(tok, tools)
    free = processor([], torch.zeros(tok.vocab_size))
    assert torch.isfinite(free).sum() > tok.vocab_size // 2  # plain text is allowed
    opened = tool_tag_logits_processor(tok, tools)
    ids = tok.encode('Sure.<tool_call>{"name": "add", "arguments": {"a": ')
    logits = opened(ids, torch.zeros(tok.vocab_size))
    allowed = [tok.decode([i]) for i in torch.isfinite(logits).nonzero().flatten().tolist()]
    digits = [a for a in allowed if a.strip()]  # (the call's JSON may hold whitespace)
    assert digits and all(a.strip()[0] in "-0123456789" for a in digits)


@pytest.mark.parametrize("schema, words", [
    ({"type": "banana"}, ["not a valid JSON schema"]),
    ("not a dict", ["must be a JSON object"]),
])
def test_bad_schemas_are_named(tok, schema, words):
    with pytest.raises(ConfigError) as e:
        schema_logits_processor(tok, schema)
    for word in words:
        assert word in str(e.value)


def test_bad_tools_are_named():
    with pytest.raises(ConfigError, match=r"tools\[0\]"):
        tool_call_schema([{"type": "function", "function": {"name": "f", "parameters": {
            "type": "object", "properties": {"a": {"type": 7}}}}}])
    with pytest.raises(ConfigError, match="'g'"):
        tool_call_schema([{"type": "function", "function": {"name": "f"}}], "g")
