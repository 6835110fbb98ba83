// Learn tab, lesson 7: one sentence as the causal-LM, masked-LM and seq2seq objectives see
// it (a grid of tokens, scored positions marked) with the loaded model's loss where its
// family fits and a tiny trained model's loss for every family; lesson 10: one GRPO group,
// its rewards and advantages, and one live GRPO step. Helpers: learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, bi, field, numberInput, learnApi, attempt, visible, oneLine, promptInput, button,
        lessonFrame, lineChart } = learn;

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

const FAMILY_NAMES = {  // objective -> [English, Chinese]
  causal_lm: ["causal LM (a decoder, GPT-2 shape)", "因果语言模型（解码器，GPT-2 结构）"],
  masked_lm: ["masked LM (an encoder, BERT shape)", "掩码语言模型（编码器，BERT 结构）"],
  seq2seq: ["seq2seq (an encoder-decoder, T5 shape)", "序列到序列（编码器-解码器，T5 结构）"],
};

// Each family's tiny model: its falling training loss and its loss on the sentence
function familyCards(data) {
  return el("div", { id: "families", class: "cost-grid" },
    Object.entries(data.families).map(([name, f]) => el("section", { class: "family" },
      el("h3", {}, bi(...FAMILY_NAMES[name])),
      lineChart(f.curve),
      el("p", { class: "objective-loss" }, bi(`loss on this sentence: ${f.sentence_loss
        .toFixed(3)}`, `在这句话上的损失：${f.sentence_loss.toFixed(3)}`)),
      el("p", { class: "hint" }, bi(`${f.parameters.toLocaleString("en")} weights, loss ` +
        `${f.curve[0][1].toFixed(2)} → ${f.curve[f.curve.length - 1][1].toFixed(2)} in ` +
        `${data.steps} steps (${f.seconds.toFixed(1)} s)`, `${f.parameters.toLocaleString("en")}` +
        ` 个参数，${data.steps} 步内损失 ${f.curve[0][1].toFixed(2)} → ` +
        `${f.curve[f.curve.length - 1][1].toFixed(2)}`)))));
}

learn.register({
  n: 7, id: "objectives", en: "Training objectives", zh: "训练目标",
  render(pane) {
    const text = promptInput("objectives-text", "The cat sat on the mat because it was tired.");
    const result = el("div", { id: "objectives-result" });
    const families = el("div", { id: "objectives-families" });
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
      families.replaceChildren(el("p", { class: "hint" }, bi("Training a tiny model of each " +
        "family on the lesson's sentences (a few seconds, once) …", "正在用本课的句子训练每类" +
        "的一个小模型（几秒钟，只训练一次）…")));
      const trained = await learnApi("objectives/train", { text: text.value });
      families.replaceChildren(el("h3", {}, bi("A real loss for every family: a tiny model of " +
        `each, trained ${trained.steps} steps on ${trained.corpus.source} (${trained.corpus
        .tokens} tokens) by lmforge's Trainer`, `每类模型的真实损失：各训练一个小模型，用 lmforge ` +
        `的 Trainer 在本课句子上（${trained.corpus.tokens} 个词元）训练 ${trained.steps} 步`)),
        familyCards(trained));
    }
    lessonFrame(pane, ["The same sentence teaches three families of models differently: what " +
      "they read, what they must predict, and which positions the loss counts (green).",
      "同一句话以三种方式训练三类模型：模型读到什么、要预测什么、损失计算哪些位置（绿色）。"], [
      [field("Sentence", "句子", text),
       button("objectives-run", "Show", "显示", () => attempt(pane, show))],
    ], result, families);
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

// One live GRPO step: each question's replies (reward, advantage, log-probability before
// and after the update) and what the step did
function grpoStep(data) {
  const most = Math.max(...data.prompts.flatMap((p) => p.samples.map((s) =>
    Math.abs(s.advantage))));
  const groups = data.prompts.map((p) => el("section", { class: "grpo-step-group" },
    el("h3", {}, `${p.prompt} → ${p.answer}`),
    el("ol", { class: "grpo-group" }, p.samples.map((s) =>
      el("li", { class: s.reward > 0 ? "right" : "wrong", title: s.reason },
        el("span", { class: "mark" }, s.reward > 0 ? "✓" : "✗"),
        advantageBar(s.advantage, most),
        el("span", { class: "num" }, s.advantage.toFixed(2)),
        el("span", { class: "reply" }, oneLine(s.text.slice(0, 80)),
           s.logp_before === null ? "" : el("span", { class: "moved" },
             `  log p ${s.logp_before.toFixed(3)} → ${s.logp_after.toFixed(3)}`)))))));
  const summary = data.loss === null
    ? bi("Every group scored the same: nothing to learn, no update.",
         "每组的得分都相同：没有学习信号，不更新。")
    : bi(`loss ${data.loss.toFixed(4)} · KL to the reference ${data.kl_before.toFixed(4)} ` +
         `before the step, ${data.kl_after.toFixed(4)} after · clipped ${(100 * data
         .clip_fraction).toFixed(0)}% · update norm ${data.update_norm.toFixed(4)} over ` +
         `${data.trainable.toLocaleString("en")} LoRA weights (r=${data.rank}, lr ${data.lr}) · ` +
         `${data.seconds.toFixed(1)} s`, `损失 ${data.loss.toFixed(4)} · 与参考模型的 KL：更新前 ` +
         `${data.kl_before.toFixed(4)}，更新后 ${data.kl_after.toFixed(4)} · 更新范数 ` +
         `${data.update_norm.toFixed(4)}`);
  return [el("h3", {}, bi("One live GRPO step", "一次真实的 GRPO 更新")),
          el("p", { id: "grpo-step-summary", class: "objective-loss" }, summary), ...groups];
}

learn.register({
  n: 10, id: "grpo", en: "RL with rewards (GRPO)", zh: "强化学习（GRPO）",
  render(pane) {
    const question = promptInput("grpo-question", "What is 7 + 8? Reply with the number only.");
    const answer = el("input", { id: "grpo-answer", class: "learn-prompt short", value: "15" });
    const size = numberInput("grpo-group-size", 8, { min: 2, max: 16 });
    const result = el("div", { id: "grpo-result" });
    const live = el("div", { id: "grpo-live" });
    async function step() {
      live.replaceChildren(el("p", { class: "hint" }, bi("Loading the model to train and " +
        "taking one GRPO step (sampling, scoring, one LoRA update) …", "正在加载可训练的模型并执行" +
        "一步 GRPO（采样、打分、一次 LoRA 更新）…")));
      live.replaceChildren(...grpoStep(await learnApi("grpo/step", {})));
    }
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
    lessonFrame(pane, ["GRPO samples a group of answers, scores each (1 right, 0 wrong) and " +
      "uses the group as its baseline: advantage = (reward − mean) / std. Answers above their " +
      "group's average are pushed up, the others down.", "GRPO 对同一问题采样一组回答，逐个打分" +
      "（对为 1，错为 0），以这一组为基准：优势 =（奖励 − 均值）/ 标准差。好于组内平均的回答被加强，" +
      "其余被削弱。"], [
      [field("Question", "问题", question), field("Answer", "答案", answer),
       field("Group size", "组大小", size),
       button("grpo-run", "Sample a group", "采样一组", () => attempt(pane, sample))],
      [button("grpo-step", "Take one GRPO step (two sums, LoRA)", "执行一步 GRPO（两道加法，LoRA）",
              () => attempt(pane, step), { class: "secondary" })],
    ], result, live);
    attempt(pane, sample);
  },
});
}
