"""Train a tokenizer: byte-level BPE (GPT-2 style) or character-level (for teaching).

Byte-level BPE (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with
Subword Units"; byte-level as in GPT-2, Radford et al. 2019) starts from the 256 byte
values, so ANY UTF-8 text, Chinese or emoji included, encodes and decodes losslessly with
no unknown token; training then merges the most frequent adjacent pairs until the
vocabulary is full. The character-level tokenizer maps each character seen in training to
one id (unseen characters become `<|unk|>`): tiny, easy to read, and poor at compression.

Special tokens (`<|endoftext|>` ends a document, `<|im_start|>`/`<|im_end|>` frame chat
turns in ChatML, `<|pad|>` pads batches) get the first ids and are never split.

The saved folder holds `tokenizer.json` (the `tokenizers` format) and `tokenizer_config.json`
(what `transformers.AutoTokenizer` reads: eos/pad tokens and the ChatML chat template).

Run: `python -m lmforge.tokenizer.train SOURCE OUT_DIR [VOCAB_SIZE]`, e.g.
`python -m lmforge.tokenizer.train stdlib-docs runs/tok 4096`.
"""

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

from lmforge.atomic import atomic_dir
from lmforge.errors import ConfigError

NUM_BYTES = 256  # byte-level BPE's base alphabet: one symbol per byte value
DEFAULT_SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>")

# ChatML, as Qwen2 and SmolLM2 use it: <|im_start|>role\ncontent<|im_end|>\n per message.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


@dataclass
class TokenizerTrainSettings:
    """How to train a tokenizer."""

    vocab_size: int = 8192
    """Vocabulary size including special tokens (an upper bound for kind='char')."""
    kind: Literal["bpe", "char"] = "bpe"
    """'bpe' = byte-level BPE (lossless on any text); 'char' = one id per character."""
    special_tokens: tuple[str, ...] = DEFAULT_SPECIAL_TOKENS
    """Tokens never split, given the first ids, in this order."""
    min_frequency: int = 2
    """A merge (bpe) or character (char) must occur this often in training text to be kept."""
    held_out_fraction: float = 0.05
    """Share of each document's tail kept out of training to measure compression."""
    eos_token: str = "<|endoftext|>"
    """Document separator / end of sequence; must be one of special_tokens."""
    pad_token: str = "<|pad|>"
    """Padding token; must be one of special_tokens."""
    unk_token: str = "<|unk|>"
    """Stands for characters unseen in training (kind='char' only; BPE never needs it)."""

    def __post_init__(self) -> None:
        self.special_tokens = tuple(self.special_tokens)  # YAML gives lists
        if self.kind not in ("bpe", "char"):
            raise ConfigError(f"tokenizer kind must be 'bpe' or 'char', got {self.kind!r}")
        if not 0.0 <= self.held_out_fraction < 1.0:
            raise ConfigError(f"held_out_fraction must be in [0, 1), got {self.held_out_fraction}")
        if self.min_frequency < 1:
            raise ConfigError(f"min_frequency must be >= 1, got {self.min_frequency}")
        for name in ("eos_token", "pad_token"):
            if getattr(self, name) not in self.special_tokens:
                raise ConfigError(
                    f"{name} {getattr(self, name)!r} is not in special_tokens {self.special_tokens}"
                )
        if self.vocab_size < self.min_vocab_size:
            raise ConfigError(self._too_small_message())

    @property
    def min_vocab_size(self) -> int:
        """Smallest vocab that holds the specials plus the base alphabet (bytes, or one char)."""
        if self.kind == "bpe":
            return len(self.special_tokens) + NUM_BYTES
        return len(self.special_tokens) + 2  # unk + at least one character

    def _too_small_message(self) -> str:
        base = f"{NUM_BYTES} byte symbols" if self.kind == "bpe" else "<|unk|> + 1 character"
        return (
            f"vocab_size {self.vocab_size} is too small for {self.kind}: "
            f"{len(self.special_tokens)} special tokens + {base} need {self.min_vocab_size}"
        )


def train_tokenizer(texts: Iterable[str], settings: TokenizerTrainSettings) -> Tokenizer:
    """Train a tokenizer of `settings.kind` on `texts`."""
    if settings.kind == "bpe":
        return _train_bpe(texts, settings)
    return _train_char(texts, settings)


def _train_bpe(texts: Iterable[str], settings: TokenizerTrainSettings) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    # GPT-2's regex splits words, numbers and punctuation before BPE, so merges never
    # cross a word boundary; bytes are mapped to printable characters (Ġ for space).
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=settings.vocab_size,
        min_frequency=settings.min_frequency,
        special_tokens=list(settings.special_tokens),
        # All 256 bytes up front, even ones absent from training text: that is what makes
        # encoding lossless on any input.
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def _train_char(texts: Iterable[str], settings: TokenizerTrainSettings) -> Tokenizer:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text)
    for token in settings.special_tokens:
        counts.pop(token, None)  # a one-character special token keeps its special id
    room = settings.vocab_size - len(settings.special_tokens) - 1
    # Most frequent first (ties broken by the character) so a capped vocab keeps the common ones;
    # the kept characters are then sorted so ids follow code-point order.
    frequent = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = sorted(ch for ch, n in frequent[:room] if n >= settings.min_frequency)
    vocab_tokens = [*settings.special_tokens, settings.unk_token, *kept]
    vocab = {token: i for i, token in enumerate(vocab_tokens)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token=settings.unk_token))
    # Split into single characters ([\s\S] is any character, newlines included, which '.'
    # is not); the Fuse decoder joins them back with nothing in between.
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    tokenizer.add_special_tokens([*settings.special_tokens, settings.unk_token])
    return tokenizer


def compression_report(tokenizer: Tokenizer, texts: Sequence[str]) -> dict:
    """Bytes per token (UTF-8 bytes / tokens) on `texts`, and whether decoding is lossless.

    Higher bytes/token = better compression = more text per context window and per FLOP.
    """
    encodings = tokenizer.encode_batch(list(texts))
    num_tokens = sum(len(e.ids) for e in encodings)
    num_bytes = sum(len(t.encode("utf-8")) for t in texts)
    decoded = tokenizer.decode_batch([e.ids for e in encodings], skip_special_tokens=False)
    unk_id = tokenizer.token_to_id("<|unk|>")
    return {
        "documents": len(texts),
        "bytes": num_bytes,
        "tokens": num_tokens,
        "bytes_per_token": num_bytes / max(num_tokens, 1),
        "lossless": all(d == t for d, t in zip(decoded, texts, strict=True)),
        "unk_tokens": sum(e.ids.count(unk_id) for e in encodings) if unk_id is not None else 0,
    }


def save(
    tokenizer: Tokenizer,
    out_dir: str | Path,
    settings: TokenizerTrainSettings,
    report: dict | None = None,
) -> Path:
    """Write `tokenizer.json` + `tokenizer_config.json` (+ `train_report.json`) atomically."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        tokenizer.save(str(tmp / "tokenizer.json"))
        config = tokenizer_config(settings)
        (tmp / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
        if report is not None:
            (tmp / "train_report.json").write_text(json.dumps(report, indent=2) + "\n")
    return out_dir


def tokenizer_config(settings: TokenizerTrainSettings) -> dict:
    """The Hugging Face `tokenizer_config.json` for a tokenizer trained with `settings`."""
    has_chatml = {"<|im_start|>", "<|im_end|>"} <= set(settings.special_tokens)
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "eos_token": settings.eos_token,
        "bos_token": None,  # GPT-2 style: documents are separated by EOS, not started by BOS
        "pad_token": settings.pad_token,
        "unk_token": settings.unk_token if settings.kind == "char" else None,
        "chat_template": CHATML_TEMPLATE if has_chatml else None,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 1_000_000_000,  # the model's context, not the tokenizer, limits
    }


def train_tokenizer_from_files(
    paths: Iterable[str | Path], out_dir: str | Path, settings: TokenizerTrainSettings
) -> dict:
    """Read documents from `paths` (any `data.sources` source), train, save; return a report."""
    from lmforge.data.sources import read_documents

    documents = [doc for path in paths for doc in read_documents(path)]
    train_texts, held_out = split_held_out(documents, settings.held_out_fraction)
    start = time.perf_counter()
    tokenizer = train_tokenizer(train_texts, settings)
    seconds = time.perf_counter() - start
    report = {
        "settings": asdict(settings),
        "vocab_size": tokenizer.get_vocab_size(),
        "train_documents": len(train_texts),
        "train_bytes": sum(len(t.encode("utf-8")) for t in train_texts),
        "train_seconds": round(seconds, 3),
        "held_out": compression_report(tokenizer, held_out) if held_out else None,
    }
    save(tokenizer, out_dir, settings, report)
    return report


def split_held_out(documents: Sequence[str], fraction: float) -> tuple[list[str], list[str]]:
    """Hold out the last `fraction` of every document's characters.

    Cutting every document (rather than holding out whole documents) works the same for a
    corpus of one big file (tinyshakespeare) and for millions of short records.
    """
    train, held_out = [], []
    for doc in documents:
        cut = len(doc) - int(len(doc) * fraction)
        train.append(doc[:cut])
        if cut < len(doc):
            held_out.append(doc[cut:])
    return train, held_out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    vocab = int(sys.argv[3]) if len(sys.argv) > 3 else TokenizerTrainSettings.vocab_size
    result = train_tokenizer_from_files(
        [sys.argv[1]], sys.argv[2], TokenizerTrainSettings(vocab_size=vocab)
    )
    print(json.dumps({k: v for k, v in result.items() if k != "settings"}, indent=2))
