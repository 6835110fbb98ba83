"""Run tasks against models and write one results table (JSON + Markdown) per run.

    results = evaluate_models({"base": lm_a, "tuned": lm_b}, ["arithmetic", "mc_en"], shots=3)
    write_results(results, "runs/eval")          # results.json and results.md, side by side

Scoring by task type:
- multiple_choice: log p(choice | prompt) for each choice (loglikelihood.py); `acc` takes
  the highest sum, `acc_norm` the highest sum per character of the choice text (lm-eval's
  length normalisation, so long answers are not penalised for having more tokens);
- generation: completions through the Engine, all prompts of a task in one batched call
  (greedy), scored by exact match / BLEU / chrF / ROUGE (metrics.py);
- code: `samples` completions per problem (temperature sampling, seeded), each run against
  the problem's unit tests in the sandbox (lmforge.verify.code), reported as pass@k.
Test: `pytest tests/eval/test_runner.py`.
"""

import json
import time
from pathlib import Path

import numpy as np

from lmforge.atomic import write_text_atomic
from lmforge.eval import metrics
from lmforge.eval.loglikelihood import loglikelihoods
from lmforge.eval.prompting import build_prompt
from lmforge.eval.tasks import Task, load_task


def evaluate_task(lm, task: Task, shots: int = 0, limit: int | None = None, seed: int = 0,
                  cot: bool = False) -> dict:
    """Scores of one loaded model (`.model`, `.tokenizer`) on one task."""
    indices = list(range(len(task.records)))[:limit]
    prompts = [build_prompt(task, i, shots, seed, cot) for i in indices]
    records = [task.records[i] for i in indices]
    if task.type == "multiple_choice":
        scores = _multiple_choice(lm, task, prompts, records)
    elif task.type == "generation":
        scores = _generation(lm, task, prompts, records, cot)
    else:
        scores = _code(lm, task, prompts, records, seed)
    return {"n": len(indices), **scores}


def split_tokens(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """Context and continuation ids as lm-eval splits them: encode the whole text and cut
    where the context's own encoding ends (so merges across the boundary stay natural)."""
    whole = tokenizer.encode(context + continuation, parse_special=False)
    ctx = tokenizer.encode(context, parse_special=False)
    if whole[:len(ctx)] == ctx and len(whole) > len(ctx):
        return ctx, whole[len(ctx):]
    return ctx, tokenizer.encode(continuation, parse_special=False)


def _multiple_choice(lm, task, prompts, records) -> dict:
    requests, owners = [], []
    for q, (prompt, record) in enumerate(zip(prompts, records, strict=True)):
        for choice in task.choice_texts(record):
            requests.append(split_tokens(lm.tokenizer, prompt, task.target_prefix + choice))
            owners.append((q, len(choice)))  # lm-eval's acc_norm divides by len(choice)
    scored = loglikelihoods(lm.model, requests)
    acc, acc_norm = [], []
    for q, record in enumerate(records):
        rows = [(lp, chars) for (lp, _), (owner, chars) in zip(scored, owners, strict=True)
                if owner == q]
        gold = task.gold_index(record)
        acc.append(int(np.argmax([lp for lp, _ in rows])) == gold)
        acc_norm.append(int(np.argmax([lp / chars for lp, chars in rows])) == gold)
    return {"acc": float(np.mean(acc)), "acc_norm": float(np.mean(acc_norm))}


def _complete(lm, prompts: list[str], max_tokens: int, stop: list[str], temperature=0.0,
              seed=None) -> list[str]:
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams

    engine = Engine(lm.model, lm.tokenizer, max_batch_size=min(16, len(prompts)))
    params = [SamplingParams(max_tokens=max_tokens, temperature=temperature, stop=list(stop),
                             seed=None if seed is None else seed + i)  # distinct samples
              for i in range(len(prompts))]
    return [c.text for c in engine.generate(prompts, params)]


def _generation(lm, task, prompts, records, cot: bool) -> dict:
    from lmforge.verify.answers import extract_answer

    max_tokens = task.max_tokens * (8 if cot else 1)  # room for the reasoning
    stop = ["\n\n"] if cot else task.stop
    outputs = _complete(lm, prompts, max_tokens, stop)
    if cot:  # the final answer is what follows the reasoning
        outputs = [extract_answer(o) or o for o in outputs]
    predictions = [o.strip() for o in outputs]
    references = [str(r[task.answer]) for r in records]
    zh = task.language == "zh"
    scores: dict = {}
    for name in task.metrics:
        if name == "exact_match":
            scores[name] = float(np.mean([metrics.exact_match(p, r)
                                          for p, r in zip(predictions, references,
                                                          strict=True)]))
        elif name == "bleu":
            scores[name] = metrics.bleu(predictions, references, "zh" if zh else "13a")
        elif name == "chrf":
            scores[name] = metrics.chrf(predictions, references)
        elif name == "rouge":
            scores.update(metrics.rouge(predictions, references, "zh" if zh else "default"))
    scores["examples"] = [{"prediction": p, "reference": r}
                          for p, r in zip(predictions[:3], references[:3], strict=True)]
    return scores


def _code(lm, task, prompts, records, seed: int) -> dict:
    from lmforge.verify.code import CodeTests

    n = task.samples
    many = [p for p in prompts for _ in range(n)]
    completions = _complete(lm, many, task.max_tokens, task.stop, task.temperature, seed)
    programs = [p + c for p, c in zip(many, completions, strict=True)]  # prompt + body
    tasks = [r for r in records for _ in range(n)]
    verdicts = CodeTests(timeout_s=10).score_many(programs, tasks)
    passed = np.array([v.score == 1.0 for v in verdicts]).reshape(len(records), n)
    return {f"pass@{k}": float(np.mean([metrics.pass_at_k(n, int(row.sum()), k)
                                         for row in passed]))
            for k in task.k if k <= n}


def evaluate_models(models: dict, task_names: list[str], shots: int = 0,
                    limit: int | None = None, seed: int = 0, cot: bool = False) -> dict:
    """{model name: {task: scores}} plus the settings, for one results table."""
    tasks = [load_task(t) for t in task_names]
    table = {}
    for model_name, lm in models.items():
        table[model_name] = {}
        for task in tasks:
            start = time.perf_counter()
            scores = evaluate_task(lm, task, shots, limit, seed, cot)
            scores["seconds"] = round(time.perf_counter() - start, 2)
            table[model_name][task.name] = scores
    return {"settings": {"shots": shots, "limit": limit, "seed": seed, "cot": cot,
                         "tasks": [t.source for t in tasks]},
            "results": table}


def markdown_table(results: dict) -> str:
    """Tasks and metrics down, models across: base vs tuned side by side."""
    models = list(results["results"])
    rows = []
    first = results["results"][models[0]]
    for task, scores in first.items():
        for metric, value in scores.items():
            if isinstance(value, float) and metric != "seconds":
                cells = [_fmt(results["results"][m][task].get(metric)) for m in models]
                rows.append(f"| {task} | {metric} | " + " | ".join(cells) + " |")
    s = results["settings"]
    head = (f"shots={s['shots']} limit={s['limit']} seed={s['seed']} cot={s['cot']}\n\n"
            f"| task | metric | {' | '.join(models)} |\n|---|---|"
            + "---:|" * len(models))
    return head + "\n" + "\n".join(rows) + "\n"


def write_results(results: dict, out_dir: str | Path) -> tuple[Path, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "results.json", json.dumps(results, indent=2, ensure_ascii=False))
    write_text_atomic(out / "results.md", markdown_table(results))
    return out / "results.json", out / "results.md"


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.4f}" if value <= 1 else f"{value:.2f}"
