"""Lesson 10, live: one real GRPO step on a tiny batch, by the code `lmforge grpo` runs.

The policy is the loaded model as `lmforge grpo` sets it up (train/pipeline.py: float
weights, LoRA adapters whose base is the reference), the objective is train/objectives/
grpo.py's GRPO built from RLSettings, and the step is the one Trainer's:

    rollout      GRPO.rollout: `group_size` sampled replies per prompt through the Engine,
                 scored by the verifier (exact match), advantages normalised per group
                 (uniform groups dropped: they teach nothing), reference log-probs
    update       Trainer.train_step: the clipped policy loss + beta * KL(k3) to the
                 reference, backward, gradient clipping, AdamW on the LoRA weights

Shown: every reply with its reward and advantage (the verifier's verdicts and
`group_advantages`, recorded as the rollout makes them), the loss and KL the step
optimised (on the first step the policy is the reference: ratio 1, KL 0), the KL and the
change of each reply's mean token log-probability after the step (replies with a positive
advantage go up), and the norm of the update to the trained weights.

    grpo_step("smollm2-135m-instruct", group_size=4, max_tokens=16)
      -> {"prompts": [{"prompt", "answer", "samples": [{"text", "reward", "reason",
          "advantage", "logp_before", "logp_after"}]}], "loss", "kl_before", "kl_after",
          "clip_fraction", "update_norm", "trainable", "seconds"}

Test: `pytest tests/learn/test_grpo_step.py`.
"""

import copy
import functools
import tempfile
import time

import torch

from lmforge.errors import ConfigError
from lmforge.learn.lesson_engine import check_generates
from lmforge.train.lora import count_parameters
from lmforge.train.objectives.grpo import RolloutLoader, group_advantages
from lmforge.train.pipeline import load_policy, set_up_training
from lmforge.train.rollout import masked_mean, token_logprobs
from lmforge.train.settings import RLSettings, TrainSettings
from lmforge.train.trainer import Trainer
from lmforge.verify.registry import make_verifier

TASKS = [  # two sums SmolLM2-135M gets right some of the time: groups that teach
    {"prompt": "What is 7 + 8? Reply with the number only.", "answer": "15"},
    {"prompt": "What is 6 + 3? Reply with the number only.", "answer": "9"},
]
MAX_GROUP, MAX_REPLY_TOKENS = 8, 64


class RecordingVerifier:
    """The verifier, recording what it scores (the rollout's replies, in the rollout's order:
    groups of its tasks, which it draws in a seeded order) and its verdicts."""

    def __init__(self, verifier) -> None:
        self.verifier, self.texts, self.tasks, self.verdicts = verifier, [], [], []

    def score_many(self, texts, tasks):
        verdicts = self.verifier.score_many(texts, tasks)
        self.texts, self.tasks, self.verdicts = list(texts), list(tasks), list(verdicts)
        return verdicts


@functools.lru_cache(maxsize=1)
def policy_base(source: str):
    """(model, tokenizer) as `lmforge grpo` loads them, kept for the next step."""
    return load_policy(source)


def grpo_step(source: str, tasks: list[dict] = TASKS, group_size: int = 4,
              max_tokens: int = 16, rank: int = 8, lr: float = 2e-4, beta: float = 0.04,
              seed: int = 0) -> dict:
    """One GRPO step on a fresh LoRA policy over the model in `source` (module docstring)."""
    check_counts(tasks, group_size, max_tokens)
    base, tokenizer = policy_base(source)
    check_generates(base)
    started = time.perf_counter()
    model = copy.deepcopy(base)
    verifier = RecordingVerifier(make_verifier("exact_match"))
    settings = RLSettings(model=source, lora_rank=rank, group_size=group_size,
                          prompts_per_rollout=len(tasks), max_new_tokens=max_tokens,
                          beta=beta, temperature=1.0)
    objective = set_up_training("grpo", settings, model, tokenizer, seed, tasks=list(tasks),
                                scorer=verifier)
    with tempfile.TemporaryDirectory() as out_dir:  # one step writes nothing
        trainer = Trainer(model, objective, RolloutLoader(objective), TrainSettings(
            out_dir=out_dir, lr=lr, min_lr=lr, warmup_steps=0, max_steps=1, weight_decay=0.0,
            progress=False, tensorboard=False))
        objective.before_step(trainer, 0)  # the rollout: sample, score, advantages
        batch = objective.buffer[0]
        before = trained_weights(model)
        shown = replies(verifier, group_size)
        loss, metrics = evaluate(objective, model, batch)
        trainer.train_step()  # the update: the batch above, one AdamW step
        _, after_metrics = evaluate(objective, model, batch)
    update = torch.sqrt(sum(((a - b) ** 2).sum() for a, b in
                            zip(trained_weights(model), before, strict=True)))
    add_logprob_change(shown, objective, batch, before_model=base, model=model)
    return {"prompts": shown, "loss": loss, "kl_before": metrics.get("kl"),
            "kl_after": after_metrics.get("kl"), "clip_fraction": metrics["clip_fraction"],
            "update_norm": update.item(), "trainable": count_parameters(model)[0],
            "rank": rank, "lr": lr, "beta": beta, "group_size": group_size,
            "seconds": time.perf_counter() - started}


def check_counts(tasks, group_size: int, max_tokens: int) -> None:
    if not tasks or any(not t.get("prompt") or not str(t.get("answer", "")).strip()
                        for t in tasks):
        raise ConfigError("each task needs a prompt and its answer")
    if isinstance(group_size, bool) or not isinstance(group_size, int) or not (
            2 <= group_size <= MAX_GROUP):
        raise ConfigError(f"group_size={group_size!r} is invalid: must be in 2..{MAX_GROUP} "
                          "(a group of one has no baseline)")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not (
            1 <= max_tokens <= MAX_REPLY_TOKENS):
        raise ConfigError(f"max_tokens={max_tokens!r} is invalid: must be in "
                          f"1..{MAX_REPLY_TOKENS}")


def replies(verifier: RecordingVerifier, group_size: int) -> list[dict]:
    """The rollout's replies per prompt, with their rewards and group advantages."""
    rewards = torch.tensor([v.score for v in verifier.verdicts]).view(-1, group_size)
    advantages = group_advantages(rewards)
    shown = []
    for i in range(rewards.shape[0]):
        task, rows = verifier.tasks[i * group_size], range(i * group_size, (i + 1) * group_size)
        shown.append({"prompt": task["prompt"], "answer": str(task["answer"]), "samples": [
            {"text": verifier.texts[n], "reward": verifier.verdicts[n].score,
             "reason": verifier.verdicts[n].reason,
             "advantage": advantages[i, n - i * group_size].item()} for n in rows]})
    return shown


@torch.no_grad()
def evaluate(objective, model, batch: dict) -> tuple[float | None, dict]:
    """The objective's loss and metrics on the rollout batch, as plain numbers."""
    if batch["input_ids"].shape[0] == 0:  # every group uniform: nothing to learn from
        return None, {"clip_fraction": None}
    was_training = model.training
    model.eval()
    loss, metrics = objective.loss(model, batch)
    model.train(was_training)
    return loss.item(), {k: float(v) for k, v in metrics.items() if not k.startswith("stat_")}


def trained_weights(model) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters() if p.requires_grad]


@torch.no_grad()
def add_logprob_change(shown: list[dict], objective, batch: dict, before_model, model) -> None:
    """Each trained reply's mean token log-probability under the policy before the step
    (the base: LoRA starts as a no-op) and after it; None for replies of uniform groups."""
    samples = [s for prompt in shown for s in prompt["samples"]]
    for s in samples:
        s["logp_before"] = s["logp_after"] = None
    if batch["input_ids"].shape[0] == 0:
        return
    trained = [s for s in samples if s["advantage"] != 0]  # the rows the rollout kept
    mask = batch["completion_mask"]
    temperature = objective.params.temperature
    before_model.eval()
    model.eval()
    for key, policy in (("logp_before", before_model), ("logp_after", model)):
        logp = token_logprobs(policy, batch["input_ids"], temperature)
        for s, value in zip(trained, masked_mean(logp, mask, dim=1).tolist(), strict=True):
            s[key] = value
