"""Format and constraint verifiers: JSON against a schema, required tags, length, words.

    json_schema      the completion holds JSON that parses and validates (jsonschema)
    json_match       ... and equals the task's `answer` object (JSON extraction tasks)
    tags             <think>...</think><answer>...</answer> (tags configurable), in order
    length           at most / at least so many characters or words
    forbidden_words  none of these words (whole words, case-insensitive)

Each returns 1 or 0 with the reason; combine them with weights in `combine.py`.
Test: `pytest tests/verify/test_verifiers.py`.
"""

import json
import re
from collections.abc import Mapping, Sequence

import jsonschema

from lmforge.errors import ConfigError
from lmforge.verify.base import Verdict, Verifier

JSON_FENCE = re.compile(r"```(?:json)?\s*\n(.*?)```", re.DOTALL | re.IGNORECASE)


def extract_json(text: str) -> tuple[object | None, str]:
    """The JSON value in a completion -> (value or None, why it failed)."""
    fenced = JSON_FENCE.findall(text)
    candidates = [fenced[-1]] if fenced else []
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start >= 0:
        candidates.append(text[start:])
    if not candidates:
        return None, "no JSON found"
    error = ""
    for candidate in candidates:
        try:  # raw_decode: a JSON value followed by trailing prose still parses
            return json.JSONDecoder().raw_decode(candidate.strip())[0], ""
        except json.JSONDecodeError as e:
            error = f"malformed JSON: {e.msg} at char {e.pos}"
    return None, error


class JsonSchema(Verifier):
    name = "json_schema"
    required_fields = ()  # the schema comes from the task's `schema` or the constructor

    def __init__(self, schema: Mapping | None = None) -> None:
        if schema is not None:
            jsonschema.Draft202012Validator.check_schema(schema)
        self.schema = schema

    def _schema(self, task: Mapping) -> Mapping:
        schema = task.get("schema", self.schema)
        if schema is None:
            raise ConfigError("json_schema needs a schema (verifier option or task field)")
        return schema

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        value, error = extract_json(completion)
        if error:
            return Verdict(0.0, error)
        problem = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(self._schema(task)).iter_errors(value))
        if problem is not None:
            where = "/".join(str(p) for p in problem.absolute_path) or "(root)"
            return Verdict(0.0, f"schema violation at {where}: {problem.message[:200]}")
        return Verdict(1.0, "valid JSON matching the schema")


class JsonMatch(JsonSchema):
    name = "json_match"
    required_fields = ("answer",)

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        verdict = super().__call__(completion, task) if (
            "schema" in task or self.schema is not None) else None
        if verdict is not None and verdict.score == 0:
            return verdict
        value, error = extract_json(completion)
        if error:
            return Verdict(0.0, error)
        gold = task["answer"]
        if isinstance(gold, str):
            gold = json.loads(gold)
        if value == gold:
            return Verdict(1.0, "JSON equals the expected object")
        wrong = sorted(k for k in gold if not isinstance(value, dict) or value.get(k) != gold[k]) \
            if isinstance(gold, dict) else []
        return Verdict(0.0, f"JSON differs from the expected object (fields: {wrong})")


class RequiredTags(Verifier):
    name = "tags"

    def __init__(self, tags: Sequence[str] = ("think", "answer"), strict: bool = True) -> None:
        if not tags or not all(re.fullmatch(r"[\w-]+", t) for t in tags):
            raise ConfigError(f"tags must be a non-empty list of tag names, got {tags!r}")
        self.tags = list(tags)
        body = r"\s*".join(rf"<{t}>(.*?)</{t}>" for t in self.tags)
        # strict: nothing but the tags; otherwise they may sit inside other text
        self.pattern = re.compile(rf"^\s*{body}\s*$" if strict else body, re.DOTALL)

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        if self.pattern.search(completion):
            return Verdict(1.0, "tags " + ", ".join(self.tags) + " present in order")
        missing = [t for t in self.tags if f"<{t}>" not in completion or f"</{t}>" not in
                   completion]
        reason = f"missing tags: {missing}" if missing else "tags out of order or extra text"
        return Verdict(0.0, reason)


class LengthLimit(Verifier):
    name = "length"

    def __init__(self, max_chars: int | None = None, max_words: int | None = None,
                 min_chars: int = 0, min_words: int = 0) -> None:
        for option, value in (("max_chars", max_chars), ("max_words", max_words)):
            if value is not None and value <= 0:
                raise ConfigError(f"length {option} must be positive, got {value}")
        self.max_chars, self.max_words = max_chars, max_words
        self.min_chars, self.min_words = min_chars, min_words

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        chars, words = len(completion), len(completion.split())
        checks = [(self.max_chars is not None and chars > self.max_chars,
                   f"{chars} chars > {self.max_chars}"),
                  (self.max_words is not None and words > self.max_words,
                   f"{words} words > {self.max_words}"),
                  (chars < self.min_chars, f"{chars} chars < {self.min_chars}"),
                  (words < self.min_words, f"{words} words < {self.min_words}")]
        failed = [why for bad, why in checks if bad]
        if failed:
            return Verdict(0.0, "; ".join(failed))
        return Verdict(1.0, f"{chars} chars, {words} words within limits")


class ForbiddenWords(Verifier):
    name = "forbidden_words"

    def __init__(self, words: Sequence[str]) -> None:
        if isinstance(words, str) or not words:
            raise ConfigError(f"forbidden_words needs a list of words, got {words!r}")
        self.words = list(words)
        self.pattern = re.compile(r"\b(" + "|".join(map(re.escape, self.words)) + r")\b",
                                  re.IGNORECASE)

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        found = sorted({m.lower() for m in self.pattern.findall(completion)})
        if found:
            return Verdict(0.0, f"forbidden words used: {found}")
        return Verdict(1.0, "no forbidden words")
