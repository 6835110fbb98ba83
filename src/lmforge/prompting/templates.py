"""Prompt templates: Jinja text with named variables, sent through the model's chat template.

    template = PromptTemplate("Question: {{ question }}\\n{{ instruction }}",
                              system="You are a careful maths tutor.")
    template.messages(question="What is 7 * 8?", instruction="Show your working.")
    template.chat_prompt(tokenizer, question=..., instruction=...)   # the exact model input

Two layers of templating, each doing one job: the prompt template fills *our* variables
into the user (and optional system) message; the model's own chat template (shipped with
its weights, rendered exactly as transformers' `apply_chat_template`,
tokenizer/chat_template.py) wraps those messages in the role markers the model was trained
on. A variable the template uses but the caller does not give is an error naming it (Jinja's
StrictUndefined), never an empty string silently sent to the model. Templates render in
Jinja's sandbox, as chat templates do. A template file holds the user message, or YAML with
`system` and `user` keys.
Test: `pytest tests/prompting/test_templates.py`.
"""

from pathlib import Path

import jinja2
import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from lmforge.errors import ConfigError

_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


class PromptTemplate:
    """A user message template, and optionally a system message template."""

    def __init__(self, user: str, system: str | None = None, name: str = "template") -> None:
        self.name = name
        self.sources = {"user": user, **({"system": system} if system else {})}
        try:
            self.compiled = {role: _ENV.from_string(text) for role, text in self.sources.items()}
        except jinja2.TemplateSyntaxError as e:
            raise ConfigError(f"{name}: template syntax error on line {e.lineno}: "
                              f"{e.message}") from e

    @property
    def variables(self) -> set[str]:
        """Every variable the template reads."""
        return set().union(*(meta.find_undeclared_variables(_ENV.parse(text))
                             for text in self.sources.values()))

    def messages(self, **variables) -> list[dict]:
        """The chat messages, variables filled in (system first when there is one)."""
        missing = sorted(self.variables - set(variables))
        if missing:
            given = ", ".join(sorted(variables)) or "none"
            raise ConfigError(f"{self.name}: undefined variable {missing[0]!r} "
                              f"(given: {given})")
        try:
            rendered = {role: t.render(**variables) for role, t in self.compiled.items()}
        except jinja2.UndefinedError as e:  # e.g. an attribute of a given variable
            raise ConfigError(f"{self.name}: {e.message}") from e
        order = ["system", "user"] if "system" in rendered else ["user"]
        return [{"role": role, "content": rendered[role]} for role in order]

    def chat_prompt(self, tokenizer, **variables) -> str:
        """The exact text the model reads: these messages in its chat template, with the
        assistant turn opened."""
        return tokenizer.render_chat(self.messages(**variables), add_generation_prompt=True)


def load_template(path: str | Path) -> PromptTemplate:
    """A template file: the user message as Jinja text, or YAML with `user` (and `system`)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"template file {path} does not exist")
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        spec = yaml.safe_load(text)
        if not isinstance(spec, dict) or "user" not in spec:
            raise ConfigError(f"{path}: a YAML template needs a 'user' key (and may have "
                              "'system')")
        unknown = sorted(set(spec) - {"user", "system"})
        if unknown:
            raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: system, user)")
        return PromptTemplate(spec["user"], spec.get("system"), name=str(path))
    return PromptTemplate(text, name=str(path))
