// Learn tab, lessons 4, 5 and 6: tokenization (the text coloured by token), attention (lines
// from a chosen token to the tokens it attends to) and positions (the sinusoidal table,
// RoPE's rotations, a score by distance). Helpers come from learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, svg, bi, field, numberInput, learnApi, attempt, percent, bars, visible,
        promptInput, button, exampleButtons, lessonFrame } = learn;

const TOKEN_COLOURS = ["#ffcdd2", "#c8e6c9", "#bbdefb", "#fff9c4", "#e1bee7", "#ffe0b2",
                       "#b2dfdb"];

function tokenStrip(tokens) {
  return el("p", { class: "token-strip" }, tokens.map((t, i) => el("span", {
    class: "tok-chip", style: `background:${TOKEN_COLOURS[i % TOKEN_COLOURS.length]}`,
    title: `id ${t.id} · ${t.bytes} bytes 字节` + (t.p === null ? "" : ` · p=${t.p.toFixed(4)}`),
  }, visible(t.text))));
}

learn.register({
  n: 4, id: "tokens", en: "Tokenization", zh: "分词",
  render(pane) {
    const inputs = learn.defaults.examples.tokens.map((text, i) =>
      el("textarea", { id: `tokens-text-${i}`, rows: 2, class: "learn-prompt" }, text));
    const result = el("div", { id: "tokens-result" });
    async function split() {
      const data = await learnApi("tokens", { texts: inputs.map((t) => t.value) });
      const most = Math.max(...data.texts.map((t) => t.tokens.length));
      result.replaceChildren(...data.texts.map((t) => el("section", { class: "token-text" },
        tokenStrip(t.tokens),
        el("p", { class: "hint" }, bi(`${t.characters} characters, ${t.bytes} bytes → ` +
          `${t.tokens.length} tokens (${t.characters_per_token.toFixed(2)} characters, ` +
          `${t.bytes_per_token.toFixed(2)} bytes per token)`, `${t.characters} 个字符，` +
          `${t.bytes} 个字节 → ${t.tokens.length} 个词元`)),
        bars([{ text: t.text.slice(0, 12), p: t.tokens.length / most,
                label: `${t.tokens.length}` }]))));
    }
    lessonFrame(pane, ["The model reads token ids, not characters. Hover a token for its id, " +
      "bytes and probability; <e4 bb> is part of a character.", "模型读的是词元编号，而不是字符。" +
      "鼠标悬停查看编号、字节数和概率；<e4 bb> 表示一个汉字的一部分字节。"], [
      inputs[0], inputs[1],
      [button("tokens-run", "Tokenize", "分词", () => attempt(pane, split))],
    ], result);
    attempt(pane, split);
  },
});

// -- lesson 5: attention ------------------------------------------------------------------

const ROW_H = 26, COLUMN_GAP = 260;

function attentionLines(data, head, chosen) {
  const weights = head === "average" ? data.average : data.heads[Number(head)];
  const T = data.tokens.length;
  const picture = svg("svg", { class: "attention-lines", width: COLUMN_GAP + 200,
                               height: T * ROW_H + 10 });
  const row = weights[chosen];
  row.forEach((w, j) => {
    if (w > 0.005) {
      picture.append(svg("line", { x1: 150, y1: chosen * ROW_H + 18, x2: COLUMN_GAP, y2:
        j * ROW_H + 18, "stroke-width": 1 + 10 * w, "stroke-opacity": Math.min(1, 0.15 + w) }));
    }
  });
  data.tokens.forEach((token, i) => {
    const left = svg("text", { x: 145, y: i * ROW_H + 22, "text-anchor": "end",
                               class: i === chosen ? "query chosen" : "query",
                               "data-index": i }, visible(token));
    const right = svg("text", { x: COLUMN_GAP + 6, y: i * ROW_H + 22,
                                class: i === chosen ? "key chosen" : "key" },
                      `${visible(token)}  ${row[i] > 0.005 ? percent(row[i]) : ""}`);
    picture.append(left, right);
  });
  return picture;
}

// The course's question is where 它 / "it" looks: start there when the text has it
function defaultToken(tokens) {
  const i = tokens.findIndex((t) => t.includes("它") || t.trim() === "it");
  return i >= 0 ? i : tokens.length - 1;
}

learn.register({
  n: 5, id: "attention", en: "Attention", zh: "注意力",
  render(pane) {
    const text = promptInput("attention-text", learn.defaults.examples.attention[0]);
    const layer = el("select", { id: "attention-layer" });
    const head = el("select", { id: "attention-head" });
    const view = el("div", { id: "attention-view" });
    const state = { data: null, chosen: 0 };

    function draw() {
      const picture = attentionLines(state.data, head.value, state.chosen);
      picture.addEventListener("click", (e) => {
        if (e.target.dataset.index === undefined) return;
        state.chosen = Number(e.target.dataset.index);
        draw();
      });
      view.replaceChildren(el("p", { class: "hint" }, bi(`Where "${state.data.tokens[
        state.chosen]}" looks in layer ${state.data.layer}; click a token on the left.`,
        `第 ${state.data.layer} 层中“${state.data.tokens[state.chosen]}”关注哪些词元；点击左侧词元切换。`)),
        picture);
    }
    async function load(keepLayer) {
      const body = { text: text.value };
      if (keepLayer && layer.value !== "") body.layer = Number(layer.value);
      const data = await learnApi("attention", body);
      if (!keepLayer || layer.options.length !== data.n_layers) {
        layer.replaceChildren(...Array.from({ length: data.n_layers }, (_, i) =>
          el("option", { value: i }, `${i}`)));
        head.replaceChildren(el("option", { value: "average" }, "average 平均"),
          ...Array.from({ length: data.n_heads }, (_, i) => el("option", { value: i }, `${i}`)));
        state.chosen = defaultToken(data.tokens);
      }
      layer.value = data.layer;
      state.data = data;
      state.chosen = Math.min(state.chosen, data.tokens.length - 1);
      draw();
    }
    layer.addEventListener("change", () => attempt(pane, () => load(true)));
    head.addEventListener("change", draw);
    const reload = () => attempt(pane, () => load(false));
    lessonFrame(pane, ["Each head mixes in the other tokens' values, weighted by a softmax " +
      "over query·key. Thicker line: more attention.", "每个注意力头按 softmax(查询·键) 的权重" +
      "混合其他词元的值。线越粗，关注越多。"], [
      [field("Text", "文本", text), button("attention-run", "Show", "显示", reload),
       ...exampleButtons(learn.defaults.examples.attention, text, reload)],
      [field("Layer", "层", layer), field("Head", "注意力头", head)],
    ], view);
    attempt(pane, () => load(false));
  },
});

// -- lesson 6: positions ------------------------------------------------------------------

// The sinusoidal table as a heatmap: one row a position, one column a channel, -1 blue to
// +1 red.
function heatmap(table) {
  const cell = 6;
  const canvas = el("canvas", { id: "positions-heatmap", width: table[0].length * cell,
                                height: table.length * cell });
  const ctx = canvas.getContext("2d");
  table.forEach((row, pos) => row.forEach((v, ch) => {
    const r = v > 0 ? 255 : Math.round(255 * (1 + v));
    const b = v < 0 ? 255 : Math.round(255 * (1 - v));
    ctx.fillStyle = `rgb(${r},${Math.round(255 * (1 - Math.abs(v)))},${b})`;
    ctx.fillRect(ch * cell, pos * cell, cell, cell);
  }));
  return canvas;
}

// One channel pair's rotation: where a unit vector points at positions 0..7
function rotationDial(pair) {
  const R = 46, c = 56;
  const picture = svg("svg", { class: "rope-dial", width: 2 * c, height: 2 * c + 28 });
  picture.append(svg("circle", { cx: c, cy: c, r: R }));
  pair.angles.slice(0, 8).forEach((a, pos) => {
    const x = c + R * Math.cos(a), y = c - R * Math.sin(a);
    picture.append(svg("line", { x1: c, y1: c, x2: x, y2: y, "stroke-opacity": 1 - pos / 9 }),
                   svg("text", { x: x + 3, y: y - 3 }, `${pos}`));
  });
  picture.append(svg("text", { x: 4, y: 2 * c + 20, class: "caption" },
    `pair ${pair.channel}: ${pair.wavelength.toFixed(1)}`));
  return picture;
}

// Score by distance: two offsets (they overlap: only the distance counts) and q = k
function scoreChart(rope) {
  const W = 520, H = 180, series = [["score_near", "near"], ["score_far", "far"],
                                   ["score_same", "same"]];
  const all = series.flatMap(([key]) => rope[key]);
  const lo = Math.min(...all), hi = Math.max(...all), n = rope.distance.length;
  const x = (i) => 30 + (W - 40) * i / (n - 1), y = (v) => 10 + (H - 30) * (hi - v) / (hi - lo);
  const picture = svg("svg", { class: "score-chart", width: W, height: H });
  picture.append(svg("line", { x1: 30, y1: y(0), x2: W - 10, y2: y(0), class: "axis" }));
  for (const [key, kind] of series) {
    picture.append(svg("polyline", { class: kind,
      points: rope[key].map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ") }));
  }
  picture.append(svg("text", { x: W - 110, y: H - 4, class: "caption" }, "distance 距离 →"));
  return picture;
}

learn.register({
  n: 6, id: "positions", en: "Positions", zh: "位置编码",
  render(pane) {
    const n = numberInput("positions-n", 64, { min: 2, max: 256 });
    const result = el("div", { id: "positions-result" });
    async function show() {
      const data = await learnApi("positions", { n_positions: Number(n.value) });
      const rope = data.rope;
      result.replaceChildren(
        el("h3", {}, bi("Sinusoidal: position × channel", "正弦位置编码：位置 × 通道")),
        heatmap(data.sinusoidal.table),
        el("h3", {}, bi(`RoPE (head size ${rope.head_dim}, θ = ${rope.theta}): each pair ` +
          "turns with the position, fast pairs first", `RoPE（头维度 ${rope.head_dim}，θ = ` +
          `${rope.theta}）：每对通道随位置旋转，靠前的转得快`)),
        el("div", { class: "rope-dials" }, rope.pairs.map(rotationDial)),
        el("h3", {}, bi("q·k by distance: blue at positions (d, 0), orange dashed at " +
          "(100 + d, 100), the same line; grey: q = k", "q·k 随距离变化：蓝线为位置 (d, 0)，" +
          "橙色虚线为 (100 + d, 100)，两者重合；灰线为 q = k")),
        scoreChart(rope));
    }
    lessonFrame(pane, ["Attention compares every pair of tokens whatever their order, so the " +
      "position is put in: added as sin/cos waves, or (RoPE) by rotating query and key so " +
      "that their score depends only on the distance.", "注意力对任意两个词元的比较与顺序无关，" +
      "所以要加入位置信息：加上正弦/余弦波，或者（RoPE）旋转查询和键，使它们的得分只取决于距离。"], [
      [field("Positions", "位置数", n),
       button("positions-run", "Show", "显示", () => attempt(pane, show))],
    ], result);
    attempt(pane, show);
  },
});
}
