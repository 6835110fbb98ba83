"""Recipes: a YAML file of named sections plus `--key value` overrides -> settings.

    finetune:                       # a section: fields of one settings dataclass
      model: smollm2-135m-instruct
      lora_rank: 8
    train:
      max_steps: 200

An override is `section.key` or a bare key; a bare key goes to the first section (in the
run's order) whose dataclass has it. Command-line strings become the field's type
('3e-4' -> 3e-4, 'true' -> True). Unknown sections, keys and settings, and values of the
wrong type, are errors that name the key and the file, so a typo never trains silently
with a default. Which sections a run has, and their defaults, `pipeline.py` says (RUNS).

Test: `pytest tests/train/test_settings.py`.
"""

import ast
from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml

from lmforge.errors import ConfigError
from lmforge.field_types import check_keys, type_problem
from lmforge.model.config import ModelConfig

# Checked like the others, but handed back as a dict: the vocabulary size and special ids
# are only known once the tokenizer exists (pretrain.build_config fills them in).
DICT_SECTIONS = (ModelConfig,)


def load_sections(path: str | Path | None, overrides: dict[str, Any],
                  owners: dict[str, type], defaults: dict[str, dict] | None = None
                  ) -> list[Any]:
    """Recipe file + defaults + overrides -> one built settings object per section of
    `owners` (section name -> dataclass), in `owners` order."""
    source = str(path) if path else "overrides"
    sections = read_sections(path, overrides, owners, defaults)
    return [_build(cls, sections[name], f"{source} [{name}]")
            for name, cls in owners.items()]


def read_sections(path: str | Path | None, overrides: dict[str, Any],
                  owners: dict[str, type], defaults: dict[str, dict] | None = None
                  ) -> dict[str, dict]:
    """The checked values of each section (defaults < file < overrides), not yet built."""
    source = str(path) if path else "overrides"
    raw = _read_yaml(path) if path else {}
    _check_sections(raw, owners, source)
    defaults = defaults or {}
    sections = {name: {**defaults.get(name, {}), **(raw.get(name) or {})} for name in owners}
    for name, cls in owners.items():
        check_keys(cls, sections[name], f"{source} [{name}]")
    for key, value in overrides.items():
        section, name = _route(key, owners)
        cls = owners[section]
        sections[section][name] = _coerce(value, cls, name)
        problem = type_problem(cls, name, sections[section][name])
        if problem:
            raise ConfigError(f"--{key}: {problem}")
    return sections


def _read_yaml(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"recipe {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML ({e})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a recipe is a mapping of sections (e.g. train: ...)")
    return raw


def _check_sections(raw: dict, owners: dict[str, type], source: str) -> None:
    unknown = sorted(set(raw) - set(owners))
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {unknown}; expected "
                          f"{', '.join(owners)}")
    for name, values in raw.items():
        if values is not None and not isinstance(values, dict):
            raise ConfigError(f"{source}: section {name!r} must be a mapping")


def _route(key: str, owners: dict[str, type]) -> tuple[str, str]:
    """An override key -> (section, field): `train.lr`, or `lr` for the first owner of lr."""
    section, _, name = key.rpartition(".")
    if not section:
        section = next((s for s, cls in owners.items()
                        if name in {f.name for f in fields(cls)}), "")
        if not section:
            raise ConfigError(f"unknown setting {key!r}")
    if section not in owners:
        raise ConfigError(f"override {key!r}: unknown section {section!r}; expected "
                          f"{', '.join(owners)}")
    check_keys(owners[section], {name: None}, f"override {key!r}")
    return section, name


def _coerce(value: Any, cls: type, name: str) -> Any:
    """Turn a command-line string into the field's type ('3e-4' -> 3e-4, 'true' -> True)."""
    if not isinstance(value, str):
        return value
    field_type = str(next(f.type for f in fields(cls) if f.name == name))
    if "str" in field_type and "int" not in field_type:
        return value
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.lower() in ("none", "null"):
        return None
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def _build(cls: type, values: dict, source: str) -> Any:
    """The section's dataclass (or, for DICT_SECTIONS, its values, checked by building)."""
    if cls in DICT_SECTIONS:
        cls.from_dict(values, source)  # impossible shapes fail here, before any work
        return values
    for name, value in values.items():
        problem = type_problem(cls, name, value)
        if problem:
            raise ConfigError(f"{source}: {name}: {problem}")
    try:
        return cls(**values)
    except TypeError as e:
        raise ConfigError(f"{source}: {e}") from None
