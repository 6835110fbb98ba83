"""The sealed test sets of the safety filter stay unseen: no text of the second (third) test
set is in a training set, the development set or an earlier (any other) test set, and none
of its objects or people occurs in any of their texts (so a later training set that borrows
one fails here). The fourth to tenth (all free-form) share no text and no long run of
words (characters in Chinese) with any other set in the folder; failures name only their
positions and counts, never another set's text. The files are what their builders write."""

import json
from pathlib import Path

import pytest

from lmforge.safety.data import (
    classifier_test2_set,
    classifier_test3_set,
    classifier_test4_set,
    classifier_test5_set,
    classifier_test6_set,
    classifier_test7_set,
    classifier_test8_set,
    classifier_test9_set,
    classifier_test10_set,
    classifier_test_set,
)

DATA = Path(classifier_test2_set.__file__).parent
TRAINING = ("classifier_train.jsonl", "harm_train.jsonl")
DEV = "classifier_heldout.jsonl"


def _texts(name: str) -> list[str]:
    return [json.loads(line)["text"] for line in
            (DATA / name).read_text(encoding="utf-8").splitlines()]


def _objects(module) -> list[str]:
    return [o for by_lang in module.OBJECTS.values() for objs in by_lang.values() for o in objs]


def test_the_files_are_what_their_builders_write():
    for module, name in ((classifier_test_set, "classifier_test.jsonl"),
                         (classifier_test2_set, "classifier_test2.jsonl"),
                         (classifier_test3_set, "classifier_test3.jsonl"),
                         (classifier_test4_set, "classifier_test4.jsonl"),
                         (classifier_test5_set, "classifier_test5.jsonl"),
                         (classifier_test6_set, "classifier_test6.jsonl"),
                         (classifier_test7_set, "classifier_test7.jsonl"),
                         (classifier_test8_set, "classifier_test8.jsonl"),
                         (classifier_test9_set, "classifier_test9.jsonl"),
                         (classifier_test10_set, "classifier_test10.jsonl")):
        written = [json.loads(line) for line in
                   (DATA / name).read_text(encoding="utf-8").splitlines()]
        assert written == module.build()


def test_the_second_test_set_has_150_harmful_and_150_benign_a_language():
    records = classifier_test2_set.build()
    for lang in ("en", "zh"):
        group = [r for r in records if r["lang"] == lang]
        assert sum(r["label"] != "benign" for r in group) >= 150
        assert sum(r["label"] == "benign" for r in group) >= 150


# each later sealed set: the sets written before it, whose texts and objects it must avoid
BEFORE_2 = [*TRAINING, DEV, "classifier_test.jsonl"]
LATER = {"classifier_test2.jsonl": (classifier_test2_set, BEFORE_2),
         "classifier_test3.jsonl": (classifier_test3_set, [*BEFORE_2, "classifier_test2.jsonl"])}


@pytest.mark.parametrize(("sealed", "other"),
                         [(name, other) for name, (_, others) in LATER.items() for other in others])
def test_a_later_test_set_shares_no_text_and_no_object(sealed, other):
    module = LATER[sealed][0]
    texts = _texts(other)
    assert not set(_texts(sealed)) & set(texts)
    lowered = [t.lower() for t in texts]
    seen = [o for o in _objects(module) if any(o.lower() in t for t in lowered)]
    assert not seen, f"objects of {sealed} in {other}: {seen}"


@pytest.mark.parametrize("other", [*TRAINING, DEV])
def test_the_first_test_set_shares_no_text_with_training_or_development(other):
    assert not set(_texts("classifier_test.jsonl")) & set(_texts(other))


def test_the_third_test_set_has_150_a_language_25_a_category_and_is_mostly_free_form():
    m = classifier_test3_set
    records = m.build()
    for lang in ("en", "zh"):
        group = [r for r in records if r["lang"] == lang]
        assert sum(r["label"] == "benign" for r in group) >= 150
        assert sum(r["label"] != "benign" for r in group) >= 150
        for cat in m.OBJECTS:
            assert sum(r["label"] == cat for r in group) >= 25, (lang, cat)
    free = sum(len(m.FREE_HARMFUL[lang]) + len(m.FREE_BENIGN[lang]) for lang in ("en", "zh"))
    assert 3 * free >= 2 * len(records)
    texts = [r["text"].lower() for r in records]
    unused = [o for o in _objects(m) if not any(o.lower() in t for t in texts)]
    assert not unused, f"listed objects the third test set does not use: {unused}"


@pytest.mark.parametrize(("module", "benign"), [(classifier_test4_set, 150),
                                               (classifier_test5_set, 300),
                                               (classifier_test6_set, 300),
                                               (classifier_test7_set, 300),
                                               (classifier_test8_set, 300),
                                               (classifier_test9_set, 300),
                                               (classifier_test10_set, 300)])
def test_the_free_form_test_sets_have_25_harmful_a_category_and_their_benign(module, benign):
    records = module.build()
    assert len({r["text"] for r in records}) == len(records)
    for lang in ("en", "zh"):
        group = [r for r in records if r["lang"] == lang]
        assert sum(r["label"] == "benign" for r in group) == benign
        for cat in classifier_test4_set.CATEGORIES:
            assert sum(r["label"] == cat for r in group) == 25, (lang, cat)
        assert len(group) == 150 + benign


def _runs(text: str, lang: str) -> set[str]:
    """The long runs two sets may not share: 8 words in English, 12 characters in Chinese."""
    if lang == "en":
        words = text.lower().split()
        return {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    chars = "".join(text.lower().split())
    return {chars[i:i + 12] for i in range(len(chars) - 11)}


FREE_FORM = {"classifier_test4.jsonl": classifier_test4_set,
             "classifier_test5.jsonl": classifier_test5_set,
             "classifier_test6.jsonl": classifier_test6_set,
             "classifier_test7.jsonl": classifier_test7_set,
             "classifier_test8.jsonl": classifier_test8_set,
             "classifier_test9.jsonl": classifier_test9_set,
             "classifier_test10.jsonl": classifier_test10_set}


def _strings(name: str) -> list[str]:
    """Every string field of a set's records (the red-team suite keeps its texts in several)."""
    return [v for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            for v in json.loads(line).values() if isinstance(v, str)]


@pytest.mark.parametrize(("sealed", "other"),
                         [(sealed, p.name) for sealed in FREE_FORM
                          for p in sorted(DATA.glob("*.jsonl")) if p.name != sealed])
def test_a_free_form_test_set_shares_no_text_and_no_long_run_with_another_set(sealed, other):
    records = FREE_FORM[sealed].build()
    texts = _strings(other)
    equal = set(texts)
    same = [i for i, r in enumerate(records) if r["text"] in equal]
    assert not same, f"{len(same)} {sealed} texts equal a text of {other}: positions {same}"
    runs = {run for t in texts for lang in ("en", "zh") for run in _runs(t, lang)}
    shared = [i for i, r in enumerate(records) if _runs(r["text"], r["lang"]) & runs]
    assert not shared, f"{len(shared)} {sealed} texts share a long run with {other}: {shared}"
