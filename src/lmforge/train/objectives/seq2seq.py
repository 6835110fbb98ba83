"""Sequence-to-sequence training: T5 span corruption, or supervised (source, target) pairs.

Span corruption (Raffel et al. 2020, "Exploring the Limits of Transfer Learning", sec. 3.1.4)
drops ~15% of the tokens in spans of mean length 3. Each dropped span becomes one sentinel
in the source; the target lists each sentinel followed by the tokens it hides:

    ids      Thank you for inviting me to your party last week .
    source   Thank you <X> me to your party <Y> week .
    target   <X> for inviting <Y> last <eos>

Pairs come from a JSONL file, one `{"source": ..., "target": ...}` per line (translation,
summarisation). Either way the decoder is trained with teacher forcing: it reads
decoder_start + target[:-1] and predicts target, one position ahead.

Test: `pytest tests/train/test_objectives.py -k "span or seq2seq"`.
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lmforge.data.jsonl import read_records
from lmforge.errors import ConfigError, DataError
from lmforge.train.objectives import IGNORE_INDEX, Objective, RunParts

SENTINEL_FORMAT = "<|extra_id_{}|>"  # T5's <extra_id_N>, in this tokenizer's special style
NUM_SENTINELS = 100  # as T5; enough for blocks of ~2000 tokens at density 0.15, span 3


def random_segments(total: int, num_segments: int, generator: torch.Generator) -> torch.Tensor:
    """Split `total` items into `num_segments` non-empty runs of random lengths."""
    cuts = torch.randperm(total - 1, generator=generator)[: num_segments - 1] + 1
    edges = torch.cat([torch.tensor([0]), cuts.sort().values, torch.tensor([total])])
    return edges.diff()


def span_corrupt(
    ids: torch.Tensor,
    sentinel_ids: Sequence[int],
    noise_density: float = 0.15,
    mean_span: float = 3.0,
    generator: torch.Generator | None = None,
    eos_id: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """T5 span corruption of one 1-D sequence -> (source ids, target ids).

    Spans alternate keep, drop, keep, drop, ... starting with a kept run, exactly as T5's
    `random_spans_noise_mask`; the lengths depend only on len(ids), so every row of a batch
    corrupts to the same source and target lengths.
    """
    length = len(ids)
    num_noise = min(max(round(length * noise_density), 1), length - 1)
    num_spans = max(min(round(num_noise / mean_span), num_noise, length - num_noise), 1)
    if num_spans > len(sentinel_ids):
        raise DataError(f"{num_spans} noise spans need more than {len(sentinel_ids)} sentinels")
    noise_lengths = random_segments(num_noise, num_spans, generator)
    keep_lengths = random_segments(length - num_noise, num_spans, generator)
    source, target, start = [], [], 0
    for i in range(num_spans):
        source.append(ids[start : start + keep_lengths[i]])
        start += int(keep_lengths[i])
        sentinel = ids.new_tensor([sentinel_ids[i]])
        source.append(sentinel)
        target += [sentinel, ids[start : start + noise_lengths[i]]]
        start += int(noise_lengths[i])
    if eos_id is not None:
        target.append(ids.new_tensor([eos_id]))
    return torch.cat(source), torch.cat(target)


def teacher_forcing(target: torch.Tensor, start_id: int) -> torch.Tensor:
    """Decoder input: the start token followed by the target shifted right by one."""
    start = torch.full_like(target[..., :1], start_id)
    return torch.cat([start, target[..., :-1]], dim=-1)


class Seq2Seq(Objective):
    name = "seq2seq"
    special_tokens = tuple(SENTINEL_FORMAT.format(i) for i in range(NUM_SENTINELS))

    def __init__(
        self, sentinel_ids: Sequence[int], pad_id: int, eos_id: int,
        decoder_start_id: int | None = None, seed: int = 0,
        noise_density: float = 0.15, mean_span: float = 3.0,
    ) -> None:
        super().__init__(seed)
        self.sentinel_ids = list(sentinel_ids)
        self.pad_id, self.eos_id = pad_id, eos_id
        self.start_id = pad_id if decoder_start_id is None else decoder_start_id  # T5: pad
        self.noise_density, self.mean_span = noise_density, mean_span

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "Seq2Seq":
        """The tokenizer's sentinels, pad and EOS; the model config's decoder start."""
        tokenizer = parts.tokenizer
        sentinels = [tokenizer.token_to_id(t) for t in cls.special_tokens]
        if None in sentinels:
            raise ConfigError(f"span corruption needs sentinel tokens {SENTINEL_FORMAT} "
                              "in the tokenizer")
        return cls(sentinels, tokenizer.pad_id, tokenizer.eos_id,
                   parts.model.config.decoder_start_token_id, seed=parts.seed)

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        if isinstance(raw, list):  # records from PairLoader
            return self.pair_batch(raw)
        x, _ = raw  # a packed block: corrupt each row
        generator = self.generator if train else self.eval_generator
        rows = [span_corrupt(row, self.sentinel_ids, self.noise_density, self.mean_span,
                             generator, self.eos_id) for row in x]
        source = torch.stack([s for s, _ in rows])  # (B, S)
        target = torch.stack([t for _, t in rows])  # (B, T)
        return {"input_ids": source, "attention_mask": torch.ones_like(source),
                "decoder_input_ids": teacher_forcing(target, self.start_id), "labels": target}

    def pair_batch(self, pairs: list[tuple[list[int], list[int]]]) -> dict[str, torch.Tensor]:
        """Pad (source ids, target ids) records; padding is masked out and never scored."""
        sources = [torch.tensor(s) for s, _ in pairs]
        targets = [torch.tensor([*t, self.eos_id]) for _, t in pairs]
        source = nn.utils.rnn.pad_sequence(sources, batch_first=True, padding_value=self.pad_id)
        mask = nn.utils.rnn.pad_sequence([torch.ones_like(s) for s in sources], batch_first=True)
        labels = nn.utils.rnn.pad_sequence(targets, batch_first=True, padding_value=IGNORE_INDEX)
        decoder_input = teacher_forcing(labels, self.start_id).masked_fill(
            labels == IGNORE_INDEX, self.pad_id)
        return {"input_ids": source, "attention_mask": mask,
                "decoder_input_ids": decoder_input, "labels": labels}

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        memory = model.encode(batch["input_ids"], batch["attention_mask"])  # (B, S, C)
        hidden = model(batch["decoder_input_ids"], encoder_hidden=memory,
                       encoder_mask=batch["attention_mask"])  # (B, T, C)
        logits = model.logits(hidden)  # (B, T, V)
        loss = F.cross_entropy(logits.flatten(0, 1).float(), batch["labels"].flatten(),
                               ignore_index=IGNORE_INDEX)
        return loss, {}

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel() + batch["decoder_input_ids"].numel()


class PairLoader:
    """Batches of tokenized {"source", "target"} records from a JSONL file, resumable.

    Epoch e visits the records in a permutation seeded by (seed, e); like BlockLoader,
    every rank draws the same global batch and keeps its slice, and `step` is the state.
    """

    def __init__(self, path: str | Path, tokenizer, batch_size: int, seed: int = 0,
                 rank: int = 0, world_size: int = 1, max_length: int = 512) -> None:
        _, lines = read_records(path, expected=("pairs",))  # {"source", "target"} strings
        self.records = [self._encode(r, tokenizer, max_length) for _, r in lines]
        if len(self.records) < batch_size * world_size:
            raise DataError(f"{path}: {len(self.records)} pairs, fewer than one global batch")
        self.batch_size, self.seed = batch_size, seed
        self.rank, self.world_size = rank, world_size
        self.step = 0

    @staticmethod
    def _encode(record: dict, tokenizer, max_length: int) -> tuple[list[int], list[int]]:
        return (tokenizer.encode(record["source"])[:max_length],
                tokenizer.encode(record["target"])[: max_length - 1])

    def next_batch(self) -> list[tuple[list[int], list[int]]]:
        global_batch = self.batch_size * self.world_size
        per_epoch = len(self.records) // global_batch
        epoch, index = divmod(self.step, per_epoch)
        order = np.random.default_rng([self.seed, epoch]).permutation(len(self.records))
        chosen = order[index * global_batch : (index + 1) * global_batch]
        mine = chosen[self.rank * self.batch_size : (self.rank + 1) * self.batch_size]
        self.step += 1
        return [self.records[i] for i in mine]

    def state_dict(self) -> dict:
        return {"step": self.step, "seed": self.seed}

    def load_state_dict(self, state: dict) -> None:
        self.step = int(state["step"])

