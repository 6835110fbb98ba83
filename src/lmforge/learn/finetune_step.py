"""Lesson 8's measured step: one real optimizer step of full fine-tuning, LoRA and QLoRA on
the loaded model, timed, with the memory it took, beside the counts finetuning.py computes.

Each mode starts from the model as `lmforge sft` loads it (train/pipeline.py `load_policy`:
float weights, unfused linears), gets its adapters from `add_adapters` (QLoRA's int4 base
included) and takes one step of the one Trainer (train/trainer.py `train_step`: forward,
backward, gradient clipping, AdamW) on `batch` x `tokens` tokens of the lesson's text with
the causal-LM objective. Reported per mode: the step's wall and CPU seconds, its loss, and
the peak memory the step added over the loaded model (gradients, AdamW's two moments,
which AdamW creates on its first step, and the activations): on a GPU torch.cuda's peak
allocated bytes, on a CPU the process's resident set sampled every 2 ms, after
handing freed heap memory back to the system (a lower bound: memory freed and reused
within the step is not seen twice).

A mode runs only where it fits: its computed total (weights + gradients + AdamW) twice
over (a margin for activations and the copy it starts from) must be below the memory
available now; otherwise its row says what it needs.

    measure_steps("smollm2-135m-instruct", rank=8)
      -> {"tokens", "batch", "device", "modes": [{"name", "trainable", "loss", "wall_s",
          "cpu_s", "peak_bytes", "computed_bytes" (gradients + AdamW, as finetuning.py
          counts them: what the step adds besides activations), "skipped"}, ...]}

Test: `pytest tests/learn/test_finetune_step.py`.
"""

import contextlib
import copy
import ctypes
import tempfile
import threading
import time

import psutil
import torch

from lmforge.errors import ConfigError
from lmforge.learn.finetuning import finetune_costs, mode_settings
from lmforge.train.objectives.causal_lm import CausalLM
from lmforge.train.pipeline import add_adapters, load_policy
from lmforge.train.settings import TrainSettings
from lmforge.train.trainer import Trainer

TEXT = ("The cat sat on the mat because it was tired. 今天天气真好，我们去公园散步。"
        "Fine-tuning changes a model's weights a little, with a few examples. ")
MAX_TOKENS = 512
SAMPLE_S = 0.002  # how often the CPU memory sampler reads the resident set


def measure_steps(source: str, rank: int = 8, targets: str | None = None,
                  qlora_group_size: int = 64, tokens: int = 32, batch: int = 1) -> dict:
    """One timed optimizer step per mode (module docstring) on the model in `source`."""
    if isinstance(tokens, bool) or not isinstance(tokens, int) or not 2 <= tokens <= MAX_TOKENS:
        raise ConfigError(f"tokens={tokens!r} is invalid: must be in 2..{MAX_TOKENS}")
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= 8:
        raise ConfigError(f"batch={batch!r} is invalid: must be in 1..8")
    base, tokenizer = load_policy(source)
    costs = finetune_costs(base.config, rank, targets, qlora_group_size)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x, y = text_batch(tokenizer, tokens, batch)
    rows = []
    for (name, settings), computed in zip(mode_settings(rank, costs["targets"],
                                                        qlora_group_size),
                                          costs["modes"], strict=True):
        row = {"name": name, "trainable": computed["trainable"],  # what the step should add:
               "computed_bytes": computed["gradient_bytes"] + computed["optimizer_bytes"]}
        needed, available = 2 * computed["total_bytes"], available_bytes(device)
        if needed > available:
            rows.append({**row, "skipped": f"needs about {needed / 2**30:.1f} GiB, "
                                           f"{available / 2**30:.1f} GiB available"})
            continue
        model = copy.deepcopy(base)
        if settings.lora_rank:
            add_adapters(model, settings)
        rows.append({**row, **one_step(model, (x, y), device), "skipped": None})
        del model
    return {"tokens": tokens, "batch": batch, "device": device, "rank": rank,
            "targets": costs["targets"], "modes": rows}


def text_batch(tokenizer, tokens: int, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(batch, tokens) inputs and their next-token targets from the lesson's text."""
    ids = tokenizer.encode(TEXT, add_special=False, parse_special=False)
    ids = (ids * (1 + (tokens + 1) * batch // len(ids)))[:(tokens + 1) * batch]
    rows = torch.tensor(ids).view(batch, tokens + 1)
    return rows[:, :-1], rows[:, 1:]


def one_step(model, batch, device: str) -> dict:
    """One Trainer step on `batch`: its loss, wall and CPU seconds, and peak added bytes."""
    with tempfile.TemporaryDirectory() as out_dir:  # the Trainer writes nothing in one step
        settings = TrainSettings(out_dir=out_dir, lr=1e-5, min_lr=1e-5, warmup_steps=0, max_steps=1,
                                 device=device, progress=False, tensorboard=False)
        trainer = Trainer(model, CausalLM(), OneBatch(batch), settings)
        with PeakMemory(device) as peak:
            start, start_cpu = time.perf_counter(), time.process_time()
            loss = trainer.train_step().item()
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {"loss": loss, "wall_s": wall, "cpu_s": cpu, "peak_bytes": peak.bytes}


class OneBatch:
    """The Trainer's loader for one step: the same batch every time it asks."""

    def __init__(self, batch) -> None:
        self.batch = batch

    def next_batch(self):
        return self.batch

    def state_dict(self) -> dict:
        return {}


class PeakMemory:
    """The most memory allocated inside the block above what was held at its start."""

    def __init__(self, device: str) -> None:
        self.device, self.bytes = device, 0

    def __enter__(self) -> "PeakMemory":
        if self.device == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self._start = torch.cuda.memory_allocated()
            return self
        trim_heap()
        self._process, self._stop = psutil.Process(), threading.Event()
        self._start = self._peak = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        if self.device == "cuda":
            torch.cuda.synchronize()
            self.bytes = torch.cuda.max_memory_allocated() - self._start
            return
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, self._process.memory_info().rss)
        self.bytes = self._peak - self._start


def trim_heap() -> None:
    """glibc keeps freed memory for reuse, so a step could grow into it unseen: hand it
    back first (malloc_trim), so that what the step takes shows in the resident set."""
    with contextlib.suppress(AttributeError, OSError):  # not glibc: the figure may read low
        ctypes.CDLL(None).malloc_trim(0)


def available_bytes(device: str) -> int:
    if device == "cuda":
        free, _ = torch.cuda.mem_get_info()
        return free
    return psutil.virtual_memory().available
