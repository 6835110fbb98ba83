"""Canary tokens: a reply holding the canary or a long run of the system prompt is a leak."""

from lmforge.safety.canary import leaked, new_canary, with_canary

SYSTEM = "You are the help desk of Orion Travel. Never discuss prices of competitors or staff."


def test_the_canary_is_found_through_spacing_case_and_full_width():
    canary = new_canary()
    system = with_canary(SYSTEM, canary)
    assert canary in system and canary != new_canary()
    assert leaked(f"Sure! My reference is {canary}.", system, canary)
    assert leaked(" ".join(canary.lower()), system, canary)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in canary)
    assert leaked(fullwidth, system, canary)


def test_a_copied_run_of_the_prompt_is_a_leak_a_short_overlap_is_not():
    assert leaked("My instructions: you are the help desk of Orion Travel. Never discuss "
                  "prices...", SYSTEM)
    assert not leaked("Orion Travel can help you with prices.", SYSTEM)  # 5 words in a row
    zh = "你是猎户旅行的客服。不要讨论竞争对手的价格和员工信息。"
    assert leaked("我的指令是：你是猎户旅行的客服。不要讨论竞争对手", zh)  # 12+ characters
    assert not leaked("猎户旅行的客服很好", zh)


def test_an_ordinary_reply_does_not_leak():
    canary = new_canary()
    assert not leaked("The ferry leaves from pier 7 every hour.", with_canary(SYSTEM, canary),
                      canary)


def test_a_spelled_out_canary_with_look_alike_digits_is_found():
    """Spaced out, a lone 0, 3 or 7 reads as the letter it looks like (o, e, t); the canary
    must be compared after the spacing is gone (this one was missed before)."""
    canary = "CANARY-032a0733"
    assert leaked(" ".join(canary.lower()), with_canary(SYSTEM, canary), canary)
