"""LoRA (Hu et al. 2021): train a low-rank update B @ A beside each frozen linear.

A frozen weight W (out x in) gets a trainable update of rank r << min(in, out):

    y = x W^T + (dropout(x) A^T) B^T * scaling        A: (r, in), B: (out, r)
    scaling = alpha / r          (rsLoRA, Kalajdzievski 2023: alpha / sqrt(r))

B starts at zero, so training starts from the base model exactly. Trainable parameters per
adapted linear: r * (in + out) instead of in * out (SmolLM2-135M, r=8 on q/k/v/o/gate/up/
down: 4.9M trainable vs 134.5M). Merging writes W' = W + scaling * B @ A into the base
(no extra cost at inference); unmerging subtracts it again.

Adapters are saved alone in PEFT's layout, so `peft.PeftModel.from_pretrained` puts them on
the `transformers` model:

    adapter_model.safetensors   base_model.model.<HF module>.lora_A.weight / .lora_B.weight
    adapter_config.json         peft_type LORA, r, lora_alpha, target_modules, use_rslora, ...
    lmforge_adapter.json        the base's shape and fingerprint: a wrong base is an error

QLoRA (Dettmers et al. 2023): the same adapters over a base whose linears are frozen in
4-bit (train/qlora.py quantizes them); only the adapters are trained.

Test: `pytest tests/train/test_lora.py`.
"""

import json
import math
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from lmforge.atomic import atomic_dir, atomic_path
from lmforge.errors import ConfigError, ModelFileError

DEFAULT_TARGETS = "q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj"
ADAPTER_WEIGHTS, ADAPTER_CONFIG, LMFORGE_ADAPTER = (
    "adapter_model.safetensors", "adapter_config.json", "lmforge_adapter.json")
PEFT_PREFIX = "base_model.model."


@dataclass
class LoRASettings:
    rank: int = 8
    alpha: float = 16.0
    dropout: float = 0.0
    rslora: bool = False
    targets: str = DEFAULT_TARGETS
    """Regex; a linear is adapted when it matches its full name or its last name part."""
    modules: list[str] = field(default_factory=list)  # the adapted modules (lmforge names)

    @property
    def scaling(self) -> float:
        return self.alpha / (math.sqrt(self.rank) if self.rslora else self.rank)


class LoRALinear(nn.Module):
    """A frozen linear (nn.Linear or a quantized linear) plus a trainable B @ A update."""

    def __init__(self, base: nn.Module, rank: int, scaling: float, dropout: float = 0.0):
        super().__init__()
        self.base = base
        self.in_features, self.out_features = base.in_features, base.out_features
        self.lora_A = nn.Linear(self.in_features, rank, bias=False)
        self.lora_B = nn.Linear(rank, self.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))  # as PEFT
        nn.init.zeros_(self.lora_B.weight)  # the update starts at exactly zero
        self.scaling = scaling
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False
        self.disabled = False

    @property
    def weight(self) -> torch.Tensor:  # code that reads proj.weight sees the base's
        return self.base.weight

    @property
    def bias(self) -> torch.Tensor | None:
        return getattr(self.base, "bias", None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.base(x)  # (..., out)
        if self.merged or self.disabled:
            return y
        a = self.lora_A.weight
        update = self.lora_B(self.lora_A(self.dropout(x).to(a.dtype)))  # (..., out)
        return y + (update * self.scaling).to(y.dtype)

    def delta(self) -> torch.Tensor:
        """scaling * B @ A: (out, in), the update merged into the weight."""
        return (self.lora_B.weight.float() @ self.lora_A.weight.float()) * self.scaling

    @torch.no_grad()
    def merge(self) -> None:
        if not self.merged:
            self._check_plain()
            self.base.weight += self.delta().to(self.base.weight.dtype)
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.merged:
            self.base.weight -= self.delta().to(self.base.weight.dtype)
            self.merged = False

    def _check_plain(self) -> None:
        if not isinstance(self.base, nn.Linear):
            raise ConfigError("cannot merge into a quantized base; dequantize it first "
                              "(lmforge merge loads a full-precision base)")


# -- applying adapters ----------------------------------------------------------------------

def linear_names(model: nn.Module) -> list[str]:
    """Names of the linear-like modules (nn.Linear or anything with in/out_features)."""
    return [name for name, m in model.named_modules()
            if name and hasattr(m, "in_features") and hasattr(m, "out_features")
            and not isinstance(m, LoRALinear) and ".lora_" not in name
            and not name.endswith(".base")]


def matching(names: list[str], pattern: str) -> list[str]:
    try:
        regex = re.compile(pattern)
    except re.error as e:
        raise ConfigError(f"LoRA target pattern {pattern!r} is not a regex: {e}") from None
    return [n for n in names if regex.fullmatch(n) or regex.fullmatch(n.rsplit(".", 1)[-1])]


def apply_lora(model: nn.Module, settings: LoRASettings) -> LoRASettings:
    """Freeze the model and wrap each target linear in a LoRALinear; returns the settings
    with the adapted module names (also kept as model.lora_config)."""
    if settings.rank < 1:
        raise ConfigError(f"LoRA rank must be >= 1, got {settings.rank}")
    if getattr(model, "lora_config", None) is not None:
        raise ConfigError("the model already has LoRA adapters")
    names = settings.modules or matching(linear_names(model), settings.targets)
    if not names:
        sample = ", ".join(sorted({n.rsplit(".", 1)[-1] for n in linear_names(model)}))
        raise ConfigError(f"LoRA target pattern {settings.targets!r} matches no linear module "
                          f"(this model's linears: {sample})")
    for p in model.parameters():
        p.requires_grad_(False)
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        base = getattr(parent, child)
        wrapped = LoRALinear(base, settings.rank, settings.scaling, settings.dropout)
        device = next(base.parameters(), torch.empty(0)).device
        setattr(parent, child, wrapped.to(device))
    settings = LoRASettings(**{**asdict(settings), "modules": list(names)})
    model.lora_config = settings
    return settings


def lora_modules(model: nn.Module) -> dict[str, LoRALinear]:
    return {n: m for n, m in model.named_modules() if isinstance(m, LoRALinear)}


def merge(model: nn.Module) -> None:
    for m in lora_modules(model).values():
        m.merge()


def unmerge(model: nn.Module) -> None:
    for m in lora_modules(model).values():
        m.unmerge()


@contextmanager
def adapters_disabled(model: nn.Module):
    """The base model's outputs (DPO's reference under LoRA: no second model in memory)."""
    modules = list(lora_modules(model).values())
    for m in modules:
        m.disabled = True
    try:
        yield model
    finally:
        for m in modules:
            m.disabled = False


def merge_and_unload(model: nn.Module) -> nn.Module:
    """Merge every adapter into its base and put the plain linears back (a normal model)."""
    for name, m in lora_modules(model).items():
        m.merge()
        parent_name, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name), child, m.base)
    model.lora_config = None
    for p in model.parameters():
        p.requires_grad_(True)
    return model


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameters, each tensor counted once."""
    seen, trainable, total = set(), 0, 0
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total


# -- PEFT layout ----------------------------------------------------------------------------

def hf_module_name(name: str, config) -> str:
    """lmforge module name -> the transformers module name (llama/qwen2-style families)."""
    from lmforge.io.hf_checkpoint import lmforge_to_hf

    probe = {f"{name}.weight": torch.empty(0)}
    renamed = lmforge_to_hf(probe, config)
    if len(renamed) != 1:
        raise ConfigError(f"no transformers name for {name!r} in arch {config.arch}: PEFT "
                          "export supports families whose linears map one to one (llama, qwen2)")
    return next(iter(renamed)).removesuffix(".weight")


FINGERPRINT_SIZE = 256


def base_fingerprint(model: nn.Module) -> dict:
    """What identifies the base: its shape, and 256 token-embedding values at fixed strided
    places (another base's values are uncorrelated with these; the same base stored in
    another precision or quantization correlates > 0.9)."""
    config = model.config
    embed = model.embed.tokens.weight.detach().float().flatten()
    # float64: in float32, numel - 1 above 2**24 rounds up past the last index (SmolLM2)
    places = torch.linspace(0, embed.numel() - 1, FINGERPRINT_SIZE, dtype=torch.float64).long()
    return {"arch": config.arch, "vocab_size": config.vocab_size,
            "hidden_size": config.hidden_size, "num_hidden_layers": config.num_hidden_layers,
            "embed_sample": [round(v, 5) for v in embed[places].tolist()]}


def save_adapter(model: nn.Module, folder: str | Path, base_name: str = "") -> Path:
    """Write the adapters in PEFT's layout (into `folder`, created atomically if new)."""
    settings: LoRASettings = model.lora_config
    if settings is None:
        raise ConfigError("the model has no LoRA adapters to save")
    folder = Path(folder)
    if folder.exists():
        _write_adapter(model, settings, folder, base_name)
    else:
        with atomic_dir(folder) as tmp:
            _write_adapter(model, settings, tmp, base_name)
    return folder


def _write_adapter(model, settings: LoRASettings, folder: Path, base_name: str) -> None:
    tensors, targets = {}, []
    for name, m in lora_modules(model).items():
        hf = hf_module_name(name, model.config)
        targets.append(hf)
        for part in ("lora_A", "lora_B"):
            weight = getattr(m, part).weight.detach().float().cpu().contiguous()
            tensors[f"{PEFT_PREFIX}{hf}.{part}.weight"] = weight
    with atomic_path(folder / ADAPTER_WEIGHTS) as tmp:
        save_file(tensors, str(tmp), metadata={"format": "pt"})
    peft_config = {
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": settings.rank,
        "lora_alpha": settings.alpha, "lora_dropout": settings.dropout,
        "use_rslora": settings.rslora, "target_modules": sorted(targets), "bias": "none",
        "fan_in_fan_out": False, "modules_to_save": None, "init_lora_weights": True,
        "inference_mode": True, "base_model_name_or_path": base_name or None,
    }
    _write_json(folder / ADAPTER_CONFIG, peft_config)
    _write_json(folder / LMFORGE_ADAPTER, {"base": base_fingerprint(model),
                                          "base_name": base_name,
                                          "settings": asdict(settings)})


def _write_json(path: Path, value: dict) -> None:
    from lmforge.atomic import write_text_atomic

    write_text_atomic(path, json.dumps(value, indent=2) + "\n")


def load_adapter(model: nn.Module, folder: str | Path) -> LoRASettings:
    """Put the adapters saved in `folder` onto `model` (checked to be their base)."""
    folder = Path(folder)
    for needed in (ADAPTER_WEIGHTS, ADAPTER_CONFIG):
        if not (folder / needed).is_file():
            raise ModelFileError(f"{folder}: not an adapter folder ({needed} missing)")
    peft_config = json.loads((folder / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    if peft_config.get("peft_type") != "LORA":
        raise ModelFileError(f"{folder}: peft_type {peft_config.get('peft_type')!r}, "
                             "only LORA adapters are supported")
    _check_base(model, folder)
    by_hf = _hf_names(model)
    weights = load_file(str(folder / ADAPTER_WEIGHTS))
    modules = _adapted_modules(weights, by_hf, folder)
    settings = LoRASettings(rank=int(peft_config["r"]), alpha=float(peft_config["lora_alpha"]),
                            dropout=0.0, rslora=bool(peft_config.get("use_rslora", False)),
                            modules=modules)
    apply_lora(model, settings)
    adapted = lora_modules(model)
    with torch.no_grad():
        for key, tensor in weights.items():
            hf, part = key.removeprefix(PEFT_PREFIX).rsplit(".", 2)[:2]
            target = getattr(adapted[by_hf[hf]], part).weight
            if target.shape != tensor.shape:
                raise ModelFileError(f"{folder}: {key} has shape {tuple(tensor.shape)}, the "
                                     f"model needs {tuple(target.shape)}")
            target.copy_(tensor)
    return model.lora_config


def _hf_names(model: nn.Module) -> dict[str, str]:
    """transformers module name -> lmforge name, for every linear that has one."""
    names = {}
    for name in linear_names(model):
        try:
            names[hf_module_name(name, model.config)] = name
        except ConfigError:  # e.g. a tied lm_head, which HF does not save
            continue
    return names


def _adapted_modules(weights: dict, by_hf: dict[str, str], folder: Path) -> list[str]:
    modules = []
    for key in weights:
        if not key.startswith(PEFT_PREFIX) or not key.endswith((".lora_A.weight",
                                                                ".lora_B.weight")):
            raise ModelFileError(f"{folder}: unexpected tensor {key!r} in {ADAPTER_WEIGHTS}")
        hf = key.removeprefix(PEFT_PREFIX).rsplit(".", 2)[0]
        if hf not in by_hf:
            raise ModelFileError(f"{folder}: adapter for module {hf!r}, which this base model "
                                 "does not have (an adapter made for another base?)")
        if by_hf[hf] not in modules:
            modules.append(by_hf[hf])
    return modules


def _check_base(model: nn.Module, folder: Path) -> None:
    path = folder / LMFORGE_ADAPTER
    if not path.is_file():  # an adapter from PEFT itself: shapes are checked on load
        return
    saved = json.loads(path.read_text(encoding="utf-8"))
    expected, actual = saved["base"], base_fingerprint(model)
    diffs = [f"{k}: adapter's base {expected[k]!r} vs this model {actual.get(k)!r}"
             for k in expected if k != "embed_sample" and expected[k] != actual.get(k)]
    if not diffs and "embed_sample" in expected:
        similarity = torch.nn.functional.cosine_similarity(
            torch.tensor(expected["embed_sample"]), torch.tensor(actual["embed_sample"]), dim=0)
        if similarity < 0.9:
            diffs.append(f"token embeddings differ (cosine similarity {similarity:.2f} of a "
                         "256-value sample, same base > 0.9)")
    if diffs:
        name = saved.get("base_name") or "another model"
        raise ConfigError(f"adapter {folder} was made for another base ({name}): "
                          + "; ".join(diffs))
