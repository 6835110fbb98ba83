"""Packing variable-length examples into fixed blocks, each example attending only to itself.

Short chat examples padded to the longest one waste most of a batch on padding. Packing
puts several whole examples into one block of T tokens (first fit, in the given order):

    block     [ex1 ex1 ex1 ex2 ex2 ex3 ex3 ex3 pad]
    segment   [ 1   1   1   2   2   3   3   3   0 ]     0 = padding
    position  [ 0   1   2   0   1   0   1   2   0 ]     restart per example

`collate` turns blocks into tensors: input ids, labels (the next token where the mask says
it is learned, -100 elsewhere and across example boundaries), positions, and a (B, T, T)
bool attention mask that is causal within an example and False across examples, so a packed
block computes exactly what running each example alone would.

Test: `pytest tests/data/test_finetune_data.py -k pack` and tests/train/test_sft.py.
"""

from dataclasses import dataclass, field

import torch

IGNORE_INDEX = -100


@dataclass
class Block:
    """Examples packed into one row: ids, learn-mask, segment (1-based), position."""

    ids: list[int] = field(default_factory=list)
    mask: list[bool] = field(default_factory=list)
    segment: list[int] = field(default_factory=list)
    position: list[int] = field(default_factory=list)

    def add(self, ids: list[int], mask: list[bool]) -> None:
        number = (self.segment[-1] if self.segment else 0) + 1
        self.ids += ids
        self.mask += mask
        self.segment += [number] * len(ids)
        self.position += list(range(len(ids)))


def pack(examples: list[tuple[list[int], list[bool]]], block_size: int,
         packing: bool = True) -> list[Block]:
    """Whole examples into blocks of at most block_size tokens (longer ones are cut to fit).

    Without packing each example gets its own block (padded to the batch's longest).
    """
    blocks: list[Block] = []
    for ids, mask in examples:
        ids, mask = ids[:block_size], mask[:block_size]
        fits = [b for b in blocks if len(b.ids) + len(ids) <= block_size] if packing else []
        target = fits[0] if fits else None
        if target is None:
            target = Block()
            blocks.append(target)
        target.add(ids, mask)
    return blocks


def collate(blocks: list[Block], pad_id: int) -> dict[str, torch.Tensor]:
    """Blocks -> input_ids, labels, positions (B, T) and attention_mask (B, T, T) bool."""
    T = max(len(b.ids) for b in blocks)
    B = len(blocks)
    ids = torch.full((B, T), pad_id, dtype=torch.long)
    learn = torch.zeros(B, T, dtype=torch.bool)
    segment = torch.zeros(B, T, dtype=torch.long)
    positions = torch.zeros(B, T, dtype=torch.long)
    for row, b in enumerate(blocks):
        n = len(b.ids)
        ids[row, :n] = torch.tensor(b.ids)
        learn[row, :n] = torch.tensor(b.mask)
        segment[row, :n] = torch.tensor(b.segment)
        positions[row, :n] = torch.tensor(b.position)
    # labels[t] = ids[t+1] when token t+1 is learned and belongs to the same example
    same_next = torch.zeros_like(learn)
    same_next[:, :-1] = (segment[:, 1:] == segment[:, :-1]) & (segment[:, 1:] > 0)
    next_ids = torch.full_like(ids, IGNORE_INDEX)
    next_ids[:, :-1] = ids[:, 1:]
    next_learn = torch.zeros_like(learn)
    next_learn[:, :-1] = learn[:, 1:]
    labels = torch.where(same_next & next_learn, next_ids, IGNORE_INDEX)
    index = torch.arange(T)
    causal = index[None, :] <= index[:, None]  # (T, T) key j <= query i
    same = segment[:, :, None] == segment[:, None, :]  # (B, T, T)
    # padding (segment 0) attends to earlier padding only; its outputs are never scored
    mask = same & causal
    return {"input_ids": ids, "labels": labels, "positions": positions, "attention_mask": mask}
