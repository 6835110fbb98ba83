"""The later free-form sets (harm_freeform2_set.py ... harm_freeform5_set.py; that
their files are what the builders write: test_freeform_set.py): each language has the
harmful requests a category and the benign ones each set promises (the second and fifth
harmful-heavy, the others benign-heavy), every third record of a group is in dev, no text is
shared with any other set of the data folder (the sealed test sets included), and no record
shares a long span (8 English words, 12 Chinese characters) with a sealed test set text. The
sealed sets are read here but never printed: failures give counts or positions in this set only."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from lmforge.safety.data import (
    harm_freeform2_set,
    harm_freeform3_set,
    harm_freeform4_set,
    harm_freeform5_set,
)

DATA = Path(harm_freeform2_set.__file__).parent
LABELS = {"benign", *harm_freeform2_set.CATEGORIES}
# each set's least: benign a language, harmful a category, harmful a language
LEAST = {harm_freeform2_set: (120, 50, 300), harm_freeform3_set: (400, 15, 90),
         harm_freeform4_set: (400, 15, 90), harm_freeform5_set: (255, 40, 240)}


@pytest.fixture(params=list(LEAST), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def ff(request):
    return request.param
WORDS, CHARS = 8, 12  # span lengths that count as copied


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def _texts(path: Path) -> set[str]:
    texts = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts |= {record[k] for k in ("text", "user") if isinstance(record.get(k), str)}
    return texts


def _sealed() -> list[Path]:
    return sorted(DATA.glob("classifier_test*.jsonl"))


def _word_spans(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + WORDS]) for i in range(len(words) - WORDS + 1)}


def _char_spans(text: str) -> set[str]:
    chars = re.sub(r"\s+", "", text)
    return {chars[i:i + CHARS] for i in range(len(chars) - CHARS + 1)}


def _mine(ff) -> list[dict]:
    return _records(ff.TRAIN) + _records(ff.DEV)


def test_counts_labels_and_split(ff):
    least_benign, least_a_category, least_harmful = LEAST[ff]
    train, dev = _records(ff.TRAIN), _records(ff.DEV)
    records = train + dev
    assert all(set(r) == {"text", "label", "lang"} for r in records)
    assert all(r["label"] in LABELS and r["lang"] in ("en", "zh") for r in records)
    for lang in ("en", "zh"):
        labels = Counter(r["label"] for r in records if r["lang"] == lang)
        assert labels["benign"] >= least_benign, (lang, labels["benign"])
        assert all(labels[c] >= least_a_category for c in ff.CATEGORIES), (lang, labels)
        assert sum(labels[c] for c in ff.CATEGORIES) >= least_harmful, lang
    for (lang, kind), group in ff.groups().items():
        in_dev = [r for r in dev if r["lang"] == lang and (r["label"] == "benign") == (
            kind == "benign")]
        assert in_dev == group[2::3], (lang, kind)


def test_each_text_is_unique_and_a_short_message(ff):
    texts = [r["text"] for r in _mine(ff)]
    assert not [t for t, n in Counter(texts).items() if n > 1]
    assert all(0 < len(t) <= 200 and t == t.strip() for t in texts)


def test_no_text_is_in_any_other_set_of_the_folder(ff):
    mine = [r["text"] for r in _mine(ff)]
    others = sorted(p for p in DATA.glob("*.jsonl") if p.name not in (ff.TRAIN, ff.DEV))
    names = {p.name for p in others}
    assert {"harm_train.jsonl", "harm_freeform_train.jsonl", "classifier_test2.jsonl"} <= names
    for path in others:
        texts = _texts(path)
        assert texts, path.name
        shared = [i for i, text in enumerate(mine) if text in texts]
        # positions in train + dev of this set only, never the other set's texts
        assert not shared, f"records at positions {shared} are texts of {path.name}"


def test_no_record_copies_a_long_span_of_a_sealed_text(ff):
    sealed = _sealed()
    assert len(sealed) >= 2
    words, chars = set(), set()
    for path in sealed:
        for text in _texts(path):
            words |= _word_spans(text)
            chars |= _char_spans(text)
    copied = [i for i, r in enumerate(_mine(ff))
              if (_word_spans(r["text"]) if r["lang"] == "en" else _char_spans(r["text"]))
              & (words if r["lang"] == "en" else chars)]
    # positions in train + dev of this set only, never the sealed texts
    assert not copied, f"records at positions {copied} share a long span with a sealed set"
