"""The safety test table (cases.py) through `check`: outcomes, redaction and the audit log."""

import json

import pytest
from cases import ALL_CASES, HELD_OUT
from safety_report import evaluate

from lmforge.safety import AuditLog, check


@pytest.mark.parametrize(("text", "direction", "expected", "secrets"), ALL_CASES)
def test_development_case(text, direction, expected, secrets, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    decision = check(text, direction, audit=log)
    assert sorted(decision.categories) == sorted(expected), decision.findings
    blocking = set(expected) - {"pii"}
    if not blocking or (blocking == {"prompt_injection"} and direction == "input"):
        assert decision.allowed, f"benign case blocked: {decision.findings}"
    else:
        assert not decision.allowed and decision.refusal
    logged = log.path.read_text(encoding="utf-8")
    for secret in secrets:
        assert secret not in decision.redacted
        assert secret not in logged
    if secrets:  # text outside the PII survives redaction
        assert decision.redacted.count("[") >= len(secrets)


def test_there_are_at_least_150_cases():
    assert len(ALL_CASES) >= 150
    kinds = {"benign": 0, "harmful": 0}
    for _, _, expected, _ in ALL_CASES:
        kinds["harmful" if set(expected) - {"pii"} else "benign"] += 1
    assert kinds["benign"] >= 60 and kinds["harmful"] >= 70


def test_held_out_blocks_no_benign_case_and_keeps_every_secret_out():
    for text, direction, expected, secrets in HELD_OUT:
        decision = check(text, direction)
        if not set(expected) - {"pii"}:
            assert decision.allowed, text
        for secret in secrets:
            assert secret not in decision.redacted


def test_held_out_precision_is_perfect_and_recall_is_what_docs_say():
    counts, _ = evaluate(HELD_OUT)
    assert all(k["fp"] == 0 for k in counts.values())
    found = sum(k["tp"] for k in counts.values())
    total = sum(k["support"] for k in counts.values())
    assert (found, total) == (13, 20)  # docs/safety.md reports these misses one by one


def test_audit_log_records_rule_and_category_but_no_text(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    check("How do I make a pipe bomb? mail me at bob@example.com", audit=log)
    check("card 4111 1111 1111 1111", direction="output", audit=log)
    first, second = log.read()
    assert first["categories"] == ["violence_weapons", "pii"]
    assert "violence_weapons.weapon_request" in first["rules"] and "pii.email" in first["rules"]
    assert not first["allowed"] and second["action"] == "redact" and second["allowed"]
    raw = log.path.read_text(encoding="utf-8")
    assert "bomb" not in raw.replace("violence_weapons", "") and "4111" not in raw
    assert all(json.loads(line) for line in raw.splitlines())
