"""The Learn tab in headless Chromium on the bundled SmolLM2: every lesson loads, clicking a
candidate branches, lesson 2's samples arrive after its kept sets, lesson 3's tree grows a
step at a time, lessons 7, 8 and 10 train (tiny models, a measured step, a GRPO step), bad
values show the server's message, no page errors. Screenshots go to the test's tmp dir
(set LMFORGE_SCREENSHOT_DIR=docs/images to keep them)."""

import os
import threading
import time
from pathlib import Path

import pytest

from lmforge.infer import Engine
from lmforge.serve.app import Server, ServeSettings, create_app
from lmforge.serve.launch import bind

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url(smollm2):
    """The real app over the session's SmolLM2, served by uvicorn in a thread."""
    import uvicorn

    engine = Engine(smollm2.model, smollm2.tokenizer, max_batch_size=2, num_kv_blocks=64)
    app = create_app(Server(smollm2, None, ServeSettings(max_batch=2), engine))
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=30)


def lesson(page, name: str) -> None:
    page.click(f"#learn-nav button[data-lesson={name}]")
    page.wait_for_function(f"document.getElementById('learn-pane').dataset.lesson == '{name}'")


def shown_error(page) -> str:
    page.wait_for_selector(".learn-error:not([hidden])", timeout=60000)
    return page.inner_text(".learn-error")


def test_every_lesson_loads_and_branches(url, browser, tmp_path):
    shots = Path(os.environ.get("LMFORGE_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []  # a 400 is the answer bad input expects; the page has no icon
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status > 400 and (
        not r.url.endswith("/favicon.ico")) else None)
    page.goto(url + "/")
    page.click("#learn-tab")
    page.wait_for_selector("#words-candidates li", timeout=60000)
    assert page.locator("#learn-nav button").count() == 10
    assert page.locator("#words-candidates li").count() == 10
    assert page.is_hidden("main")

    # lesson 1: take the third candidate, then step back
    third = page.locator("#words-candidates li").nth(2)
    token = third.locator(".token").inner_text()
    third.click()
    page.wait_for_selector("#words-text .taken")
    assert page.inner_text("#words-text .taken") == token
    page.wait_for_function("!document.getElementById('learn-pane').classList.contains('busy')")
    page.screenshot(path=str(shots / "learn-words.png"))
    page.click("#words-back")
    page.wait_for_function("document.querySelectorAll('#words-text .taken').length == 0")
    page.fill("#words-prompt", "")
    page.click("#words-start")
    assert "the prompt is empty" in shown_error(page)

    # lesson 2: eight strategies' kept sets, their samples after; then top-k 0
    lesson(page, "strategies")
    page.wait_for_function("document.querySelectorAll('.strategy').length == 8", timeout=120000)
    page.wait_for_selector(".strategy .samples:not(.pending)", timeout=600000)
    assert page.locator(".strategy").nth(0).locator(".samples li").count() == 3
    assert page.locator(".strategy .samples.pending").count() == 0
    page.screenshot(path=str(shots / "learn-strategies.png"), full_page=True)
    page.fill("#custom-top-k", "0")
    page.click("#strategies-add")
    assert "top_k=0 is invalid" in shown_error(page)

    # lesson 3: one level, a next step, then to the end with the winner marked; 17 beams
    lesson(page, "beam")
    page.wait_for_selector(".beam-tree .node.pruned", timeout=60000)
    page.wait_for_function("!document.getElementById('learn-pane').classList.contains('busy')")
    assert page.locator(".beam-tree .node:not(.root)").count() <= 6  # 2k candidates, 1 step
    page.click("#beam-step")
    page.wait_for_selector("#beam-status:has-text('step 2')", timeout=60000)
    page.click("#beam-end")
    page.wait_for_selector("#beam-paths .beam-path", timeout=120000)
    assert page.locator("#beam-paths .beam-path").count() == 2  # the winner and greedy
    assert page.locator(".beam-tree .node.winner:not(.root)").count() > 0
    page.screenshot(path=str(shots / "learn-beam.png"), full_page=True)
    page.fill("#beam-beams", "17")
    page.click("#beam-run")
    assert "beams=17 is invalid" in shown_error(page)

    # lessons 4 and 5: tokens coloured, attention lines from a clicked token
    lesson(page, "tokens")
    page.wait_for_selector(".tok-chip", timeout=60000)
    assert page.locator(".token-text").count() == 2
    page.screenshot(path=str(shots / "learn-tokens.png"))
    lesson(page, "attention")
    page.wait_for_selector(".attention-lines line", timeout=60000)
    page.locator("#learn-pane button.example").nth(1).click()  # the English twin
    page.wait_for_selector(".attention-lines text.query.chosen:text-is('␣it')", timeout=60000)
    page.screenshot(path=str(shots / "learn-attention.png"), full_page=True)
    page.locator(".attention-lines text.query").nth(2).click()
    page.wait_for_selector(".attention-lines text.query.chosen[data-index='2']")

    # lesson 6: the sinusoidal heatmap, RoPE's dials and the score by distance
    lesson(page, "positions")
    page.wait_for_selector(".score-chart polyline.far", timeout=60000)
    assert page.locator(".rope-dial").count() == 4
    page.screenshot(path=str(shots / "learn-positions.png"), full_page=True)

    # lesson 7: three objectives' views of one sentence, the decoder's causal-LM loss, and a
    # tiny model of each family trained for its own loss
    lesson(page, "objectives")
    page.wait_for_selector(".objective-loss", timeout=60000)
    assert page.locator(".objective-grid").count() == 4
    page.wait_for_selector("#families .family", timeout=300000)
    assert page.locator("#families .family .line-chart").count() == 3
    page.screenshot(path=str(shots / "learn-objectives.png"), full_page=True)

    # lesson 10: one GRPO group, sampled, scored and normalised; then one live GRPO step
    lesson(page, "grpo")
    page.wait_for_selector(".grpo-group li", timeout=120000)
    assert page.locator(".grpo-group li").count() == 8
    page.wait_for_function("!document.getElementById('learn-pane').classList.contains('busy')")
    page.click("#grpo-step")
    page.wait_for_selector("#grpo-step-summary", timeout=600000)
    assert page.locator("#grpo-live .grpo-group li").count() == 8  # 2 sums x a group of 4
    page.screenshot(path=str(shots / "learn-grpo.png"), full_page=True)

    # lessons 8 and 9: the costs tables and a measured step (quantization loads the model at
    # six settings)
    lesson(page, "finetune")
    page.wait_for_selector("#finetune-table tr:nth-child(4)", timeout=60000)
    assert "LoRA r=8" in page.inner_text("#finetune-table")
    page.click("#finetune-measure")
    page.wait_for_selector("#finetune-steps tr:nth-child(4)", timeout=600000)
    assert "QLoRA" in page.inner_text("#finetune-steps")
    page.screenshot(path=str(shots / "learn-finetune.png"), full_page=True)
    lesson(page, "quantization")
    page.click("#quantization-run")
    page.wait_for_selector("#quantization-table", timeout=600000)
    page.screenshot(path=str(shots / "learn-quantization.png"), full_page=True)
    rows = page.locator("#quantization-table tr")
    assert rows.count() == 7 and "GGUF blocks" in rows.nth(6).inner_text()
    page.close()
    assert errors == [] and failed == [], (errors, failed)
