"""Normalisation undoes common obfuscations and leaves ordinary text readable."""

import pytest

from lmforge.safety import normalize


@pytest.mark.parametrize(("text", "expected"), [
    ("ＢＯＭＢ", "bomb"),                      # full-width
    ("b.o.m.b", "bomb"),                      # punctuation between letters
    ("b o m b", "bomb"),
    ("make a b o m b", "make a bomb"),        # the article stays a word
    ("b0mb m3th h@ck", "bomb meth hack"),     # leetspeak inside words
    ("bоmb", "bomb"),                         # Cyrillic о
    ("ig\u200bnore", "ignore"),               # zero-width space
    ("炸 * 弹", "炸弹"),                        # separators between Chinese characters
    ("製作炸彈", "制作炸弹"),                    # traditional -> simplified
    ("ｶﾀｶﾅ", "カタカナ"),                      # half-width katakana
])
def test_obfuscations_are_undone(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["in 1945 the war ended", "12yo", "covid19 mp3 5kg",
                                  "bombay duck", "the year 2024"])
def test_ordinary_text_keeps_its_words_and_numbers(text):
    assert normalize(text) == text


def test_joining_the_article_is_the_second_reading():
    assert normalize("i g n o r e", split_articles=False) == "ignore"
    assert normalize("i g n o r e") == "i gnore"
