// lmforge chat page: streams replies from /v1/chat/completions (SSE) and shows each token
// shaded by its probability, with the model's top alternatives on hover (top_logprobs).
// Plain JavaScript, no build step and no network beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
const history = [];          // [{role, content}] sent with every request (multi-turn)
let modelId = null;
let controller = null;        // AbortController of the reply being streamed

async function loadModel() {
  try {
    const res = await fetch("/v1/models", { headers: authHeaders() });
    const body = await res.json();
    modelId = body.data && body.data.length ? body.data[0].id : null;
    $("model").textContent = modelId || "";
  } catch (e) {
    status(`cannot reach the server · 无法连接服务器: ${e}`);
  }
}

// The controls start from the server's chat defaults (lmforge/infer/defaults.py), so the
// page's first answer is the one `lmforge chat` gives.
async function loadDefaults() {
  try {
    const defaults = await (await fetch("/chat-defaults")).json();
    setControl("temperature", defaults.temperature);
    setControl("top-p", defaults.top_p);
    setControl("repetition-penalty", defaults.repetition_penalty);
    setControl("max-tokens", defaults.max_tokens);
    document.body.dataset.defaults = "loaded";
  } catch (e) {
    status(`cannot read the chat defaults · 无法读取默认设置: ${e}`);
  }
}

function setControl(id, value) {
  $(id).value = value;
  const shown = $(`${id}-value`);  // a slider's number beside it
  if (shown) shown.textContent = $(id).value;
}

function authHeaders() {
  const key = $("api-key").value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function status(text) { $("status").textContent = text; }

function addMessage(role, text) {
  const div = document.createElement("div");
  div.className = `msg ${role}`;
  div.textContent = text;
  $("messages").appendChild(div);
  div.scrollIntoView({ block: "end" });
  return div;
}

function requestBody() {
  const messages = [];
  const system = $("system").value.trim();
  if (system) messages.push({ role: "system", content: system });
  const body = {
    model: modelId, messages: messages.concat(history), stream: true,
    stream_options: { include_usage: true },
    temperature: Number($("temperature").value), top_p: Number($("top-p").value),
    logprobs: true, top_logprobs: 5,
  };
  // an emptied box leaves the field to the server's default
  const maxTokens = Number($("max-tokens").value);
  if (maxTokens > 0) body.max_tokens = maxTokens;
  const penalty = Number($("repetition-penalty").value);
  if (penalty > 0) body.repetition_penalty = penalty;
  const topK = Number($("top-k").value);
  if (topK > 0) body.top_k = topK;
  if ($("seed").value !== "") body.seed = Number($("seed").value);
  return body;
}

// Unlikely tokens get a stronger orange background: a learner sees at a glance where the
// model was sure and where it hesitated.
function shade(p) {
  const a = Math.max(0.06, Math.min(1, 1 - p)) * 0.55;
  return `rgba(255, 170, 60, ${a.toFixed(3)})`;
}

function tokenSpan(entry) {
  const span = document.createElement("span");
  span.className = "tok";
  span.textContent = entry.token;
  const p = Math.exp(entry.logprob);
  span.style.background = shade(p);
  span.dataset.prob = p.toFixed(4);
  span.addEventListener("mouseenter", (ev) => showAlternatives(ev, entry));
  span.addEventListener("mouseleave", () => { $("tooltip").hidden = true; });
  return span;
}

function showAlternatives(ev, entry) {
  const tip = $("tooltip");
  const rows = (entry.top_logprobs || []).map((alt) => {
    const p = Math.exp(alt.logprob);
    const chosen = alt.token === entry.token ? " class=\"chosen\"" : "";
    return `<tr${chosen}><td>${escapeHtml(JSON.stringify(alt.token))}</td>` +
      `<td class="p">${(100 * p).toFixed(1)}%</td>` +
      `<td><span class="bar" style="width:${Math.round(60 * p)}px"></span></td></tr>`;
  }).join("");
  tip.innerHTML = `<div>p = ${(100 * Math.exp(entry.logprob)).toFixed(1)}% · ` +
    `alternatives 候选词</div><table>${rows}</table>`;
  tip.hidden = false;
  const r = ev.target.getBoundingClientRect();
  tip.style.left = `${Math.min(r.left, window.innerWidth - 260)}px`;
  tip.style.top = `${r.bottom + 6}px`;
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" })[c]);
}

async function send(text) {
  history.push({ role: "user", content: text });
  addMessage("user", text);
  const bubble = addMessage("assistant", "");
  const showTokens = $("show-tokens").checked;
  let reply = "";
  controller = new AbortController();
  $("send").hidden = true; $("stop").hidden = false;
  status("generating… · 生成中…");
  const started = performance.now();
  let nTokens = 0;
  try {
    const res = await fetch("/v1/chat/completions", {
      method: "POST", signal: controller.signal,
      headers: { "Content-Type": "application/json", ...authHeaders() },
      body: JSON.stringify(requestBody()),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      throw new Error((err.error && err.error.message) || res.statusText);
    }
    for await (const chunk of sseChunks(res.body)) {
      if (chunk.error) throw new Error(chunk.error.message);
      const choice = chunk.choices && chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta || {};
      const tokens = choice.logprobs && choice.logprobs.content;
      if (showTokens && tokens && tokens.length) {
        for (const entry of tokens) bubble.appendChild(tokenSpan(entry));
        nTokens += tokens.length;
      } else if (delta.content) {
        bubble.appendChild(document.createTextNode(delta.content));
      }
      if (delta.content) reply += delta.content;
      bubble.scrollIntoView({ block: "end" });
    }
    const seconds = (performance.now() - started) / 1000;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${nTokens} tokens · ${seconds.toFixed(1)} s`;
    bubble.appendChild(meta);
    status("");
  } catch (e) {
    if (e.name !== "AbortError") addMessage("error", `${e.message}`);
    status(e.name === "AbortError" ? "stopped · 已停止" : "");
  } finally {
    history.push({ role: "assistant", content: reply });
    $("send").hidden = false; $("stop").hidden = true;
    controller = null;
  }
}

// Server-sent events: "data: {...}\n\n" lines; "[DONE]" ends the stream.
async function* sseChunks(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return;
        yield JSON.parse(data);
      }
    }
  }
}

$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("input").value.trim();
  if (!text || controller) return;
  $("input").value = "";
  send(text);
});
$("input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("composer").requestSubmit(); }
});
$("stop").addEventListener("click", () => controller && controller.abort());
$("clear").addEventListener("click", () => {
  history.length = 0; $("messages").innerHTML = ""; status("");
});
for (const [id, out] of [["temperature", "temperature-value"], ["top-p", "top-p-value"]]) {
  $(id).addEventListener("input", () => { $(out).textContent = $(id).value; });
}
$("api-key").addEventListener("change", loadModel);
loadDefaults();
loadModel();
