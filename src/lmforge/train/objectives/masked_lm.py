"""Masked language modelling: BERT's pretraining objective (Devlin et al. 2019, sec. 3.1).

Pick 15% of the (non-special) positions. Of those, replace 80% by [MASK], 10% by a random
token and leave 10% unchanged, then predict the original token at the picked positions
only. The random and unchanged cases keep the model from learning that only [MASK]
positions matter, since no [MASK] ever appears at fine-tuning time.

    ids     the  cat  sat  on   the  mat
    picked       ^              ^    ^
    input   the [MASK] sat on   dog  mat        (80% mask, 10% random, 10% kept)
    labels  -    cat   -   -    the  mat        (-100 = not scored)

Test: `pytest tests/train/test_objectives.py -k masked`.
"""

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError
from lmforge.train.objectives import IGNORE_INDEX, Objective, RunParts

MASK_TOKEN = "<|mask|>"  # the one a tokenizer trained for MLM gets
MASK_TOKENS = (MASK_TOKEN, "[MASK]", "<mask>")  # names other tokenizers use


def mask_tokens(
    ids: torch.Tensor,
    mask_id: int,
    vocab_size: int,
    special_ids: Iterable[int],
    generator: torch.Generator,
    mask_prob: float = 0.15,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking of `ids` (any shape) -> (corrupted input ids, labels with -100 elsewhere)."""
    special = torch.isin(ids, torch.tensor(sorted(set(special_ids)), dtype=ids.dtype))
    draw = torch.rand(ids.shape, generator=generator)
    picked = (draw < mask_prob) & ~special
    labels = torch.where(picked, ids, IGNORE_INDEX)
    # one more uniform draw splits the picked positions 80 / 10 / 10
    kind = torch.rand(ids.shape, generator=generator)
    to_mask = picked & (kind < 0.8)
    to_random = picked & (kind >= 0.8) & (kind < 0.9)
    random_ids = torch.randint(vocab_size, ids.shape, generator=generator, dtype=ids.dtype)
    inputs = torch.where(to_mask, mask_id, ids)
    inputs = torch.where(to_random, random_ids, inputs)
    return inputs, labels


class MaskedLM(Objective):
    name = "masked_lm"
    special_tokens = (MASK_TOKEN,)

    def __init__(
        self, mask_id: int, vocab_size: int, special_ids: Iterable[int], seed: int = 0,
        mask_prob: float = 0.15,
    ) -> None:
        super().__init__(seed)
        self.mask_id = mask_id
        self.vocab_size = vocab_size
        self.special_ids = sorted(set(special_ids) | {mask_id})
        self.mask_prob = mask_prob

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "MaskedLM":
        """The tokenizer's mask token (under any of MASK_TOKENS) and special ids."""
        tokenizer = parts.tokenizer
        mask_id = next((tokenizer.token_to_id(t) for t in MASK_TOKENS
                        if tokenizer.token_to_id(t) is not None), None)
        if mask_id is None:
            raise ConfigError(f"masked LM needs a mask token ({', '.join(MASK_TOKENS)}) "
                              "in the tokenizer")
        return cls(mask_id, tokenizer.vocab_size, tokenizer.special_ids, seed=parts.seed)

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        x, _ = raw  # a packed block; the shifted targets are not used
        generator = self.generator if train else self.eval_generator
        inputs, labels = mask_tokens(
            x, self.mask_id, self.vocab_size, self.special_ids, generator, self.mask_prob
        )
        return {"input_ids": inputs, "labels": labels}

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        hidden = model(batch["input_ids"])  # (B, T, C), bidirectional
        picked = batch["labels"] != IGNORE_INDEX  # (B, T)
        # the MLM head runs only where a label exists: ~15% of the positions
        logits = model.logits(hidden[picked])  # (N, V)
        loss = F.cross_entropy(logits.float(), batch["labels"][picked])
        accuracy = (logits.argmax(-1) == batch["labels"][picked]).float().mean()
        return loss, {"mlm_accuracy": accuracy.detach()}
