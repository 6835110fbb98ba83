"""The third free-form set of the harm classifier, benign-heavy (issue 23 item 6).

    python -m lmforge.safety.data.harm_freeform3_set   # rewrites the two files beside it

On messages from writers it had not seen, the fifth-round classifier blocked 5-8% of benign
requests (the goal: at most 2%); its free-form training data held a few hundred benign
messages a language. Two writers, one a language, each wrote at least 400 benign messages
and 90 harmful ones (harm_freeform3_en.py, harm_freeform3_zh.py), reading no sealed set.

- harm_freeform3_train.jsonl: training;
- harm_freeform3_dev.jsonl: development (thresholds): every third record of each
  (language, benign/harmful) group.

No text is in any other set of this folder (checked here for the sets it may read, and by
tests/safety/test_freeform2_set.py for all of them, the sealed test sets included).
"""

from lmforge.safety.data import harm_freeform3_en, harm_freeform3_zh
from lmforge.safety.data.harm_freeform_set import (  # noqa: F401 (tests read CATEGORIES here)
    CATEGORIES,
    by_writer,
    split_groups,
    write_unsealed,
)

TRAIN, DEV = "harm_freeform3_train.jsonl", "harm_freeform3_dev.jsonl"


def groups() -> dict[tuple[str, str], list[dict]]:
    return by_writer({"en": harm_freeform3_en, "zh": harm_freeform3_zh})


def build() -> tuple[list[dict], list[dict]]:
    """(train, dev): every third record of each group goes to dev."""
    return split_groups(groups())


if __name__ == "__main__":
    write_unsealed(*build(), (TRAIN, DEV))
