// Learn tab, lessons 2 and 3: decoding strategies side by side, and the beam search tree.
// Each click asks for one step: lesson 2's kept sets (one forward), then its samples as a
// second request whose answers fill the cards in; lesson 3's tree a level at a time.
// Helpers (el, bi, field, bars, learnApi, attempt, lessonFrame) come from learn.js.
"use strict";

{  // one block: these names stay out of the page's global scope
const { el, svg, bi, field, numberInput, learnApi, attempt, percent, bars, visible, oneLine,
        numberInputs, promptInput, button, lessonFrame } = learn;

const SETTING_NAMES = {  // strategy settings as the lessons name them, in both languages
  temperature: ["temperature", "温度"], top_k: ["top-k", "前 k 个"], top_p: ["top-p", "核采样"],
  min_p: ["min-p", "最小概率"], repetition_penalty: ["repetition penalty", "重复惩罚"],
  frequency_penalty: ["frequency penalty", "频率惩罚"],
  presence_penalty: ["presence penalty", "存在惩罚"], beams: ["beams", "束宽"],
};

function strategyTitle(strategy) {
  const s = strategy.settings;
  if (s.temperature === 0 && Object.keys(s).length === 1) return bi("greedy", "贪心");
  if (s.beams > 1) return bi(`beam search, k=${s.beams}`, `束搜索，k=${s.beams}`);
  const parts = Object.entries(s);
  if (!parts.length) return bi("sampling, T=1", "采样，温度 1");
  return bi(parts.map(([k, v]) => `${SETTING_NAMES[k][0]} ${v}`).join(", "),
            parts.map(([k, v]) => `${SETTING_NAMES[k][1]} ${v}`).join("，"));
}

function strategyCard(strategy, vocabSize) {
  const beam = strategy.settings.beams > 1;
  const rows = strategy.kept.map((k) => ({
    ...k, ghost: k.p_model, p: beam ? null : k.p,
    label: beam ? percent(k.p_model) : percent(k.p),
    title: `model 模型 ${percent(k.p_model)}`,
  }));
  const kept = beam ? bi(`${strategy.kept_count} beams after step 1`,
                         `第一步后保留 ${strategy.kept_count} 条束`)
    : bi(`keeps ${strategy.kept_count} of ${vocabSize} tokens, ${percent(strategy.kept_mass)} ` +
         "of the probability", `保留 ${strategy.kept_count} / ${vocabSize} 个词元，占概率的 ` +
         percent(strategy.kept_mass));
  return el("article", { class: "strategy" },
    el("h3", {}, strategyTitle(strategy)),
    el("p", { class: "hint" }, kept),
    bars(rows),
    el("ol", { class: "samples pending" }, el("li", {}, bi("sampling…", "采样中…"))),
    el("p", { class: "hint distinct" }));
}

// The samples' answer, into the cards the kept sets drew (same strategies, same order)
function fillSamples(grid, sampled) {
  sampled.strategies.forEach((strategy, i) => {
    const card = grid.children[i];
    card.querySelector(".samples").replaceWith(el("ol", { class: "samples" },
      strategy.samples.map((s) => el("li", {}, el("span", { class: "prompt-echo" }, "…"),
                                     oneLine(s.text)))));
    card.querySelector(".distinct").replaceChildren(...bi(
      `${strategy.distinct} different of ${strategy.samples.length}`,
      `${strategy.samples.length} 次中有 ${strategy.distinct} 种不同`));
  });
}

learn.register({
  n: 2, id: "strategies", en: "Decoding strategies", zh: "解码策略",
  render(pane) {
    const prompt = promptInput("strategies-prompt", learn.defaults.examples.strategies[0]);
    const { samples, maxTokens, seed } = numberInputs("strategies", {
      samples: [3, { min: 1, max: 8 }], maxTokens: [12, { min: 1, max: 64 }],
      seed: [0, { step: 1 }] });
    const custom = {};
    for (const key of ["temperature", "top_k", "top_p", "min_p", "repetition_penalty"]) {
      custom[key] = numberInput(`custom-${key.replace(/_/g, "-")}`, "", { step: "any" });
    }
    const strategies = learn.defaults.strategies.map((s) => ({ ...s }));
    const grid = el("div", { id: "strategies-grid", class: "strategy-grid" });
    const status = el("p", { id: "strategies-status", class: "hint" });
    let asked = 0;  // a newer comparison makes the samples of an older one stale

    async function compare() {  // one step: the kept sets, from one forward
      const mine = ++asked;
      const data = await learnApi("kept", { prompt: prompt.value, strategies });
      grid.replaceChildren(...data.strategies.map((s) => strategyCard(s, data.vocab_size)));
      status.replaceChildren(...bi("Kept sets: one forward pass. Sampling the continuations " +
        "(a generation per sample) …", "保留集合：一次前向计算。正在采样续写（每个样本一次生成）…"));
      fillLater(mine);
    }
    async function fillLater(mine) {  // the samples, as their own request
      try {
        const sampled = await learnApi("samples", { prompt: prompt.value, strategies,
          samples: Number(samples.value), max_tokens: Number(maxTokens.value),
          seed: Number(seed.value) });
        if (mine !== asked) return;
        fillSamples(grid, sampled);
        status.replaceChildren(...bi("Kept sets from one forward pass; continuations sampled " +
          `with seeds ${seed.value}, ${Number(seed.value) + 1}, …`, "保留集合来自一次前向计算；" +
          `续写使用种子 ${seed.value}、${Number(seed.value) + 1}…`));
      } catch (e) {
        if (mine === asked) status.textContent = e.message;
      }
    }
    function add() {
      const settings = {};
      for (const [key, input] of Object.entries(custom)) {
        if (input.value !== "") settings[key] = Number(input.value);
      }
      strategies.push({ name: JSON.stringify(settings), settings });
      attempt(pane, async () => {
        try {
          await compare();
        } catch (e) {
          strategies.pop();  // a rejected strategy is not kept for the next comparison
          throw e;
        }
      });
    }
    lessonFrame(pane, ["One next-token distribution, many ways to pick from it: each card " +
      "shows the tokens a strategy keeps (blue: renormalised, grey: the model's), at once, " +
      "then what it wrote with seeds 0, 1, 2… when the samples arrive.", "同一个下一词分布，多种" +
      "选词方式：每张卡片先显示该策略保留的词元（蓝色为重新归一化后的概率，灰色为模型原始概率），" +
      "采样完成后再显示用种子 0、1、2… 写出的续写。"], [
      [field("Prompt", "提示词", prompt), field("Samples", "采样次数", samples),
       field("Max tokens", "最多词元", maxTokens), field("Seed", "随机种子", seed),
       button("strategies-run", "Compare", "比较", () => attempt(pane, compare))],
      el("div", { class: "learn-controls custom" },
         el("strong", {}, bi("Your strategy:", "自定义策略：")),
         ...Object.entries(custom).map(([k, input]) =>
           field(SETTING_NAMES[k][0], SETTING_NAMES[k][1], input)),
         button("strategies-add", "Add", "添加", add)),
    ], status, grid);
    attempt(pane, compare);
  },
});

// -- lesson 3: the beam search tree -------------------------------------------------------

const NODE_W = 150, NODE_H = 40, GAP_X = 36, GAP_Y = 8;

// Columns by step; in each column children sit in their parents' order, best first.
function layoutTree(nodes) {
  const rows = new Map([[0, 0]]);
  const columns = [];
  for (const node of nodes.slice(1)) (columns[node.step] ||= []).push(node);
  for (const column of columns) {
    column.sort((a, b) => rows.get(a.parent) - rows.get(b.parent) || b.cumulative - a.cumulative);
    column.forEach((node, i) => rows.set(node.id, i));
  }
  return { rows, depth: columns.length, height: Math.max(1, ...columns.map((c) => c.length)) };
}

function drawTree(tree) {
  const { rows, depth, height } = layoutTree(tree.nodes);
  const x = (node) => (node.step + 1) * (NODE_W + GAP_X);
  const y = (node) => rows.get(node.id) * (NODE_H + GAP_Y);
  const picture = svg("svg", { class: "beam-tree", width: (depth + 1) * (NODE_W + GAP_X),
                               height: height * (NODE_H + GAP_Y) });
  for (const node of tree.nodes.slice(1)) {
    const parent = tree.nodes[node.parent];
    picture.append(svg("line", { x1: x(parent) + NODE_W, y1: y(parent) + NODE_H / 2,
      x2: x(node), y2: y(node) + NODE_H / 2,
      class: `edge ${node.fate}${node.winner ? " winner" : ""}` }));
  }
  for (const node of tree.nodes) {
    const label = node.id === 0 ? node.text : `${visible(node.text)}  p=${node.p.toFixed(2)}`;
    const title = svg("title", {});
    title.textContent = node.id === 0 ? "prompt 提示词"
      : `${node.fate} · Σ logprob ${node.cumulative.toFixed(3)}`;
    const kind = `${node.id === 0 ? "root" : node.fate}${node.winner ? " winner" : ""}`;
    const at = `translate(${x(node)},${y(node)})`;
    picture.append(svg("g", { class: `node ${kind}`, transform: at },
      title,
      svg("rect", { width: NODE_W, height: NODE_H, rx: 6 }),
      svg("text", { x: 8, y: 16 }, label.slice(0, 22)),
      svg("text", { x: 8, y: 32, class: "score" },
          node.id === 0 ? "" : `Σ ${node.cumulative.toFixed(2)} · ${node.fate}`)));
  }
  return picture;
}

const BEAM_FIELDS = [["Prompt", "提示词"], ["Beams k", "束宽 k"], ["Max tokens", "最多词元"],
                     ["Length penalty", "长度惩罚"]];

function pathLine(en, zh, path) {
  return el("p", { class: "beam-path" }, el("strong", {}, bi(en, zh)), " ",
    el("code", {}, oneLine(path.text)), ` Σ logprob ${path.cumulative.toFixed(3)}, ` +
    `score 得分 ${path.score.toFixed(3)}`);
}

learn.register({
  n: 3, id: "beam", en: "Beam search tree", zh: "束搜索树",
  render(pane) {
    const prompt = promptInput("beam-prompt", learn.defaults.examples.beam[0]);
    const { beams, maxTokens, lengthPenalty: penalty } = numberInputs("beam", {
      beams: [3, { min: 1, max: 16 }], maxTokens: [6, { min: 1, max: 32 }],
      lengthPenalty: [1, { step: 0.1 }] });
    const status = el("p", { id: "beam-status", class: "hint" });
    const paths = el("div", { id: "beam-paths" });
    const picture = el("div", { class: "tree-scroll" });
    const state = { search: null, done: true };

    async function show(tree) {
      state.search = tree.search;
      state.done = tree.done;
      picture.replaceChildren(drawTree(tree));
      status.replaceChildren(...bi(`step ${tree.steps} of at most ${maxTokens.value}` +
        (tree.done ? ": the search has ended" : ""), `第 ${tree.steps} 步，最多 ` +
        `${maxTokens.value} 步` + (tree.done ? "：搜索结束" : "")));
      paths.replaceChildren();
      if (!tree.done) return;
      const greedy = await learnApi("greedy", { prompt: prompt.value,
        max_tokens: Number(maxTokens.value), length_penalty: Number(penalty.value) });
      paths.replaceChildren(pathLine("Winner", "最优", tree.winner),
                            pathLine("Greedy", "贪心", greedy));
    }
    async function start() {  // the prompt's forward and the first step
      await show(await learnApi("beam/start", { prompt: prompt.value,
        beams: Number(beams.value), max_tokens: Number(maxTokens.value),
        length_penalty: Number(penalty.value) }));
    }
    async function advance(steps) {  // one more level (one forward of the k beams), or all
      if (state.search === null) return start();
      if (state.done) return;
      await show(await learnApi("beam/step", { search: state.search, steps }));
    }
    lessonFrame(pane, ["Beam search keeps the k likeliest sequences at every step (Σ: the " +
      "sum of its tokens' log-probabilities). Each step extends the k beams by one token. " +
      "Green: the winner; faded: pruned; finished: it chose the end token. The same search " +
      "as `generate --beams k`.", "束搜索每一步保留 k 条最可能的序列（Σ 为各词元对数概率之和），" +
      "每一步把 k 条束各延长一个词元。绿色为最优路径，淡色为被剪掉的分支，finished 表示选了结束词元。" +
      "与 `generate --beams k` 是同一个搜索。"], [
      [...BEAM_FIELDS.map(([en, zh], i) => field(en, zh, [prompt, beams, maxTokens, penalty][i])),
       button("beam-run", "Start", "开始", () => attempt(pane, start))],
      [button("beam-step", "Next step", "下一步", () => attempt(pane, () => advance(1))),
       button("beam-end", "Run to the end", "运行到结束", () => attempt(pane, () => advance(null)),
              { class: "secondary" })],
    ], status, paths, picture);
    attempt(pane, start);
  },
});
}
