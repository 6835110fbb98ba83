"""Loaders: text, Markdown, HTML (main text only) and PDF, with positions; bad files."""

import pytest
from pdf_maker import write_pdf

from lmforge.errors import DataError
from lmforge.rag.loaders import find_files, html_sections, load_document, markdown_sections


def test_markdown_sections_keep_heading_paths_and_ignore_code_comments():
    text = ("Intro line.\n\n# Guide\n\nTop.\n\n## Install\n\nRun it.\n\n```sh\n# not a heading\n"
            "```\n\n## Use\n\nCall it.\n\n# Appendix\n\nEnd.\n")
    sections = markdown_sections(text)
    assert [s.heading for s in sections] == [[], ["Guide"], ["Guide", "Install"],
                                             ["Guide", "Use"], ["Appendix"]]
    assert "# not a heading" in sections[2].text
    assert "".join(s.text for s in sections) == text  # nothing lost, nothing added


def test_html_keeps_main_text_and_drops_navigation():
    html = ("<html><head><script>var tracking = 1;</script><style>p {}</style></head><body>"
            "<nav><a href='/'>Home</a> Menu</nav><header>Site banner</header>"
            "<main><h1>Manual</h1><p>Intro &amp; welcome.</p><h2>Descaling</h2>"
            "<p>Descale every <b>30 days</b>.</p></main>"
            "<aside>Ads here</aside><footer>Copyright</footer></body></html>")
    sections = html_sections(html)
    text = "".join(s.text for s in sections)
    for junk in ("tracking", "Home", "Menu", "banner", "Ads", "Copyright"):
        assert junk not in text
    assert [s.heading for s in sections] == [["Manual"], ["Manual", "Descaling"]]
    assert "Descale every 30 days." in sections[1].text
    assert "Intro & welcome." in sections[0].text


def test_documents_have_offsets_into_their_text(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("# A\n\nalpha text\n\n# B\n\nbeta text\n", encoding="utf-8")
    doc = load_document(path)
    for section in doc.sections:
        assert doc.text[section.start:section.start + len(section.text)] == section.text
    assert doc.path == str(path)


def test_pdf_pages_are_sections_with_page_numbers(tmp_path):
    pdf = write_pdf(tmp_path / "ferry.pdf", ["Ferry timetable\nDeparts at 7:40.",
                                             "Page two: returns at 18:05."])
    doc = load_document(pdf)
    assert [s.page for s in doc.sections] == [1, 2]
    assert "Departs at 7:40." in doc.sections[0].text
    assert "returns at 18:05" in doc.sections[1].text


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"  \n\n ", "no text to index"),
    ("blob.txt", b"\x00\x01binary", "binary"),
    ("latin.txt", b"caf\xe9 latin-1", "not UTF-8"),
    ("scan.pdf", None, "no text layer"),
    ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
])
def test_bad_files_are_errors_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        write_pdf(path, ["", ""])  # pages without any text: a scan with no OCR layer
    else:
        path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        load_document(path)
    assert str(path) in str(info.value)


def test_find_files_recurses_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "y.txt").write_text("y")
    (tmp_path / "z.png").write_bytes(b"\x89PNG")
    (tmp_path / "w.html").write_text("<p>w</p>")
    assert [p.name for p in find_files([tmp_path])] == ["x.md", "w.html"]
    with pytest.raises(DataError, match="no such file"):
        find_files([tmp_path / "missing"])
