"""Supervised fine-tuning: next-token loss on the assistant's tokens only.

A batch is a list of packed blocks (data/packing.py). The model reads every token, with
positions restarting per example and a block-diagonal causal mask, but the loss counts
only the positions whose next token is part of an assistant reply:

    loss = -1/N * sum over learned positions t of log p(ids[t+1] | example's ids[:t+1])

so the model learns to answer, not to imitate the user's questions or the system prompt.
At each evaluation the objective can answer held-out prompts through the Engine and score
the replies with a check (for example "does it follow the taught format?").

Test: `pytest tests/train/test_sft.py`.
"""

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.data.packing import collate
from lmforge.errors import ConfigError
from lmforge.train import distributed
from lmforge.train.objectives import IGNORE_INDEX, Objective, RunParts, pad_id_of


class SFT(Objective):
    name = "sft"

    def __init__(self, pad_id: int = 0, seed: int = 0,
                 sample_prompts: list[list[int]] | None = None,
                 sample_check: Callable[[str, int], bool] | None = None,
                 sample_tokens: int = 48) -> None:
        super().__init__(seed)
        self.pad_id = pad_id
        self.sample_prompts = sample_prompts or []  # held-out prompts, as chat-prompt ids
        self.sample_check = sample_check  # (reply text, prompt index) -> follows the format?
        self.sample_tokens = sample_tokens

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "SFT":
        """FinetuneSettings: sample_prompts of the held-out prompts answered at each
        evaluation, sample_tokens long, scored by format_check."""
        return cls(pad_id=pad_id_of(parts.tokenizer), seed=parts.seed,
                   sample_prompts=parts.sample_prompts[: settings.sample_prompts],
                   sample_check=format_check(settings.format_check),
                   sample_tokens=settings.sample_tokens)

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        return collate(raw, self.pad_id)

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        hidden = model(batch["input_ids"], positions=batch["positions"],
                       attention_mask=batch["attention_mask"])  # (B, T, C)
        learned = batch["labels"] != IGNORE_INDEX  # (B, T)
        # the LM head runs only where the loss counts: replies are a fraction of the tokens
        logits = model.logits(hidden[learned]).float()  # (N, V)
        targets = batch["labels"][learned]  # (N,)
        # mean over the learned tokens of the GLOBAL batch: with data parallelism each rank
        # divides by the average token count per rank, so DDP's gradient mean is exact
        per_rank = distributed.all_reduce_mean(learned.sum().float().detach())
        loss = F.cross_entropy(logits, targets, reduction="sum") / per_rank.clamp(min=1)
        accuracy = (logits.argmax(-1) == targets).float().mean()
        return loss, {"token_accuracy": accuracy.detach()}

    def evaluate(self, trainer) -> dict:
        """Greedy replies to the held-out prompts; the share that passes sample_check."""
        if not self.sample_prompts or not trainer._can_sample():
            return {}
        replies = generate_replies(trainer.model, trainer.tokenizer, self.sample_prompts,
                                   self.sample_tokens)
        trainer._say(f"step {trainer.step} sample reply: {replies[0]!r}")
        row: dict = {"sample": replies[0]}
        if self.sample_check is not None:
            passed = [self.sample_check(r, i) for i, r in enumerate(replies)]
            row["val_format_share"] = sum(passed) / len(passed)
        return row


@torch.no_grad()
def generate_replies(model, tokenizer, prompts: list[list[int]], max_tokens: int) -> list[str]:
    """Greedy replies to chat prompts (token ids ending in the generation prompt)."""
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams

    was_training = model.training
    model.eval()
    params = SamplingParams(max_tokens=max_tokens, temperature=0.0)
    completions = Engine(model, tokenizer).generate(list(prompts), params)
    model.train(was_training)
    return [c.text for c in completions]


def format_check(name: str) -> Callable[[str, int], bool] | None:
    """A sample check by name: 'answer_tags' (the synthetic instruction set's format)."""
    if not name:
        return None
    if name != "answer_tags":
        raise ConfigError(f"unknown format_check {name!r}; known: answer_tags")
    from lmforge.data.synthetic.instructions import follows_format

    return lambda reply, _index: follows_format(reply)
