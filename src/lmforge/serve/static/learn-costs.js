// Learn tab, what things cost: lesson 8 (fine-tuning: trainable weights and memory) and
// lesson 9 (quantization: size against quality). Helpers come from learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, bi, field, numberInput, learnApi, attempt, percent, bars, button,
        lessonFrame } = learn;

function megabytes(n) { return `${(n / 2 ** 20).toFixed(1)} MB`; }

function millions(n) { return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n.toLocaleString("en"); }

function table(id, headers, rows) {
  return el("table", { class: "learn-table", id },
    el("tr", {}, headers.map((h) => el("th", {}, h))),
    rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c)))));
}

function costBars(en, zh, items, value, label) {
  const most = Math.max(...items.map(value)) || 1;
  return el("section", { class: "cost-bars" }, el("h3", {}, bi(en, zh)),
    bars(items.map((r) => ({ text: r.name, plain: true, p: value(r) / most,
                             label: label(r), title: r.name }))));
}

learn.register({
  n: 8, id: "finetune", en: "What fine-tuning costs", zh: "微调的代价",
  render(pane) {
    const rank = numberInput("finetune-rank", 8, { min: 1, max: 1024 });
    const targets = el("input", { id: "finetune-targets", class: "learn-prompt",
      value: "q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj" });  // sft's default
    const result = el("div", { id: "finetune-result" });
    const measured = el("div", { id: "finetune-measured" });
    async function measure() {  // one real optimizer step per mode, on the model's files
      measured.replaceChildren(el("p", { class: "hint" }, bi("Loading the model to train and " +
        "taking one step per mode …", "正在加载可训练的模型，每种方式执行一步 …")));
      const data = await learnApi("finetune/step", { rank: Number(rank.value),
                                                     targets: targets.value });
      measured.replaceChildren(
        el("h3", {}, bi(`One measured step (${data.batch} × ${data.tokens} tokens, ` +
          `${data.device}): forward, backward, AdamW`, `实测一步（${data.batch} × ${data.tokens} ` +
          `个词元，${data.device}）：前向、反向、AdamW`)),
        table("finetune-steps", ["mode 方式", "wall s 耗时", "CPU s", "peak added 新增峰值内存",
                                 "gradients + AdamW (computed) 梯度 + AdamW（计算）", "loss 损失"],
          data.modes.map((m) => m.skipped ? [m.name, m.skipped, "", "", "", ""]
            : [m.name, m.wall_s.toFixed(2), m.cpu_s.toFixed(2), megabytes(m.peak_bytes),
               megabytes(m.computed_bytes), m.loss.toFixed(3)])),
        el("p", { class: "hint" }, bi("Peak added: what the step allocated above the loaded " +
          "model (gradients, AdamW's moments, activations); on a CPU read from the process's " +
          "resident memory, a lower bound.", "新增峰值：这一步在已加载模型之上分配的内存（梯度、" +
          "AdamW 动量、激活值）；CPU 上由进程常驻内存读出，是下限。")));
    }
    async function compute() {
      const data = await learnApi("finetune", { rank: Number(rank.value),
                                                targets: targets.value });
      result.replaceChildren(
        table("finetune-table", ["mode 方式", "trainable 可训练", "parameters 参数", "weights 权重",
                                 "gradients 梯度", "AdamW", "total 合计"],
          data.modes.map((m) => [m.name, millions(m.trainable), millions(m.total),
            megabytes(m.weight_bytes), megabytes(m.gradient_bytes),
            megabytes(m.optimizer_bytes), megabytes(m.total_bytes)])),
        el("div", { class: "cost-grid" },
          costBars("Trainable weights", "可训练参数", data.modes, (m) => m.trainable,
                   (m) => `${millions(m.trainable)} (${percent(m.trainable_share)})`),
          costBars("Training memory", "训练内存", data.modes, (m) => m.total_bytes,
                   (m) => megabytes(m.total_bytes))));
    }
    lessonFrame(pane, ["Full fine-tuning trains every weight and keeps a gradient and two " +
      "AdamW moments for each. LoRA freezes them and trains a rank-r update B·A beside each " +
      "chosen linear; QLoRA also stores the frozen base in 4 bits. Counted by the same code " +
      "`lmforge sft` runs (activations not included); measure one real step beside it.",
      "全量微调训练每个权重，并为每个权重保存梯度和两个 AdamW 动量。LoRA 冻结原权重，只在选中的" +
      "线性层旁训练秩为 r 的更新 B·A；QLoRA 还把冻结的底座存为 4 比特。数字来自 `lmforge sft` " +
      "运行的同一段代码（不含激活值）；可在旁边实测一步。"], [
      [field("LoRA rank r", "秩 r", rank), field("Target linears", "目标线性层", targets),
       button("finetune-run", "Compute", "计算", () => attempt(pane, compute)),
       button("finetune-measure", "Measure a step", "实测一步", () => attempt(pane, measure),
              { class: "secondary" })],
    ], result, measured);
    attempt(pane, compute);
  },
});

function quantizationTable(data) {
  return table("quantization-table", ["setting 设置", "size 大小", "bytes/weight 字节/权重",
    "perplexity 困惑度", "KL to fp32 与 fp32 的 KL", "top-1 same 首选相同"],
    data.settings.map((r) => [r.name, megabytes(r.bytes), r.bytes_per_weight.toFixed(2),
      r.perplexity.toFixed(3), r.kl.toFixed(5), percent(r.top1_agreement)]));
}

learn.register({
  n: 9, id: "quantization", en: "What quantization costs", zh: "量化的代价",
  render(pane) {
    const text = el("textarea", { id: "quantization-text", rows: 4, class: "learn-prompt" },
                    learn.defaults.examples.quantization[0]);
    const result = el("div", { id: "quantization-result" });
    async function measure() {
      const data = await learnApi("quantization", { text: text.value });
      result.replaceChildren(
        el("p", { class: "hint" }, bi(`${data.source}: ${data.tokens} held-out tokens`,
                                      `${data.tokens} 个留出文本词元`)),
        quantizationTable(data),
        el("div", { class: "cost-grid" },
          costBars("Size", "大小", data.settings, (r) => r.bytes, (r) => megabytes(r.bytes)),
          costBars("Perplexity", "困惑度", data.settings, (r) => r.perplexity,
                   (r) => r.perplexity.toFixed(2)),
          costBars("KL divergence to fp32", "与 fp32 的 KL 散度", data.settings, (r) => r.kl,
                   (r) => r.kl.toFixed(4))));
    }
    lessonFrame(pane, ["Fewer bits per weight make the model smaller and faster to read, and " +
      "move its predictions a little. The model is loaded again at each setting (about half " +
      "a minute).", "每个权重用更少的比特，模型更小、读取更快，预测也会稍有偏移。每种设置都会重新" +
      "加载模型（约半分钟）。"], [
      el("label", { class: "learn-field" }, bi("Held-out text", "留出文本"), text),
      [button("quantization-run", "Measure", "测量", () => attempt(pane, measure))],
    ], result);
  },
});
}
