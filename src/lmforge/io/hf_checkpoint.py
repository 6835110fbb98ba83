"""Hugging Face checkpoint folders: `config.json` + `model.safetensors` (+ tokenizer files).

Loading renames HF parameters to lmforge's through the tables in `hf_names.py` (stacking
mixture-of-experts matrices); saving renames them back, so a folder written here opens in
`transformers` and vice versa.
Weights are read with safetensors only: no pickle, so a checkpoint cannot run code.
"""

import functools
import json
import re
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from lmforge.atomic import atomic_path, write_text_atomic
from lmforge.errors import ConfigError, LmforgeError, ModelFileError
from lmforge.io.hf_config import (
    METADATA_FIELDS,
    check_native_agrees,
    config_from_hf,
    config_to_hf,
)
from lmforge.io.hf_names import IGNORED_SUFFIXES, PREFIXES, TABLES, Rule
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer

NATIVE_CONFIG = "lmforge_config.json"  # the exact ModelConfig, beside HF's config.json


@functools.cache
def _compile(rule: str) -> re.Pattern:
    pattern = re.escape(rule)
    for index in ("i", "j"):  # a layer index, an expert index
        pattern = pattern.replace(re.escape(f"{{{index}}}"), rf"(?P<{index}>\d+)")
    return re.compile(pattern + "$")


def _match(name: str, table: list[Rule]) -> tuple[Rule, dict[str, str]] | None:
    for rule in table:
        m = _compile(rule.hf).match(name)
        if m:
            return rule, m.groupdict()
    return None


def _fill(template: str, i: str | None, j: int | None = None) -> str:
    name = template.replace("{i}", i) if i is not None else template
    return name.replace("{j}", str(j)) if j is not None else name


def hf_to_lmforge(hf_state: dict[str, torch.Tensor], arch: str) -> dict[str, torch.Tensor]:
    """Rename (and for GPT-2 transpose and split, for experts stack) an HF state dict into
    lmforge's names."""
    table, prefix = TABLES[arch], PREFIXES.get(arch, "")
    ours: dict[str, torch.Tensor] = {}
    experts: dict[str, dict[int, torch.Tensor]] = {}  # stacked name -> expert j -> matrix
    for name, tensor in hf_state.items():
        found = _match(name.removeprefix(prefix), table)
        if found is None:
            if name.endswith(IGNORED_SUFFIXES):
                continue
            raise ModelFileError(f"unexpected parameter {name!r} for architecture {arch}")
        rule, index = found
        i = index.get("i")
        if rule.kind == "qkv_t":
            parts = tensor.t().chunk(3, dim=0) if tensor.dim() == 2 else tensor.chunk(3)
            for n, part in zip(rule.ours, parts, strict=True):
                ours[_fill(n, i)] = part.contiguous()
        elif rule.kind == "gate_up":  # (n, 2I, C): gate rows first, then up (transformers 5)
            for n, part in zip(rule.ours, _split_gate_up(name, tensor), strict=True):
                ours[_fill(n, i)] = part.contiguous()
        elif rule.kind == "stack":
            experts.setdefault(_fill(rule.ours, i), {})[int(index["j"])] = tensor
        else:
            ours[_fill(rule.ours, i)] = tensor.t().contiguous() if rule.kind == "t" else tensor
    for name, by_expert in experts.items():
        ours[name] = _stack_experts(name, by_expert)
    return ours


def _split_gate_up(name: str, tensor: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if tensor.dim() != 3 or tensor.shape[1] % 2:
        raise ModelFileError(f"unsupported expert layout: {name} has shape "
                             f"{tuple(tensor.shape)}, expected (experts, 2 * intermediate, "
                             f"hidden)")
    return tensor.chunk(2, dim=1)


def _stack_experts(name: str, by_expert: dict[int, torch.Tensor]) -> torch.Tensor:
    """Expert j's (out, in) matrices -> one (n, out, in) tensor; every expert must be there."""
    if sorted(by_expert) != list(range(len(by_expert))):
        raise ModelFileError(f"{name}: the checkpoint has experts {sorted(by_expert)}, "
                             f"expected 0..{len(by_expert) - 1} with none missing")
    return torch.stack([by_expert[j] for j in range(len(by_expert))])


def hf_name(ours: str, arch: str) -> str:
    """The file's name for one lmforge parameter (for errors); itself where no rule copies it."""
    for rule in TABLES[arch]:
        if isinstance(rule.ours, str) and rule.kind == "copy" and rule.export:
            m = _compile(rule.ours).match(ours)
            if m:
                return PREFIXES.get(arch, "") + _fill(rule.hf, m.groupdict().get("i"))
    return ours


def lmforge_to_hf(state: dict[str, torch.Tensor], config: ModelConfig) -> dict[str, torch.Tensor]:
    """The inverse of `hf_to_lmforge`, with the prefix of the HF head class. A tensor that
    the family's table cannot name is an error (never silently left out of a checkpoint)."""
    table = TABLES[config.arch]
    prefix = {"gpt2": "transformer.", "bert": "bert." if config.mlm_head else ""}.get(
        config.arch, "")
    is_gated = config.mlp in ("swiglu", "geglu")
    hf: dict[str, torch.Tensor] = {}
    written: set[str] = set()
    for rule in table:
        if not rule.export or (rule.gated is not None and rule.gated != is_gated):
            continue
        names = rule.ours if isinstance(rule.ours, tuple) else (rule.ours,)
        for i in _layer_indices(rule, names[0], state):
            keys = [_fill(n, i) for n in names]
            if not all(k in state for k in keys):
                continue
            written.update(keys)
            hf_name = _fill(rule.hf, i)
            hf_name = hf_name if hf_name.startswith(("lm_head", "cls.")) else prefix + hf_name
            if rule.kind == "qkv_t":
                hf[hf_name] = torch.cat([state[k] for k in keys], dim=0).t().contiguous()
            elif rule.kind == "t":
                hf[hf_name] = state[keys[0]].t().contiguous()
            elif rule.kind == "stack":  # one matrix per expert
                for j, matrix in enumerate(state[keys[0]]):
                    hf[_fill(hf_name, None, j)] = matrix.contiguous()
            else:
                hf[hf_name] = state[keys[0]].contiguous()
    if config.tie_word_embeddings:
        hf.pop("lm_head.weight", None)
        written.add("lm_head.weight")
    unnamed = sorted(set(state) - written)
    if unnamed:
        raise ConfigError(f"architecture {config.arch} has no Hugging Face name for "
                          f"{len(unnamed)} tensor(s), e.g. {unnamed[:3]}")
    return hf


def _layer_indices(rule: Rule, ours: str, state: dict) -> list[str | None]:
    if "{i}" not in ours:
        return [None]
    pattern = _compile(ours)
    return sorted({m.group("i") for k in state if (m := pattern.match(k))}, key=int)


# ---------------------------------------------------------------------------------------------
# folders


def read_config(folder: Path) -> ModelConfig:
    native, hf = folder / NATIVE_CONFIG, folder / "config.json"
    if native.exists():
        config = ModelConfig.from_dict(_read_json(native), source=str(native))
        if hf.exists():  # both files: an edit to either must not be ignored
            check_native_agrees(config, _read_json(hf), str(native), str(hf))
        return config
    return config_from_hf(_read_json(hf), str(hf))


def load_hf_folder(folder: str | Path, dtype: torch.dtype = torch.float32) -> Transformer:
    """Build a Transformer from an HF-layout folder (single or sharded safetensors)."""
    folder = Path(folder)
    config = read_config(folder)
    model = Transformer(config)
    load_weights(model, read_safetensors(folder))
    return model.to(dtype)


def load_weights(model: Transformer, hf_state: dict[str, torch.Tensor]) -> None:
    """Copy HF-named weights into the model; missing or misshapen ones are errors."""
    ours = hf_to_lmforge(hf_state, model.config.arch)
    expected = model.state_dict()
    if model.config.tie_word_embeddings:
        ours.pop("lm_head.weight", None)  # the tied copy is the embedding itself
        expected.pop("lm_head.weight", None)
    missing = sorted(set(expected) - set(ours))
    if missing:
        in_file = [hf_name(n, model.config.arch) for n in missing[:3]]
        raise ModelFileError(f"checkpoint lacks {len(missing)} parameter(s), e.g. {in_file} "
                             f"(lmforge's {missing[:3]})")
    check_extra_and_shapes(ours, expected)
    # assign: the checkpoint's tensors become the parameters (no second 0.5 GB copy)
    model.load_state_dict(ours, strict=False, assign=True)
    if model.config.tie_word_embeddings and hasattr(model, "lm_head"):
        model.lm_head.weight = model.embed.tokens.weight  # assign replaced the shared one


def read_safetensors(folder: Path) -> dict[str, torch.Tensor]:
    index = folder / "model.safetensors.index.json"
    files = sorted(set(_read_json(index)["weight_map"].values())) if index.exists() else [
        "model.safetensors"]
    state: dict[str, torch.Tensor] = {}
    for name in files:
        path = folder / name
        if not path.exists():
            raise ModelFileError(f"{path}: weights file not found")
        try:
            state.update(load_file(path))
        except (SafetensorError, OSError, ValueError) as e:
            raise ModelFileError(f"{path}: not a valid safetensors file ({e})") from e
    return state


def save_hf_folder(model: Transformer, folder: str | Path, dtype: torch.dtype | None = None):
    """Write config.json, lmforge_config.json and model.safetensors (each atomically)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(dtype or v.dtype).cpu() for k, v in model.state_dict().items()}
    hf_state = lmforge_to_hf(state, model.config)
    with atomic_path(folder / "model.safetensors") as tmp:
        save_file(hf_state, tmp, metadata={"format": "pt"})
    hf_config = hf_config_or_native(model.config)
    if dtype is not None:
        hf_config["torch_dtype"] = str(dtype).removeprefix("torch.")
    write_text_atomic(folder / "config.json", json.dumps(hf_config, indent=2))
    write_text_atomic(folder / NATIVE_CONFIG, json.dumps(model.config.to_dict(), indent=2))


def hf_config_or_native(config: ModelConfig) -> dict:
    """HF's config.json when transformers would rebuild exactly this model; otherwise a
    config.json naming lmforge, so transformers refuses it instead of building a different
    model (e.g. a GPT-2 block with RoPE has no transformers class)."""
    try:
        hf = config_to_hf(config)
        same = _comparable(config_from_hf(hf)) == _comparable(config)
    except LmforgeError:
        same = False
    if same:
        return hf
    return {"model_type": f"lmforge-{config.arch}", "architectures": ["lmforge.Transformer"],
            "note": f"no transformers equivalent; the model is described by {NATIVE_CONFIG}"}


def _comparable(config: ModelConfig) -> dict:
    """The fields that decide the computation (dropout and metadata do not)."""
    d = config.to_dict()
    for key in METADATA_FIELDS:
        d.pop(key)
    return d


def _read_json(path: Path) -> dict:
    if not path.exists():
        raise ModelFileError(f"{path}: file not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelFileError(f"{path}: invalid JSON ({e})") from e


def check_extra_and_shapes(ours: dict, expected: dict) -> None:
    """Every checkpoint tensor is one the model has, in the model's shape."""
    for name, tensor in ours.items():
        if name not in expected:
            raise ModelFileError(f"checkpoint has parameter {name!r} the model does not")
        if tensor.shape != expected[name].shape:
            raise ModelFileError(f"{name}: checkpoint shape {tuple(tensor.shape)} != model "
                                 f"shape {tuple(expected[name].shape)}")
