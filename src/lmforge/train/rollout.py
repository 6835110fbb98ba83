"""Rollouts for RL: sample completions through the one Engine, then score tokens for the loss.

    engine = Engine(policy, tokenizer)            # once, on the policy being trained
    groups = sample_groups(engine, prompt_ids, group_size=8, params=...)
    ... optimizer step changes the weights ...
    engine.reset_prefix_cache()                   # cached keys/values are of old weights

The Engine runs the model it is handed (LoRA wrappers included), so every rollout samples
the current policy; only the prefix cache must be dropped after a weight update.

For the loss, prompt + completion are packed right-padded into one (N, T) tensor; the
next-token log-probabilities of the completion tokens come from one forward pass:

    input_ids        p p p c c c <pad>          p = prompt, c = completion
    targets            p p c c c <pad>          (input_ids shifted left)
    completion_mask    0 0 1 1 1 0              which targets are sampled tokens

Right padding needs no attention mask: a causal model never looks forward to the pads.
Test: `pytest tests/train/test_rollout.py`.
"""

from collections.abc import Sequence
from dataclasses import replace

import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.infer.params import SamplingParams


def sample_groups(engine, prompts: Sequence[list[int]], group_size: int,
                  params: SamplingParams, seed: int = 0) -> list[list]:
    """`group_size` completions per prompt, all in one continuous batch.

    Each request gets its own seed (seed, prompt index, sample index), so the samples of a
    group differ and a run is reproducible."""
    requests, request_params = [], []
    for i, prompt in enumerate(prompts):
        for j in range(group_size):
            requests.append(list(prompt))
            request_params.append(replace(params, seed=hash((seed, i, j)) % 2**31))
    completions = engine.generate(requests, request_params)
    return [completions[i * group_size:(i + 1) * group_size] for i in range(len(prompts))]


def pack_sequences(prompts: Sequence[list[int]], completions: Sequence[list[int]],
                   pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded prompt+completion ids (N, T) and the completion mask over targets (N, T-1)."""
    rows = [list(p) + list(c) for p, c in zip(prompts, completions, strict=True)]
    T = max(len(r) for r in rows)
    input_ids = torch.full((len(rows), T), pad_id, dtype=torch.long)
    mask = torch.zeros(len(rows), T - 1, dtype=torch.bool)
    for n, (p, c) in enumerate(zip(prompts, completions, strict=True)):
        input_ids[n, :len(p) + len(c)] = torch.tensor(rows[n])
        mask[n, len(p) - 1:len(p) - 1 + len(c)] = True  # target t is input t+1
    return input_ids, mask


def token_logprobs(model, input_ids: torch.Tensor, temperature: float = 1.0,
                   return_hidden: bool = False):
    """log p(input_ids[:, t+1] | input_ids[:, :t+1]) for every t: (N, T-1) float32.

    Logits are divided by the sampling temperature, so the log-probabilities are those of
    the distribution the Engine sampled from (as TRL does)."""
    hidden = model(input_ids)  # (N, T, C)
    logits = model.logits(hidden[:, :-1]).float()  # (N, T-1, V)
    if temperature != 1.0:
        logits = logits / temperature
    logp = torch.gather(F.log_softmax(logits, dim=-1), 2, input_ids[:, 1:, None])[..., 0]
    return (logp, hidden, logits) if return_hidden else logp


def reference_logprobs(model, reference, input_ids: torch.Tensor, temperature: float,
                       method: str) -> torch.Tensor:
    """token_logprobs under the reference policy: the `reference` model when given, else
    `model` with its LoRA adapters switched off (its base is the reference), in eval mode."""
    if reference is not None:
        return token_logprobs(reference, input_ids, temperature)
    from lmforge.train.lora import adapters_disabled, lora_modules

    if not lora_modules(model):
        raise ConfigError(f"{method} needs a reference model (or LoRA adapters, whose base is "
                          "the reference)")
    was_training = model.training
    with adapters_disabled(model):
        model.eval()
        logp = token_logprobs(model, input_ids, temperature)
    model.train(was_training)
    return logp


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int | None = None) -> torch.Tensor:
    """Mean of x where mask is true (all of it, or along dim)."""
    mask = mask.to(x.dtype)
    if dim is None:
        return (x * mask).sum() / mask.sum().clamp(min=1)
    return (x * mask).sum(dim) / mask.sum(dim).clamp(min=1)

