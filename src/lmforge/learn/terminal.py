"""The lessons as terminal text: probabilities as bars, strategies one after another, the
beam tree indented by step. Each function takes a lesson's plain data and returns a string
(`lmforge learn ...` prints it; `--json` prints the data itself).

Test: `pytest tests/learn/test_cli.py`.
"""

from lmforge.errors import ConfigError

BAR_WIDTH = 24


def bar(p: float, width: int = BAR_WIDTH) -> str:
    return "█" * round(p * width)


def format_step(step: dict) -> str:
    """Lesson 1: one step's candidates, the greedy pick marked with an arrow."""
    context = repr(step["prompt"]) + (f" + {step['text']!r}" if step["continuation"] else "")
    lines = [f"next token after {context}"]
    for c in step["candidates"]:
        mark = "→" if c["id"] == step["chosen"] else " "
        lines.append(f"{mark} {c['text']!r:>14} {c['id']:>7}  {bar(c['p']):<{BAR_WIDTH}} "
                     f"{c['p']:.4f}")
    return "\n".join(lines)


def format_words(result: dict) -> str:
    """Lesson 1 over several greedy steps, then the text they wrote."""
    steps = [format_step(s) for s in result["steps"]]
    return "\n\n".join(steps + [f"{result['prompt']!r} + {result['text']!r}"])


def format_strategies(result: dict) -> str:
    """Lesson 2: per strategy, the kept set (renormalised p, then the model's p) and the
    samples it wrote."""
    blocks = [f"next token after {result['prompt']!r} (vocabulary {result['vocab_size']})"]
    for s in result["strategies"]:
        tokens = "token" if s["kept_count"] == 1 else "tokens"
        lines = [f"== {s['name']}: keeps {s['kept_count']} {tokens} holding "
                 f"{100 * s['kept_mass']:.1f}% of the model's probability"]
        for k in s["kept"]:
            kept_p = "  beam " if k["p"] is None else f"{k['p']:.4f}"
            lines.append(f"  {k['text']!r:>14}  {bar(k['p'] or 0):<{BAR_WIDTH}} {kept_p}"
                         f"   (model {k['p_model']:.4f})")
        lines += [f"  {i + 1}. {r['text']!r}" for i, r in enumerate(s["samples"])]
        lines.append(f"  {s['distinct']} distinct of {len(s['samples'])}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


FATE_MARKS = {"kept": " ", "finished": "■", "pruned": "✗"}


def format_tree(tree: dict) -> str:
    """Lesson 3: the beam tree, one node a line, children under their parent; * marks the
    winner's path, ■ a finished hypothesis, ✗ a pruned one."""
    children: dict[int, list[dict]] = {}
    for node in tree["nodes"][1:]:
        children.setdefault(node["parent"], []).append(node)
    lines = [f"beam search, {tree['beams']} beams, after {tree['prompt']!r}"]

    def walk(node_id: int, depth: int) -> None:
        for node in children.get(node_id, []):
            mark = "*" if node["winner"] else FATE_MARKS[node["fate"]]
            token = "  " * depth + repr(node["text"])
            lines.append(f"{mark} {token:<24} p={node['p']:.3f}  sum logprob="
                         f"{node['cumulative']:7.3f}  {node['fate']}")
            walk(node["id"], depth + 1)

    walk(0, 0)
    for name in ("winner", "greedy"):
        if name in tree:
            path = tree[name]
            lines.append(f"{name}: {path['text']!r}  sum logprob {path['cumulative']:.3f}, "
                         f"score {path['score']:.3f} ({path['finish_reason']})")
    return "\n".join(lines)


def format_tokens(result: dict) -> str:
    """Lesson 4: each text split into tokens (| between them), then one line per token."""
    blocks = []
    for t in result["texts"]:
        lines = ["|".join(tok["text"] for tok in t["tokens"]),
                 f"{t['characters']} characters, {t['bytes']} bytes, {len(t['tokens'])} tokens: "
                 f"{t['bytes_per_token']:.2f} bytes and {t['characters_per_token']:.2f} "
                 "characters per token"]
        for tok in t["tokens"]:
            p = "-" if tok["p"] is None else f"{tok['p']:.4f}"
            lines.append(f"  {tok['id']:>7}  {tok['text']!r:<16} {tok['bytes']} bytes  p={p}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_attention(result: dict, token: int | None = None) -> str:
    """Lesson 5: where one token (default: the last) looks, head average and best head."""
    tokens, average = result["tokens"], result["average"]
    i = len(tokens) - 1 if token is None else token
    if not 0 <= i < len(tokens):
        raise ConfigError(f"token={i} is invalid: the text has tokens 0..{len(tokens) - 1}")
    lines = [f"layer {result['layer']} of {result['n_layers']}: where {tokens[i]!r} (token {i}) "
             "attends, averaged over its heads"]
    for j, weight in enumerate(average[i]):
        lines.append(f"  {j:>3} {tokens[j]!r:<16} {bar(weight):<{BAR_WIDTH}} {weight:.3f}")
    return "\n".join(lines)


def format_quantization(result: dict) -> str:
    """Lesson 9: one row per setting, with a bar of its size relative to the largest."""
    largest = max(row["bytes"] for row in result["settings"])
    lines = [f"{result['source']}: perplexity over {result['tokens']} held-out tokens "
             f"(windows of {result['context']}); KL and top-1 against fp32",
             f"{'setting':<12} {'MB':>8} {'bytes/weight':>12} {'perplexity':>11} {'KL':>9} "
             f"{'top-1 same':>10}  size"]
    for row in result["settings"]:
        lines.append(f"{row['name']:<12} {row['bytes'] / 2**20:>8.1f} "
                     f"{row['bytes_per_weight']:>12.2f} {row['perplexity']:>11.3f} "
                     f"{row['kl']:>9.5f} {100 * row['top1_agreement']:>9.1f}%  "
                     f"{bar(row['bytes'] / largest)}")
    return "\n".join(lines)


def format_finetuning(result: dict) -> str:
    """Lesson 8: trainable weights and training memory, one row per mode."""
    largest = max(row["total_bytes"] for row in result["modes"])
    lines = [f"LoRA rank {result['rank']} on {result['targets']!r}; memory = weights + "
             "gradients + AdamW moments (activations not counted)",
             f"{'mode':<28} {'trainable':>12} {'of':>12} {'weights MB':>11} {'grads MB':>9} "
             f"{'AdamW MB':>9} {'total MB':>9}  memory"]
    for row in result["modes"]:
        mb = [row[k] / 2**20 for k in ("weight_bytes", "gradient_bytes", "optimizer_bytes",
                                       "total_bytes")]
        lines.append(f"{row['name']:<28} {row['trainable']:>12,} {row['total']:>12,} "
                     f"{mb[0]:>11.1f} {mb[1]:>9.1f} {mb[2]:>9.1f} {mb[3]:>9.1f}  "
                     f"{bar(row['total_bytes'] / largest)}")
    if result.get("measured"):
        lines.append(format_measured(result["measured"]))
    return "\n".join(lines)


def format_measured(result: dict) -> str:
    """Lesson 8: one real optimizer step per mode, timed, with the memory it took."""
    lines = [f"one measured step ({result['batch']} x {result['tokens']} tokens, "
             f"{result['device']}): wall s, CPU s, peak memory added by the step"]
    for row in result["modes"]:
        if row["skipped"]:
            lines.append(f"  {row['name']:<28} skipped: {row['skipped']}")
            continue
        lines.append(f"  {row['name']:<28} {row['wall_s']:>7.2f} {row['cpu_s']:>7.2f} "
                     f"{row['peak_bytes'] / 2**20:>9.1f} MB  (computed gradients + AdamW "
                     f"{row['computed_bytes'] / 2**20:.1f} MB)  loss {row['loss']:.3f}")
    return "\n".join(lines)


def format_positions(result: dict, rows: int = 12) -> str:
    """Lesson 6: a corner of the sinusoidal table, RoPE's channel pairs, and the score of one
    query/key pair by distance (the same at two offsets)."""
    table = result["sinusoidal"]["table"]
    lines = ["sinusoidal PE[position, channel], first 8 channels:"]
    lines += [f"  {pos:>3} " + " ".join(f"{v:6.3f}" for v in row[:8])
              for pos, row in enumerate(table[:rows])]
    rope = result["rope"]
    lines.append(f"RoPE (head_dim {rope['head_dim']}, theta {rope['theta']:g}); this model: "
                 f"{result['model_position']}")
    lines += [f"  pair {p['channel']:>3}: a turn every {p['wavelength']:.1f} positions"
              for p in rope["pairs"]]
    lines.append("  distance  score (q at d, k at 0)  score (q at 100+d, k at 100)")
    scores = zip(rope["distance"], rope["score_near"], rope["score_far"], strict=True)
    lines += [f"  {d:>8}  {near:>22.4f}  {far:>28.4f}" for d, near, far in list(scores)[:rows]]
    return "\n".join(lines)


def format_objectives(result: dict) -> str:
    """Lesson 7: each objective's rows of tokens (· = not scored) and its loss, if any."""
    def row(name: str, tokens: list) -> str:
        return f"  {name:<14} " + " ".join("·" if t is None else repr(t) for t in tokens)

    def loss(value) -> str:
        return f"  loss on this model: {value:.4f}" if value is not None else (
            f"  no loss: this model is a {result['family']}")

    c, m, s = result["causal_lm"], result["masked_lm"], result["seq2seq"]
    return "\n".join([
        f"{result['text']!r} as {len(result['tokens'])} tokens",
        "causal LM: predict every next token", row("input", c["inputs"]),
        row("target", c["targets"]), loss(c["loss"]),
        "masked LM: predict the hidden tokens only", row("input", m["inputs"]),
        row("label", m["labels"]), loss(m["loss"]),
        "seq2seq (span corruption): the decoder writes the dropped spans",
        row("source", s["source"]), row("decoder input", s["decoder_input"]),
        row("target", s["target"]), loss(s["loss"])]
        + (format_families(result["families"]) if result.get("families") else []))


def format_families(result: dict) -> list[str]:
    """Lesson 7: each family's tiny model, its falling loss and its loss on the sentence."""
    corpus = result["corpus"]
    lines = [f"a tiny model of each family, {result['steps']} steps on {corpus['source']} "
             f"({corpus['tokens']} tokens):"]
    for name, family in result["families"].items():
        curve = " ".join(f"{loss:.2f}" for _, loss in family["curve"])
        lines.append(f"  {name:<10} {family['kind']:<16} {family['parameters']:>8,} weights, "
                     f"{family['seconds']:.1f} s; loss {curve}; on the sentence "
                     f"{family['sentence_loss']:.3f}")
    return lines


def format_grpo(result: dict) -> str:
    """Lesson 10: the group's answers, rewards and advantages, best advantage first."""
    lines = [f"{result['prompt']!r} (expected {result['answer']}): mean reward "
             f"{result['mean_reward']:.2f}, std {result['std_reward']:.2f}"
             + ("; every answer scored the same: no learning signal" if result["uniform"]
                else "")]
    lines += [reply_line(s, 70) for s in sorted(result["samples"], key=lambda s: -s["advantage"])]
    return "\n".join(lines)


def reply_line(sample: dict, width: int) -> str:
    """One sampled reply: its reward, its advantage and its start."""
    return (f"  reward {sample['reward']:.0f}  advantage {sample['advantage']:+.2f}  "
            f"{sample['text'][:width]!r}")


def format_grpo_step(result: dict) -> str:
    """Lesson 10, live: one GRPO step's replies, rewards, advantages and what it changed."""
    lines = []
    for prompt in result["prompts"]:
        lines.append(f"{prompt['prompt']!r} (expected {prompt['answer']})")
        for s in prompt["samples"]:
            moved = "" if s["logp_before"] is None else (
                f"  log p {s['logp_before']:.3f} -> {s['logp_after']:.3f}")
            lines.append(reply_line(s, 50) + moved)
    if result["loss"] is None:
        lines.append("every group scored the same: nothing to learn, no update")
        return "\n".join(lines)
    r = result
    lines.append("; ".join([
        f"loss {r['loss']:.4f}", f"KL to the reference {r['kl_before']:.2e} -> {r['kl_after']:.2e}",
        f"clipped {r['clip_fraction']:.0%}",
        f"update norm {r['update_norm']:.4f} over {r['trainable']:,} LoRA weights "
        f"(r={r['rank']}, lr {r['lr']:g})", f"{r['seconds']:.1f} s"]))
    return "\n".join(lines)


def format_replay(result: dict) -> str:
    """Lesson 10: a recorded run's numeric columns, one line per step."""
    names = list(result["columns"])
    lines = [f"{result['run']}: {result['steps']} steps", "  ".join(f"{n:>12}" for n in names)]
    for i in range(result["steps"]):
        cells = [result["columns"][n][i] for n in names]
        lines.append("  ".join(f"{'':>12}" if v is None else f"{v:>12.4g}" for v in cells))
    return "\n".join(lines)
