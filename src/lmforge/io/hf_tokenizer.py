"""Hugging Face tokenizer folders <-> `Tokenizer`.

A Hugging Face model folder describes its tokenizer in up to four files:

    tokenizer.json           the whole pipeline (normalizer, pre-tokenizer, model, decoder)
    tokenizer_config.json    named special tokens, add_bos_token/add_eos_token, chat_template
    special_tokens_map.json  older home of the named special tokens
    chat_template.jinja      newer home of the chat template

`load_hf_tokenizer` reads them as transformers does; `save_hf_tokenizer` writes a folder
that `transformers.AutoTokenizer.from_pretrained` loads into the same ids and prompts.
Test: `pytest tests/io/test_hf_tokenizer.py`.
"""

import json
import os
from pathlib import Path
from typing import Any

import tokenizers

from lmforge.atomic import write_text_atomic
from lmforge.errors import ModelFileError, ModelNotFoundError
from lmforge.tokenizer import Tokenizer, bos_eos_post_processor

NAMED_TOKENS = ("bos_token", "eos_token", "pad_token", "unk_token")


def load_hf_tokenizer(folder: str | os.PathLike) -> Tokenizer:
    """Build the tokenizer stored in a Hugging Face model folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelNotFoundError(f"tokenizer folder {folder} does not exist")
    backend = _read_backend(folder / "tokenizer.json")
    config = _read_json(folder / "tokenizer_config.json")
    # Older folders keep the named tokens here; tokenizer_config.json wins where both do.
    for name, value in _read_json(folder / "special_tokens_map.json").items():
        config.setdefault(name, value)
    named = {name: _token_content(config.get(name), name, folder) for name in NAMED_TOKENS}
    add_bos = bool(config.get("add_bos_token", False))
    add_eos = bool(config.get("add_eos_token", False))
    if ("add_bos_token" in config or "add_eos_token" in config) and not (add_bos or add_eos):
        # transformers rebuilds the post-processor whenever either flag is stated, so an
        # explicit "false, false" means "add nothing", even if tokenizer.json adds BOS.
        backend.post_processor = bos_eos_post_processor(None, None, None, None)
    return Tokenizer(
        backend,
        **named,
        chat_template=_read_chat_template(folder, config),
        add_bos=add_bos,
        add_eos=add_eos,
    )


def save_hf_tokenizer(tok: Tokenizer, folder: str | os.PathLike) -> None:
    """Write tokenizer.json, tokenizer_config.json and special_tokens_map.json into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    named = {
        "bos_token": tok.bos_token,
        "eos_token": tok.eos_token,
        "pad_token": tok.pad_token,
        "unk_token": tok.unk_token,
    }
    named = {k: v for k, v in named.items() if v is not None}
    config: dict[str, Any] = {"tokenizer_class": "PreTrainedTokenizerFast", **named}
    # Only stated when true: a stated flag makes transformers replace tokenizer.json's
    # post-processor, which would drop e.g. BERT's [CLS] ... [SEP].
    if tok.add_bos or tok.add_eos:
        config["add_bos_token"], config["add_eos_token"] = tok.add_bos, tok.add_eos
    if tok.chat_template is not None:
        config["chat_template"] = tok.chat_template
    write_text_atomic(folder / "tokenizer.json", tok.to_json())
    write_text_atomic(folder / "tokenizer_config.json", _dumps(config))
    write_text_atomic(folder / "special_tokens_map.json", _dumps(named))


def _read_backend(path: Path) -> tokenizers.Tokenizer:
    if not path.is_file():
        raise ModelFileError(f"{path} is missing: a Hugging Face tokenizer needs tokenizer.json")
    try:
        return tokenizers.Tokenizer.from_file(str(path))
    except Exception as e:  # the Rust parser raises a bare Exception
        raise ModelFileError(
            f"{path} is not a valid tokenizer.json (truncated or corrupt?): {e}"
        ) from e


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from an optional file; {} when the file is absent."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelFileError(f"{path} is not valid JSON: {e}") from e
    if not isinstance(data, dict):
        raise ModelFileError(f"{path} must hold a JSON object, got {type(data).__name__}")
    return data


def _token_content(value: Any, name: str, folder: Path) -> str | None:
    # Tokens are stored as plain strings or as AddedToken dicts {"content": ..., ...}.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        return value["content"]
    raise ModelFileError(f"{folder}: {name} must be a string or {{'content': ...}}, got {value!r}")


def _read_chat_template(folder: Path, config: dict[str, Any]) -> str | None:
    """chat_template.jinja if present, else tokenizer_config.json's chat_template."""
    jinja_file = folder / "chat_template.jinja"
    if jinja_file.is_file():
        return jinja_file.read_text(encoding="utf-8")
    template = config.get("chat_template")
    if template is None or isinstance(template, str):
        return template
    # Some models list named templates: [{"name": "default", "template": ...}, ...].
    if isinstance(template, list):
        by_name = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
        if "default" in by_name:
            return by_name["default"]
    raise ModelFileError(f"{folder}/tokenizer_config.json: chat_template has no usable template")


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
