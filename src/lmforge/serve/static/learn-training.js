// Learn tab, lesson 7: one sentence as the causal-LM, masked-LM and seq2seq objectives see
// it (a grid of tokens, scored positions marked) with the loaded model's loss where its
// family fits; lesson 10: one GRPO group, its rewards and advantages. Helpers: learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, bi, field, numberInput, learnApi, attempt, errorLine, visible, oneLine } = learn;

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

// -- lesson 10: a GRPO group --------------------------------------------------------------

// An advantage as a bar left (negative, red) or right (positive, green) of a centre line
function advantageBar(a, most) {
  const width = most ? 50 * Math.abs(a) / most : 0;
  return el("span", { class: "advantage" }, el("span", {
    class: a >= 0 ? "up" : "down",
    style: a >= 0 ? `left:50%;width:${width}%` : `left:${50 - width}%;width:${width}%`,
  }));
}

learn.register({
  n: 10, id: "grpo", en: "RL with rewards (GRPO)", zh: "强化学习（GRPO）",
  render(pane) {
    const question = el("input", { id: "grpo-question", class: "learn-prompt",
                                   value: "What is 7 + 8? Reply with the number only." });
    const answer = el("input", { id: "grpo-answer", class: "learn-prompt short", value: "15" });
    const size = numberInput("grpo-group-size", 8, { min: 2, max: 16 });
    const result = el("div", { id: "grpo-result" });
    async function sample() {
      const data = await learnApi("grpo", { question: question.value, answer: answer.value,
                                            group_size: Number(size.value) });
      const most = Math.max(...data.samples.map((s) => Math.abs(s.advantage)));
      const rows = [...data.samples].sort((a, b) => b.advantage - a.advantage).map((s) =>
        el("li", { class: s.reward > 0 ? "right" : "wrong", title: s.reason },
           el("span", { class: "mark" }, s.reward > 0 ? "✓" : "✗"),
           advantageBar(s.advantage, most),
           el("span", { class: "num" }, s.advantage.toFixed(2)),
           el("span", { class: "reply" }, oneLine(s.text.slice(0, 160)))));
      result.replaceChildren(
        el("p", { class: "hint" }, bi(`mean reward ${data.mean_reward.toFixed(2)}, std ` +
          `${data.std_reward.toFixed(2)}` + (data.uniform ? ": every answer scored the same, " +
          "so this group teaches nothing" : ""), `平均奖励 ${data.mean_reward.toFixed(2)}` +
          (data.uniform ? "：所有回答得分相同，这一组没有学习信号" : ""))),
        el("ol", { class: "grpo-group" }, rows));
    }
    pane.append(
      el("p", { class: "lesson-idea" }, bi("GRPO samples a group of answers, scores each " +
        "(1 right, 0 wrong) and uses the group as its baseline: advantage = (reward − mean) / " +
        "std. Answers above their group's average are pushed up, the others down.", "GRPO 对同一" +
        "问题采样一组回答，逐个打分（对为 1，错为 0），以这一组为基准：优势 =（奖励 − 均值）/ 标准差。" +
        "好于组内平均的回答被加强，其余被削弱。")),
      el("div", { class: "learn-controls" }, field("Question", "问题", question),
         field("Answer", "答案", answer), field("Group size", "组大小", size),
         el("button", { type: "button", id: "grpo-run", onclick: () => attempt(pane, sample) },
            bi("Sample a group", "采样一组"))),
      errorLine(), result);
    attempt(pane, sample);
  },
});
}
