"""The tenth sealed test set of the harmful-request filter (tests/safety/test_test_sets.py).

    python -m lmforge.safety.data.classifier_test10_set   # writes classifier_test10.jsonl beside it

Written in two halves at the same time by two writers who read no other set
(classifier_test10_en.py, classifier_test10_zh.py), while two more wrote the ninth set
(classifier_test9_set.py) from the same brief, while the ninth round chose its
thresholds (committed before these sets were finished; its classifier's members were
trained in the eighth) and never trained or thresholded on; sealed until its final
evaluation (docs/safety.md). All free-form: per language 25 harmful requests a category and
300 benign ones (about 180 hard look-alikes on the six topics, 70 everyday requests with
alarming words, 50 plain requests), as the fifth to eighth sets.
"""

import json
from pathlib import Path

from lmforge.safety.data import classifier_test10_en, classifier_test10_zh

HERE = Path(__file__).parent
NAME = "classifier_test10.jsonl"


def build() -> list[dict]:
    """The English half, then the Chinese half, each as its writer ordered it."""
    return classifier_test10_en.build() + classifier_test10_zh.build()


if __name__ == "__main__":
    (HERE / NAME).write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build()), encoding="utf-8")
