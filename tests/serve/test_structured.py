"""response_format json_schema / json_object: constrained decoding makes every output parse
and validate, on 20 schemas and prompts (sent concurrently, so they batch)."""

import asyncio
import json

import jsonschema
import pytest
from serve_helpers import MODEL

pytestmark = pytest.mark.slow

S = {"type": "string", "maxLength": 24}
CASES = [
    ("Give a person's name and age.", {
        "type": "object", "properties": {"name": S, "age": {"type": "integer"}},
        "required": ["name", "age"], "additionalProperties": False}),
    ("Is the sky blue?", {
        "type": "object", "properties": {"answer": {"type": "boolean"}}, "required": ["answer"]}),
    ("Pick a color.", {
        "type": "object", "properties": {"color": {"enum": ["red", "green", "blue"]}},
        "required": ["color"]}),
    ("List three fruits.", {
        "type": "object", "properties": {"fruits": {"type": "array", "items": S,
                                                    "minItems": 3, "maxItems": 3}},
        "required": ["fruits"]}),
    ("Describe a city with its country and population.", {
        "type": "object", "properties": {"city": S, "country": S,
                                         "population": {"type": "integer", "minimum": 0}},
        "required": ["city", "country", "population"]}),
    ("Give a point in 2D.", {
        "type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
        "required": ["x", "y"], "additionalProperties": False}),
    ("Describe a book.", {
        "type": "object", "properties": {
            "title": S, "author": {"type": "object", "properties": {"first": S, "last": S},
                                   "required": ["first", "last"]}},
        "required": ["title", "author"]}),
    ("Rate a movie from 1 to 5.", {
        "type": "object", "properties": {"movie": S,
                                         "stars": {"type": "integer", "enum": [1, 2, 3, 4, 5]}},
        "required": ["movie", "stars"]}),
    ("Give two numbers.", {"type": "array", "items": {"type": "integer"}, "minItems": 2,
                           "maxItems": 2}),
    ("Say hello.", {"type": "object", "properties": {"greeting": S}, "required": ["greeting"]}),
    ("Describe the weather.", {
        "type": "object", "properties": {
            "condition": {"enum": ["sunny", "rainy", "cloudy", "snowy"]},
            "temperature_c": {"type": "integer"}},
        "required": ["condition", "temperature_c"]}),
    ("Name an animal and whether it can fly.", {
        "type": "object", "properties": {"animal": S, "can_fly": {"type": "boolean"}},
        "required": ["animal", "can_fly"], "additionalProperties": False}),
    ("Give a user profile.", {
        "type": "object", "properties": {
            "user": {"type": "object", "properties": {
                "id": {"type": "integer"}, "tags": {"type": "array", "items": S, "maxItems": 2}},
                "required": ["id", "tags"]}},
        "required": ["user"]}),
    ("What is 2 + 2?", {"type": "object", "properties": {"result": {"type": "integer"}},
                        "required": ["result"]}),
    ("Translate 'cat' to French.", {
        "type": "object", "properties": {"source": S, "target": S, "language": {
            "const": "fr"}}, "required": ["source", "target", "language"]}),
    ("Give a shopping list item with quantity.", {
        "type": "object", "properties": {"items": {"type": "array", "maxItems": 2, "items": {
            "type": "object", "properties": {"name": S, "qty": {"type": "integer"}},
            "required": ["name", "qty"]}}}, "required": ["items"]}),
    ("Describe a car.", {
        "type": "object", "properties": {"make": S, "year": {"type": "integer"},
                                         "electric": {"type": "boolean"}},
        "required": ["make", "year", "electric"]}),
    ("Pick a day of the week.", {"enum": ["Monday", "Tuesday", "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"]}),
    ("Give a name or nothing.", {
        "type": "object", "properties": {"name": {"anyOf": [S, {"type": "null"}]}},
        "required": ["name"]}),
    ("Summarise a meeting.", {
        "type": "object", "properties": {"topic": S, "decisions": {
            "type": "array", "items": S, "maxItems": 2}, "urgent": {"type": "boolean"}},
        "required": ["topic", "decisions", "urgent"]}),
]


def test_json_schema_outputs_validate_on_20_schemas(aclient):
    assert len(CASES) == 20

    async def ask(prompt, schema):
        r = await aclient.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": prompt}], temperature=0,
            max_tokens=120, response_format={"type": "json_schema", "json_schema": {
                "name": "answer", "schema": schema}})
        return r.choices[0]

    async def ask_all():
        return await asyncio.gather(*[ask(p, s) for p, s in CASES])

    for (prompt, schema), choice in zip(CASES, asyncio.run(ask_all()), strict=True):
        assert choice.finish_reason == "stop", (prompt, choice.message.content)
        jsonschema.validate(json.loads(choice.message.content), schema)


def test_json_object_mode_parses(client):
    r = client.chat.completions.create(
        model=MODEL, temperature=0, max_tokens=100, response_format={"type": "json_object"},
        messages=[{"role": "user",
                   "content": "Give a JSON object with a person's name and age."}])
    assert isinstance(json.loads(r.choices[0].message.content), dict)


def test_json_schema_streamed_equals_plain(client):
    prompt, schema = CASES[0]
    kwargs = dict(model=MODEL, messages=[{"role": "user", "content": prompt}], temperature=0,
                  max_tokens=80, response_format={"type": "json_schema", "json_schema": {
                      "name": "p", "schema": schema}})
    plain = client.chat.completions.create(**kwargs).choices[0].message.content
    chunks = client.chat.completions.create(stream=True, **kwargs)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == plain
