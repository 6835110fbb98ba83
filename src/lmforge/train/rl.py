"""RL runs from a recipe or the command line: policy + tasks + verifier -> GRPO on the Trainer.

    lmforge grpo --task arithmetic --level 2 --lora-rank 16 --max-steps 40 --out runs/grpo
    lmforge grpo --config recipes/grpo-arithmetic.yaml

A recipe has two sections, `rl` (RLSettings below) and `train` (TrainSettings: steps, lr,
grad_accum_steps as micro-batches per update, ...). Held-out accuracy is measured on the
task's test split (never sampled in training) before and after, greedy; `out` gets
results.json, reward_curve.png, metrics.csv and the adapter (LoRA) or model folder.
Test: `pytest tests/train/test_rl_run.py`.
"""

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lmforge.atomic import write_text_atomic
from lmforge.errors import ConfigError
from lmforge.train.lora import DEFAULT_TARGETS
from lmforge.train.settings import TrainSettings, load_sections

TASK_VERIFIERS = {"arithmetic": "exact_match", "python": "code", "json": "json_match"}
RL_TRAIN_DEFAULTS = {"out_dir": "runs/grpo", "max_steps": 40, "lr": 2e-4, "min_lr": 2e-4,
                     "warmup_steps": 0, "weight_decay": 0.0, "eval_every": 0, "log_every": 1,
                     "grad_accum_steps": 1, "checkpoint_every": 0, "keep_last": 1,
                     "tensorboard": False}


@dataclass
class RLSettings:
    """What to train with RL, on which tasks, checked by which verifier."""

    model: str = "smollm2-135m-instruct"
    """Policy: bundled name, folder, .gguf or Hugging Face repo."""
    task: str = "arithmetic"
    """arithmetic, python, json (generated), or a tasks JSONL file."""
    level: int = 2
    """Arithmetic difficulty, 1-5."""
    eval_task: str = ""
    """Held-out tasks JSONL (default: the generated task's test split)."""
    num_train_tasks: int = 400
    """Generated training problems (train split)."""
    num_eval_tasks: int = 100
    """Generated held-out problems (test split)."""
    verifier: str = ""
    """Verifier name or JSON spec (default by task: exact_match, code, json_match)."""
    group_size: int = 8
    """Completions sampled per prompt (G)."""
    prompts_per_rollout: int = 4
    """Prompts per rollout batch."""
    updates_per_rollout: int = 1
    """Optimizer steps on each rollout batch (mu)."""
    clip_eps: float = 0.2
    """PPO clip range of the probability ratio."""
    beta: float = 0.04
    """Weight of the k3 KL penalty to the reference."""
    temperature: float = 1.0
    """Sampling temperature of the rollouts."""
    max_new_tokens: int = 96
    """Most tokens per sampled completion."""
    system: str = ""
    """System message for every prompt."""
    lora_rank: int = 16
    """LoRA rank; 0 trains every weight (with a frozen copy as the reference)."""
    lora_alpha: float = 32.0
    """LoRA alpha."""
    lora_targets: str = DEFAULT_TARGETS
    """Regex over linear names to adapt."""
    eval_before: bool = True
    """Measure held-out accuracy of the starting policy too."""
    eval_max_new_tokens: int = 128
    """Most tokens per held-out answer (greedy)."""
    reward_model: str = ""
    """PPO: reward model folder (from `lmforge rm`)."""
    kl_coef: float = 0.05
    """PPO: per-token KL penalty in the reward."""
    vf_coef: float = 0.1
    """PPO: weight of the value loss."""
    gae_lambda: float = 0.95
    """PPO: GAE lambda (gamma is 1: rewards arrive at the end of a reply)."""


def load_rl_recipe(path: str | Path | None, overrides: dict[str, Any]
                   ) -> tuple[RLSettings, TrainSettings]:
    """Recipe file (sections rl, train) + command-line overrides -> settings."""
    rl, train = load_sections(path, overrides, {"rl": RLSettings, "train": TrainSettings},
                              {"train": RL_TRAIN_DEFAULTS})
    return rl, train


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


def grpo(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run a GRPO recipe (with overrides); return results (held-out before/after, curve)."""
    rl, train = load_rl_recipe(recipe, overrides)
    return run_grpo(rl, train)


def run_grpo(rl: RLSettings, train: TrainSettings) -> dict:
    import torch

    from lmforge.io.registry import load
    from lmforge.train.objectives.grpo import GRPO, RolloutLoader
    from lmforge.train.trainer import Trainer
    from lmforge.verify import check_tasks

    tasks, held_out, default_verifier = load_tasks(rl, train.seed)
    verifier = make_task_verifier(rl, default_verifier)
    check_tasks(tasks, verifier, rl.task)
    check_tasks(held_out, verifier, rl.eval_task or f"{rl.task} (test split)")
    if train.num_threads:
        torch.set_num_threads(train.num_threads)
    loaded = load(rl.model, quantize="none", fuse=False)
    model, tokenizer = loaded.model, loaded.tokenizer
    results: dict[str, Any] = {"settings": asdict(rl), "train": asdict(train)}
    evaluate = lambda: evaluate_tasks(  # noqa: E731
        model, tokenizer, held_out, verifier, max_new_tokens=rl.eval_max_new_tokens,
        system=rl.system)
    if held_out and rl.eval_before:
        results["before"] = evaluate()
        _say(f"held-out before: {results['before']['accuracy']:.3f} on {len(held_out)}")
    torch.manual_seed(train.seed)
    reference = _add_adapters_or_reference(model, rl)
    objective = GRPO(tasks, verifier, tokenizer, reference=reference, group_size=rl.group_size,
                     prompts_per_rollout=rl.prompts_per_rollout,
                     updates_per_rollout=rl.updates_per_rollout, clip_eps=rl.clip_eps,
                     beta=rl.beta, temperature=rl.temperature, max_new_tokens=rl.max_new_tokens,
                     system=rl.system or None, seed=train.seed)
    start = time.perf_counter()
    metrics = Trainer(model.train(), objective, RolloutLoader(objective), train,
                      tokenizer=tokenizer).fit()
    results["train_seconds"] = round(time.perf_counter() - start, 1)
    results["curve"] = objective.history
    if held_out:
        results["after"] = evaluate()
        _say(f"held-out after: {results['after']['accuracy']:.3f} on {len(held_out)}")
    results["final_metrics"] = {k: v for k, v in metrics.items() if isinstance(v, int | float)}
    save_policy(model, tokenizer, rl.model, train.out_dir)
    out = Path(train.out_dir)
    plot_reward_curve(objective.history, out / "reward_curve.png", results)
    write_text_atomic(out / "results.json", json.dumps(results, indent=1) + "\n")
    return results


def ppo(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run PPO against a reward model; return held-out mean reward before/after and curves."""
    rl, train = load_rl_recipe(recipe, {"out_dir": "runs/ppo", **overrides})
    return run_ppo(rl, train)


def run_ppo(rl: RLSettings, train: TrainSettings) -> dict:
    import torch

    from lmforge.io.registry import load
    from lmforge.train.objectives.grpo import RolloutLoader
    from lmforge.train.objectives.ppo import PPO, check_same_tokenizer
    from lmforge.train.reward_model import RewardModel
    from lmforge.train.trainer import Trainer

    if not rl.reward_model:
        raise ConfigError("PPO needs --reward-model (a folder trained with `lmforge rm`)")
    tasks, held_out, _ = load_tasks(rl, train.seed)
    reward_model = RewardModel.load(rl.reward_model)
    loaded = load(rl.model, quantize="none", fuse=False)
    model, tokenizer = loaded.model, loaded.tokenizer
    check_same_tokenizer(tokenizer, reward_model.tokenizer)
    reward_fn = lambda prompts, replies: reward_model.score_batch(  # noqa: E731
        list(zip(prompts, replies, strict=True)))
    results: dict[str, Any] = {"settings": asdict(rl), "train": asdict(train)}
    evaluate = lambda: held_out_reward(model, tokenizer, held_out, reward_fn, rl)  # noqa: E731
    if held_out and rl.eval_before:
        results["before"] = evaluate()
    torch.manual_seed(train.seed)
    reference = _add_adapters_or_reference(model, rl, always=True)
    objective = PPO(tasks, reward_fn, tokenizer, model.config.hidden_size, reference=reference,
                    rollout_size=rl.prompts_per_rollout, epochs=rl.updates_per_rollout,
                    clip_eps=rl.clip_eps, vf_coef=rl.vf_coef, kl_coef=rl.kl_coef,
                    lam=rl.gae_lambda, temperature=rl.temperature,
                    max_new_tokens=rl.max_new_tokens, system=rl.system or None, seed=train.seed)
    start = time.perf_counter()
    Trainer(model.train(), objective, RolloutLoader(objective), train, tokenizer=tokenizer).fit()
    results["train_seconds"] = round(time.perf_counter() - start, 1)
    results["curve"] = objective.history
    if held_out:
        results["after"] = evaluate()
    save_policy(model, tokenizer, rl.model, train.out_dir)
    out = Path(train.out_dir)
    plot_reward_curve(objective.history, out / "reward_curve.png", results, keys=("reward", "kl"),
                      held_out="mean_reward")
    write_text_atomic(out / "results.json", json.dumps(results, indent=1) + "\n")
    return results


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


def _add_adapters_or_reference(model, rl: RLSettings, always: bool = False):
    """LoRA: the base (adapters off) is the reference; full fine-tuning: a frozen copy."""
    if rl.lora_rank:
        from lmforge.train.lora import LoRASettings, apply_lora

        apply_lora(model, LoRASettings(rank=rl.lora_rank, alpha=rl.lora_alpha,
                                       targets=rl.lora_targets))
        return None
    if rl.beta == 0 and not always:
        return None
    import copy

    return copy.deepcopy(model).requires_grad_(False).eval()


def save_policy(model, tokenizer, base_name: str, out_dir: str | Path) -> None:
    """A PEFT adapter folder under LoRA, else an HF model folder; the tokenizer beside it."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.train.lora import save_adapter

    out = Path(out_dir)
    if getattr(model, "lora_config", None) is not None:
        save_adapter(model, out, base_name=base_name)
    else:
        save_hf_folder(model, out)
    save_hf_tokenizer(tokenizer, out)


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
