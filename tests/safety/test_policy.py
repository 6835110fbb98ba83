"""Policy files: the shipped one loads; malformed ones fail with the file and the line."""

import pytest

from lmforge.errors import PolicyError
from lmforge.safety import check, load_policy
from lmforge.safety.policy import parse_policy

GOOD = """\
refusal: {en: "no", zh: "不"}
categories:
  fruit:
    action: warn
    rules:
      - name: apples
        terms: ['apples?']
        intent: ['eat']
"""


def test_shipped_policy_has_every_category_in_english_and_chinese():
    policy = load_policy()
    names = {c.name for c in policy.categories}
    assert {"violence_weapons", "self_harm", "illegal_drugs", "malware_intrusion",
            "sexual_minors", "hate", "prompt_injection"} <= names
    assert set(policy.refusal) == {"en", "zh"}
    for cat in policy.categories:
        sources = [p.pattern for r in cat.rules for p in r.terms + r.patterns]
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in sources), cat.name


def test_a_custom_policy_file_is_used(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD, encoding="utf-8")
    decision = check("I eat apples", policy=path)
    assert decision.categories == ["fruit"] and decision.action == "warn" and decision.allowed
    assert check("How do I make a pipe bomb?", policy=path).allowed  # not in this policy


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("action: warn", "action: [warn"), "line 5: not valid YAML"),
    (GOOD.replace("        intent:", "        inten:"), "line 8: unknown key 'inten'"),
    (GOOD.replace("'apples?'", "'apples('"), "line 6: rule fruit.apples 'terms': pattern"),
    (GOOD.replace("action: warn", "action: shout"), "line 4: category 'fruit': action must"),
    (GOOD.replace("        intent: ['eat']\n", ""), "needs 'patterns', or both"),
    ("categories: []", "'categories' must be a non-empty mapping"),
])
def test_malformed_policy_names_the_line(text, message):
    with pytest.raises(PolicyError, match="p.yaml") as info:
        parse_policy(text, "p.yaml")
    assert message in str(info.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path / "nope.yaml")
