"""The one training loop. Pretraining, MLM, seq2seq, SFT, reward models, DPO and RL plug in as
objectives (see objectives/__init__.py for the contract).

    for step in range(start, max_steps):
        objective.before_step(trainer, step)             # RL rollouts; a no-op otherwise
        lr = schedule(step)                              # warmup + cosine (schedule.py)
        for micro in range(grad_accum_steps):            # gradient accumulation
            loss, metrics = objective.loss(model, batch) # under bf16/fp16 autocast
            (loss / grad_accum_steps).backward()         # DDP/FSDP sync on the last micro
        clip grad norm; AdamW step; zero grads
        every N steps: log, evaluate, sample, checkpoint (rank 0 writes)

The loop keeps per-step Python small and never waits on the device inside a step: the loss
stays a tensor and is read (`.item()`, a sync) only on logging steps.

Use: `Trainer(model, objective, train_loader, settings, val_loader, tokenizer).fit()`;
pretrain.py, finetune.py and rl.py build these from a recipe through pipeline.py.
Test: `pytest tests/train/test_trainer.py`.
"""

import math
import time
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from torch import nn

from lmforge import cpu_features
from lmforge.train import checkpoint, distributed
from lmforge.train.metrics import MetricsLogger
from lmforge.train.objectives import Objective, ObjectiveModule
from lmforge.train.optim import make_optimizer
from lmforge.train.schedule import learning_rate, set_learning_rate
from lmforge.train.settings import TrainSettings

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def resolve_precision(precision: str, device: str) -> str:
    """train.precision with auto made concrete: bf16 where `device` multiplies bf16 in
    hardware (a CUDA GPU that supports it; a CPU with AMX or AVX-512 BF16), else fp32."""
    if precision != "auto":
        return precision
    if device.startswith("cuda"):
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    return "bf16" if cpu_features.native_bf16() else "fp32"


class Trainer:
    """Trains `model` on `objective` with batches from `train_loader` (see module docstring)."""

    def __init__(
        self,
        model: nn.Module,
        objective: Objective,
        train_loader,
        settings: TrainSettings,
        val_loader=None,
        tokenizer=None,
        extra_files: dict[str, str | Path] | None = None,
    ) -> None:
        self.settings, self.objective = settings, objective
        self.train_loader, self.val_loader, self.tokenizer = train_loader, val_loader, tokenizer
        self.extra_files = extra_files  # copied into every checkpoint (tokenizer files)
        self.dist = distributed.info()
        self.device = distributed.resolve_device(settings.device)
        if settings.num_threads:
            torch.set_num_threads(settings.num_threads)
        self.model = model  # the bare Transformer: saved, sampled from
        self.resume_from = checkpoint.resolve(settings.resume, settings.out_dir)
        if self.resume_from is not None:
            checkpoint.load_model_weights(model, self.resume_from)
        model.set_gradient_checkpointing(settings.activation_checkpointing)
        model.to(self.device)
        objective.to(self.device)  # its heads and frozen reference models
        self.module = self._build_module()
        betas = (settings.beta1, settings.beta2)
        groups = objective.param_groups(model, settings.weight_decay)
        self.optimizer = make_optimizer(self.module, settings.lr, settings.weight_decay, betas,
                                        self.device, groups)
        # fp16 gradients underflow without loss scaling; bf16 has fp32's range and needs none
        self.precision = resolve_precision(settings.precision, self.device)
        use_scaler = self.precision == "fp16" and self.device.startswith("cuda")
        self.scaler = torch.amp.GradScaler("cuda", enabled=use_scaler)
        self.step = 0
        self.stop_requested = False  # set by a Ctrl-C handler: checkpoint after this step, stop
        if self.resume_from is not None:
            self._restore(self.resume_from)
        self.history: list[dict] = []  # every logged row, as in metrics.csv
        self._reset_interval()  # train_step may also run alone (learn/ times one step)

    def _build_module(self) -> nn.Module:
        module = ObjectiveModule(self.model, self.objective)
        if self.settings.compile:
            module.compile()
        return distributed.wrap(module, self.settings.strategy, self.device)

    def _restore(self, folder: Path) -> None:
        state = checkpoint.load_training_state(folder, self.module, self.optimizer)
        self.step = int(state["step"])
        self.train_loader.load_state_dict(state["loader"])
        self.objective.load_training_state(state["objective"])
        checkpoint.load_extra_weights(distributed.unwrap(self.module), folder)

    # -- the loop ---------------------------------------------------------------------------

    def fit(self) -> dict:
        """Train from the current step to max_steps; return the final metrics."""
        s = self.settings
        self.logger = MetricsLogger(s.out_dir, self.step, s.tensorboard, self.dist.is_main)
        self._reset_interval()
        self._start, self._train_seconds, self._train_tokens = time.perf_counter(), 0.0, 0
        self._last_line = self._start  # when a line was last printed (off a terminal)
        self.final: dict = {"step": self.step}
        with self._progress() as progress:
            self._task = progress.add_task("train", total=s.max_steps, completed=self.step,
                                           loss="", speed="")
            self.progress = progress
            if s.precision == "auto":
                self._say(f"precision auto: {self.precision} on {self.device}")
            self._estimate_from = (self.step, 0.0)  # (step, time) after the first step
            while self.step < s.max_steps:
                self.objective.before_step(self, self.step)
                lr = learning_rate(self.step, s.lr, s.min_lr, s.warmup_steps,
                                   s.lr_decay_steps or s.max_steps)
                set_learning_rate(self.optimizer, lr)
                self._loss_sum += self.train_step()
                self.step += 1
                self._after_step(lr)
                self._print_estimate()
                self._show_progress()
                if self.stop_requested and self.step < s.max_steps:
                    self.save_checkpoint()  # Ctrl-C: keep the work done so far
                    break
        self.logger.close()
        return self._final_metrics()

    def train_step(self) -> torch.Tensor:
        """One optimizer step over grad_accum_steps micro-batches; returns the mean loss.

        The objective's metrics are summed (as tensors, no sync) into the interval's sums.
        """
        accum = self.settings.grad_accum_steps
        total = torch.zeros((), device=self.device)
        for micro in range(accum):
            batch = self._next_batch()
            with distributed.gradient_sync(self.module, enabled=micro == accum - 1):
                with self._autocast():
                    loss, metrics = self.module(batch)
                self.scaler.scale(loss / accum).backward()
            total += loss.detach()
            _add_metrics(self._metric_sums, metrics, 1 / accum)
        self._optimizer_step()
        return total / accum

    def _next_batch(self) -> dict[str, torch.Tensor]:
        batch = self.objective.batch(self.train_loader.next_batch())
        self._interval_tokens += self.objective.num_tokens(batch) * self.dist.world_size
        return {k: v.to(self.device, non_blocking=True) for k, v in batch.items()}

    def _optimizer_step(self) -> None:
        if self.settings.grad_clip > 0:
            self.scaler.unscale_(self.optimizer)  # clip the true gradients, not scaled ones
            nn.utils.clip_grad_norm_(self.module.parameters(), self.settings.grad_clip)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)

    def _autocast(self):
        if self.precision == "fp32":
            return nullcontext()
        device_type = torch.device(self.device).type
        return torch.autocast(device_type, dtype=DTYPES[self.precision])

    # -- between steps: log, evaluate, sample, checkpoint -------------------------------------

    def _after_step(self, lr: float) -> None:
        s, step = self.settings, self.step
        last = step == s.max_steps
        row: dict[str, float] = {}
        if step % s.log_every == 0 or last:
            row.update(self._train_metrics(lr))
        paused = time.perf_counter()  # evaluation and saving do not count as training time
        if self.val_loader is not None and s.eval_every and (step % s.eval_every == 0 or last):
            row.update(self.evaluate())
            shown = {k: v for k, v in row.items() if k.startswith("val_") and k != "val_loss"}
            self._say(f"step {step}: val loss {row['val_loss']:.4f}"
                      + "".join(f", {k[4:]} {v:.4g}" for k, v in shown.items()))
        if row:
            self.history.append({"step": step, **row})
            self.logger.log(step, row)
            self.final.update(step=step, **row)
        if s.sample_every and (step % s.sample_every == 0 or last):
            self.final["sample"] = self.sample()
        if (s.checkpoint_every and step % s.checkpoint_every == 0) or last:
            self.save_checkpoint()
        self._interval_start += time.perf_counter() - paused

    def _train_metrics(self, lr: float) -> dict[str, float]:
        """Mean train loss and tokens/s since the last log (the only per-interval sync)."""
        steps = self.step - self._interval_first_step
        loss = distributed.all_reduce_mean(self._loss_sum / steps).item()
        extra = {k: distributed.all_reduce_mean(v / steps).item()
                 for k, v in sorted(self._metric_sums.items())}
        seconds = time.perf_counter() - self._interval_start
        speed = self._interval_tokens / max(seconds, 1e-9)
        self._train_seconds += seconds
        self._train_tokens += self._interval_tokens
        shown = "".join(f" {k} {v:.3g}" for k, v in list(extra.items())[:3])
        self.progress.update(self._task, completed=self.step, loss=f"loss {loss:.4f}{shown}",
                             speed=f"{speed:,.0f} tok/s")
        if not self.progress.console.is_terminal:  # a pipe or log file sees no bar: one line
            left = (self.settings.max_steps - self.step) * seconds / max(steps, 1)
            self._say(f"step {self.step}/{self.settings.max_steps} | loss {loss:.4f}{shown} | "
                      f"{speed:,.0f} tok/s | ETA {duration(left)}")
        self._reset_interval()
        return {"train_loss": loss, "lr": lr, "tokens_per_s": speed, **extra}

    def _reset_interval(self) -> None:
        self._loss_sum = torch.zeros((), device=self.device)
        self._metric_sums: dict[str, torch.Tensor] = {}
        self._interval_tokens = 0
        self._interval_first_step = self.step
        self._interval_start = time.perf_counter()

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Mean validation loss (perplexity = e^loss for LM objectives) and the objective's
        metrics (prefixed val_) over eval_batches batches, plus `objective.evaluate`."""
        self.module.eval()
        self.objective.reset_eval()
        total, count, sums = torch.zeros((), device=self.device), 0, {}
        for raw in self.val_loader:
            batch = {k: v.to(self.device) for k, v in self.objective.batch(raw, False).items()}
            with self._autocast():
                loss, metrics = self.module(batch)
            total += loss.float()
            _add_metrics(sums, metrics, 1.0)
            count += 1
            if count == self.settings.eval_batches:
                break
        loss = distributed.all_reduce_mean(total / max(count, 1)).item()
        row = {"val_loss": loss}
        if self.objective.reports_perplexity:
            row["val_perplexity"] = math.exp(min(loss, 50.0))
        for name, value in sorted(sums.items()):
            row[f"val_{name}"] = distributed.all_reduce_mean(value / max(count, 1)).item()
        row.update(self.objective.evaluate(self))
        self.module.train()
        return row

    def sample(self) -> str:
        """Continue settings.sample_prompt (rank 0, decoders only); returns and prints the text."""
        if not self._can_sample():
            return ""
        text = generate_text(self.model, self.tokenizer, self.settings.sample_prompt,
                             self.settings.sample_tokens, self.settings.seed)
        self._say(f"step {self.step} sample: {text!r}")
        return text

    def _can_sample(self) -> bool:
        sharded = self.settings.strategy == "fsdp" and self.dist.world_size > 1
        is_decoder = getattr(self.model.config, "kind", "") == "decoder"
        return self.tokenizer is not None and is_decoder and self.dist.is_main and not sharded

    def save_checkpoint(self) -> Path | None:
        state = {
            "loader": self.train_loader.state_dict(),
            "objective": self.objective.training_state(),
            "settings": asdict(self.settings),
            "world_size": self.dist.world_size,
        }
        folder = checkpoint.save(self.settings.out_dir, self.step, self.module, self.optimizer,
                                 state, self.settings.keep_last, self.extra_files)
        self.final["checkpoint"] = str(folder)
        return folder

    # -- reporting ----------------------------------------------------------------------------

    def _final_metrics(self) -> dict:
        final = dict(self.final)
        final["wall_s"] = time.perf_counter() - self._start
        final["train_tokens_per_s"] = self._train_tokens / max(self._train_seconds, 1e-9)
        final["eval_curve"] = [(r["step"], r["val_loss"]) for r in self.history if "val_loss" in r]
        final["precision"] = self.precision
        return final

    def _progress(self) -> Progress:
        """The bar, on a terminal only: a pipe or log file gets lines (_train_metrics,
        _show_progress), not a bar rich would print once more, as it was, on exit."""
        console = Console(stderr=True)
        return Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[loss]}"), TextColumn("{task.fields[speed]}"),
            TimeRemainingColumn(), console=console,
            disable=not (self.settings.progress and self.dist.is_main and console.is_terminal),
        )

    def _show_progress(self) -> None:
        """After every step: move the bar; off a terminal, when no line came for HEARTBEAT_S
        (slow steps, a long logging interval), one line saying where the run is."""
        if not (self.settings.progress and self.dist.is_main):
            return
        if self.progress.console.is_terminal:
            self.progress.update(self._task, completed=self.step)
            return
        now = time.perf_counter()
        if now - self._last_line < HEARTBEAT_S or self.step == self.settings.max_steps:
            return
        per_step = (now - self._interval_start) / max(self.step - self._interval_first_step, 1)
        left = (self.settings.max_steps - self.step) * per_step
        self._say(f"step {self.step}/{self.settings.max_steps} | {per_step:.2f} s/step | "
                  f"ETA {duration(left)} (loss every {self.settings.log_every} steps)")

    def _print_estimate(self) -> None:
        """Time steps 2-4 (step 1 pays one-off costs) and print the whole run's expected time."""
        first, since = self._estimate_from
        done = self.step - first
        if done == 1:
            self._estimate_from = (first, time.perf_counter())
        elif done == 1 + ESTIMATE_STEPS and self.step < self.settings.max_steps:
            per_step = (time.perf_counter() - since) / ESTIMATE_STEPS
            left = self.settings.max_steps - self.step
            self._say(f"estimated time: {duration(per_step * left)} for the {left:,} steps left "
                      f"({per_step:.2f} s/step over steps {first + 2}-{self.step})")

    def _say(self, message: str) -> None:
        if self.dist.is_main and self.settings.progress:
            self.progress.console.print(message)
            self._last_line = time.perf_counter()


ESTIMATE_STEPS = 3  # steps timed for the estimate printed at the start of a run
HEARTBEAT_S = 30.0  # off a terminal, a progress line at least this often


def duration(seconds: float) -> str:
    """3 h 05 min / 4 min 10 s / 12 s."""
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _add_metrics(sums: dict[str, torch.Tensor], metrics: dict, weight: float) -> None:
    """sums[name] += weight * value, keeping tensors on the device (no host sync)."""
    for name, value in metrics.items():
        value = torch.as_tensor(value).detach().float() * weight
        sums[name] = sums[name] + value if name in sums else value


def generate_text(model, tokenizer, prompt: str, max_tokens: int, seed: int = 0) -> str:
    """Sample a continuation through the inference Engine (temperature 0.8, top-k 50)."""
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams

    was_training = model.training
    params = SamplingParams(max_tokens=max_tokens, temperature=0.8, top_k=50, seed=seed)
    text = Engine(model, tokenizer).generate([prompt], params)[0].text
    model.train(was_training)
    return prompt + text
