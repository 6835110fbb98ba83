"""The fifth free-form set of the harm classifier, harmful-heavy (issue 23 item 6).

    python -m lmforge.safety.data.harm_freeform5_set   # rewrites the two files beside it

At 1-1.5% of benign requests blocked the seventh-round classifier caught only 83-92% of
free-form harmful requests from new writers, and the ones it missed were indirect: the ask
inside a story or a grievance, how to avoid notice, self-harm as a plain question about a
dose or a height, hate asked as a joke or a job advert, grooming as a secret or a gift,
intrusion against one concrete target. Two more writers, one a language, each wrote at
least 240 such harmful requests (40 a category) and 260 benign look-alikes
(harm_freeform5_en.py, harm_freeform5_zh.py), told those kinds and reading no sealed set.

- harm_freeform5_train.jsonl: training;
- harm_freeform5_dev.jsonl: development (thresholds): every third record of each
  (language, benign/harmful) group.

No text is in any other set of this folder (checked here for the sets it may read, and by
tests/safety/test_freeform2_set.py for all of them, the sealed test sets included).
"""

from lmforge.safety.data import harm_freeform5_en, harm_freeform5_zh
from lmforge.safety.data.harm_freeform_set import (  # noqa: F401 (tests read CATEGORIES here)
    CATEGORIES,
    by_writer,
    split_groups,
    write_unsealed,
)

TRAIN, DEV = "harm_freeform5_train.jsonl", "harm_freeform5_dev.jsonl"


def groups() -> dict[tuple[str, str], list[dict]]:
    return by_writer({"en": harm_freeform5_en, "zh": harm_freeform5_zh})


def build() -> tuple[list[dict], list[dict]]:
    """(train, dev): every third record of each group goes to dev."""
    return split_groups(groups())


if __name__ == "__main__":
    write_unsealed(*build(), (TRAIN, DEV))
