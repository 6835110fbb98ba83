"""The chat page in headless Chromium (Debian's `chromium`, driven by playwright): type a
message, see the reply stream in, hover a token and see its alternatives. Screenshots go to
the test's tmp dir (set LMFORGE_SCREENSHOT_DIR to keep them, e.g. docs/images)."""

import os
from pathlib import Path

import pytest
from serve_helpers import API_KEY

pytestmark = pytest.mark.slow


def test_page_streams_a_reply_and_shows_alternatives(server, browser, tmp_path):
    shots = Path(os.environ.get("LMFORGE_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed_remote: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url)
            else failed_remote.append(r.url))
    page.goto(server.url + "/")
    page.fill("#api-key", API_KEY)
    page.dispatch_event("#api-key", "change")
    page.wait_for_function("document.getElementById('model').textContent.length > 0")
    page.fill("#temperature", "0")
    page.fill("#max-tokens", "24")
    page.fill("#input", "What is the capital of France?")
    page.click("#send")
    page.wait_for_selector(".msg.assistant .tok")  # the first streamed token
    first = page.locator(".msg.assistant .tok").count()
    page.wait_for_selector(".msg.assistant .meta", timeout=60000)  # the reply finished
    tokens = page.locator(".msg.assistant .tok")
    assert tokens.count() >= first >= 1 and tokens.count() > 1
    reply = "".join(tokens.all_text_contents())
    assert reply.strip()
    page.screenshot(path=str(shots / "chat.png"))

    tokens.nth(0).hover()
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    rows = tooltip.locator("tr")
    assert rows.count() == 5  # top_logprobs=5 alternatives
    assert "%" in tooltip.inner_text()
    page.screenshot(path=str(shots / "chat-hover.png"))

    page.fill("#input", "And of Germany?")  # a second turn: history is kept
    page.click("#send")
    page.wait_for_function("document.querySelectorAll('.msg.assistant .meta').length == 2",
                           timeout=60000)
    assert page.locator(".msg.user").count() == 2
    page.close()
    assert errors == [] and failed_remote == []


def test_the_page_starts_from_the_chat_defaults_and_answers_paris(server, browser):
    """The controls as the page loads them are the library's chat defaults; the requests they
    make carry them; the first answer to the README's question names Paris whatever the seed."""
    import json
    import re

    from lmforge.infer.defaults import CHAT_DEFAULTS

    page = browser.new_page()
    sent: list[dict] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data))
            if r.url.endswith("/v1/chat/completions") else None)
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-defaults=loaded]")
    controls = page.evaluate("""() => Object.fromEntries(
        [["temperature", "temperature"], ["top_p", "top-p"],
         ["repetition_penalty", "repetition-penalty"], ["max_tokens", "max-tokens"]]
        .map(([name, id]) => [name, Number(document.getElementById(id).value)]))""")
    expected = {k: v for k, v in CHAT_DEFAULTS.to_json().items() if k != "stop_loops"}
    assert controls == expected
    assert page.locator("#temperature-value").inner_text() == "0"
    page.fill("#api-key", API_KEY)
    page.dispatch_event("#api-key", "change")
    page.wait_for_function("document.getElementById('model').textContent.length > 0")
    for seed in (0, 1):
        page.click("#clear")
        page.fill("#seed", str(seed))
        page.fill("#input", "What is the capital of France?")
        page.click("#send")
        page.wait_for_selector(".msg.assistant .meta", timeout=120000)
        reply = page.locator(".msg.assistant").inner_text()
        assert re.search(r"\bParis\b", reply), reply  # not "Parisis la cité"
        assert {k: sent[-1][k] for k in expected} == expected and sent[-1]["seed"] == seed
    page.close()
