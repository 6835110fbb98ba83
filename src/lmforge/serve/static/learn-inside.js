// Learn tab, lessons 4 and 5: tokenization (the text coloured by token) and attention
// (lines from a chosen token to the tokens it attends to). Helpers come from learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, svg, bi, field, numberInput, learnApi, attempt, errorLine, percent, bars,
        visible } = learn;

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
    pane.append(
      el("p", { class: "lesson-idea" }, bi("The model reads token ids, not characters. " +
        "Hover a token for its id, bytes and probability; <e4 bb> is part of a character.",
        "模型读的是词元编号，而不是字符。鼠标悬停查看编号、字节数和概率；<e4 bb> 表示一个汉字的一部分" +
        "字节。")),
      ...inputs,
      el("div", { class: "learn-controls" },
         el("button", { type: "button", id: "tokens-run", onclick: () => attempt(pane, split) },
            bi("Tokenize", "分词"))),
      errorLine(), result);
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
    const text = el("input", { id: "attention-text", class: "learn-prompt",
                               value: learn.defaults.examples.attention[0] });
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
    const examples = learn.defaults.examples.attention.map((example) =>
      el("button", { type: "button", class: "example", onclick: () => {
        text.value = example;
        attempt(pane, () => load(false));
      } }, example));
    pane.append(
      el("p", { class: "lesson-idea" }, bi("Each head mixes in the other tokens' values, " +
        "weighted by a softmax over query·key. Thicker line: more attention.", "每个注意力头按 " +
        "softmax(查询·键) 的权重混合其他词元的值。线越粗，关注越多。")),
      el("div", { class: "learn-controls" }, field("Text", "文本", text),
         el("button", { type: "button", id: "attention-run",
                        onclick: () => attempt(pane, () => load(false)) }, bi("Show", "显示")),
         ...examples),
      el("div", { class: "learn-controls" }, field("Layer", "层", layer),
         field("Head", "注意力头", head)),
      errorLine(), view);
    attempt(pane, () => load(false));
  },
});
}
