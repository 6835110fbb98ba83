"""Drawing attention: heatmaps as PNG (matplotlib) and an interactive HTML page.

    maps, titles = select(result, layer=3, head=None)     # attention.py
    save_heatmaps(result, maps, titles, "attn.png")
    save_attention_html(result, "attn.html", layer=3, head=0)

The HTML page is one self-contained file (no network): the tokens in two columns with a
line from the chosen token on the left to every token it attends to on the right, the
line's opacity its weight; pick the layer, head (or head average) and token.
Test: `pytest tests/viz/test_attention.py`.
"""

import html
import json
import math
from pathlib import Path

from lmforge.atomic import write_text_atomic
from lmforge.viz.fonts import use_cjk_font
from lmforge.viz.png import save_png

MAX_GRID_PANELS = 64  # more panels than this and each map is too small to read
MAX_HTML_WEIGHTS = 2_000_000  # ~14 MB of JSON; past this the page holds one layer


def save_heatmaps(result, maps, titles: list[str], path: str | Path) -> Path:
    """One heatmap per map (N, T, T), on a grid, tokens on both axes; written atomically."""

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if len(titles) > MAX_GRID_PANELS:
        raise ValueError(f"{len(titles)} maps are too many for one image; choose --layer "
                         f"(and --head), or --average")
    use_cjk_font("".join(result.tokens))
    n = len(titles)
    cols = min(n, 4 if n > 1 else 1)
    rows = math.ceil(n / cols)
    T = len(result.tokens)
    size = max(3.0, 0.32 * T)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False)
    labels = [_label(t) for t in result.tokens]
    for ax, weights, title in zip(axes.flat, maps, titles, strict=False):
        ax.imshow(weights.numpy(), cmap="viridis", vmin=0.0, vmax=float(weights.max()))
        ax.set_title(title, fontsize=9)
        ax.set_xticks(range(T), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(T), labels, fontsize=7)
        ax.set_xlabel("attends to (key)", fontsize=7)
        ax.set_ylabel("token (query)", fontsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    if result.truncated:
        fig.suptitle(f"(first {T} tokens; {result.truncated} more were cut)", fontsize=9)
    return save_png(fig, path)


def save_attention_html(result, path: str | Path, layer: int = 0, head: int | None = None,
                        token: int | None = None) -> Path:
    """The interactive token-to-token view (see the module docstring)."""
    L, H, T, _ = result.maps.shape
    # every layer when the page stays small; otherwise only the chosen one
    layers = list(range(L)) if L * H * T * T <= MAX_HTML_WEIGHTS else [layer]
    maps = [[[[round(w, 4) for w in row] for row in h] for h in result.maps[i].tolist()]
            for i in layers]  # (len(layers), H, T, T) nested lists
    data = {"tokens": result.tokens, "maps": maps, "layers": layers, "layer": layer,
            "head": -1 if head is None else head,
            "token": len(result.tokens) - 1 if token is None else token,
            "truncated": result.truncated}
    page = _PAGE.replace("__DATA__", json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))
    page = page.replace("__TITLE__", html.escape("".join(result.tokens)[:80]))
    write_text_atomic(path, page)
    return Path(path)


def _label(token: str) -> str:
    return token.replace("\n", "\\n").replace(" ", "·") or "∅"


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>attention: __TITLE__</title>
<style>
 body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 20px; }
 #view { position: relative; }
 .col { position: absolute; top: 0; }
 .tok { height: 22px; line-height: 22px; padding: 0 6px; cursor: pointer; white-space: pre;
        font-family: ui-monospace, monospace; border-radius: 3px; }
 .tok.sel { background: #ffd54f; }
 svg { position: absolute; top: 0; }
</style></head><body>
<h3>Attention: __TITLE__</h3>
<p>layer <select id="layer"></select> head <select id="head"></select>
 &nbsp;Click a token on the left to see where it looks. <span id="note"></span></p>
<div id="view"><div class="col" id="left"></div><svg id="lines"></svg>
<div class="col" id="right"></div></div>
<script>
const D = __DATA__;
const T = D.tokens.length, H = D.maps[0].length;
const left = document.getElementById('left'), right = document.getElementById('right');
const svg = document.getElementById('lines');
const show = t => JSON.stringify(t).slice(1, -1) || '∅';
const fill = (el, n, extra) => { extra.forEach(([v, s]) => el.add(new Option(s, v)));
  for (let i = 0; i < n; i++) el.add(new Option(i, i)); };
fill(document.getElementById('layer'), 0, D.layers.map((l, i) => [i, l]));
fill(document.getElementById('head'), H, [[-1, 'average']]);
document.getElementById('layer').value = D.layers.indexOf(D.layer);
document.getElementById('head').value = D.head;
if (D.truncated) document.getElementById('note').textContent =
  '(first ' + T + ' tokens shown; ' + D.truncated + ' more were cut)';
D.tokens.forEach((t, i) => {
  const a = document.createElement('div'); a.className = 'tok'; a.textContent = show(t);
  a.onclick = () => { D.token = i; draw(); }; left.appendChild(a);
  const b = document.createElement('div'); b.className = 'tok'; b.textContent = show(t);
  right.appendChild(b); });
function weights() {
  const l = +document.getElementById('layer').value, h = +document.getElementById('head').value;
  if (h >= 0) return D.maps[l][h][D.token];
  const avg = new Array(T).fill(0);
  for (let k = 0; k < H; k++) D.maps[l][k][D.token].forEach((w, j) => avg[j] += w / H);
  return avg; }
function draw() {
  const lw = Math.max(...[...left.children].map(e => e.offsetWidth)) + 10;
  svg.style.left = lw + 'px'; svg.setAttribute('width', 220);
  svg.setAttribute('height', T * 22); right.style.left = (lw + 230) + 'px';
  [...left.children].forEach((e, i) => e.classList.toggle('sel', i === D.token));
  const w = weights(); svg.innerHTML = '';
  w.forEach((x, j) => { if (x < 0.01) return;
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    line.setAttribute('x1', 0); line.setAttribute('y1', D.token * 22 + 11);
    line.setAttribute('x2', 220); line.setAttribute('y2', j * 22 + 11);
    line.setAttribute('stroke', '#1565c0'); line.setAttribute('stroke-width', 1 + 5 * x);
    line.setAttribute('stroke-opacity', x);
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = show(D.tokens[j]) + ': ' + x.toFixed(3); line.appendChild(title);
    svg.appendChild(line); });
  [...right.children].forEach((e, j) => e.style.background =
    'rgba(21,101,192,' + (0.6 * w[j]).toFixed(3) + ')'); }
document.getElementById('layer').onchange = draw; document.getElementById('head').onchange = draw;
draw();
</script></body></html>
"""
