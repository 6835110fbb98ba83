"""The safety policy: categories of harm, their rules, actions and refusal messages, from YAML.

    policy = load_policy()                      # the one shipped in the package (policy.yaml)
    policy = load_policy("my_policy.yaml")      # your own copy

The YAML format is described at the top of `policy.yaml`. Loading compiles every pattern
once; a malformed file (bad YAML, an unknown key, a wrong type, a regular expression that
does not compile) raises `PolicyError` naming the file and the line.
Test: `pytest tests/safety/test_policy.py`.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

from lmforge.errors import PolicyError

ACTIONS = ("block", "warn", "redact")
DIRECTIONS = ("input", "output", "document")
PII_KINDS = ("email", "phone", "credit_card", "cn_id", "iban", "ip", "secret")
DEFAULT_POLICY = files("lmforge.safety") / "policy.yaml"
DEFAULT_REFUSAL = {"en": "Sorry, I can't help with that request."}

_CATEGORY_KEYS = {"description", "action", "directions", "refusal", "allow", "safe_phrases",
                  "rules"}
_RULE_KEYS = {"name", "patterns", "terms", "intent", "strong"}
_TOP_KEYS = {"version", "refusal", "classifier_threshold", "pii", "categories"}


@dataclass
class Rule:
    """One rule: explicit `patterns`, or a dangerous `terms` plus an `intent` to act on it."""

    name: str
    patterns: list[re.Pattern] = field(default_factory=list)
    terms: list[re.Pattern] = field(default_factory=list)
    intent: list[re.Pattern] = field(default_factory=list)
    strong: list[re.Pattern] = field(default_factory=list)


@dataclass
class Category:
    name: str
    description: str
    actions: dict[str, str]
    """Action per direction it applies to: {"input": "block", "output": "block"}."""
    refusal: dict[str, str]
    allow: list[re.Pattern]
    safe_phrases: list[re.Pattern]
    rules: list[Rule]


@dataclass
class PiiSettings:
    actions: dict[str, str]
    kinds: list[str]


@dataclass
class Policy:
    path: str
    refusal: dict[str, str]
    categories: list[Category]
    pii: PiiSettings
    classifier_threshold: float = 0.5

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Policy:
    return _parse(Path(path).read_text(encoding="utf-8"), path)


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and compile a policy file (None: the shipped default). Cached per file version."""
    path = Path(str(DEFAULT_POLICY)) if path is None else Path(path)
    if not path.is_file():
        raise PolicyError(f"policy file {path} does not exist")
    return _load_cached(str(path), path.stat().st_mtime)


def parse_policy(text: str, name: str = "<policy>") -> Policy:
    """Compile a policy from YAML text (`name` appears in error messages)."""
    return _parse(text, name)


# -- parsing with line numbers ---------------------------------------------------------------

class _LineDict(dict):
    line = 0
    key_lines: dict = {}


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember their lines (for error messages)."""


def _construct_line_dict(loader: _LineLoader, node) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {loader.construct_object(k, deep=True): k.start_mark.line + 1
                         for k, _ in node.value}
    return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_dict)


def _parse(text: str, name: str) -> Policy:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"{name}{where}: not valid YAML ({getattr(e, 'problem', e)})") from e
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: a policy is a mapping with 'categories' (got "
                          f"{type(data).__name__})")
    _check_keys(data, _TOP_KEYS, name, "the policy")
    refusal = {**DEFAULT_REFUSAL, **_refusal(data.get("refusal"), name, data, required=False)}
    categories_raw = data.get("categories")
    if not isinstance(categories_raw, dict) or not categories_raw:
        raise PolicyError(f"{name} line {_line(data)}: 'categories' must be a non-empty mapping")
    categories = [_category(cat_name, raw, name, refusal)
                  for cat_name, raw in categories_raw.items()]
    threshold = data.get("classifier_threshold", 0.5)
    if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise PolicyError(f"{name}: classifier_threshold must be a number in [0, 1], "
                          f"got {threshold!r}")
    return Policy(name, refusal, categories, _pii(data.get("pii") or {}, name), float(threshold))


def _category(cat_name: str, raw, file: str, default_refusal: dict[str, str]) -> Category:
    where = f"{file} line {_line(raw)}: category {cat_name!r}"
    if not isinstance(raw, dict):
        raise PolicyError(f"{file}: category {cat_name!r} must be a mapping")
    _check_keys(raw, _CATEGORY_KEYS, file, f"category {cat_name!r}")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise PolicyError(f"{where}: 'rules' must be a non-empty list")
    refusal = {**default_refusal, **_refusal(raw.get("refusal"), file, raw, required=False)}
    return Category(
        name=cat_name,
        description=str(raw.get("description", "")),
        actions=_actions(raw.get("action", "block"), raw.get("directions"),
                         f"{file} line {_key_line(raw, 'action')}: category {cat_name!r}"),
        refusal=refusal,
        allow=_patterns(raw.get("allow"), f"{where} 'allow'"),
        safe_phrases=_patterns(raw.get("safe_phrases"), f"{where} 'safe_phrases'"),
        rules=[_rule(r, file, cat_name) for r in rules_raw],
    )


def _rule(raw, file: str, cat_name: str) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PolicyError(f"{file} line {_line(raw)}: each rule of {cat_name!r} needs a "
                          f"'name' (a string)")
    where = f"{file} line {_line(raw)}: rule {cat_name}.{raw['name']}"
    _check_keys(raw, _RULE_KEYS, file, f"rule {cat_name}.{raw['name']}")
    rule = Rule(raw["name"], *(_patterns(raw.get(k), f"{where} {k!r}")
                               for k in ("patterns", "terms", "intent", "strong")))
    if not rule.patterns and not (rule.terms and rule.intent):
        raise PolicyError(f"{where}: needs 'patterns', or both 'terms' and 'intent'")
    return rule


def _patterns(raw, where: str) -> list[re.Pattern]:
    """Compile regex fragments so they never match inside a Latin word ("bomb" != "bombay")."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise PolicyError(f"{where} must be a list of strings")
    compiled = []
    for p in raw:
        try:
            compiled.append(re.compile(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])"))
        except re.error as e:
            raise PolicyError(f"{where}: pattern {p!r} is not a valid regular expression "
                              f"({e})") from e
    return compiled


def _actions(action, directions, where: str) -> dict[str, str]:
    directions = directions if directions is not None else ["input", "output"]
    if not isinstance(directions, list) or any(d not in DIRECTIONS for d in directions):
        raise PolicyError(f"{where}: 'directions' must be a list drawn from {DIRECTIONS}, "
                          f"got {directions!r}")
    per_direction = action if isinstance(action, dict) else dict.fromkeys(directions, action)
    for direction, act in per_direction.items():
        if act not in ACTIONS or direction not in DIRECTIONS:
            raise PolicyError(f"{where}: action must be one of {ACTIONS} (or a mapping "
                              f"direction -> action), got {action!r}")
    return {d: per_direction[d] for d in directions if d in per_direction}


def _pii(raw, file: str) -> PiiSettings:
    if not isinstance(raw, dict):
        raise PolicyError(f"{file}: 'pii' must be a mapping")
    where = f"{file} line {_line(raw)}: pii"
    _check_keys(raw, {"action", "kinds", "directions"}, file, "pii")
    kinds = raw.get("kinds", list(PII_KINDS))
    unknown = [k for k in kinds if k not in PII_KINDS] if isinstance(kinds, list) else [kinds]
    if unknown:
        raise PolicyError(f"{where}: unknown PII kind {unknown[0]!r} (known: "
                          f"{', '.join(PII_KINDS)})")
    actions = _actions(raw.get("action", "redact"),
                       raw.get("directions", list(DIRECTIONS)), where)
    return PiiSettings(actions, list(kinds))


def _refusal(raw, file: str, parent, required: bool) -> dict[str, str]:
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()) or (
            required and "en" not in raw):
        raise PolicyError(f"{file} line {_line(parent)}: 'refusal' must map languages to "
                          f"messages, with at least 'en'")
    return dict(raw)


def _check_keys(raw: dict, known: set[str], file: str, what: str) -> None:
    for key in raw:
        if key not in known:
            line = getattr(raw, "key_lines", {}).get(key, _line(raw))
            raise PolicyError(f"{file} line {line}: unknown key {key!r} in {what} "
                              f"(known: {', '.join(sorted(known))})")


def _key_line(raw, key: str) -> int:
    return getattr(raw, "key_lines", {}).get(key, _line(raw))


def _line(raw) -> int:
    return getattr(raw, "line", 0)
