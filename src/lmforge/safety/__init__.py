"""Safety: input and output filters, PII redaction, prompt-injection checks, an audit log.

    from lmforge.safety import check
    decision = check(user_text, direction="input")      # or "output", "document"
    if not decision.allowed:
        reply = decision.refusal

See guard.py for how a decision is made and policy.yaml for the shipped policy.
"""

from lmforge.safety.audit import AuditLog
from lmforge.safety.guard import Decision, Finding, check
from lmforge.safety.normalize import normalize
from lmforge.safety.pii import find_pii, redact
from lmforge.safety.policy import Policy, load_policy

__all__ = ["AuditLog", "Decision", "Finding", "Policy", "check", "find_pii", "load_policy",
           "normalize", "redact"]
