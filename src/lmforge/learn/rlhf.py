"""Lesson 10, RL from rewards: how GRPO turns right and wrong answers into a learning signal.

GRPO (Shao et al. 2024) samples a group of G answers to one question from the current
model, scores each with a verifier (1 right, 0 wrong), and uses the group as its own
baseline: advantage_i = (r_i - mean(r)) / std(r). Answers better than their group's
average get pushed up, worse ones down; a group where all are right (or all wrong) has
std 0 and teaches nothing. This lesson runs exactly that first half of a GRPO step, with
the objective's own pieces (train/objectives/grpo.py: `chat_prompt_ids`, `group_advantages`;
train/rollout.py: `sample_groups`; verify/: `exact_match`); the gradient step that follows
is `lmforge grpo`'s, and grpo_step.py takes one, live. A recorded run's curves (reward, KL,
clipped share by step) come from its metrics.csv (`replay_run`).

    grpo_group(engine, "What is 7 + 8? Reply with the number only.", "15", group_size=8)
      -> {"prompt", "answer", "samples": [{"text", "reward", "reason", "advantage"}],
          "mean_reward", "std_reward", "uniform"}

Test: `pytest tests/learn/test_rlhf.py`.
"""

from pathlib import Path

import torch

from lmforge.errors import ConfigError, DataError
from lmforge.infer import Engine, SamplingParams
from lmforge.learn.lesson_engine import check_generates
from lmforge.train.metrics import read_metrics
from lmforge.train.objectives.grpo import chat_prompt_ids, group_advantages
from lmforge.train.rollout import sample_groups
from lmforge.verify.registry import make_verifier

# SmolLM2-135M answers this right about a third of the time: a group that teaches
EXAMPLE = ("What is 7 + 8? Reply with the number only.", "15")
MAX_GROUP = 16
MAX_ANSWER_TOKENS = 128


def grpo_group(engine: Engine, prompt: str = EXAMPLE[0], answer: str = EXAMPLE[1],
               group_size: int = 8, max_tokens: int = 32, temperature: float = 1.0,
               seed: int = 0) -> dict:
    """Sample a group, score it, and compute GRPO's advantages (module docstring)."""
    check_generates(engine.model)
    if not prompt or not str(answer).strip():
        raise ConfigError("the question and its answer must both be given")
    if isinstance(group_size, bool) or not isinstance(group_size, int) or not (
            2 <= group_size <= MAX_GROUP):
        raise ConfigError(f"group_size={group_size!r} is invalid: must be in 2..{MAX_GROUP} "
                          "(a group of one has no baseline)")
    if not 1 <= max_tokens <= MAX_ANSWER_TOKENS:
        raise ConfigError(f"max_tokens={max_tokens!r} is invalid: must be in "
                          f"1..{MAX_ANSWER_TOKENS}")
    tokenizer = engine.tokenizer
    ids = (chat_prompt_ids(tokenizer, prompt) if tokenizer.chat_template
           else tokenizer.encode(prompt, add_special=True, parse_special=False))
    params = SamplingParams(max_tokens=max_tokens, temperature=temperature).validate()
    [group] = sample_groups(engine, [ids], group_size, params, seed=seed)
    task = {"prompt": prompt, "answer": str(answer)}
    verdicts = make_verifier("exact_match").score_many([c.text for c in group],
                                                       [task] * group_size)
    rewards = torch.tensor([[v.score for v in verdicts]])  # (1, G): one group
    advantages = group_advantages(rewards)[0]
    return {"prompt": prompt, "answer": str(answer), "chat": bool(tokenizer.chat_template),
            "samples": [{"text": c.text, "reward": v.score, "reason": v.reason,
                         "advantage": a} for c, v, a in
                        zip(group, verdicts, advantages.tolist(), strict=True)],
            "mean_reward": rewards.mean().item(),
            "std_reward": rewards.std().item(),
            "uniform": bool((advantages == 0).all())}


def replay_run(run_dir: str | Path) -> dict:
    """A recorded run's metrics by step (metrics.csv of `lmforge grpo` / `ppo` / ...): each
    numeric column as a list, blanks as None."""
    path = Path(run_dir) / "metrics.csv"
    rows = read_metrics(path)
    if not rows:
        raise DataError(f"{path} has no metrics: give the folder of a run "
                        "(`lmforge grpo --out RUN`)")
    columns = {}
    for name in rows[0]:
        values = [_number(row[name]) for row in rows]
        if any(v is not None for v in values):
            columns[name] = values
    return {"run": str(run_dir), "steps": len(rows), "columns": columns}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None
