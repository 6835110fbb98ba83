// Learn tab, lesson 7: one sentence as the causal-LM, masked-LM and seq2seq objectives see
// it (a grid of tokens, scored positions marked) with the loaded model's loss where its
// family fits. Helpers come from learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, bi, field, learnApi, attempt, errorLine, visible } = learn;

// Rows of token cells; a null cell is a position the loss does not count
function tokenGrid(rows) {
  return el("table", { class: "objective-grid" }, rows.map(([en, zh, tokens, scored]) =>
    el("tr", {}, el("th", {}, bi(en, zh)), tokens.map((t) => el("td", {
      class: t === null ? "unscored" : scored ? "scored" : "",
    }, t === null ? "·" : visible(t))))));
}

function lossLine(loss, family, needs) {
  if (loss !== null) {
    return el("p", { class: "objective-loss" }, bi(`loss on this model: ${loss.toFixed(3)} ` +
      `(perplexity ${Math.exp(loss).toFixed(1)})`, `该模型的损失：${loss.toFixed(3)}`));
  }
  return el("p", { class: "hint" }, bi(`no loss here: it needs ${needs[0]}; this model is a ` +
    `${family}`, `此处无损失：需要${needs[1]}，当前模型是 ${family}`));
}

learn.register({
  n: 7, id: "objectives", en: "Training objectives", zh: "训练目标",
  render(pane) {
    const text = el("input", { id: "objectives-text", class: "learn-prompt",
                               value: "The cat sat on the mat because it was tired." });
    const result = el("div", { id: "objectives-result" });
    async function show() {
      const data = await learnApi("objectives", { text: text.value });
      const c = data.causal_lm, m = data.masked_lm, s = data.seq2seq;
      result.replaceChildren(
        el("h3", {}, bi("Causal LM (GPT, Llama): predict every next token",
                        "因果语言模型（GPT、Llama）：预测每一个下一个词元")),
        tokenGrid([["input", "输入", c.inputs, false], ["target", "目标", c.targets, true]]),
        lossLine(c.loss, data.family, ["a decoder", "解码器模型"]),
        el("h3", {}, bi("Masked LM (BERT): predict the hidden tokens only",
                        "掩码语言模型（BERT）：只预测被遮住的词元")),
        tokenGrid([["input", "输入", m.inputs, false], ["label", "标签", m.labels, true]]),
        lossLine(m.loss, data.family, ["an encoder with a masked-LM head", "带掩码语言模型头的编码器"]),
        el("h3", {}, bi("Seq2seq (T5): the decoder writes the dropped spans",
                        "序列到序列（T5）：解码器写出被删去的片段")),
        tokenGrid([["source", "源序列", s.source, false]]),  // rows of different lengths
        tokenGrid([["decoder input", "解码器输入", s.decoder_input, false],
                   ["target", "目标", s.target, true]]),
        lossLine(s.loss, data.family, ["an encoder-decoder", "编码器-解码器模型"]));
    }
    pane.append(
      el("p", { class: "lesson-idea" }, bi("The same sentence teaches three families of " +
        "models differently: what they read, what they must predict, and which positions " +
        "the loss counts (green).", "同一句话以三种方式训练三类模型：模型读到什么、要预测什么、" +
        "损失计算哪些位置（绿色）。")),
      el("div", { class: "learn-controls" }, field("Sentence", "句子", text),
         el("button", { type: "button", id: "objectives-run",
                        onclick: () => attempt(pane, show) }, bi("Show", "显示"))),
      errorLine(), result);
    attempt(pane, show);
  },
});
}
