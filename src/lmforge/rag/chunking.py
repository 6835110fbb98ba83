"""Chunking: cut a document into overlapping pieces of at most N tokens.

Retrieval returns chunks, so a chunk should hold one coherent passage: small enough that its
embedding is about one thing, large enough to answer from. We cut along the text's own
structure, largest unit first:

    section (heading / page)  >  paragraph (blank line)  >  sentence  >  characters

A chunk never crosses a section, so it carries exactly one heading path and page. Inside a
section, whole sentences are packed greedily up to `max_tokens`; the next chunk starts with
the last sentences of the previous one (up to `overlap_tokens`), so a fact split by a cut is
whole in one of the two. Sentences end at `.!?` followed by space in English and at `。！？`
(plus closing quotes) in Chinese, which has no spaces. A sentence longer than a chunk is cut
by characters.

Test: `pytest tests/rag/test_chunking.py`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lmforge.rag.loaders import Document

# a sentence ends after . ! ? (then space) or 。！？ (then optional closing quotes),
# or at a paragraph break
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？])[”’」』）]*\s*|\n\s*\n")

TokenCounter = Callable[[list[str]], list[int]]


@dataclass
class Chunk:
    text: str
    start: int
    """Character offset of the chunk in its document's text."""
    end: int
    heading: list[str] = field(default_factory=list)
    page: int | None = None

    @property
    def position(self) -> str:
        """Where the chunk sits, for citations: 'p. 3 · Intro > Setup · chars 120-480'."""
        parts = [f"p. {self.page}"] if self.page else []
        if self.heading:
            parts.append(" > ".join(self.heading))
        parts.append(f"chars {self.start}-{self.end}")
        return " · ".join(parts)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of `text`, covering it whole."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def chunk_document(doc: Document, count_tokens: TokenCounter, *, max_tokens: int = 200,
                   overlap_tokens: int = 40) -> list[Chunk]:
    """All chunks of `doc`, in order; see the module docstring."""
    if max_tokens < 8 or not 0 <= overlap_tokens < max_tokens // 2:
        raise ValueError(f"chunking needs max_tokens >= 8 and 0 <= overlap < max_tokens/2, "
                         f"got max_tokens={max_tokens}, overlap_tokens={overlap_tokens}")
    chunks = []
    for section in doc.sections:
        units = _units(section.text, count_tokens, max_tokens)
        for a, b in _pack(units, max_tokens, overlap_tokens):
            start, end = units[a][0], units[b - 1][1]
            text = section.text[start:end].strip()
            if text:
                chunks.append(Chunk(text, section.start + start, section.start + end,
                                    list(section.heading), section.page))
    return chunks


def _units(text: str, count_tokens: TokenCounter, max_tokens: int) -> list[tuple[int, int, int]]:
    """(start, end, n_tokens) of each sentence, with over-long sentences cut by characters."""
    spans = split_sentences(text)
    counts = count_tokens([text[a:b] for a, b in spans])
    units = []
    for (a, b), n in zip(spans, counts, strict=True):
        if n <= max_tokens:
            units.append((a, b, n))
            continue
        pieces = -(-n // max_tokens) + 1  # a little extra room: token counts are not additive
        step = -(-(b - a) // pieces)
        for s in range(a, b, step):
            units.append((s, min(b, s + step), -(-n // pieces)))
    return units


def _pack(units: list[tuple[int, int, int]], max_tokens: int,
          overlap_tokens: int) -> list[tuple[int, int]]:
    """Greedy packing of units into [a, b) index ranges with a sentence-level overlap."""
    ranges, a = [], 0
    while a < len(units):
        b, total = a, 0
        while b < len(units) and (b == a or total + units[b][2] <= max_tokens):
            total += units[b][2]
            b += 1
        ranges.append((a, b))
        if b == len(units):
            break
        # step back over the last sentences worth <= overlap_tokens, but always move forward
        next_a, carried = b, 0
        while next_a - 1 > a and carried + units[next_a - 1][2] <= overlap_tokens:
            next_a -= 1
            carried += units[next_a][2]
        a = next_a
    return ranges
