"""PII finders: checksums confirm candidates, look-alikes stay, redaction keeps the rest."""

from lmforge.safety.pii import cn_id_valid, find_pii, iban_valid, luhn_valid, redact


def test_luhn_on_published_test_numbers():
    assert all(luhn_valid(n) for n in ["4111111111111111", "5500000000000004",
                                       "378282246310005", "6011111111111117"])
    assert not luhn_valid("4111111111111112")


def test_chinese_id_checksum_and_birth_date():
    assert cn_id_valid("11010519491231002X")
    assert not cn_id_valid("110105194912310021")   # wrong check digit
    # right check digit for the body, but 1949-13-31 is no date
    body = "11010519491331002"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    assert not cn_id_valid(body + check)


def test_iban_mod_97():
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and iban_valid("DE89370400440532013000")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")


def test_redaction_replaces_only_the_finding():
    text = "mail a@b.io or call 13812345678, ip 10.0.0.1."
    findings = find_pii(text)
    assert [f.kind for f in findings] == ["email", "phone", "ip"]
    assert redact(text, findings) == "mail [EMAIL] or call [PHONE], ip [IP]."


def test_a_valid_id_that_also_passes_luhn_is_an_id():
    # an 18-digit number can pass Luhn by chance; the more specific checksum wins
    ids = [f"{n}" for n in ["11010519491231002X", "44030419900307123X", "310115198511154562"]]
    for number in ids:
        assert [f.kind for f in find_pii(f"ID {number}")] == ["cn_id"]


def test_only_asked_kinds_are_found():
    assert find_pii("a@b.io 13812345678", kinds=["phone"])[0].kind == "phone"
    assert len(find_pii("a@b.io 13812345678", kinds=["phone"])) == 1
