"""PII detection and redaction: find personal data and secrets, check them, replace them.

Each kind is a regular expression that finds candidates plus, where the format has one, a
checksum that confirms them, so look-alike numbers (an order number with 16 digits, an ID
with the wrong check digit) are left alone:

    email        name@domain.tld
    phone        international (+CC ...), Chinese mobile (1[3-9] + 9 digits), (NNN) NNN-NNNN
    credit_card  13-19 digits, spaces or dashes between groups; Luhn checksum
    cn_id        Chinese resident identity number: 17 digits + check digit (ISO 7064
                 MOD 11-2) and a real date of birth
    iban         country code, 2 check digits, up to 30 letters/digits; ISO 13616 mod-97 == 1
    ip           IPv4 (each octet <= 255) and IPv6, validated by `ipaddress`
    secret       API keys with a known shape (sk-..., AKIA..., ghp_..., xox?-..., AIza...),
                 private key blocks, and the value in `password=...` / `api_key: ...`

`redact` replaces each finding with `[KIND]` and keeps every other character.
Test: `pytest tests/safety/test_pii.py`.
"""

import ipaddress
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PiiFinding:
    kind: str
    start: int
    end: int


# Boundaries are ASCII-only ([A-Za-z0-9_], not \w): "号是13812345678" has a number right
# after Chinese characters, which \w would count as part of the same word.
_B, _E = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"  # not inside an ASCII word
_EMAIL = re.compile(r"(?<![A-Za-z0-9_.+-])[a-zA-Z0-9._%+-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*"
                    r"\.[a-zA-Z]{2,}(?![A-Za-z0-9_-])")
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_+])(?:"
    r"\+86[ -]?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"             # Chinese mobile with country code
    r"|1[3-9]\d[ -]?\d{4}[ -]?\d{4}"                     # Chinese mobile
    r"|\+(?!86)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}"  # international E.164-style
    r"|\(\d{3}\) ?\d{3}-\d{4}"                           # North American
    r")" + _E)
_CARD = re.compile(r"(?<![A-Za-z0-9_-])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9_-])")
_CN_ID = re.compile(_B + r"\d{17}[\dXx]" + _E)
_IBAN = re.compile(_B + r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?" + _E)
_IPV4 = re.compile(r"(?<![A-Za-z0-9_.])(?:\d{1,3}\.){3}\d{1,3}(?![A-Za-z0-9_]|\.\d)")
_IPV6 = re.compile(r"(?<![A-Za-z0-9_:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}"
                   r"(?![A-Za-z0-9_:])")
_SECRETS = [
    re.compile(r"(?<![A-Za-z0-9_-])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"),  # OpenAI/Anthropic
    re.compile(_B + r"AKIA[0-9A-Z]{16}" + _E),                  # AWS access key id
    re.compile(_B + r"gh[pousr]_[A-Za-z0-9]{36,}"),             # GitHub tokens
    re.compile(_B + r"xox[abprs]-[A-Za-z0-9-]{10,}"),           # Slack tokens
    re.compile(_B + r"AIza[0-9A-Za-z_-]{35}"),                  # Google API key
    re.compile(_B + r"hf_[A-Za-z0-9]{30,}"),                    # Hugging Face token
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
]
# `password = hunter2secret`, `"api_key": "abc..."`: the value is the secret (group 1)
_ASSIGNED_SECRET = re.compile(
    r"(?i)(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|"
    r"密码|口令|密钥)[\"']?\s*[:=：]\s*[\"']?([^\s\"',;]{6,})")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of card numbers: double every second digit from the right."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def cn_id_valid(number: str) -> bool:
    """GB 11643-1999: weighted sum of the first 17 digits mod 11 picks the check character,
    and digits 7-14 are a real date of birth."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    if "10X98765432"[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def iban_valid(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers (A=10),
    and the number mod 97 must be 1."""
    iban = iban.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _ip_valid(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def find_pii(text: str, kinds: list[str] | None = None) -> list[PiiFinding]:
    """Every checked PII finding in `text`, sorted, without overlaps (the longest wins)."""
    kinds = set(kinds or _FINDERS)
    found: list[PiiFinding] = []
    for kind, finder in _FINDERS.items():  # most specific first: it wins a tie
        if kind in kinds:
            found += list(finder(text))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[PiiFinding] = []
    for f in found:
        if kept and f.start < kept[-1].end:  # overlaps the previous (longer or earlier) one
            continue
        kept.append(f)
    return kept


def redact(text: str, findings: list[PiiFinding]) -> str:
    """Replace each finding with [KIND]; every other character stays as it was."""
    out, last = [], 0
    for f in findings:
        out += [text[last:f.start], f"[{f.kind.upper()}]"]
        last = f.end
    return "".join(out) + text[last:]


def _emails(text):
    for m in _EMAIL.finditer(text):
        yield PiiFinding("email", m.start(), m.end())


def _phones(text):
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 7 <= len(digits) <= 15:  # E.164 numbers have at most 15 digits
            yield PiiFinding("phone", m.start(), m.end())


def _cards(text):
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            yield PiiFinding("credit_card", m.start(), m.end())


def _cn_ids(text):
    for m in _CN_ID.finditer(text):
        if cn_id_valid(m.group()):
            yield PiiFinding("cn_id", m.start(), m.end())


def _ibans(text):
    for m in _IBAN.finditer(text):
        if iban_valid(m.group()):
            yield PiiFinding("iban", m.start(), m.end())


def _ips(text):
    for pattern in (_IPV4, _IPV6):
        for m in pattern.finditer(text):
            if _ip_valid(m.group()) and (pattern is _IPV4 or m.group().count(":") >= 2):
                yield PiiFinding("ip", m.start(), m.end())


def _secrets(text):
    for pattern in _SECRETS:
        for m in pattern.finditer(text):
            yield PiiFinding("secret", m.start(), m.end())
    for m in _ASSIGNED_SECRET.finditer(text):
        yield PiiFinding("secret", m.start(1), m.end(1))


_FINDERS = {"secret": _secrets, "email": _emails, "iban": _ibans, "cn_id": _cn_ids,
            "credit_card": _cards, "phone": _phones, "ip": _ips}
