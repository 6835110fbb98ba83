"""Token logprobs in OpenAI's two shapes (chat: per-token objects; completions: parallel
lists), with each token's text and its raw UTF-8 bytes.

A byte-level BPE token can hold half a character (one of the 3 bytes of a Chinese
character), so its text alone cannot rebuild the output; OpenAI adds `bytes`, which we
recover from the vocabulary entry through GPT-2's byte <-> printable-character table.

Test: `pytest tests/serve/test_openai_client.py -k logprobs`.
"""

import json

from lmforge.infer.sequence import TokenLogprob
from lmforge.tokenizer import Tokenizer
from lmforge.tokenizer.byte_table import unicode_to_byte


class TokenText:
    """Text and bytes of single tokens for one tokenizer (cached: the vocabulary is fixed)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        decoder = json.dumps(json.loads(tokenizer.backend.to_str()).get("decoder"))
        self.byte_level = '"ByteLevel"' in decoder
        self._cache: dict[int, tuple[str, list[int]]] = {}

    def __call__(self, token_id: int) -> tuple[str, list[int]]:
        hit = self._cache.get(token_id)
        if hit is None:
            hit = self._cache[token_id] = self._compute(token_id)
        return hit

    def _compute(self, token_id: int) -> tuple[str, list[int]]:
        if token_id in self.tokenizer.special_ids:
            text = self.tokenizer.id_to_token(token_id)
            return text, list(text.encode())
        if self.byte_level:
            piece = self.tokenizer.id_to_token(token_id)
            table = unicode_to_byte()
            if all(c in table for c in piece):
                raw = bytes(table[c] for c in piece)
                return raw.decode("utf-8", errors="replace"), list(raw)
        text = self.tokenizer.decode([token_id])
        return text, list(text.encode())


def chat_logprobs(records: list[TokenLogprob], text_of: TokenText) -> dict:
    """OpenAI chat shape: {"content": [{token, logprob, bytes, top_logprobs: [...]}]}."""
    content = []
    for record in records:
        token, raw = text_of(record.token_id)
        top = []
        for token_id, logprob in record.top:
            alt, alt_raw = text_of(token_id)
            top.append({"token": alt, "logprob": logprob, "bytes": alt_raw})
        content.append({"token": token, "logprob": record.logprob, "bytes": raw,
                        "top_logprobs": top})
    return {"content": content}


def completion_logprobs(records: list[TokenLogprob], text_of: TokenText, offset: int = 0
                        ) -> dict:
    """OpenAI completions shape: tokens, token_logprobs, top_logprobs (dicts), text_offset."""
    tokens, lps, tops, offsets = [], [], [], []
    for record in records:
        token, _ = text_of(record.token_id)
        tokens.append(token)
        lps.append(record.logprob)
        tops.append({text_of(t)[0]: lp for t, lp in record.top})
        offsets.append(offset)
        offset += len(token)
    return {"tokens": tokens, "token_logprobs": lps, "top_logprobs": tops,
            "text_offset": offsets}
