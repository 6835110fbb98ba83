"""Chat templates: turning a list of messages into the one string a chat model was trained on.

A chat model does not see "messages"; it sees text with role markers such as
`<|im_start|>user\\nHi<|im_end|>\\n`. Each model ships the Jinja2 program that writes those
markers (its *chat template*). We render it exactly as Hugging Face transformers does
(`apply_chat_template`), so prompts match what the model saw in training:

- a sandboxed, immutable Jinja2 environment, because templates come from downloaded files;
- `trim_blocks` and `lstrip_blocks`, so `{% ... %}` lines leave no stray newlines;
- the globals templates rely on: `raise_exception`, `strftime_now`, a JSON `tojson` filter,
  and the special-token variables (`bos_token`, `eos_token`, ...).

Models without a template get ChatML (`DEFAULT_CHAT_TEMPLATE`).
Test: `pytest tests/tokenizer/test_chat_template.py`.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from lmforge.errors import ConfigError

# ChatML (used by SmolLM2, Qwen2 and many others): each turn is wrapped in im_start/im_end.
DEFAULT_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def render_chat_template(
    template: str,
    messages: list[dict[str, Any]],
    *,
    add_generation_prompt: bool = True,
    special_tokens: Mapping[str, str | None] | None = None,
    tools: list[dict[str, Any]] | None = None,
    documents: list[dict[str, Any]] | None = None,
    **kwargs: Any,
) -> str:
    """Render `messages` with a Hugging Face style chat template.

    `special_tokens` maps variable names (`bos_token`, `eos_token`, ...) to token strings;
    extra `kwargs` (e.g. `enable_thinking`) reach the template and override them.
    """
    messages = validate_messages(messages)
    compiled = compile_chat_template(template)
    variables = {k: v for k, v in (special_tokens or {}).items() if v is not None}
    variables.update(kwargs)
    try:
        return compiled.render(
            messages=messages,
            tools=tools,
            documents=documents,
            add_generation_prompt=add_generation_prompt,
            **variables,
        )
    except jinja2.exceptions.SecurityError as e:
        raise ConfigError(f"chat template tried an unsafe operation and was stopped: {e}") from e
    except jinja2.exceptions.TemplateError as e:
        raise ConfigError(f"chat template failed to render: {e}") from e
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise ConfigError(f"chat template failed to render: {type(e).__name__}: {e}") from e


def validate_messages(messages: Any) -> list[dict[str, Any]]:
    """Check that `messages` is a list of {"role": str, "content": ...} dicts.

    Returns a shallow copy with None-valued keys dropped, as transformers does: APIs such as
    OpenAI's send `content=None` next to `tool_calls`, and templates test for a missing key.
    """
    if not isinstance(messages, list | tuple):
        raise ConfigError(f"chat messages must be a list of dicts, got {type(messages).__name__}")
    if not messages:
        raise ConfigError("chat messages are empty: give at least one message")
    cleaned = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise ConfigError(f"chat message {i} must be a dict, got {type(message).__name__}")
        if not isinstance(message.get("role"), str):
            raise ConfigError(
                f"chat message {i} needs a string 'role', got {message.get('role')!r}"
            )
        content = message.get("content")
        # Assistant turns that only call tools may carry no content.
        if content is None and "tool_calls" not in message:
            raise ConfigError(f"chat message {i} ({message['role']}) has no 'content'")
        if content is not None and not isinstance(content, str | list):
            raise ConfigError(
                f"chat message {i} 'content' must be a string or a list of content parts, "
                f"got {type(content).__name__}"
            )
        cleaned.append({k: v for k, v in message.items() if v is not None})
    return cleaned


@lru_cache(maxsize=32)
def compile_chat_template(template: str) -> jinja2.Template:
    """Compile a template once (cached); a syntax error becomes a ConfigError with its line."""
    if not isinstance(template, str):
        raise ConfigError(f"chat template must be a string, got {type(template).__name__}")
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    env.globals["namespace"] = _TemplateNamespace
    try:
        return env.from_string(template)
    except jinja2.exceptions.TemplateSyntaxError as e:
        raise ConfigError(
            f"chat template has a syntax error at line {e.lineno}: {e.message}"
        ) from e


def _raise_exception(message: str) -> None:
    # Templates call this to reject a conversation, e.g. "roles must alternate".
    raise jinja2.exceptions.TemplateError(message)


def _tojson(
    x: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    # Jinja's own tojson escapes <, >, & for HTML; chat templates want plain JSON.
    return json.dumps(
        x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def _strftime_now(fmt: str) -> str:
    # Llama 3 style templates write today's date into the system prompt.
    return datetime.now().strftime(fmt)


class _TemplateNamespace(jinja2.utils.Namespace):
    """`namespace(...)` that refuses underscore names, so a template cannot reach dunders."""

    def __init__(*args: Any, **kwargs: Any) -> None:  # noqa: N805 - mirrors jinja's signature
        self, args = args[0], args[1:]
        attrs = dict(*args, **kwargs)
        for name in attrs:
            _check_namespace_name(name)
        jinja2.utils.Namespace.__init__(self, attrs)

    def __setitem__(self, name: str, value: Any) -> None:
        _check_namespace_name(name)
        jinja2.utils.Namespace.__setitem__(self, name, value)


def _check_namespace_name(name: Any) -> None:
    if isinstance(name, str) and name.startswith("_"):
        raise jinja2.exceptions.SecurityError(
            f"chat templates cannot set underscore attributes on a namespace: {name!r}"
        )
