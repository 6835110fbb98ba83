"""Chunking: cut a document into overlapping pieces of at most N tokens.

Retrieval returns chunks, so a chunk should hold one coherent passage: small enough that its
embedding is about one thing, large enough to answer from. We cut along the text's own
structure, largest unit first:

    section (heading / page)  >  paragraph (blank line)  >  sentence  >  characters

A chunk never crosses a section, so it carries exactly one heading path and page. Inside a
section, whole sentences are packed greedily up to `max_tokens`; the next chunk starts with
the last sentences of the previous one (up to `overlap_tokens`), so a fact split by a cut is
whole in one of the two. Sentences end at `.!?` followed by space in English and at `。！？．`
(plus closing quotes) or a line break in Chinese, which has no spaces (an English line break
is often a hard wrap inside a sentence, so it is not an end). A sentence longer than a chunk
is cut at its Chinese clauses (`，；：、`), and only a clause longer than a chunk by characters.

Long narrative text has chapters but no markup: a line that is only a chapter title
(`第十三回 秦可卿死封龙禁尉…`, `Chapter 3. The Storm`) starts a new heading, carried by every
chunk that follows it, so the chunk from the middle of a chapter still names its chapter
(indexer.embedding_text puts the heading in front of the text that is embedded and indexed).

Test: `pytest tests/rag/test_chunking.py`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lmforge.rag.loaders import Document

# a sentence ends after . ! ? (then space), after 。！？． (then optional closing quotes), at a
# line break after a Chinese character or mark, or at a paragraph break
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？．])[”’」』）\"']*\s*"
                           r"|(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t\u3000]*\n\s*"
                           r"|\n\s*\n")
# Chinese clause marks only: an over-long English "sentence" is usually code or a list, whose
# commas are no better a cut than characters (and English chunks stay as they were measured)
_CLAUSE_END = re.compile(r"(?<=[，；：、])\s*")
# a line holding only a chapter title: 第…回/章/节/卷 + an optional title, or Chapter N
_CHAPTER_TITLE = re.compile(
    r"^[ \t\u3000]*(第[一二三四五六七八九十百千零〇两\d]+[回章节卷](?:[ \t\u3000]+[^\n]{1,60})?"
    r"|chapter[ \t]+[\divxlc]+\b[^\n]{0,60})[ \t\u3000]*$", re.M | re.I)

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
        return position(self.start, self.end, self.heading, self.page)


def position(start: int, end: int, heading: list[str], page: int | None) -> str:
    """Where a chunk sits, for citations: 'p. 3 · Intro > Setup · chars 120-480'."""
    parts = [f"p. {page}"] if page else []
    if heading:
        parts.append(" > ".join(heading))
    parts.append(f"chars {start}-{end}")
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
        for offset, end, title in chapters(section.text):
            text = section.text[offset:end]
            heading = list(section.heading) + ([title] if title else [])
            units = _units(text, count_tokens, max_tokens)
            for a, b in _pack(units, max_tokens, overlap_tokens):
                start, stop = units[a][0], units[b - 1][1]
                piece = text[start:stop].strip()
                if piece:
                    chunks.append(Chunk(piece, section.start + offset + start,
                                        section.start + offset + stop, heading, section.page))
    return chunks


def chapters(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, title) of the parts of `text` that chapter-title lines open; the text
    before the first title (or all of it, when there is none) has title None. A part starts
    after its title line: the title travels as a heading, not as text."""
    titles = list(_CHAPTER_TITLE.finditer(text))
    parts = [(0, titles[0].start() if titles else len(text), None)]
    for i, m in enumerate(titles):
        end = titles[i + 1].start() if i + 1 < len(titles) else len(text)
        parts.append((m.end(), end, " ".join(m.group(1).split())))
    return [(a, b, t) for a, b, t in parts if text[a:b].strip()]


def _units(text: str, count_tokens: TokenCounter, max_tokens: int) -> list[tuple[int, int, int]]:
    """(start, end, n_tokens) of each sentence; an over-long sentence is cut at its clauses,
    an over-long clause by characters."""
    spans = split_sentences(text)
    counts = count_tokens([text[a:b] for a, b in spans])
    units = []
    for (a, b), n in zip(spans, counts, strict=True):
        if n <= max_tokens:
            units.append((a, b, n))
            continue
        clauses = _split_at(_CLAUSE_END, text, a, b)
        for (ca, cb), cn in zip(clauses, count_tokens([text[x:y] for x, y in clauses]),
                                strict=True):
            units += [(ca, cb, cn)] if cn <= max_tokens else _by_characters(ca, cb, cn,
                                                                            max_tokens)
    return units


def _split_at(pattern: re.Pattern, text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of text[a:b] cut after each match of `pattern`, covering it whole."""
    spans, start = [], a
    for m in pattern.finditer(text, a, b):
        if a < m.end() < b and m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    return [*spans, (start, b)]


def _by_characters(a: int, b: int, n: int, max_tokens: int) -> list[tuple[int, int, int]]:
    pieces = -(-n // max_tokens) + 1  # a little extra room: token counts are not additive
    step = -(-(b - a) // pieces)
    return [(s, min(b, s + step), -(-n // pieces)) for s in range(a, b, step)]


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
