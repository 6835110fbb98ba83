// lmforge Learn tab: an introductory course's demos on the served model. Each lesson asks
// one JSON endpoint (/v1/learn/*, serve/learn.py) for the numbers the Engine computes and
// draws them; nothing here computes a probability. This file holds the tab, the shared
// helpers and lesson 1; learn-decoding.js, learn-inside.js, learn-training.js and
// learn-costs.js add the others.
// Plain JavaScript, no build step and no network beyond this server.
"use strict";

const learn = {
  lessons: [],      // {n, id, en, zh, render(pane)} in course order
  defaults: null,   // GET /v1/learn/lessons: example prompts, the default strategies
  ready: null,      // resolves once the other lesson files have run
  register(lesson) { this.lessons.push(lesson); this.lessons.sort((a, b) => a.n - b.n); },
};

// Everything below sits in one block, so its names stay out of the chat page's global
// scope; the lesson files take the helpers from `learn`.
{
// -- helpers shared by every lesson -------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

// English first, Chinese beside it, as on the chat page
function bi(en, zh) { return [en, " ", el("span", { class: "zh" }, zh)]; }

function field(en, zh, input) { return el("label", { class: "learn-field" }, bi(en, zh), input); }

function numberInput(id, value, attrs = {}) {
  return el("input", { id, type: "number", value, ...attrs });
}

async function learnApi(path, body) {
  const key = document.getElementById("api-key").value.trim();
  const headers = { "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(`/v1/learn/${path}`, body === undefined ? { headers } :
    { method: "POST", headers, body: JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) throw new Error(data.error ? data.error.message : `HTTP ${res.status}`);
  return data;
}

// Runs a lesson request and shows its error (the server's message names the bad value)
// in the lesson's own error line instead of the result.
async function attempt(pane, work) {
  const error = pane.querySelector(".learn-error");
  error.hidden = true;
  pane.classList.add("busy");
  try {
    await work();
  } catch (e) {
    error.textContent = `${e.message}`;
    error.hidden = false;
  } finally {
    pane.classList.remove("busy");
  }
}

function errorLine() { return el("p", { class: "learn-error", role: "alert", hidden: "" }); }

// Number inputs from {name: [value, attrs]}, each with the id prefix-name (kebab-case)
function numberInputs(prefix, specs) {
  return Object.fromEntries(Object.entries(specs).map(([name, [value, attrs]]) => [name,
    numberInput(`${prefix}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value,
                attrs)]));
}

function promptInput(id, value) { return el("input", { id, class: "learn-prompt", value }); }

function button(id, en, zh, onclick, extra = {}) {
  return el("button", { type: "button", id, onclick, ...extra }, bi(en, zh));
}

// One button per example text; a click puts it in `input` and runs `then`
function exampleButtons(examples, input, then) {
  return examples.map((text) => el("button", { type: "button", class: "example", onclick: () => {
    input.value = text;
    then();
  } }, text));
}

// The frame every lesson shares: its idea in a sentence, rows of controls (an array is a
// plain row, an element is a row of its own), the error line, then what it shows.
function lessonFrame(pane, [en, zh], rows, ...shown) {
  pane.append(el("p", { class: "lesson-idea" }, bi(en, zh)),
    ...rows.map((row) => Array.isArray(row) ? el("div", { class: "learn-controls" }, row) : row),
    errorLine(), ...shown);
}

// A line chart of (x, y) points: a loss curve
function lineChart(points, { width = 260, height = 90, id = null } = {}) {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), lo = Math.min(...ys), hi = Math.max(...ys);
  const x = (v) => 30 + (width - 40) * (v - x0) / ((x1 - x0) || 1);
  const y = (v) => 8 + (height - 24) * (hi - v) / ((hi - lo) || 1);
  const picture = svg("svg", { class: "line-chart", width, height, ...(id ? { id } : {}) });
  picture.append(
    svg("polyline", { points: points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`)
      .join(" ") }),
    svg("text", { x: 0, y: 12, class: "caption" }, hi.toFixed(2)),
    svg("text", { x: 0, y: height - 14, class: "caption" }, lo.toFixed(2)),
    svg("text", { x: width - 60, y: height - 2, class: "caption" }, `step ${x1}`));
  return picture;
}

function percent(p) { return p >= 0.1 ? `${(100 * p).toFixed(1)}%` : `${(100 * p).toFixed(2)}%`; }

// A probability bar chart: one row per item, label | bar | number. `onpick` makes rows
// buttons (lesson 1 branches on a click); `ghost` draws a second, grey bar behind; `plain`
// shows the label as it is (not a token).
function bars(rows, { onpick = null, chosen = null } = {}) {
  const list = el("ol", { class: "learn-bars" });
  for (const row of rows) {
    const track = el("span", { class: "track" });
    if (row.ghost !== undefined && row.ghost !== null) {
      track.append(el("span", { class: "bar ghost", style: `width:${100 * row.ghost}%` }));
    }
    if (row.p !== null && row.p !== undefined) {
      track.append(el("span", { class: "bar", style: `width:${100 * row.p}%` }));
    }
    const item = el("li", { class: row.id === chosen ? "chosen" : "", title: row.title || "" },
      el("code", { class: "token" }, row.plain ? row.text : visible(row.text)), track,
      el("span", { class: "num" }, row.label));
    if (onpick) {
      item.classList.add("pick");
      item.tabIndex = 0;
      item.addEventListener("click", () => onpick(row));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") onpick(row); });
    }
    list.append(item);
  }
  return list;
}

// Written text on one line: newlines shown as ↵
function oneLine(text) { return text.replace(/\n/g, "↵"); }

// Spaces and newlines made visible, so " the" and "the" differ on screen; a token holding
// part of a character comes as its bytes ("<e4 bb>") and stays as it is
function visible(text) {
  if (/^<[0-9a-f]{2}( [0-9a-f]{2})*>$/.test(text)) return text;
  return text.replace(/ /g, "␣").replace(/\n/g, "↵");
}

Object.assign(learn, { el, svg, bi, field, numberInput, learnApi, attempt, errorLine, percent,
                      bars, visible, oneLine, numberInputs, promptInput, button, exampleButtons, lessonFrame,
                      lineChart });

// -- the tab ------------------------------------------------------------------------------

function showLesson(lesson) {
  const pane = document.getElementById("learn-pane");
  pane.replaceChildren(el("h2", {}, `${lesson.n}. `, bi(lesson.en, lesson.zh)));
  pane.dataset.lesson = lesson.id;
  lesson.render(pane);
  for (const b of document.querySelectorAll("#learn-nav button")) {
    b.classList.toggle("active", b.dataset.lesson === lesson.id);
  }
}

async function openLearn() {
  const section = document.getElementById("learn");
  const showing = section.hidden;
  section.hidden = !showing;
  document.querySelector("main").hidden = showing;
  document.getElementById("learn-tab").replaceChildren(...(showing ? bi("Chat", "对话")
    : bi("Learn", "学习")));
  if (!showing || section.childElementCount) return;
  try {
    await learn.ready;
    learn.defaults = await learnApi("lessons");
  } catch (e) {
    section.append(el("p", { class: "learn-error" }, `${e.message}`));
    return;
  }
  const nav = el("nav", { id: "learn-nav" });
  for (const lesson of learn.lessons) {
    nav.append(el("button", { type: "button", "data-lesson": lesson.id,
                              onclick: () => showLesson(lesson) },
                  `${lesson.n}. `, bi(lesson.en, lesson.zh)));
  }
  section.append(nav, el("section", { id: "learn-pane" }));
  showLesson(learn.lessons[0]);
}

document.getElementById("learn-tab").addEventListener("click", openLearn);
const LESSON_FILES = ["learn-decoding.js", "learn-inside.js", "learn-training.js",
                      "learn-costs.js"];
learn.ready = Promise.all(LESSON_FILES.map((file) =>
  new Promise((resolve, reject) => {  // the other lessons
    const script = el("script", { src: `/static/${file}`, onload: resolve, onerror: reject });
    document.head.append(script);
  })));

// -- lesson 1: word by word ---------------------------------------------------------------

learn.register({
  n: 1, id: "words", en: "Word by word", zh: "逐词生成",
  render(pane) {
    const state = { prompt: "", continuation: [], texts: [] };
    const prompt = promptInput("words-prompt", learn.defaults.examples.next[0]);
    const top = numberInput("words-top", 10, { min: 1, max: 50 });
    const written = el("p", { id: "words-text", class: "learn-text" });
    const candidates = el("div", { id: "words-candidates" });

    async function step() {
      const data = await learnApi("next", { prompt: state.prompt, top: Number(top.value),
                                            continuation: state.continuation });
      written.replaceChildren(el("span", { class: "prompt" }, state.prompt),
        ...state.texts.map((t, i) => el("span", { class: "taken", title: `#${i + 1}` }, t)));
      candidates.replaceChildren(
        el("p", { class: "hint" }, bi("The model's next-token probabilities (softmax at " +
           "temperature 1). Click any token to take it.", "模型给出的下一个词元的概率（温度为 1 " +
           "的 softmax）。点击任一词元即可沿该分支继续。")),
        bars(data.candidates.map((c) => ({ ...c, label: percent(c.p), title: `id ${c.id}` })),
             { chosen: data.chosen, onpick: take }));
    }
    function take(row) {
      state.continuation.push(row.id);
      state.texts.push(row.text);
      attempt(pane, step);
    }
    function start() {
      state.prompt = prompt.value;
      state.continuation = [];
      state.texts = [];
      attempt(pane, step);
    }
    function back() {
      state.continuation.pop();
      state.texts.pop();
      attempt(pane, step);
    }
    function greedy() {
      const first = candidates.querySelector("li.chosen");
      if (first) first.click();
    }
    lessonFrame(pane, ["A language model writes one token at a time: each step it gives every " +
      "token a probability, and one is taken.", "语言模型一次写一个词元：每一步给词表中每个词元一个概率，" +
      "然后选出一个。"], [
      [field("Prompt", "提示词", prompt), field("Top", "显示前几个", top),
       button("words-start", "Start", "开始", start),
       ...exampleButtons(learn.defaults.examples.next, prompt, start)],
      [button("words-greedy", "Take the most likely", "取最可能的词", greedy),
       button("words-back", "Step back", "后退一步", back, { class: "secondary" })],
    ], written, candidates);
    start();
  },
});
}
