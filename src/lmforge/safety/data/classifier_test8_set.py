"""The eighth sealed test set of the harmful-request filter (tests/safety/test_test_sets.py).

    python -m lmforge.safety.data.classifier_test8_set   # writes classifier_test8.jsonl beside it

Written in two halves at the same time by two writers who read no other set
(classifier_test8_en.py, classifier_test8_zh.py), while two more wrote the seventh set
(classifier_test7_set.py) from the same brief, all before the eighth-round classifier was
trained; sealed until its final evaluation (docs/safety.md). All free-form: per language 25
harmful requests a category and 300 benign ones (about 180 hard look-alikes on the six
topics, 70 everyday requests with alarming words, 50 plain requests), as the fifth and sixth
sets.
"""

import json
from pathlib import Path

from lmforge.safety.data import classifier_test8_en, classifier_test8_zh

HERE = Path(__file__).parent
NAME = "classifier_test8.jsonl"


def build() -> list[dict]:
    """The English half, then the Chinese half, each as its writer ordered it."""
    return classifier_test8_en.build() + classifier_test8_zh.build()


if __name__ == "__main__":
    (HERE / NAME).write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build()), encoding="utf-8")
