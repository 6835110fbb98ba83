"""Chunking: token limits, overlap, sentence/heading boundaries, English and Chinese."""

import re

import pytest

from lmforge.rag.chunking import chunk_document, split_sentences
from lmforge.rag.loaders import Document, Section, load_document


def words(texts):  # one token per word (and per Chinese character): easy to reason about
    return [len(t.split()) + sum("\u4e00" <= c <= "\u9fff" for c in t) for t in texts]


def test_sentences_split_in_english_and_chinese():
    text = "First one. Second one! 第三句。第四句！“第五句？”最后"
    pieces = [text[a:b] for a, b in split_sentences(text)]
    assert pieces == ["First one. ", "Second one! ", "第三句。", "第四句！", "“第五句？”", "最后"]


def test_chunks_respect_the_limit_overlap_and_sentences():
    sentences = [f"Sentence number {i} is here." for i in range(40)]  # 5 tokens each
    doc = Document("d.txt", [Section(" ".join(sentences))])
    chunks = chunk_document(doc, words, max_tokens=20, overlap_tokens=5)
    assert all(sum(words([c.text])) <= 20 for c in chunks)
    for c in chunks:  # whole sentences only
        assert c.text.startswith("Sentence") and c.text.endswith("here.")
    numbers = [re.findall(r"number (\d+)", c.text) for c in chunks]
    assert numbers[0] == ["0", "1", "2", "3"]
    for a, b in zip(numbers, numbers[1:], strict=False):  # neighbours share one sentence
        assert a[-1] == b[0]
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)
    covered = "".join(doc.text[c.start:c.end] for c in chunks)
    assert all(s in covered for s in sentences)


def test_chinese_text_without_spaces_is_cut_at_sentence_ends():
    text = "".join(f"这是第{i}个句子里面有一些字。" for i in range(30))  # 14 chars each
    doc = Document("zh.txt", [Section(text)])
    chunks = chunk_document(doc, words, max_tokens=50, overlap_tokens=14)
    assert len(chunks) > 5
    assert all(c.text.endswith("。") for c in chunks)
    assert all(sum(words([c.text])) <= 50 for c in chunks)


def test_chunks_never_cross_headings_and_carry_positions(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# Guide\n\nIntro here.\n\n## Install\n\nRun the installer. Then reboot.\n",
                    encoding="utf-8")
    doc = load_document(path)
    chunks = chunk_document(doc, words, max_tokens=50, overlap_tokens=0)
    assert [c.heading for c in chunks] == [["Guide"], ["Guide", "Install"]]
    for c in chunks:
        assert c.text in doc.text[c.start:c.end]
    assert chunks[1].position.startswith("Guide > Install · chars ")


def test_a_sentence_longer_than_a_chunk_is_cut_by_characters():
    text = "字" * 300
    chunks = chunk_document(Document("x", [Section(text)]), words, max_tokens=100,
                            overlap_tokens=0)
    assert all(len(c.text) <= 100 for c in chunks)
    assert "".join(c.text for c in chunks) == text


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(Document("x", [Section("a")]), words, max_tokens=20, overlap_tokens=15)


def test_no_chunk_boundary_splits_a_sentence():
    # sentences known in advance: 。！？． ends, closing quotes, line breaks, English
    sentences = [f"第{i}句{'话' * (i % 7)}说到这里。" for i in range(12)]
    sentences += ["宝玉问道：“你可知道？”", "黛玉笑了．", "他又说！", "英文也行。"]
    sentences += [f"那猴王{'跳' * (i % 5)}出石洞" for i in range(6)]  # ended by line breaks
    sentences += [f"Sentence {i} ends here. " for i in range(8)]
    text, pieces = "", []
    for i, s in enumerate(sentences):
        pieces.append(s.strip())
        text += s + ("\n" if i % 4 == 3 or "石洞" in s else "")
    doc = Document("mixed.txt", [Section(text)])
    for max_tokens, overlap in ((30, 0), (45, 12), (80, 30)):
        chunks = chunk_document(doc, words, max_tokens=max_tokens, overlap_tokens=overlap)
        covered = set()
        for c in chunks:
            body = "".join(c.text.split())
            runs = [(i, j) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)
                    if "".join("".join(p.split()) for p in pieces[i:j]) == body]
            assert runs, f"chunk {c.text!r} is not a run of whole sentences"
            covered.update(range(*runs[0]))
        assert covered == set(range(len(pieces)))  # and every sentence is in some chunk


def test_chapter_titles_become_the_heading_of_every_chunk_of_their_chapter():
    text = ("《石头记》\n第一回  甄士隐梦幻识通灵　贾雨村风尘怀闺秀\n" + "士隐在书房闲坐。" * 12
            + "\n第二回  贾夫人仙逝扬州城\n第四回中既将薛家母子之事表明，此回暂不写矣．\n"
            + "雨村在扬州教书。" * 12 + "\nChapter 3. The Storm\nThe ship left the harbor. " * 1)
    doc = Document("novel.txt", [Section(text)])
    chunks = chunk_document(doc, words, max_tokens=30, overlap_tokens=0)
    headings = [c.heading for c in chunks]
    assert headings[0] == []  # the book title before the first chapter
    first = [c for c in chunks if c.heading == ["第一回 甄士隐梦幻识通灵 贾雨村风尘怀闺秀"]]
    second = [c for c in chunks if c.heading == ["第二回 贾夫人仙逝扬州城"]]
    assert len(first) >= 3 and len(second) >= 3
    assert all("士隐" in c.text and "回" not in c.text for c in first)  # title not in the text
    assert second[0].text.startswith("第四回中既将")  # a sentence naming a chapter is no title
    assert headings[-1] == ["Chapter 3. The Storm"]
    for c in chunks:
        assert c.text in doc.text[c.start:c.end]
