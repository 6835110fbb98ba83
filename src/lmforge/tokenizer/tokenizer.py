"""Tokenizer: text <-> token ids, the model's only view of language.

A thin, explicit wrapper over a Hugging Face `tokenizers.Tokenizer` (Rust, fast), which does
the real work: normalise, pre-tokenize (split into words/bytes), apply the model
(byte-level BPE merges or WordPiece), post-process (add BOS/EOS or [CLS]/[SEP]), decode.
This class adds what an LLM stack needs around it:

- the named special tokens (bos/eos/pad/unk) as ids, and `stop_ids`: every token that
  ends a turn, so generation stops at `<|im_end|>` as well as at EOS;
- `parse_special`: rendered chat templates must turn "<|im_start|>" into its single id,
  while untrusted user text must not be able to forge one;
- chat rendering (`render_chat`, `encode_chat`) through `chat_template.py`;
- errors that name the problem instead of a panic from Rust.

Build one from files with `lmforge.io.hf_tokenizer.load_hf_tokenizer` or
`lmforge.io.gguf_tokenizer.tokenizer_from_gguf_metadata`.
Test: `pytest tests/tokenizer/test_tokenizer.py`.
"""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import tokenizers
from tokenizers import AddedToken, processors

from lmforge.errors import ConfigError
from lmforge.tokenizer.chat_template import DEFAULT_CHAT_TEMPLATE, render_chat_template

# Tokens that end an assistant turn in common chat formats (ChatML, Llama 3, GPT-2, Gemma, ...).
END_OF_TURN_TOKENS = (
    "<|im_end|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<|endoftext|>",
    "<end_of_turn>",
    "<|end|>",
    "<|eom_id|>",
    "</s>",
)


class Tokenizer:
    """Encode and decode text for one model; see the module docstring.

    The tokenizer takes ownership of `backend`: the named special tokens are registered as
    special added tokens (so they always match whole), and when `add_bos`/`add_eos` is set
    the backend's post-processor is replaced by one that adds them.
    """

    def __init__(
        self,
        backend: tokenizers.Tokenizer,
        *,
        bos_token: str | None = None,
        eos_token: str | None = None,
        pad_token: str | None = None,
        unk_token: str | None = None,
        chat_template: str | None = None,
        add_bos: bool = False,
        add_eos: bool = False,
        stop_tokens: Sequence[str] = (),
    ) -> None:
        if not isinstance(backend, tokenizers.Tokenizer):
            raise TypeError(f"backend must be a tokenizers.Tokenizer, got {type(backend).__name__}")
        # padding and truncation are the caller's policy, not the vocabulary's: a
        # tokenizer.json saved with them on (MiniLM pads to 128) must not pad every encode
        backend.no_padding()
        backend.no_truncation()
        self.backend = backend
        self.bos_token, self.eos_token = bos_token, eos_token
        self.pad_token, self.unk_token = pad_token, unk_token
        self.chat_template = chat_template
        self.add_bos, self.add_eos = add_bos, add_eos
        self.bos_id = self._named_id("bos_token", bos_token)
        self.eos_id = self._named_id("eos_token", eos_token)
        self.pad_id = self._named_id("pad_token", pad_token)
        self.unk_id = self._named_id("unk_token", unk_token)
        self._register_named_specials()
        if add_bos and self.bos_id is None:
            raise ConfigError("add_bos is set but the tokenizer has no bos_token")
        if add_eos and self.eos_id is None:
            raise ConfigError("add_eos is set but the tokenizer has no eos_token")
        if add_bos or add_eos:
            backend.post_processor = bos_eos_post_processor(
                bos_token if add_bos else None,
                self.bos_id,
                eos_token if add_eos else None,
                self.eos_id,
            )
        self.vocab_size: int = backend.get_vocab_size(with_added_tokens=True)
        self.special_ids = self._collect_special_ids()
        self.stop_ids = self._collect_stop_ids(stop_tokens)

    # ---- construction helpers -------------------------------------------------------------

    def _register_named_specials(self) -> None:
        # transformers does the same: named special tokens are always matched whole in text.
        added = {t.content for t in self.backend.get_added_tokens_decoder().values()}
        named = [self.bos_token, self.eos_token, self.pad_token, self.unk_token]
        missing = [t for t in dict.fromkeys(named) if t is not None and t not in added]
        if missing:
            self.backend.add_special_tokens(
                [AddedToken(t, special=True, normalized=False) for t in missing]
            )

    def _named_id(self, name: str, token: str | None) -> int | None:
        if token is None:
            return None
        token_id = self.backend.token_to_id(token)
        if token_id is None:
            raise ConfigError(f"{name} {token!r} is not in the tokenizer's vocabulary")
        return token_id

    def _collect_special_ids(self) -> frozenset[int]:
        added = self.backend.get_added_tokens_decoder()
        ids = {i for i, t in added.items() if t.special}
        ids |= {i for i in (self.bos_id, self.eos_id, self.pad_id, self.unk_id) if i is not None}
        return frozenset(ids)

    def _collect_stop_ids(self, stop_tokens: Sequence[str]) -> frozenset[int]:
        ids = {self.eos_id} if self.eos_id is not None else set()
        # End-of-turn markers count only when they are special tokens: a plain-text "</s>"
        # piece in some vocabulary must not stop generation.
        for token in END_OF_TURN_TOKENS:
            token_id = self.backend.token_to_id(token)
            if token_id is not None and token_id in self.special_ids:
                ids.add(token_id)
        for token in stop_tokens:
            token_id = self.backend.token_to_id(token)
            if token_id is None:
                raise ConfigError(f"stop token {token!r} is not in the tokenizer's vocabulary")
            ids.add(token_id)
        return frozenset(ids)

    @cached_property
    def _plain_backend(self) -> tokenizers.Tokenizer:
        # A copy that reads special-token strings as ordinary text. A separate object (not a
        # flag flipped on `backend`) keeps concurrent encode calls from seeing each other.
        plain = tokenizers.Tokenizer.from_str(self.backend.to_str())
        plain.encode_special_tokens = True
        return plain

    # ---- encode ---------------------------------------------------------------------------

    def encode(
        self, text: str, *, add_special: bool = False, parse_special: bool = True
    ) -> list[int]:
        """Token ids for `text`.

        add_special: add what the model adds around a sequence (BOS/EOS, or [CLS] ... [SEP]).
        parse_special: True turns special-token strings in `text` into their ids (rendered
        chat templates); False tokenizes them as plain text (untrusted user text).
        """
        _check_text(text, "text")
        backend = self.backend if parse_special else self._plain_backend
        return backend.encode(text, add_special_tokens=add_special).ids

    def encode_batch(self, texts: list[str], *, add_special: bool = False) -> list[list[int]]:
        """Encode many texts at once (parallel in Rust); special-token strings are parsed."""
        if not isinstance(texts, list | tuple):
            raise TypeError(f"texts must be a list of str, got {type(texts).__name__}")
        for i, text in enumerate(texts):
            _check_text(text, f"texts[{i}]")
        encodings = self.backend.encode_batch(list(texts), add_special_tokens=add_special)
        return [e.ids for e in encodings]

    # ---- decode ---------------------------------------------------------------------------

    def decode(self, ids: Sequence[int], *, skip_special: bool = False) -> str:
        """Text for `ids`; byte sequences that are not valid UTF-8 become U+FFFD."""
        return self.backend.decode(self._check_ids(ids), skip_special_tokens=skip_special)

    def id_to_token(self, i: int) -> str:
        """The vocabulary entry for id `i` (byte-level BPE spells a space as 'Ġ')."""
        return self.backend.id_to_token(self._check_ids([i])[0])

    def token_to_id(self, t: str) -> int | None:
        """The id of vocabulary entry `t`, or None when it is not in the vocabulary."""
        _check_text(t, "token")
        return self.backend.token_to_id(t)

    def tokens(self, ids: Sequence[int]) -> list[str]:
        """Vocabulary entries for `ids`, for inspecting how text was split."""
        return [self.backend.id_to_token(i) for i in self._check_ids(ids)]

    def _check_ids(self, ids: Sequence[int]) -> list[int]:
        if hasattr(ids, "tolist"):  # numpy arrays and torch tensors
            ids = ids.tolist()
        if isinstance(ids, str | bytes) or not hasattr(ids, "__iter__"):
            raise TypeError(f"token ids must be a sequence of ints, got {type(ids).__name__}")
        checked = list(ids)
        for i in checked:
            if isinstance(i, bool) or not isinstance(i, int):
                raise TypeError(f"token ids must be ints, got {type(i).__name__} ({i!r})")
            if not 0 <= i < self.vocab_size:
                raise ValueError(f"token id {i} is out of range for vocab size {self.vocab_size}")
        return checked

    # ---- chat -----------------------------------------------------------------------------

    def render_chat(
        self, messages: list[dict[str, Any]], *, add_generation_prompt: bool = True, **kwargs: Any
    ) -> str:
        """The prompt text for `messages`, from the model's chat template (ChatML if none)."""
        special = {
            "bos_token": self.bos_token,
            "eos_token": self.eos_token,
            "unk_token": self.unk_token,
            "pad_token": self.pad_token,
        }
        return render_chat_template(
            self.chat_template or DEFAULT_CHAT_TEMPLATE,
            messages,
            add_generation_prompt=add_generation_prompt,
            special_tokens=special,
            **kwargs,
        )

    def encode_chat(
        self, messages: list[dict[str, Any]], *, add_generation_prompt: bool = True, **kwargs: Any
    ) -> list[int]:
        """Render `messages` and encode the result, parsing the template's special tokens.

        The template writes its own BOS where the model wants one; BOS is only added here when
        the model adds BOS (`add_bos`) and the rendered text does not start with it.
        """
        text = self.render_chat(messages, add_generation_prompt=add_generation_prompt, **kwargs)
        ids = self.backend.encode(text, add_special_tokens=False).ids
        if self.add_bos and self.bos_id is not None and ids[:1] != [self.bos_id]:
            ids = [self.bos_id, *ids]
        return ids

    # ---- export ---------------------------------------------------------------------------

    def to_json(self) -> str:
        """The backend as `tokenizer.json` text."""
        return self.backend.to_str()

    def __len__(self) -> int:
        return self.vocab_size

    def __repr__(self) -> str:
        model = type(self.backend.model).__name__
        return (
            f"Tokenizer({model}, vocab_size={self.vocab_size}, "
            f"bos={self.bos_token!r}, eos={self.eos_token!r})"
        )


def bos_eos_post_processor(
    bos_token: str | None, bos_id: int | None, eos_token: str | None, eos_id: int | None
) -> processors.TemplateProcessing:
    """A post-processor that puts BOS before and/or EOS after each sequence (None = skip).

    This is the same template transformers builds from `add_bos_token`/`add_eos_token`, so a
    saved tokenizer adds exactly what ours adds.
    """
    single = "$A:0"
    pair = "$B:1"
    special: list[tuple[str, int]] = []
    if bos_token is not None and bos_id is not None:
        single, pair = f"{bos_token}:0 {single}", f"{bos_token}:1 {pair}"
        special.append((bos_token, bos_id))
    if eos_token is not None and eos_id is not None:
        single, pair = f"{single} {eos_token}:0", f"{pair} {eos_token}:1"
        special.append((eos_token, eos_id))
    return processors.TemplateProcessing(
        single=single, pair=f"{single} {pair}", special_tokens=special
    )


def _check_text(text: Any, name: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
