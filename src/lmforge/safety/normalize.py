"""Normalisation before matching: make obfuscated text look like what the rules expect.

Keyword filters are easy to dodge: "ＢＯＭＢ" (full-width), "b.o.m.b" (punctuation between
letters), "b0mb" (digits for letters), "bоmb" (a Cyrillic о), "炸 弹" (spaces between
characters), "炸彈" (traditional characters). `normalize` undoes each of these, in order:

1. NFKC: full-width and half-width forms, ligatures and compatibility characters fold to
   their plain forms ("ＢＯＭＢ" -> "BOMB", "ｶ" -> "カ");
2. invisible characters (zero-width spaces, joiners, soft hyphens) are removed;
3. look-alike letters from other scripts map to Latin (Cyrillic а/е/о/р/с/х, Greek ο/α...);
4. lower case;
5. traditional Chinese characters map to simplified ones (a small table, `zh_table.py`);
6. single letters separated by spaces or punctuation are joined ("b . o . m . b" -> "bomb"),
   and so are Chinese characters separated that way ("炸*弹" -> "炸弹");
7. digits and symbols inside a word of letters read as letters ("m3th" -> "meth",
   "h@ck" -> "hack"), while plain numbers ("in 1945") stay numbers.

The result keeps words apart, so rules still match on word boundaries and "bombay" never
reads as "bomb". Test: `pytest tests/safety/test_normalize.py`.
"""

import re
import unicodedata

from lmforge.safety.zh_table import TRADITIONAL_TO_SIMPLIFIED

# Letters from Cyrillic and Greek that look like Latin ones (confusables, Unicode TR39).
LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "к": "k",
    "м": "m", "т": "t", "в": "b", "н": "h", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "А": "a", "Е": "e", "О": "o", "Р": "p", "С": "c", "Х": "x", "У": "y", "К": "k",
    "М": "m", "Т": "t", "В": "b", "Н": "h", "І": "i",
    "α": "a", "ο": "o", "ρ": "p", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "τ": "t",
    "Α": "a", "Ο": "o", "Ρ": "p", "Ε": "e", "Ι": "i", "Κ": "k", "Ν": "n", "Τ": "t",
    "Β": "b", "Χ": "x", "Υ": "y", "Ζ": "z", "Μ": "m", "Η": "h",
})
# Digits and symbols that stand in for letters inside a word ("leetspeak").
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                      "$": "s"})

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_SEP = r"[\s.\-_*·•/\\|+~,'\"`^=]"  # what people put between letters to split a keyword
# three or more single letters, each separated by one or more separators: "b . o . m . b"
_SPACED_LETTERS = re.compile(rf"(?<![a-z0-9])[a-z0-9](?:{_SEP}+[a-z0-9]){{2,}}(?![a-z0-9])")
# Chinese characters with separators between them: "炸 * 弹" -> "炸弹"
_SPACED_CJK = re.compile(rf"(?<=[{CJK}]){_SEP}+(?=[{CJK}])")
# a "word" mixing letters with digits or symbols: candidates for leetspeak
_LEET_WORD = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")


def normalize(text: str, split_articles: bool = True) -> str:
    """The text with the obfuscations listed in the module docstring undone.

    split_articles: in "a b o m b", keep the leading "a" (or "i") apart as an English word;
    False joins it too ("i g n o r e" -> "ignore"). `check` matches both readings.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width, etc.
    text = text.translate(LOOKALIKES).lower()
    text = "".join(TRADITIONAL_TO_SIMPLIFIED.get(ch, ch) for ch in text)
    join = _join_letters if split_articles else _join_all
    text = _SPACED_LETTERS.sub(join, text)
    text = _SPACED_CJK.sub("", text)
    text = _LEET_WORD.sub(_unleet, text)
    return re.sub(r"\s+", " ", text).strip()


def _join_letters(match: re.Match) -> str:
    run = match.group()
    # "make a b o m b": a leading "a" or "i" is the English word, not part of the keyword
    if run[0] in "ai" and run[1].isspace() and len(re.sub(_SEP, "", run)) >= 4:
        return run[0] + " " + re.sub(_SEP, "", run[1:])
    return _join_all(match)


def _join_all(match: re.Match) -> str:
    return re.sub(_SEP, "", match.group())


def _unleet(match: re.Match) -> str:
    word = match.group()
    letters = sum(c.isalpha() for c in word)
    if letters == len(word) or letters < 2:  # a plain word, or a number with one letter
        return word
    if re.fullmatch(r"\d+[a-z]+|[a-z]+\d+", word):  # "12yo", "5kg", "covid19", "mp3"
        return word
    return word.translate(LEET)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_ANY_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")


def language(text: str) -> str:
    """'zh' when at least a third of the letters are CJK characters, else 'en' (which
    refusal to show, which threshold a classifier uses)."""
    letters = len(_ANY_LETTER.findall(text))
    return "zh" if letters and len(_CJK_CHAR.findall(text)) * 3 >= letters else "en"
