"""The safety check: one call that every caller (chat, generate, serve, RAG, agent) makes.

    decision = check("How do I make a pipe bomb?")               # direction="input"
    decision.allowed, decision.categories, decision.refusal     # False, ['violence_weapons'], ...
    check(retrieved_doc, direction="document")                  # prompt injection in documents
    check(reply, direction="output").redacted                   # the reply with PII replaced

How a decision is made:
1. normalise the text (normalize.py) and remove the category's safe phrases;
2. for each category that applies to this direction, run its rules (policy.yaml explains a
   rule: explicit patterns, or a dangerous term plus an intent, excused by an allow-listed
   context unless a strong signal is present);
3. find PII on the original text and redact it (checksums in pii.py);
4. ask each classifier (classifier.py) for scores and add categories at or above the
   policy's threshold: classifiers and rules are combined by union;
5. the strictest action wins: block > redact > warn > allow;
6. write one audit record (audit.py) without the text or the secret.
Test: `pytest tests/safety/test_cases.py tests/safety/test_guard.py`.
"""

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lmforge.safety.normalize import normalize
from lmforge.safety.pii import find_pii, redact
from lmforge.safety.policy import DIRECTIONS, Category, Policy, load_policy

_SEVERITY = {"allow": 0, "warn": 1, "redact": 2, "block": 3}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass
class Finding:
    """Why a decision was made: a category, the rule (or PII kind, or classifier) and action."""

    category: str
    rule: str
    action: str


@dataclass
class Decision:
    allowed: bool
    action: str
    """The strictest action taken: allow, warn, redact or block."""
    categories: list[str]
    redacted: str
    """The text with PII replaced by [KIND]; everything else kept."""
    direction: str
    findings: list[Finding] = field(default_factory=list)
    refusal: str | None = None
    """The message to show instead of the text, when blocked (in the text's language)."""

    def to_dict(self) -> dict:
        return asdict(self)


def check(
    text: str,
    direction: str = "input",
    policy: Policy | str | Path | None = None,
    *,
    classifiers: list | None = None,
    audit=None,
) -> Decision:
    """Decide whether `text` may pass (see the module docstring).

    direction: input (user text), output (model text) or document (retrieved text, tool
    output). policy: a Policy, a YAML path, or None for the shipped default.
    classifiers: callables `fn(text, direction) -> {category: probability}`.
    audit: an `AuditLog` (or a path to one) that records the decision.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    readings = list(dict.fromkeys([normalize(text), normalize(text, split_articles=False)]))
    findings = [f for cat in policy.categories if direction in cat.actions
                for f in _category_findings(cat, readings, direction)]
    redacted = text
    if direction in policy.pii.actions:
        pii = find_pii(text, policy.pii.kinds)
        findings += [Finding("pii", p.kind, policy.pii.actions[direction]) for p in pii]
        if pii and policy.pii.actions[direction] in ("redact", "block"):
            redacted = redact(text, pii)
    findings += _classifier_findings(classifiers or [], text, direction, policy)
    decision = _decide(findings, redacted, direction, policy, text)
    if audit is not None:
        from lmforge.safety.audit import AuditLog

        (audit if isinstance(audit, AuditLog) else AuditLog(audit)).record(decision)
    return decision


def _category_findings(cat: Category, readings: list[str], direction: str) -> list[Finding]:
    """The rules of `cat` that fire on any reading of the normalised text."""
    hits = []
    for normal in readings:
        for phrase in cat.safe_phrases:
            normal = phrase.sub(" ", normal)
        excused = any(p.search(normal) for p in cat.allow)
        for rule in cat.rules:
            explicit = any(p.search(normal) for p in rule.patterns)
            requested = (any(p.search(normal) for p in rule.terms)
                         and any(p.search(normal) for p in rule.intent))
            strong = any(p.search(normal) for p in rule.strong)
            fired = explicit or (requested and (strong or not excused))
            if fired and rule.name not in {h.rule for h in hits}:
                hits.append(Finding(cat.name, rule.name, cat.actions[direction]))
    return hits


def _classifier_findings(classifiers, text: str, direction: str, policy: Policy):
    findings = []
    for classifier in classifiers:
        name = getattr(classifier, "name", getattr(classifier, "__name__", "classifier"))
        for category, score in classifier(text, direction).items():
            if score >= policy.classifier_threshold:
                cat = policy.category(category)
                action = cat.actions.get(direction, "block") if cat else "block"
                findings.append(Finding(category, f"classifier:{name}", action))
    return findings


def _decide(findings, redacted, direction, policy, text) -> Decision:
    action = max((f.action for f in findings), key=_SEVERITY.get, default="allow")
    categories = list(dict.fromkeys(f.category for f in findings))
    refusal = None
    if action == "block":
        lang = "zh" if _CJK.search(text) else "en"
        blocking = next(f for f in findings if f.action == "block")
        cat = policy.category(blocking.category)
        messages = cat.refusal if cat else policy.refusal
        refusal = messages.get(lang) or messages["en"]
    return Decision(action != "block", action, categories, redacted, direction, findings,
                    refusal)
