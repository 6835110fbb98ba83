"""The attention HTML page in headless Chromium (Debian's `chromium`, driven by playwright):
it renders every token twice, draws one line per weight >= 0.01 whose thickness follows the
weight, and clicking a token or choosing another layer/head redraws from that row of the map.
Set LMFORGE_SCREENSHOT_DIR to keep the screenshot (e.g. docs/images)."""

import os
from pathlib import Path

import pytest

from lmforge.viz.attention import attention_maps
from lmforge.viz.attention_view import save_attention_html

pytestmark = pytest.mark.slow

TEXT = "the cat sat on the mat. 今天天气真好"


def _drawn(page) -> list[tuple[int, float]]:
    """(target token, weight) of every line, read back from the SVG."""
    return page.eval_on_selector_all("#lines line", """ls => ls.map(l => [
        Math.round((+l.getAttribute('y2') - 11) / 22), +l.getAttribute('stroke-opacity')])""")


def _expected(row) -> list[tuple[int, float]]:
    return [(j, round(w, 4)) for j, w in enumerate(row.tolist()) if round(w, 4) >= 0.01]


def test_attention_page_draws_the_models_weights_and_follows_clicks(decoder, tiny_tokenizer,
                                                                     browser, tmp_path):
    result = attention_maps(decoder, tiny_tokenizer, TEXT)
    path = save_attention_html(result, tmp_path / "attention.html", layer=1, head=2)
    T = len(result.tokens)
    page = browser.new_page(viewport={"width": 900, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    assert page.locator("#left .tok").count() == T == page.locator("#right .tok").count()
    assert "今" in page.inner_text("#left") or "天" in page.inner_text("#left")

    def check(layer: int, head: int, token: int) -> None:
        got = sorted((j, round(w, 4)) for j, w in _drawn(page))
        assert got == _expected(result.maps[layer, head, token]), (layer, head, token)

    check(1, 2, T - 1)  # the page opens on the last token of the chosen layer and head
    page.locator("#left .tok").nth(3).click()
    assert page.locator("#left .tok.sel").inner_text() == page.locator(
        "#left .tok").nth(3).inner_text()
    check(1, 2, 3)
    page.select_option("#layer", "2")
    page.select_option("#head", "0")
    check(2, 0, 3)
    shots = Path(os.environ.get("LMFORGE_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "attention-html.png"))
    page.close()
    assert errors == []
