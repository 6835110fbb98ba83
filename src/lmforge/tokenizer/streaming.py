"""Incremental detokenization: turn a stream of token ids into a stream of text.

Two things make this harder than `decode([token_id])` per step:

1. Byte-level BPE tokens are bytes, not characters. An emoji (4 UTF-8 bytes) or a Chinese
   character (3 bytes) is often split across tokens, and decoding half of it yields U+FFFD.
   We hold back the undecodable tail until the next token completes it.
2. Decoders depend on neighbours (SentencePiece drops the first token's leading space,
   WordPiece glues "##ing" to the previous piece), so each token is decoded with a little
   context in front of it, and only the text beyond that context is new.

Re-decoding everything each step would cost O(sequence length) per token. Instead, like
vLLM's incremental detokenizer, we decode a small window: the tokens since the last clean
character boundary plus the tokens of the step before it as context. Old ids are dropped,
so memory and per-token work stay bounded however long the stream runs.

    decoder = StreamDecoder(tokenizer)
    for token_id in generated: print(decoder.push(token_id), end="")
    print(decoder.flush())

Test: `pytest tests/tokenizer/test_streaming.py`.
"""

from lmforge.tokenizer.tokenizer import Tokenizer

REPLACEMENT_CHAR = "\ufffd"  # what a decoder writes for incomplete or invalid UTF-8


class StreamDecoder:
    """Returns only newly completed text for each pushed id; never half a character.

    The concatenation of every `push` plus `flush` equals `tokenizer.decode(all_ids)`, less
    a character cut off at the very end (see `flush`): text never holds U+FFFD where the
    tokens joined are valid UTF-8, and never ends with a U+FFFD from a cut character.
    """

    def __init__(self, tokenizer: Tokenizer, skip_special: bool = True) -> None:
        self.tokenizer = tokenizer
        self.skip_special = skip_special
        # window[:read] is context whose text was already returned; window[read:] is pending.
        self.window: list[int] = []
        self._read = 0
        self._emitted = 0  # characters of decode(window) already returned

    def push(self, token_id: int) -> str:
        """Add one token id; return the text it completes (often '', sometimes several chars)."""
        self.window.append(token_id)
        text = self._decode(self.window)
        # A trailing U+FFFD is (usually) a character whose remaining bytes are still to come.
        complete = not text.endswith(REPLACEMENT_CHAR)
        end = len(text) if complete else len(text) - 1
        delta = text[self._emitted : end] if end > self._emitted else ""
        self._emitted = max(self._emitted, end)
        if complete:
            self._slide()
        return delta

    def flush(self) -> str:
        """Return whatever is still held back, except a character cut off at the very end.

        Generation that stops (max_tokens, the context end) between the bytes of one
        character leaves bytes that are no text; decoding them would end the reply with
        U+FFFD, so they are dropped. U+FFFD inside the text (bytes that are invalid
        whatever follows) stays, as `decode` writes it.
        """
        text = self._decode(self.window)
        end = len(text.rstrip(REPLACEMENT_CHAR))
        delta = text[self._emitted : end] if end > self._emitted else ""
        self._emitted = len(text)
        return delta

    def _slide(self) -> None:
        # All of window is now returned and ends on a character boundary. Keep only the
        # tokens after the previous boundary, as context for decoding the next ones.
        del self.window[: self._read]
        self._read = len(self.window)
        self._emitted = len(self._decode(self.window))

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special=self.skip_special)
