"""Document loaders: plain text, Markdown, HTML and PDF into sections with positions.

A `Document` is its path plus a list of `Section`s; each section is a run of text under one
heading path (Markdown/HTML headings) on one page (PDF), with the character offset where it
starts in the document's text. Chunking (`chunking.py`) cuts sections into token-sized
pieces and keeps those positions, so an answer's citation can point back to the file, page,
heading and characters it came from.

HTML keeps the main text: navigation, headers, footers, asides, scripts and styles are
dropped. PDF text comes from `pypdf`, page by page; a PDF without a text layer (a scan) is
an error, not an empty index entry.

Test: `pytest tests/rag/test_loaders.py`.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from lmforge.errors import DataError

TEXT_SUFFIXES = {".txt", ".text", ".rst", ".py", ".csv", ".log", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


@dataclass
class Section:
    """A run of text under one heading path, on one page, starting at `start` chars."""

    text: str
    heading: list[str] = field(default_factory=list)
    """Headings from the top level down to this section (empty for plain text)."""
    page: int | None = None
    """1-based page number (PDF only)."""
    start: int = 0
    """Character offset of this section in the document's full text."""


@dataclass
class Document:
    path: str
    sections: list[Section]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sections)


def load_document(path: str | Path) -> Document:
    """Read one file into a Document; DataError names the file when it cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        sections = _pdf_sections(path)
    else:
        text = _read_text(path)
        if suffix in MARKDOWN_SUFFIXES:
            sections = markdown_sections(text)
        elif suffix in HTML_SUFFIXES:
            sections = html_sections(text)
        else:
            sections = [Section(text)]
    sections = _with_offsets([s for s in sections if s.text.strip()])
    if not sections:
        raise DataError(f"{path}: no text to index (the file is empty or only whitespace)")
    return Document(str(path), sections)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read the file ({e.strerror or e})") from e
    if b"\x00" in data[:8192]:
        raise DataError(f"{path}: looks binary (NUL bytes); give text, Markdown, HTML or PDF")
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 text (bad byte at offset {e.start})") from e


def _with_offsets(sections: list[Section]) -> list[Section]:
    """Number each section's start in the concatenated document text."""
    offset = 0
    for s in sections:
        s.start = offset
        offset += len(s.text)
    return sections


# -- Markdown --------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def markdown_sections(text: str) -> list[Section]:
    """One section per heading; the heading line itself belongs to its section's text."""
    sections: list[Section] = []
    path: list[str] = []
    lines: list[str] = []
    in_code = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_code = not in_code  # a '#' inside a code block is a comment, not a heading
        match = None if in_code else _MD_HEADING.match(line.rstrip("\n"))
        if match:
            sections.append(Section("".join(lines), list(path)))
            level, title = len(match.group(1)), match.group(2)
            path = path[: level - 1] + [title]
            lines = []
        lines.append(line)
    sections.append(Section("".join(lines), list(path)))
    return sections


# -- HTML ------------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template",
              "form", "svg", "button"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "br",
               "pre", "blockquote", "dd", "dt", "figcaption"}
_HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}


class _MainTextParser(HTMLParser):
    """Collects visible main text as sections split at headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self.path: list[str] = []
        self.buffer: list[str] = []
        self.skip_depth = 0
        self.heading_level: int | None = None
        self.heading_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        role = dict(attrs).get("role", "")
        if tag in _SKIP_TAGS or role in ("navigation", "banner", "contentinfo"):
            self.skip_depth += 1
        elif not self.skip_depth and tag in _HEADING_TAGS:
            self.heading_level, self.heading_text = _HEADING_TAGS[tag], []
        elif tag in _BLOCK_TAGS:
            self.buffer.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _HEADING_TAGS and self.heading_level is not None:
            title = " ".join("".join(self.heading_text).split())
            self._flush()
            self.path = self.path[: self.heading_level - 1] + [title]
            self.buffer = [title, "\n\n"]
            self.heading_level = None
        elif tag in _BLOCK_TAGS:
            self.buffer.append("\n")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.heading_level is not None:
            self.heading_text.append(data)
        else:
            self.buffer.append(data)

    def _flush(self) -> None:
        text = re.sub(r"[ \t]+", " ", "".join(self.buffer))
        text = re.sub(r"\n\s*\n\s*", "\n\n", text).strip()
        if text:
            self.sections.append(Section(text + "\n\n", list(self.path)))
        self.buffer = []


def html_sections(html: str) -> list[Section]:
    parser = _MainTextParser()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.sections


# -- PDF -------------------------------------------------------------------------------------

def _pdf_sections(path: Path) -> list[Section]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as e:
        raise DataError(f"{path}: cannot read the PDF ({e})") from e
    if not any(p.strip() for p in pages):
        raise DataError(f"{path}: the PDF has no text layer ({len(pages)} pages of images?); "
                        "run OCR first")
    return [Section(text.strip() + "\n\n", [], page=i + 1) for i, text in enumerate(pages)
            if text.strip()]


def find_files(paths: list[str | Path]) -> list[Path]:
    """Files named directly, plus supported files under folders (recursive, no hidden)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file()
                            and not any(part.startswith(".") for part in f.relative_to(p).parts)
                            and f.suffix.lower() in SUPPORTED_SUFFIXES)
        elif p.is_file():
            found.append(p)
        else:
            raise DataError(f"{p}: no such file or folder")
    return found
