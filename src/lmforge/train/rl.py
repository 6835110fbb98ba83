"""RL runs from a recipe or the command line: policy + tasks + scorer -> GRPO or PPO.

    lmforge grpo --task arithmetic --level 2 --lora-rank 16 --max-steps 40 --out runs/grpo
    lmforge grpo --config recipes/grpo-arithmetic.yaml
    lmforge ppo --reward-model runs/rm --task prompts.jsonl --out runs/ppo

A recipe has two sections, `rl` (settings.RLSettings) and `train` (TrainSettings: steps, lr,
grad_accum_steps as micro-batches per update, ...). GRPO scores replies with a verifier,
PPO with a reward model; policy, reference and objective are set up by pipeline.py, as for
pretraining and fine-tuning. Held-out scores are measured on tasks never sampled in
training (the generated task's test split), greedy, before and after; `out` gets
results.json, reward_curve.png, metrics.csv and the adapter (LoRA) or model folder.
Test: `pytest tests/train/test_rl_run.py`.
"""

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from lmforge.atomic import write_text_atomic
from lmforge.errors import ConfigError
from lmforge.train.pipeline import load_policy, load_settings, save_policy, set_up_training
from lmforge.train.settings import RLSettings, TrainSettings

TASK_VERIFIERS = {"arithmetic": "exact_match", "python": "code", "json": "json_match"}


def grpo(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run a GRPO recipe (with overrides); return results (held-out before/after, curve)."""
    rl, train = load_settings("grpo", recipe, overrides)
    return run_rl("grpo", rl, train)


def ppo(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run PPO against a reward model; return held-out mean reward before/after and curves."""
    rl, train = load_settings("ppo", recipe, overrides)
    return run_rl("ppo", rl, train)


@dataclass
class Scoring:
    """How an RL method scores replies: in training, and on the held-out tasks."""

    scorer: Any  # what the objective calls: a verifier (GRPO) or a reward function (PPO)
    evaluate: Callable[[Any, Any], dict]  # (model, tokenizer) -> held-out results
    headline: str  # the held-out result printed and drawn on the reward curve
    curve_keys: tuple[str, ...] = ("reward",)  # per-rollout history drawn (2nd: own axis)
    tokenizer: Any = None  # the reward model's, which must equal the policy's


def run_rl(method: str, rl: RLSettings, train: TrainSettings) -> dict:
    """Tasks -> scoring -> policy -> held-out before -> Trainer -> held-out after -> files."""
    import torch

    from lmforge.train.objectives.grpo import RolloutLoader
    from lmforge.train.objectives.ppo import check_same_tokenizer
    from lmforge.train.trainer import Trainer

    tasks, held_out, default_verifier = load_tasks(rl, train.seed)
    scoring = SCORINGS[method](rl, tasks, held_out, default_verifier)
    if train.num_threads:
        torch.set_num_threads(train.num_threads)
    model, tokenizer = load_policy(rl.model)
    if scoring.tokenizer is not None:
        check_same_tokenizer(tokenizer, scoring.tokenizer)
    results: dict[str, Any] = {"settings": asdict(rl), "train": asdict(train)}
    if held_out and rl.eval_before:
        results["before"] = _held_out(scoring, model, tokenizer, "before")
    objective = set_up_training(method, rl, model, tokenizer, train.seed, tasks=tasks,
                                scorer=scoring.scorer)
    start = time.perf_counter()
    metrics = Trainer(model.train(), objective, RolloutLoader(objective), train,
                      tokenizer=tokenizer).fit()
    results["train_seconds"] = round(time.perf_counter() - start, 1)
    results["curve"] = objective.history
    if held_out:
        results["after"] = _held_out(scoring, model, tokenizer, "after")
    results["final_metrics"] = {k: v for k, v in metrics.items() if isinstance(v, int | float)}
    save_policy(model, tokenizer, rl.model, train.out_dir)
    out = Path(train.out_dir)
    plot_reward_curve(objective.history, out / "reward_curve.png", results,
                      keys=scoring.curve_keys, held_out=scoring.headline)
    write_text_atomic(out / "results.json", json.dumps(results, indent=1) + "\n")
    return results


def _held_out(scoring: Scoring, model, tokenizer, when: str) -> dict:
    result = scoring.evaluate(model, tokenizer)
    _say(f"held-out {when}: {result[scoring.headline]:.3f} on {result['n']}")
    return result


def verifier_scoring(rl: RLSettings, tasks: list[dict], held_out: list[dict],
                     default_verifier: str) -> Scoring:
    """GRPO: a verifier, checked against every task (train and held-out) before any work."""
    from lmforge.verify import check_tasks

    verifier = make_task_verifier(rl, default_verifier)
    check_tasks(tasks, verifier, rl.task)
    check_tasks(held_out, verifier, rl.eval_task or f"{rl.task} (test split)")
    evaluate = partial(evaluate_tasks, tasks=held_out, verifier=verifier,
                       max_new_tokens=rl.eval_max_new_tokens, system=rl.system)
    return Scoring(verifier, evaluate, "accuracy")


def reward_model_scoring(rl: RLSettings, tasks: list[dict], held_out: list[dict],
                         default_verifier: str) -> Scoring:
    """PPO: a trained reward model (`lmforge rm`) scores (prompt, reply) pairs."""
    from lmforge.train.reward_model import RewardModel

    if not rl.reward_model:
        raise ConfigError("PPO needs --reward-model (a folder trained with `lmforge rm`)")
    reward_model = RewardModel.load(rl.reward_model)

    def reward_fn(prompts: list[str], replies: list[str]) -> list[float]:
        return reward_model.score_batch(list(zip(prompts, replies, strict=True)))

    evaluate = partial(held_out_reward, tasks=held_out, reward_fn=reward_fn, rl=rl)
    return Scoring(reward_fn, evaluate, "mean_reward", ("reward", "kl"), reward_model.tokenizer)


SCORINGS = {"grpo": verifier_scoring, "ppo": reward_model_scoring}


def load_tasks(rl: RLSettings, seed: int) -> tuple[list[dict], list[dict], str]:
    """(train tasks, held-out tasks, default verifier name)."""
    from lmforge.data.synthetic import generate_tasks, read_tasks

    if rl.task in TASK_VERIFIERS:
        options = {"level": rl.level} if rl.task == "arithmetic" else {}
        train = generate_tasks(rl.task, rl.num_train_tasks, "train", seed, **options)
        held = (read_tasks(rl.eval_task) if rl.eval_task else
                generate_tasks(rl.task, rl.num_eval_tasks, "test", seed, **options))
        return train, held, TASK_VERIFIERS[rl.task]
    if not Path(rl.task).is_file():
        raise ConfigError(f"task {rl.task!r} is neither {', '.join(TASK_VERIFIERS)} nor a file")
    train = read_tasks(rl.task)
    return train, read_tasks(rl.eval_task) if rl.eval_task else [], ""


def make_task_verifier(rl: RLSettings, default: str):
    from lmforge.verify import make_verifier

    spec: Any = rl.verifier or default
    if not spec:
        raise ConfigError("a tasks file needs --verifier (e.g. exact_match)")
    if spec.lstrip().startswith(("{", "[")):
        try:
            spec = json.loads(spec)
        except json.JSONDecodeError as e:
            raise ConfigError(f"verifier spec is not valid JSON: {e.msg}") from None
    return make_verifier(spec)


def evaluate_tasks(model, tokenizer, tasks, verifier, *, samples: int = 1,
                   temperature: float = 0.0, max_new_tokens: int = 128, system: str = "",
                   seed: int = 0, engine=None) -> dict:
    """Held-out scores through the Engine: mean first-sample score and best-of-`samples`."""
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams
    from lmforge.train.objectives.grpo import chat_prompt_ids
    from lmforge.train.rollout import sample_groups

    was_training = model.training
    engine = engine or Engine(model, tokenizer, max_batch_size=min(64, len(tasks) * samples))
    engine.reset_prefix_cache()
    prompts = [chat_prompt_ids(tokenizer, t["prompt"], system) for t in tasks]
    params = SamplingParams(max_tokens=max_new_tokens, temperature=temperature)
    start = time.perf_counter()
    groups = sample_groups(engine, prompts, samples, params, seed=seed)
    texts = [c.text for g in groups for c in g]
    scores = [v.score for v in verifier.score_many(
        texts, [t for t in tasks for _ in range(samples)])]
    model.train(was_training)
    by_task = [scores[i * samples:(i + 1) * samples] for i in range(len(tasks))]
    return {"n": len(tasks), "samples": samples, "temperature": temperature,
            "accuracy": sum(s[0] for s in by_task) / len(tasks),
            "mean_score": sum(scores) / len(scores),
            f"best_of_{samples}": sum(max(s) for s in by_task) / len(tasks),
            "mean_tokens": sum(len(c.token_ids) for g in groups for c in g) / len(texts),
            "seconds": round(time.perf_counter() - start, 1), "example": texts[0][:300]}


def held_out_reward(model, tokenizer, tasks, reward_fn, rl: RLSettings) -> dict:
    """Mean reward-model score of greedy replies to held-out prompts."""
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams
    from lmforge.train.objectives.grpo import chat_prompt_ids

    was_training = model.training
    engine = Engine(model, tokenizer, max_batch_size=min(64, len(tasks)))
    prompts = [chat_prompt_ids(tokenizer, t["prompt"], rl.system or None) for t in tasks]
    params = SamplingParams(max_tokens=rl.eval_max_new_tokens, temperature=0)
    replies = [c.text for c in engine.generate(prompts, params)]
    model.train(was_training)
    scores = reward_fn([t["prompt"] for t in tasks], replies)
    return {"n": len(tasks), "mean_reward": sum(scores) / len(scores), "example": replies[0]}


def plot_reward_curve(history: list[dict], path: Path, results: dict | None = None,
                      keys: tuple[str, ...] = ("reward",), held_out: str = "accuracy") -> None:
    """Mean reward per rollout batch, smoothed (and results' held-out `held_out` before and
    after); other `keys` (PPO's kl) on a second axis."""
    if not history:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    steps = range(1, len(history) + 1)
    ax.plot(steps, [h["reward"] for h in history], label="rollout reward", alpha=0.5)
    twin_lines = []
    for key in keys[1:]:
        twin = ax.twinx()
        twin_lines += twin.plot(steps, [h[key] for h in history], color="tab:red", label=key)
        twin.set_ylabel(key)
    window = max(1, len(history) // 10)
    smooth = [sum(h["reward"] for h in history[max(0, i - window + 1):i + 1])
              / len(history[max(0, i - window + 1):i + 1]) for i in range(len(history))]
    ax.plot(steps, smooth, label=f"reward (mean of {window})")
    for key, style in (("before", "--"), ("after", ":")):
        if results and key in results:
            ax.axhline(results[key][held_out], linestyle=style, color="gray",
                       label=f"held-out {key}: {results[key][held_out]:.2f}")
    ax.set_xlabel("rollout batch")
    ax.set_ylabel("reward")
    lines = ax.get_lines() + twin_lines
    ax.legend(lines, [line.get_label() for line in lines], fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
