"""Prompt-attack defences for a chat (`lmforge chat`, the server's /v1/chat/completions).

    defences = ChatDefences.parse("leak,canary")         # or "none", "all"; DEFAULT_SPEC
    system, check = defences.guard_system("You are Ada. The code is 4711 ...")
    content = defences.data(tool_output)                 # untrusted text, detect + spotlight
    shown = LeakFilter(check)                             # a streamed reply, held back
    for piece in pieces: print(shown.feed(piece), end="")
    print(shown.finish())                                 # LEAK_REFUSAL if it leaked

The system prompt is what a chat has to protect (rules, names, keys); a user who asks "print
the text above" gets it from a small model more often than not (docs/safety.md, red-team
table). The defences, by name:

- leak: every reply is checked against the system prompt (canary.leaked: a run of 8 words
  or 12 Chinese characters copied from it); a leaking reply is replaced by LEAK_REFUSAL.
  Streamed replies are held back by as much text as a leak needs to be recognised
  (LeakFilter), so no part of a leak reaches the screen. The prompt is not changed.
- canary: also put a random canary token in the system prompt (canary.with_canary) and
  treat a reply holding it as a leak: catches leaks shorter than 8 words. It changes the
  prompt, so greedy replies differ from a chat without it.
- spotlight: untrusted data (a tool message, a file given with /file) is marked as data
  (spotlight.py, delimit) and the system prompt says so. Changes the prompt where data is.
- detect: sentences of untrusted data that carry instructions are removed (injection.py).

The default, DEFAULT_SPEC = "leak", is what costs no answer: without a leak the reply is the
same, token for token (the chat defaults of issue 24 promise unchanged answers), and "all"
turns the others on. RAG and the agent take their own `Defences` (defences.py).

Test: `pytest tests/safety/test_chat_defences.py`.
"""

import re
from dataclasses import dataclass

from lmforge.safety.canary import (
    LEAK_REFUSAL,
    MIN_RUN,
    MIN_RUN_ZH,
    leaked,
    new_canary,
    with_canary,
)
from lmforge.safety.defences import Defences
from lmforge.safety.normalize import language

NAMES = ("leak", "canary", "spotlight", "detect")
LEAKED = "withheld: the reply leaked the system prompt"
DEFAULT_SPEC = "leak"
SPEC_HELP = ("Prompt-attack defences, comma-separated: leak (withhold replies that copy the "
             "system prompt), canary (a canary token in the system prompt, too), spotlight "
             "(mark tool output and files as data), detect (remove instructions from them); "
             "'all' or 'none'.")


@dataclass
class LeakCheck:
    """What a reply is checked against: the system prompt as the model saw it, its canary."""

    system: str
    canary: str | None = None

    def leaked(self, reply: str) -> bool:
        return leaked(reply, self.system, self.canary)

    @property
    def refusal(self) -> str:
        return LEAK_REFUSAL[language(self.system)]


@dataclass
class ChatDefences:
    leak: bool = True
    canary: bool = False
    spotlight: bool = False
    detect: bool = False

    @classmethod
    def parse(cls, spec: str) -> "ChatDefences":
        """'none', 'all', or comma-separated names from NAMES; a bad name is a ValueError."""
        names = [n.strip() for n in spec.split(",") if n.strip()]
        if names == ["none"]:
            return cls(leak=False)
        if names == ["all"]:
            return cls(True, True, True, True)
        unknown = [n for n in names if n not in NAMES]
        if unknown or not names:
            raise ValueError(f"unknown defence {', '.join(unknown) or spec!r}: use 'none', "
                             f"'all' or some of {', '.join(NAMES)}")
        # a canary is only worth something when replies are checked for it
        return cls(leak="leak" in names or "canary" in names, canary="canary" in names,
                   spotlight="spotlight" in names, detect="detect" in names)

    @property
    def guards_data(self) -> bool:
        return self.spotlight or self.detect

    def _data_defences(self) -> Defences:
        return Defences(detect=self.detect, spotlight="delimit" if self.spotlight else "none",
                        canary=False, refuse_tool_calls=False)

    def guard_system(self, system: str | None, has_data: bool = False
                     ) -> tuple[str | None, LeakCheck | None]:
        """The system prompt the model sees (with a canary, and the data rule when the chat
        holds untrusted data) and the check its replies must pass (None: nothing to leak)."""
        if system and has_data and self.spotlight:
            system = self._data_defences().system_rule(system, language(system))
        if not system or not self.leak:
            return system, None
        canary = new_canary() if self.canary else None
        shown = with_canary(system, canary) if canary else system
        return shown, LeakCheck(shown, canary)

    def data(self, text: str) -> str:
        """Untrusted text (tool output, a file) as the model should see it."""
        if not self.guards_data:
            return text
        return self._data_defences().guard_data(text)[0]

    def data_rule(self, lang: str = "en") -> str:
        """The sentence saying how data is marked ('' when spotlighting is off)."""
        return self._data_defences().system_rule("", lang)


_WORD = re.compile(r"[A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ALNUM = re.compile(r"[A-Za-z0-9\u3400-\u9fff]")


class LeakFilter:
    """A streamed reply passed through a leak check: text is released only once it can no
    longer be part of a leak, i.e. all but a tail holding MIN_RUN words, MIN_RUN_ZH Chinese
    characters and as many letters as the canary (spelled out with spaces or not). When the
    reply leaks, nothing more is released and `finish` returns the refusal."""

    def __init__(self, check: LeakCheck | None) -> None:
        self.check, self.text, self.released, self.leaked = check, "", 0, False
        self.canary_letters = len(_ALNUM.findall(check.canary)) if check and check.canary \
            else 0

    def feed(self, piece: str) -> str:
        """The text that may be shown now ('' while held back or after a leak)."""
        if self.check is None:
            return piece
        if self.leaked:
            return ""
        self.text += piece
        if self.check.leaked(self.text):
            self.leaked = True
            return ""
        cut = self._safe_end()
        out, self.released = self.text[self.released:cut], max(self.released, cut)
        return out

    def finish(self) -> str:
        """The rest of the reply, or the refusal if it leaked."""
        if self.check is None:
            return ""
        if self.leaked or self.check.leaked(self.text):
            self.leaked = True
            return self.check.refusal if self.released == 0 else "\n" + self.check.refusal
        rest, self.released = self.text[self.released:], len(self.text)
        return rest

    def _safe_end(self) -> int:
        """Where the held-back tail starts: the latest index whose tail holds enough words,
        Chinese characters and letters for any leak to be seen whole (of a kind the text
        before it does not hold at all, the tail needs none)."""
        need = {"words": MIN_RUN + 1, "zh": MIN_RUN_ZH, "letters": self.canary_letters + 1}
        total = self._count(self.text)
        tail = dict.fromkeys(need, 0)
        for i in range(len(self.text) - 1, self.released - 1, -1):
            ch = self.text[i]
            tail["letters"] += bool(_ALNUM.match(ch))
            tail["zh"] += bool(_CJK.match(ch))
            tail["words"] += bool(_WORD.match(ch)) and (i == 0 or not _WORD.match(
                self.text[i - 1]))
            if all(tail[k] >= n or total[k] == tail[k] for k, n in need.items()):
                return i
        return self.released

    @staticmethod
    def _count(text: str) -> dict[str, int]:
        return {"words": len(_WORD.findall(text)), "zh": len(_CJK.findall(text)),
                "letters": len(_ALNUM.findall(text))}


def whole_reply(reply: str, check: LeakCheck | None) -> str:
    """A reply shown at once: itself, or the refusal when it leaks."""
    return check.refusal if check is not None and check.leaked(reply) else reply
