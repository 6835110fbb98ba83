"""Verifiers by name, built from a recipe's spec.

    make_verifier("exact_match")
    make_verifier({"name": "exact_match", "mode": "tagged"})
    make_verifier([{"name": "exact_match", "weight": 0.8}, {"name": "tags", "weight": 0.2}])

An unknown name or option is a ConfigError naming it and listing what exists.
Test: `pytest tests/verify/test_verifiers.py -k registry`.
"""

import inspect
from collections.abc import Mapping, Sequence

from lmforge.errors import ConfigError, DataError
from lmforge.verify.base import Verifier
from lmforge.verify.code import CodeTests
from lmforge.verify.combine import Combined
from lmforge.verify.exact import ExactMatch
from lmforge.verify.format import ForbiddenWords, JsonMatch, JsonSchema, LengthLimit, RequiredTags

VERIFIERS: dict[str, type[Verifier]] = {
    cls.name: cls for cls in (ExactMatch, CodeTests, JsonSchema, JsonMatch, RequiredTags,
                              LengthLimit, ForbiddenWords)
}


def _build(name: str, options: Mapping) -> Verifier:
    if name not in VERIFIERS:
        raise ConfigError(f"unknown verifier {name!r}; known: {', '.join(sorted(VERIFIERS))}")
    cls = VERIFIERS[name]
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ConfigError(f"verifier {name!r} has no option {unknown[0]!r}; options: "
                          f"{', '.join(sorted(accepted)) or 'none'}")
    return cls(**options)


def make_verifier(spec: str | Mapping | Sequence | Verifier) -> Verifier:
    """A verifier from a name, a {"name": ..., options} dict, or a list of weighted ones."""
    if isinstance(spec, Verifier):
        return spec
    if isinstance(spec, str):
        return _build(spec, {})
    if isinstance(spec, Mapping):
        options = dict(spec)
        if "name" not in options:
            raise ConfigError(f"verifier spec {dict(spec)!r} has no 'name'")
        options.pop("weight", None)
        return _build(options.pop("name"), options)
    if isinstance(spec, Sequence) and spec:
        parts = []
        for item in spec:
            weight = float(item.get("weight", 1.0)) if isinstance(item, Mapping) else 1.0
            parts.append((make_verifier(item), weight))
        return parts[0][0] if len(parts) == 1 else Combined(parts)
    raise ConfigError(f"cannot build a verifier from {spec!r}")


def check_tasks(tasks: Sequence[Mapping], verifier: Verifier, source: str = "tasks") -> None:
    """Every task has a prompt and the fields the verifier reads; else name the first gap."""
    for number, task in enumerate(tasks, 1):
        for field in ("prompt", *verifier.required_fields):
            if field not in task:
                needed = "" if field == "prompt" else f" (needed by {verifier.name})"
                raise DataError(f"{source}:{number}: missing field {field!r}{needed}")
