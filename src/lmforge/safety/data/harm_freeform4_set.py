"""The fourth free-form set of the harm classifier, benign-heavy again (issue 23 item 6).

    python -m lmforge.safety.data.harm_freeform4_set   # rewrites the two files beside it

On the fourth and fifth sealed sets the sixth-round classifier caught 94-97% of harmful
requests but blocked 2.7-6.7% of benign ones (the goal: at most 2%). Two more writers, one a
language, each wrote at least 400 benign messages and 90 harmful ones (harm_freeform4_en.py,
harm_freeform4_zh.py), told which kinds of benign message it blocked (games and fantasy,
pranks, idioms, workplace complaints naming a group, child online safety, first aid, plain
requests in slang) and reading no sealed set.

- harm_freeform4_train.jsonl: training;
- harm_freeform4_dev.jsonl: development (thresholds): every third record of each
  (language, benign/harmful) group.

No text is in any other set of this folder (checked here for the sets it may read, and by
tests/safety/test_freeform2_set.py for all of them, the sealed test sets included).
"""

from lmforge.safety.data import harm_freeform4_en, harm_freeform4_zh
from lmforge.safety.data.harm_freeform_set import (  # noqa: F401 (tests read CATEGORIES here)
    CATEGORIES,
    by_writer,
    split_groups,
    write_unsealed,
)

TRAIN, DEV = "harm_freeform4_train.jsonl", "harm_freeform4_dev.jsonl"


def groups() -> dict[tuple[str, str], list[dict]]:
    return by_writer({"en": harm_freeform4_en, "zh": harm_freeform4_zh})


def build() -> tuple[list[dict], list[dict]]:
    """(train, dev): every third record of each group goes to dev."""
    return split_groups(groups())


if __name__ == "__main__":
    write_unsealed(*build(), (TRAIN, DEV))
