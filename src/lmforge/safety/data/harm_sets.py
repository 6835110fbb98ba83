"""The training set of the harmful-request classifier (harm_classifier.py).

    python -m lmforge.safety.data.harm_sets     # rewrites harm_train.jsonl beside it

It is the n-gram classifier's training set (classifier_train.jsonl) less its prompt
injections (injection detection has its own classifier), plus the templates x objects of
harm_templates.py (second round) and harm_more_templates.py (third round): many more
phrasings per category in both languages, and benign look-alikes on the same objects. The
sets and what each is for:

- harm_train.jsonl: training;
- classifier_heldout.jsonl: development (read while building; the thresholds are chosen
  on it);
- classifier_test.jsonl: the first sealed test set (classifier_test_set.py), written before
  the second round's templates; its misses were read, and in the fourth round it was
  retired into the tuned classifier's training (harm_tuned.safetensors: this set + it);
- classifier_test2.jsonl: the second (classifier_test2_set.py), written before the third
  round's templates and never trained on;
- classifier_test3.jsonl: the third (classifier_test3_set.py), mostly free-form, written
  before the end-to-end classifier and never trained on (docs/safety.md reports each set);
  in the sixth round both were retired from test to development (the encoder's thresholds);
- classifier_test4.jsonl: the fourth (classifier_test4_set.py), all free-form, written before
  the next classifier was trained and sealed until the final evaluation;
- classifier_test5.jsonl: the fifth (classifier_test5_set.py), all free-form with 300 benign
  requests a language, written before the sixth-round classifier and sealed likewise; after
  the sixth round's scores, the fourth was retired into the encoder's training and the fifth
  into its development set;
- classifier_test6.jsonl: the sixth (classifier_test6_set.py), from the fifth's brief, written
  before the seventh-round classifier and sealed likewise; retired into development after
  its score;
- classifier_test7.jsonl, classifier_test8.jsonl: the seventh and eighth, from the same brief,
  written at once before the eighth-round classifier and sealed likewise; retired into
  development after their score;
- classifier_test9.jsonl, classifier_test10.jsonl: the ninth and tenth, likewise, written
  before the ninth round chose its thresholds;
- harm_freeform_train.jsonl / harm_freeform_dev.jsonl (harm_freeform_set.py): one-off
  messages as users write them, mostly benign look-alikes; training and development for
  the tuned classifiers (TUNED_TRAINING, TUNED_DEVELOPMENT below: harm_tuned.safetensors
  and harm_encoder.safetensors are trained on the one and thresholded on the other);
- harm_freeform2_* ... harm_freeform5_* (harm_freeform2_set.py ... harm_freeform5_set.py):
  more free-form requests, harmful-heavy (2, 5) and benign-heavy (3, 4), in ENCODER_* below.
"""

import json
from pathlib import Path

from lmforge.safety.data import harm_more_templates, harm_templates

HERE = Path(__file__).parent
# what `lmforge safety train harm-tuned` reads by default: the shipped tuned classifier's
# recipe (docs/safety.md, fourth round)
TUNED_TRAINING = ("harm_train.jsonl", "classifier_test.jsonl", "harm_freeform_train.jsonl")
TUNED_DEVELOPMENT = ("classifier_heldout.jsonl", "harm_freeform_dev.jsonl")
# and `harm-encoder` (eighth round): the same with the later free-form sets (two
# harmful-heavy, two benign-heavy) and the fourth test set, retired into training; its
# thresholds also on the second, third and fifth to eighth test sets, retired into
# development (benign requests from writers the training data's did not come from)
ENCODER_TRAINING = (*TUNED_TRAINING, "harm_freeform2_train.jsonl", "harm_freeform3_train.jsonl",
                    "harm_freeform4_train.jsonl", "classifier_test4.jsonl",
                    "harm_freeform5_train.jsonl")
ENCODER_DEVELOPMENT = (*TUNED_DEVELOPMENT, "harm_freeform2_dev.jsonl", "harm_freeform3_dev.jsonl",
                       "classifier_test2.jsonl", "classifier_test3.jsonl",
                       "harm_freeform4_dev.jsonl", "classifier_test5.jsonl",
                       "classifier_test6.jsonl", "harm_freeform5_dev.jsonl",
                       "classifier_test7.jsonl", "classifier_test8.jsonl")
NOT_FOR_TRAINING = ("classifier_heldout.jsonl", "classifier_test.jsonl", "classifier_test2.jsonl",
                    "classifier_test3.jsonl", "classifier_test4.jsonl", "classifier_test5.jsonl",
                    "classifier_test6.jsonl", "classifier_test7.jsonl", "classifier_test8.jsonl",
                    "classifier_test9.jsonl", "classifier_test10.jsonl")


def _extra(templates) -> list[dict]:
    """A template module's requests: each template with each object of its category."""
    out = []
    for cat, by_lang in templates.OBJECTS.items():
        for lang, objs in by_lang.items():
            for t in templates.HARMFUL[cat][lang]:
                texts = [t.format(x=o) for o in objs] if "{x}" in t else [t]
                out += [{"text": text, "label": cat, "lang": lang} for text in texts]
            for t in templates.BENIGN_ON[cat][lang]:
                texts = [t.format(x=o) for o in objs] if "{x}" in t else [t]
                out += [{"text": text, "label": "benign", "lang": lang} for text in texts]
    for lang, texts in templates.EVERYDAY.items():
        out += [{"text": t, "label": "benign", "lang": lang} for t in texts]
    return out


def build() -> list[dict]:
    base = [json.loads(line) for line in
            (HERE / "classifier_train.jsonl").read_text(encoding="utf-8").splitlines()]
    dev_and_test = {json.loads(line)["text"] for name in NOT_FOR_TRAINING
                    for line in (HERE / name).read_text(encoding="utf-8").splitlines()}
    seen, out = set(), []
    for r in ([r for r in base if r["label"] != "prompt_injection"] + _extra(harm_templates)
              + _extra(harm_more_templates)):
        if r["text"] not in seen and r["text"] not in dev_and_test:
            seen.add(r["text"])
            out.append({"text": r["text"], "label": r["label"], "lang": r["lang"]})
    return out


if __name__ == "__main__":
    records = build()
    (HERE / "harm_train.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    counts: dict = {}
    for r in records:
        key = (r["lang"], "benign" if r["label"] == "benign" else "harmful")
        counts[key] = counts.get(key, 0) + 1
    print(len(records), sorted(counts.items()))
