"""The free-form training and development requests (harm_freeform_set.py): the files are what
the builder writes, each language has enough records and is benign-heavy, every third record
of a group is in dev, no text is shared with any other set of the data folder, the sealed
test sets included, and no object of a sealed test set occurs in a text (only disjointness is
asserted: their texts and objects are never printed)."""

import json
from collections import Counter
from pathlib import Path

import pytest

from lmforge.safety.data import (
    classifier_test2_set,
    classifier_test3_set,
    harm_freeform2_set,
    harm_freeform3_set,
    harm_freeform4_set,
    harm_freeform5_set,
)
from lmforge.safety.data import harm_freeform_set as ff

DATA = Path(ff.__file__).parent
LABELS = {"benign", *ff.CATEGORIES}


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("module", [ff, harm_freeform2_set, harm_freeform3_set,
                                    harm_freeform4_set, harm_freeform5_set])
def test_the_files_are_what_the_builder_writes(module):
    """The free-form sets (the later ones' other checks: test_freeform2_set.py)."""
    train, dev = module.build()
    assert _records(module.TRAIN) == train
    assert _records(module.DEV) == dev


def test_counts_labels_and_split():
    train, dev = _records(ff.TRAIN), _records(ff.DEV)
    records = train + dev
    assert all(set(r) == {"text", "label", "lang"} for r in records)
    assert all(r["label"] in LABELS and r["lang"] in ("en", "zh") for r in records)
    for lang in ("en", "zh"):
        mine = [r for r in records if r["lang"] == lang]
        benign = sum(r["label"] == "benign" for r in mine)
        assert len(mine) >= 240 and benign >= 150 and len(mine) - benign >= 75, lang
        assert set(ff.CATEGORIES) <= {r["label"] for r in mine}, lang
    # every third of each (language, benign/harmful) group: dev holds a third, rounded down
    for (lang, kind), group in ff.groups().items():
        in_dev = [r for r in dev if r["lang"] == lang and (r["label"] == "benign") == (
            kind == "benign")]
        assert len(in_dev) == len(group) // 3, (lang, kind)


def test_each_text_is_unique_and_a_short_message():
    texts = [r["text"] for r in _records(ff.TRAIN) + _records(ff.DEV)]
    assert not [t for t, n in Counter(texts).items() if n > 1]
    assert all(0 < len(t) <= 200 and t == t.strip() for t in texts)


def test_no_text_is_in_any_other_set_of_the_folder():
    mine = {r["text"] for r in _records(ff.TRAIN) + _records(ff.DEV)}
    others = sorted(p for p in DATA.glob("*.jsonl") if p.name not in (ff.TRAIN, ff.DEV))
    assert {p.name for p in others} >= {*ff.SEALED, "harm_train.jsonl", "classifier_heldout.jsonl"}
    for path in others:
        texts = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts |= {record[k] for k in ("text", "user") if isinstance(record.get(k), str)}
        assert texts, path.name
        shared = len(mine & texts)
        assert shared == 0, f"{shared} texts shared with {path.name}"  # counts, never texts


def test_no_object_of_a_sealed_test_set_occurs_in_a_text():
    texts = [r["text"].lower() for r in _records(ff.TRAIN) + _records(ff.DEV)]
    for module in (classifier_test2_set, classifier_test3_set):
        objects = [o.lower() for by_lang in module.OBJECTS.values()
                   for objs in by_lang.values() for o in objs]
        assert objects
        hits = sum(any(o in t for o in objects) for t in texts)
        assert hits == 0, f"{hits} texts hold an object of {module.__name__}"  # counts only
