"""Preference pairs {"prompt", "chosen", "rejected"} -> token ids for reward models and DPO.

The prompt is a string (one user turn) or a list of chat messages; each response becomes
the assistant turn after it, rendered with the model's chat template (data/chat.py), so
the response tokens end with the template's end-of-turn marker. A batch stacks the chosen
rows above the rejected ones:

    rows 0..B-1    prompt + chosen       labels: next token on response tokens, else -100
    rows B..2B-1   prompt + rejected

and carries each pair's index, which keys DPO's cache of reference log-probabilities.

Test: `pytest tests/data/test_finetune_data.py -k preference`.
"""

from dataclasses import dataclass

import torch

from lmforge.data.chat import prompt_messages, render_with_mask
from lmforge.data.packing import Block, collate


@dataclass
class PairExample:
    index: int
    chosen: Block
    rejected: Block


def encode_pair(tokenizer, record: dict, index: int, max_length: int,
                where: str = "") -> PairExample:
    messages = prompt_messages(record["prompt"])
    blocks = []
    for field in ("chosen", "rejected"):
        reply = [{"role": "assistant", "content": record[field]}]
        ids, mask = render_with_mask(tokenizer, messages + reply, where)
        block = Block()
        block.add(ids[-max_length:], mask[-max_length:])  # keep the response: cut the prompt
        blocks.append(block)
    return PairExample(index, *blocks)


def collate_pairs(pairs: list[PairExample], pad_id: int) -> dict[str, torch.Tensor]:
    """(2B, T) chosen-then-rejected rows, plus `pair_index` (B,) and `last` (2B,): the
    position of each row's final real token (where a reward head reads)."""
    blocks = [p.chosen for p in pairs] + [p.rejected for p in pairs]
    batch = collate(blocks, pad_id)
    batch["pair_index"] = torch.tensor([p.index for p in pairs], dtype=torch.long)
    batch["last"] = torch.tensor([len(b.ids) - 1 for b in blocks], dtype=torch.long)
    return batch
