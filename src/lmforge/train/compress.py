"""Making a model smaller by training: prune (+ recovery fine-tune) and distill, measured.

    lmforge prune smollm2-135m-instruct --method magnitude --sparsity 0.5 --out runs/p50
    lmforge prune smollm2-135m-instruct --method structured --kv-groups 2 --mlp-keep 0.75 \\
        --importance activation --recover-with distill --out runs/p-struct
    lmforge distill --teacher smollm2-135m-instruct --hidden-size 256 --layers 6 --out runs/d

Each run reports, before and after: perplexity on held-out text (documents of the corpus
the recovery/distillation never trains on), parameters (and non-zero ones), size in MB
as stored (fp32), and greedy decode speed through the Engine (batch 1). Recovery is a
short fine-tune: distillation from the unpruned model (forward KL on its logits, Minitron's
recipe) or plain next-token SFT. Results go to out/results.json; the model to out/ (HF
folder: loads back with its new shapes).
Test: `pytest tests/train/test_compress.py`.
"""

import json
import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from lmforge.atomic import write_text_atomic
from lmforge.errors import ConfigError
from lmforge.train.pipeline import frozen_copy, load_policy
from lmforge.train.prune import keep_zeros, magnitude_prune, parameter_count, sparsity_of
from lmforge.train.prune_structured import IMPORTANCE, plan_width, prune_width
from lmforge.train.settings import TrainSettings

SPEED_PROMPT = "The history of the Python programming language"


def text_tokens(tokenizer, source: str = "stdlib-docs", max_documents: int = 400,
                held_out_every: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(train tokens, held-out tokens): every 10th document is held out, EOS between."""
    from lmforge.data.sources import read_documents

    documents = read_documents(source, max_documents)
    eos = tokenizer.eos_id if tokenizer.eos_id is not None else 0
    train, held = [], []
    for i, doc in enumerate(documents):
        (held if i % held_out_every == 0 else train).extend(tokenizer.encode(doc) + [eos])
    return np.array(train, dtype=np.int64), np.array(held, dtype=np.int64)


@torch.no_grad()
def perplexity(model, tokens: np.ndarray, block_size: int = 256, max_blocks: int = 16) -> float:
    """exp(mean next-token NLL) over non-overlapping blocks of `tokens`."""
    was_training = model.training
    model.eval()
    n_blocks = min(max_blocks, (len(tokens) - 1) // block_size)
    if n_blocks < 1:
        raise ConfigError(f"{len(tokens)} held-out tokens: fewer than one block of "
                          f"{block_size}")
    total, count = 0.0, 0
    for b in range(n_blocks):
        chunk = torch.from_numpy(tokens[b * block_size:(b + 1) * block_size + 1].copy())
        x, y = chunk[None, :-1], chunk[None, 1:]
        logits = model.logits(model(x)).float()  # (1, T, V)
        total += torch.nn.functional.cross_entropy(logits[0], y[0], reduction="sum").item()
        count += y.numel()
    model.train(was_training)
    return math.exp(total / count)


def decode_speed(model, tokenizer, n_tokens: int = 64) -> float:
    """Greedy tokens/s through the Engine, batch 1 (after one warm-up request)."""
    from lmforge.infer.engine import Engine
    from lmforge.infer.params import SamplingParams

    was_training = model.training
    engine = Engine(model, tokenizer, max_batch_size=1)
    params = SamplingParams(max_tokens=n_tokens, temperature=0, ignore_eos=True)
    engine.generate([SPEED_PROMPT], SamplingParams(max_tokens=4, temperature=0))
    start = time.perf_counter()
    out = engine.generate([SPEED_PROMPT], params)[0]
    seconds = time.perf_counter() - start
    model.train(was_training)
    return len(out.token_ids) / seconds


def measure(model, tokenizer, held: np.ndarray, speed_tokens: int = 64,
            eval_blocks: int = 16) -> dict:
    params = parameter_count(model)
    zero = sum(int((p == 0).sum()) for p in model.parameters())
    ppl = perplexity(model, held, max_blocks=eval_blocks)
    return {"perplexity": round(ppl, 3), "parameters": params,
            "nonzero_parameters": params - zero, "size_mb_fp32": round(params * 4 / 2**20, 1),
            "block_sparsity": round(sparsity_of(model), 4),
            "decode_tokens_per_s": round(decode_speed(model, tokenizer, speed_tokens), 2)}


def recover(model, tokens: np.ndarray, settings: TrainSettings, masks=None, teacher=None,
            temperature: float = 1.0) -> dict:
    """A short fine-tune on `tokens`: distillation from `teacher` (KL on its logits only) when
    given, else causal-LM SFT; pruned zeros stay zero when masks are given."""
    from lmforge.data.loader import BlockLoader
    from lmforge.train.objectives.causal_lm import CausalLM
    from lmforge.train.objectives.distill import Distill
    from lmforge.train.trainer import Trainer

    objective = CausalLM() if teacher is None else Distill(teacher, temperature, alpha=1.0)
    hooks = keep_zeros(model, masks) if masks else []
    loader = BlockLoader(tokens, settings.block_size, settings.batch_size, settings.seed)
    metrics = Trainer(model.train(), objective, loader, settings).fit()
    for hook in hooks:
        hook.remove()
    loss = metrics.get("train_loss" if teacher is None else "soft_kl")
    return {"objective": objective.name, "steps": settings.max_steps,
            "batch_size": settings.batch_size, "block_size": settings.block_size,
            "final_loss": loss, "wall_s": round(metrics["wall_s"], 1)}


def gap_recovered(before: float, pruned: float, recovered: float) -> dict:
    """Share of the perplexity gap that recovery closed, in perplexity and in log-perplexity
    (mean NLL: the scale the loss trains on, and not dominated by a huge pruned value)."""
    def share(a: float, b: float, c: float) -> float | None:
        return None if b == a else round((b - c) / (b - a), 4)
    return {"perplexity": share(before, pruned, recovered),
            "log_perplexity": share(math.log(before), math.log(pruned), math.log(recovered))}


def calibration_ids(tokens: np.ndarray, blocks: int, block_size: int = 256) -> torch.Tensor:
    """The first `blocks` blocks of training tokens (N, block_size), for importance scores."""
    n = min(blocks, len(tokens) // block_size)
    return torch.from_numpy(tokens[:n * block_size].copy()).view(n, block_size)


def run_prune(model_name: str, out_dir: str, method: str = "magnitude", sparsity: float = 0.5,
              heads_per_group: int | None = None, mlp_keep: float = 1.0,
              recover_steps: int = 50, settings: TrainSettings | None = None,
              max_documents: int = 400, eval_blocks: int = 16, kv_groups: int | None = None,
              importance: str = "magnitude", recover_with: str = "distill",
              calibration_blocks: int = 16, temperature: float = 1.0) -> dict:
    """Prune, recover, measure before / after pruning / after recovery; save the model.

    structured: keep `kv_groups` kv groups, `heads_per_group` query heads in each and
    `mlp_keep` of the MLP channels in every layer, ranked by `importance` (magnitude, or
    activation on `calibration_blocks` blocks of the training text)."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    if method not in ("magnitude", "structured"):
        raise ConfigError(f"prune method must be magnitude or structured, got {method!r}")
    if recover_with not in ("distill", "sft"):
        raise ConfigError(f"recover_with must be distill or sft, got {recover_with!r}")
    if method == "structured":  # what needs no model is checked before loading one
        if importance not in IMPORTANCE:
            raise ConfigError(f"importance must be one of {', '.join(IMPORTANCE)}, "
                              f"got {importance!r}")
        if not 0 < mlp_keep <= 1:
            raise ConfigError(f"mlp_keep (share of MLP channels kept) must be in (0, 1], "
                              f"got {mlp_keep}")
    elif not 0 <= sparsity < 1:
        raise ConfigError(f"sparsity must be in [0, 1), got {sparsity}")
    model, tokenizer = load_policy(model_name)
    width = plan_width(model.config, kv_groups, heads_per_group, mlp_keep) if (
        method == "structured") else None
    train_tokens, held = text_tokens(tokenizer, max_documents=max_documents)
    def measured() -> dict:
        return measure(model, tokenizer, held, eval_blocks=eval_blocks)

    results = {"method": method, "eval_tokens": min(len(held), 256 * eval_blocks),
               "before": measured()}
    masks = None
    teacher = frozen_copy(model) if recover_steps and recover_with == "distill" else None
    if method == "magnitude":
        masks = magnitude_prune(model, sparsity)
        results["sparsity"] = sparsity
    else:
        calibration = calibration_ids(train_tokens, calibration_blocks)
        model = prune_width(model, width, importance, calibration)
        results.update(kv_groups=width.kv_groups, heads_per_group=width.heads_per_group,
                       intermediate_size=width.channels, importance=importance)
    results["pruned"] = measured()
    if recover_steps:
        settings = replace(settings or recovery_settings(out_dir), max_steps=recover_steps)
        results["recovery"] = recover(model, train_tokens, settings, masks, teacher,
                                      temperature)
        results["recovered"] = measured()
        results["gap_recovered"] = gap_recovered(results["before"]["perplexity"],
                                                 results["pruned"]["perplexity"],
                                                 results["recovered"]["perplexity"])
    save_hf_folder(model, out_dir)
    save_hf_tokenizer(tokenizer, out_dir)
    write_text_atomic(Path(out_dir) / "results.json", json.dumps(results, indent=1) + "\n")
    return results


def student_config(teacher_config, hidden_size: int, layers: int, heads: int,
                   kv_heads: int, intermediate_size: int):
    """The teacher's architecture and vocabulary at a smaller width and depth."""
    return replace(teacher_config, hidden_size=hidden_size, num_hidden_layers=layers,
                   num_attention_heads=heads, num_key_value_heads=kv_heads,
                   head_dim=hidden_size // heads, intermediate_size=intermediate_size)


def run_distill(teacher_name: str, out_dir: str, hidden_size: int = 256, layers: int = 6,
                heads: int = 4, kv_heads: int = 2, intermediate_size: int = 768,
                temperature: float = 2.0, alpha: float = 0.5,
                settings: TrainSettings | None = None, max_documents: int = 400) -> dict:
    """Train a small student on the teacher's distributions; measure both."""
    from lmforge.data.loader import BlockLoader
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.model.transformer import Transformer
    from lmforge.train.objectives.distill import Distill
    from lmforge.train.trainer import Trainer

    teacher, tokenizer = load_policy(teacher_name)
    settings = settings or recovery_settings(out_dir)
    torch.manual_seed(settings.seed)
    student = Transformer(student_config(teacher.config, hidden_size, layers, heads, kv_heads,
                                         intermediate_size))
    student.init_weights()
    objective = Distill(teacher, temperature=temperature, alpha=alpha)
    objective.check_student(student)
    train_tokens, held = text_tokens(tokenizer, max_documents=max_documents)
    results = {"teacher": measure(teacher, tokenizer, held),
               "student_init": {"perplexity": round(perplexity(student, held), 3)}}
    loader = BlockLoader(train_tokens, settings.block_size, settings.batch_size, settings.seed)
    metrics = Trainer(student.train(), objective, loader, settings).fit()
    results["train"] = {"steps": settings.max_steps, "wall_s": round(metrics["wall_s"], 1),
                        "hard_loss": metrics.get("hard_loss"), "soft_kl": metrics.get("soft_kl")}
    results["student"] = measure(student, tokenizer, held)
    save_hf_folder(student, out_dir)
    save_hf_tokenizer(tokenizer, out_dir)
    write_text_atomic(Path(out_dir) / "results.json", json.dumps(results, indent=1) + "\n")
    return results


def recovery_settings(out_dir: str, batch_size: int = 4, lr: float = 5e-5,
                      block_size: int = 256) -> TrainSettings:
    """A short, gentle fine-tune: small constant-ish lr, no evaluation, log every 10."""
    return TrainSettings(out_dir=out_dir, max_steps=50, batch_size=batch_size,
                         block_size=block_size, lr=lr, min_lr=lr / 10, warmup_steps=5,
                         weight_decay=0.0, eval_every=0, log_every=10, checkpoint_every=0,
                         keep_last=0, tensorboard=False)
