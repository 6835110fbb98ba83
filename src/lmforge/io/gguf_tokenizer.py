"""The tokenizer stored inside a GGUF file, built into a `Tokenizer` (and written back).

A GGUF carries no `tokenizer.json`. llama.cpp stores the vocabulary as metadata instead:
`tokenizer.ggml.tokens` (in id order), `.merges` ("a b" strings, best first), `.token_type`
(1 normal, 3 control, 4 user-defined, 6 byte), the special-token ids and `.add_bos_token`,
plus `tokenizer.ggml.pre`, the name of the regex that splits text into words before BPE.
We rebuild the same pipeline transformers builds for these files, so ids match exactly:

    model "gpt2"  (GPT-2, SmolLM2, Qwen2, Llama 3): byte-level BPE, a split regex by `pre`
    model "llama" (Llama 2, Mistral, TinyLlama):   SentencePiece-style BPE with byte fallback

Test: `pytest tests/io/test_gguf_tokenizer.py`.
"""

import json
from typing import Any

import tokenizers
from tokenizers import AddedToken, Regex, decoders, models, pre_tokenizers

from lmforge.errors import ConfigError, ModelFileError
from lmforge.tokenizer import Tokenizer
from lmforge.tokenizer.byte_table import byte_to_unicode

TOKEN_TYPE_NORMAL, TOKEN_TYPE_CONTROL, TOKEN_TYPE_USER_DEFINED = 1, 3, 4

# Split regexes named by `tokenizer.ggml.pre`, the patterns each vocabulary's merges were
# learned on. Unlisted names (e.g. "gpt-2", "smollm", "default") use GPT-2's own regex.
_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# The first name of each regex is llama.cpp's own, the one we write when exporting.
PRE_TOKENIZER_SPLITS = {
    "llama-bpe": _LLAMA3_SPLIT,
    "llama3": _LLAMA3_SPLIT,
    "llama-v3": _LLAMA3_SPLIT,
    "smaug-bpe": _LLAMA3_SPLIT,
    "falcon3": _LLAMA3_SPLIT,
    "qwen2": _QWEN2_SPLIT,
    "deepseek-r1-qwen": _QWEN2_SPLIT,
}
GPT2_PRE = "gpt-2"  # llama.cpp's name for GPT-2's regex, written when we export

SUPPORTED_MODELS = ("gpt2", "llama")


def tokenizer_from_gguf_metadata(meta: dict[str, Any]) -> Tokenizer:
    """Build the tokenizer a GGUF's metadata describes."""
    kind = meta.get("tokenizer.ggml.model")
    if kind not in SUPPORTED_MODELS:
        raise ModelFileError(
            f"GGUF tokenizer.ggml.model {kind!r} is not supported; lmforge reads "
            f"{', '.join(SUPPORTED_MODELS)}"
        )
    tokens = _required_list(meta, "tokenizer.ggml.tokens")
    token_types = meta.get("tokenizer.ggml.token_type") or [TOKEN_TYPE_NORMAL] * len(tokens)
    if len(token_types) != len(tokens):
        raise ModelFileError(
            f"GGUF tokenizer.ggml.token_type has {len(token_types)} entries "
            f"but tokenizer.ggml.tokens has {len(tokens)}"
        )
    if kind == "gpt2":
        backend = _byte_level_bpe(tokens, _required_list(meta, "tokenizer.ggml.merges"), meta)
    else:
        backend = _sentencepiece_bpe(tokens, meta)
    _add_special_tokens(backend, tokens, token_types, byte_level=kind == "gpt2")
    # llama.cpp adds BOS to SentencePiece vocabularies unless the file says otherwise.
    add_bos = bool(meta.get("tokenizer.ggml.add_bos_token", kind == "llama"))
    return Tokenizer(
        backend,
        bos_token=_special(meta, tokens, "bos_token_id"),
        eos_token=_special(meta, tokens, "eos_token_id"),
        pad_token=_special(meta, tokens, "padding_token_id"),
        unk_token=_special(meta, tokens, "unknown_token_id"),
        chat_template=meta.get("tokenizer.chat_template"),
        add_bos=add_bos,
        add_eos=bool(meta.get("tokenizer.ggml.add_eos_token", False)),
    )


def _byte_level_bpe(
    tokens: list[str], merges: list[str], meta: dict[str, Any]
) -> tokenizers.Tokenizer:
    """GPT-2 style BPE over bytes: every byte is spelled as one printable character."""
    alphabet = set(pre_tokenizers.ByteLevel.alphabet())  # built once: 49k tokens check it
    byte_spelling = byte_to_unicode()
    # A token outside the byte alphabet (a mislabelled added token with a real space, say)
    # is respelled through its UTF-8 bytes, as transformers does.
    vocab = {
        t if alphabet.issuperset(t) else "".join(byte_spelling[b] for b in t.encode()): i
        for i, t in enumerate(tokens)
    }
    pairs = [_split_merge(m) for m in merges]
    backend = tokenizers.Tokenizer(
        models.BPE(
            vocab=vocab,
            merges=pairs,
            fuse_unk=False,
            continuing_subword_prefix="",
            end_of_word_suffix="",
        )
    )
    split = PRE_TOKENIZER_SPLITS.get(meta.get("tokenizer.ggml.pre", ""))
    if split is None:
        backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        backend.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(split), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    backend.decoder = decoders.ByteLevel()
    return backend


def _sentencepiece_bpe(tokens: list[str], meta: dict[str, Any]) -> tokenizers.Tokenizer:
    """Llama-2 style BPE: '▁' marks a word start, unknown bytes fall back to <0xNN> tokens."""
    vocab = {t: i for i, t in enumerate(tokens)}
    if "tokenizer.ggml.merges" in meta:
        pairs = [_split_merge(m) for m in meta["tokenizer.ggml.merges"]]
    else:
        pairs = _merges_from_scores(vocab, _required_list(meta, "tokenizer.ggml.scores"))
    backend = tokenizers.Tokenizer(
        models.BPE(vocab=vocab, merges=pairs, fuse_unk=True, byte_fallback=True)
    )
    # SentencePiece writes a space before the text ("hi" -> "▁hi") unless the file says not to;
    # the decoder then strips that one space again.
    add_space_prefix = bool(meta.get("tokenizer.ggml.add_space_prefix", True))
    backend.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="first" if add_space_prefix else "never", split=False
    )
    steps = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    if add_space_prefix:
        steps.append(decoders.Strip(content=" ", left=1))
    backend.decoder = decoders.Sequence(steps)
    return backend


def _merges_from_scores(vocab: dict[str, int], scores: list[float]) -> list[tuple[str, str]]:
    """Recover BPE merges from SentencePiece scores: a token made of two vocabulary pieces
    is the merge of those pieces, ranked by the token's score (higher merges first).

    Ties are broken as transformers' `generate_merges` breaks them, so ids agree.
    """
    merges = []
    for token, token_id in vocab.items():
        pieces = [
            (token[:cut], token[cut:])
            for cut in range(1, len(token))
            if token[:cut] in vocab and token[cut:] in vocab
        ]
        pieces.sort(key=lambda p: (vocab[p[0]], vocab[p[1]]))
        merges += [(left, right, scores[token_id]) for left, right in pieces]
    merges.sort(key=lambda m: (m[2], len(m[0]), len(m[1])), reverse=True)
    return [(left, right) for left, right, _ in merges]


def _add_special_tokens(
    backend: tokenizers.Tokenizer, tokens: list[str], token_types: list[int], *, byte_level: bool
) -> None:
    """Control tokens (type 3) become special added tokens, user-defined (4) plain added ones,
    so both are matched whole in text instead of being cut into pieces."""
    alphabet = set(pre_tokenizers.ByteLevel.alphabet())
    control = [
        AddedToken(t, special=True, normalized=False)
        for t, kind in zip(tokens, token_types, strict=True)
        # A byte-level "control" token outside the byte alphabet is a llama.cpp mislabel.
        if kind == TOKEN_TYPE_CONTROL and (not byte_level or set(t) <= alphabet)
    ]
    user = [
        AddedToken(t, special=False, normalized=False)
        for t, kind in zip(tokens, token_types, strict=True)
        if kind == TOKEN_TYPE_USER_DEFINED and backend.token_to_id(t) is not None
    ]
    if control:
        backend.add_special_tokens(control)
    if user:
        backend.add_tokens(user)


def tokenizer_to_gguf_metadata(tok: Tokenizer) -> dict[str, Any]:
    """The `tokenizer.*` GGUF fields llama.cpp needs to load `tok` (byte-level BPE only)."""
    spec = json.loads(tok.to_json())
    model = spec["model"]
    if model.get("type") != "BPE" or not _is_byte_level(spec):
        raise ConfigError(
            f"GGUF export supports byte-level BPE tokenizers only, got a {model.get('type')} "
            "tokenizer without a ByteLevel pre-tokenizer"
        )
    tokens = [tok.backend.id_to_token(i) for i in range(tok.vocab_size)]
    if any(t is None for t in tokens):
        raise ConfigError("tokenizer ids are not contiguous; cannot write tokenizer.ggml.tokens")
    added = tok.backend.get_added_tokens_decoder()
    token_types = [TOKEN_TYPE_NORMAL] * len(tokens)
    for i, added_token in added.items():
        token_types[i] = TOKEN_TYPE_CONTROL if added_token.special else TOKEN_TYPE_USER_DEFINED
    meta: dict[str, Any] = {
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": _pre_name(spec),
        "tokenizer.ggml.tokens": tokens,
        "tokenizer.ggml.token_type": token_types,
        "tokenizer.ggml.merges": [
            m if isinstance(m, str) else " ".join(m) for m in model["merges"]
        ],
        "tokenizer.ggml.add_bos_token": tok.add_bos,
        "tokenizer.ggml.add_eos_token": tok.add_eos,
    }
    for key, token_id in [
        ("bos_token_id", tok.bos_id),
        ("eos_token_id", tok.eos_id),
        ("padding_token_id", tok.pad_id),
        ("unknown_token_id", tok.unk_id),
    ]:
        if token_id is not None:
            meta[f"tokenizer.ggml.{key}"] = token_id
    if tok.chat_template is not None:
        meta["tokenizer.chat_template"] = tok.chat_template
    return meta


def _is_byte_level(spec: dict[str, Any]) -> bool:
    pre = spec.get("pre_tokenizer") or {}
    parts = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    return any(p.get("type") == "ByteLevel" for p in parts)


def _pre_name(spec: dict[str, Any]) -> str:
    """The llama.cpp name of the split regex this tokenizer uses."""
    pre = spec["pre_tokenizer"]
    if pre["type"] == "ByteLevel" and pre.get("use_regex", True):
        return GPT2_PRE
    for part in pre.get("pretokenizers", []):
        if part.get("type") == "Split":
            regex = part["pattern"].get("Regex")
            for name, split in PRE_TOKENIZER_SPLITS.items():
                if split == regex:
                    return name
            raise ConfigError(f"no llama.cpp pre-tokenizer name is known for split regex {regex!r}")
    raise ConfigError(
        "cannot tell which llama.cpp pre-tokenizer this tokenizer's splitting matches"
    )


def _required_list(meta: dict[str, Any], key: str) -> list[Any]:
    value = meta.get(key)
    if not isinstance(value, list) or not value:
        raise ModelFileError(
            f"GGUF metadata lacks {key} (or it is empty); cannot build the tokenizer"
        )
    return value


def _special(meta: dict[str, Any], tokens: list[str], key: str) -> str | None:
    token_id = meta.get(f"tokenizer.ggml.{key}")
    if token_id is None:
        return None
    if not 0 <= token_id < len(tokens):
        raise ModelFileError(
            f"GGUF tokenizer.ggml.{key} is {token_id}, outside the vocabulary of {len(tokens)}"
        )
    return tokens[token_id]


def _split_merge(merge: str) -> tuple[str, str]:
    left, sep, right = merge.partition(" ")
    if not sep:
        raise ModelFileError(f"GGUF tokenizer.ggml.merges entry {merge!r} is not 'left right'")
    return left, right
