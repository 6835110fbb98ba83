"""Prompt-attack defences in one settings object, shared by chat, RAG and the agent.

    defences = Defences()                            # the defaults: all on
    text, flags = defences.guard_data(document)     # detection, then spotlighting
    system = defences.system_rule(system, "en")     # tell the model how data is marked
    Defences.off()                                   # every defence off (for measurement)

Which defence does what (docs/safety.md has the red-team table that measures each):
- detect: sentences of documents and tool output that carry instructions are removed
  (injection.py: rules + the shipped n-gram classifier); on chat input, a message that
  tries to take over the model is refused;
- spotlight: documents and tool output are marked as data (spotlight.py) and the system
  prompt says so;
- canary: a random token in the system prompt; a reply holding it (or a long run of the
  prompt) is replaced (canary.py);
- refuse_tool_calls: the agent refuses a tool call that the data asked for (injection.py).

Test: `pytest tests/safety/test_defences.py`.
"""

from dataclasses import dataclass, field

from lmforge.safety import injection
from lmforge.safety.spotlight import check_mode, data_rule, spotlight


@dataclass
class Defences:
    detect: bool = True
    """Remove instructions found in documents and tool output; refuse injected chat input."""
    spotlight: str = "delimit"
    """How data is marked for the model: none, delimit, datamark or base64."""
    canary: bool = True
    """Put a canary token in the system prompt and replace replies that leak it."""
    refuse_tool_calls: bool = True
    """Refuse agent tool calls that a document or tool output asked for."""
    classifiers: list | None = field(default=None, repr=False)
    """Classifiers beside the rules (None: the shipped n-gram classifier)."""

    def __post_init__(self) -> None:
        check_mode(self.spotlight)

    @classmethod
    def off(cls) -> "Defences":
        return cls(detect=False, spotlight="none", canary=False, refuse_tool_calls=False)

    def _classifiers(self) -> list:
        if self.classifiers is None:
            self.classifiers = injection.default_classifiers()
        return self.classifiers

    def clean(self, text: str) -> tuple[str, list[injection.Flag]]:
        """Untrusted text with its instructions removed (when `detect`), and what went."""
        if not self.detect:
            return text, []
        clean = injection.sanitize(text, self._classifiers())
        return clean.text, clean.removed

    def mark(self, text: str) -> str:
        """Untrusted text marked as data (spotlighting; unchanged for mode none)."""
        return spotlight(text, self.spotlight)

    def guard_data(self, text: str) -> tuple[str, list[injection.Flag]]:
        """Untrusted text as the model should see it, and the sentences removed from it."""
        text, flags = self.clean(text)
        return self.mark(text), flags

    def injected_input(self, text: str) -> str | None:
        """For chat input: the rule that finds a takeover attempt, else None."""
        if not self.detect:
            return None
        return next((f.rule for f in injection.scan(text, self._classifiers())), None)

    def system_rule(self, system: str, lang: str = "en") -> str:
        rule = data_rule(self.spotlight, lang)
        return f"{system}\n{rule}".strip() if rule else system


DEFAULT_DEFENCES = Defences()
