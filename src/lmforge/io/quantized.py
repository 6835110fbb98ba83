"""Quantized models from files: a GGUF run on its own blocks, a model quantized at load time,
and lmforge's quantized checkpoint folder (written by `lmforge quantize`).

    lmforge.load(name, quantize="auto")   a quantized GGUF or folder runs on its quantized
                                          weights (as llama.cpp does); others as stored
    lmforge.load(name, quantize="int8")   every linear (LM head too) int8 per channel
    lmforge.load(name, quantize="int4")   every linear int4 in groups of 32, the LM head int8
    lmforge.load(name, quantize="none")   float weights (a quantized file is dequantized)

When the embedding and LM head are tied, the embedding becomes a `QuantizedEmbedding` that
reads rows of the quantized head, so one quantized copy serves both. The Transformer is built
without initialising its float weights (the pages of an untouched `torch.empty` cost no
memory), so a quantized model never holds its fp32 size, not even while loading.

A quantized folder holds config.json (HF's, plus a `quantization_config` that transformers
refuses rather than misreads), lmforge_config.json, model.safetensors (lmforge's names:
`<layer>.qweight`, `.scales`, `.mins`, `.bias`), quantization_config.json (bits and group size
of each layer, how the embedding is stored) and the tokenizer files; written atomically.

Test: pytest tests/io/test_quantized.py
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn

from lmforge.atomic import atomic_dir
from lmforge.errors import ConfigError, ModelFileError
from lmforge.io.files import load_folder, load_gguf
from lmforge.memory import release_freed_memory
from lmforge.model.quant import (
    Int4Linear,
    Int8Linear,
    QuantizedEmbedding,
    QuantizedLinear,
    quantize_model,
    quantized_layers,
)
from lmforge.model.transformer import Transformer
from lmforge.tokenizer import Tokenizer

QUANTIZE_MODES = ("auto", "none", "int8", "int4")
QUANT_CONFIG = "quantization_config.json"
QUANT_METHOD = "lmforge-weight-only"


def is_quantized_folder(path: Path) -> bool:
    return path.is_dir() and (path / QUANT_CONFIG).is_file()


def load_quantized(path: Path, quantize: str, group_size: int = 32
                   ) -> tuple[Transformer, Tokenizer]:
    """Load the model at `path` (a .gguf file or a folder) as `quantize` asks."""
    if quantize not in QUANTIZE_MODES:
        raise ConfigError(f"quantize must be one of {', '.join(QUANTIZE_MODES)}, got {quantize!r}")
    if is_quantized_folder(path):
        model, tokenizer = load_quantized_folder(path)
        if quantize == "none":
            dequantize_model(model)
        elif quantize in ("int8", "int4"):
            raise ConfigError(f"{path} is already quantized; load it with quantize='auto' "
                              "(or 'none' to dequantize), or quantize its float source")
        return model, tokenizer
    if path.is_file() and quantize == "auto":
        return load_gguf_blocks(path)
    model, tokenizer = load_gguf(path) if path.is_file() else load_folder(path)
    if quantize in ("int8", "int4"):
        quantize_for_inference(model, 8 if quantize == "int8" else 4, group_size)
    return model, tokenizer


def quantize_for_inference(model: Transformer, bits: int, group_size: int = 32,
                           head_bits: int = 8) -> Transformer:
    """Quantize every linear to `bits`, the LM head to `head_bits` (int8 by default, as
    llama.cpp's Q4 files keep the output matrix in 8 bits: SmolLM2 int4 g32 on held-out text
    has perplexity 31.88 with an int8 head, 33.90 with an int4 one, fp32 31.90); a tied
    embedding reads the quantized head."""
    is_head = lambda name, m: name == "lm_head"  # noqa: E731
    quantize_model(model, bits, group_size, include=lambda name, m: not is_head(name, m))
    if hasattr(model, "lm_head"):
        quantize_model(model, head_bits, group_size, include=is_head)
    if model.config.tie_word_embeddings and isinstance(getattr(model, "lm_head", None),
                                                       QuantizedLinear):
        model.embed.tokens = QuantizedEmbedding(model.lm_head)
    return model


def dequantize_model(model: Transformer) -> Transformer:
    """Replace quantized linears/embeddings by float ones holding their dequantized weights."""
    for name, module in list(model.named_modules(remove_duplicate=False)):
        if isinstance(module, QuantizedEmbedding):
            embedding = nn.Embedding(module.num_embeddings, module.embedding_dim)
            embedding.weight.data = module.weight
            _replace(model, name, embedding)
    for name, module in list(model.named_modules(remove_duplicate=False)):
        if isinstance(module, QuantizedLinear):
            linear = nn.Linear(module.in_features, module.out_features,
                               bias=module.bias is not None)
            linear.weight.data = module.dequantize()
            if module.bias is not None:
                linear.bias.data = module.bias.float()
            _replace(model, name, linear)
    if model.config.tie_word_embeddings and hasattr(model, "lm_head"):
        model.lm_head.weight = model.embed.tokens.weight
    return model


@contextmanager
def uninitialized_weights() -> Iterator[None]:
    """Build modules without filling their Linear/Embedding weights with random numbers:
    every one is replaced or overwritten from the file, and untouched memory stays free."""
    saved = nn.Linear.reset_parameters, nn.Embedding.reset_parameters
    nn.Linear.reset_parameters = nn.Embedding.reset_parameters = lambda self: None
    try:
        yield
    finally:
        nn.Linear.reset_parameters, nn.Embedding.reset_parameters = saved


def _replace(model: nn.Module, name: str, module: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name) if parent_name else model, child, module)


def _load_float_rest(model: Transformer, float_state: dict[str, torch.Tensor], source) -> None:
    """Copy the float tensors (norms, biases, unquantized linears) in; every float parameter
    the model still has must come from the file, and nothing else may."""
    for name, tensor in list(float_state.items()):
        owner, _, kind = name.rpartition(".")
        module = model.get_submodule(owner) if owner else model
        if isinstance(module, QuantizedLinear) and kind == "bias":
            module.bias = tensor.float()
            del float_state[name]
    params = dict(model.named_parameters())
    missing = sorted(set(params) - set(float_state))
    if model.config.tie_word_embeddings:
        missing = [n for n in missing if n != "lm_head.weight"]
    unexpected = sorted(set(float_state) - set(params))
    if missing or unexpected:
        raise ModelFileError(f"{source}: weights do not fit the model (missing {missing[:3]}, "
                             f"unexpected {unexpected[:3]})")
    for name, tensor in float_state.items():
        if tensor.shape != params[name].shape:
            raise ModelFileError(f"{source}: {name} has shape {tuple(tensor.shape)}, the model "
                                 f"wants {tuple(params[name].shape)}")
        params[name].data = tensor.to(torch.float32)


# -- a GGUF on its own blocks --------------------------------------------------------------


def load_gguf_blocks(path: Path) -> tuple[Transformer, Tokenizer]:
    """A llama/qwen2 GGUF whose quantized linears (and embedding) stay in their blocks."""
    from lmforge.io import gguf_reader as reader
    from lmforge.io.gguf_header import read_header
    from lmforge.io.gguf_quant import is_quantized, quantized_linear
    from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
    from lmforge.io.hf_checkpoint import hf_to_lmforge
    from lmforge.io.hf_config import config_from_hf

    header = read_header(path)
    # the tokenizer first: its build peaks before the file's pages are read (peak RSS)
    tokenizer = tokenizer_from_gguf_metadata(header.metadata)
    arch = reader._architecture(path, header.metadata)
    tensors = reader._known_tensors(path, arch, header.tensors)
    hf_config = reader._hf_config(path, arch, header.metadata, tensors)
    config = config_from_hf(hf_config)
    with uninitialized_weights():
        model = Transformer(config)
    float_state: dict[str, torch.Tensor] = {}
    for hf_name, tensor in tensors.items():
        (ours,) = hf_to_lmforge({hf_name: torch.empty(0)}, config.arch)
        if not (is_quantized(tensor) and ours.endswith(".weight")):
            weights = reader._dequantize(path, tensor)
            if arch == "llama" and hf_name.endswith(("q_proj.weight", "k_proj.weight")):
                weights = reader.unpermute_qk(weights, reader._rotary_heads(hf_name, hf_config))
            # a copy: a view would keep the whole mapped file resident
            float_state[ours] = torch.from_numpy(np.array(weights))
            header.release(tensor)
            continue
        blocks = np.asarray(tensor.data)
        if arch == "llama" and hf_name.endswith(("q_proj.weight", "k_proj.weight")):
            blocks = reader.unpermute_qk(blocks, reader._rotary_heads(hf_name, hf_config))
        layer = quantized_linear(ours.removesuffix(".weight"), tensor, blocks)
        if ours == "embed.tokens.weight":
            model.embed.tokens = QuantizedEmbedding(layer)
            if config.tie_word_embeddings:
                model.lm_head = layer
        else:
            _replace(model, ours.removesuffix(".weight"), layer)
        header.release(tensor)
        release_freed_memory()  # a re-scaled embedding leaves ~180 MB of freed heap (peak RSS)
    _load_float_rest(model, float_state, path)
    return model.eval(), tokenizer


# -- lmforge's quantized checkpoint folder -------------------------------------------------


def save_quantized(model: Transformer, tokenizer: Tokenizer, out: str | Path) -> Path:
    """Write a quantized model as a folder that `lmforge.load(out)` opens (atomically)."""
    from lmforge.io.hf_checkpoint import NATIVE_CONFIG, hf_config_or_native
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    layers = quantized_layers(model)
    if not layers:
        raise ConfigError("the model has no quantized layers: quantize it first")
    tied = isinstance(model.embed.tokens, QuantizedEmbedding) and \
        model.embed.tokens.table is getattr(model, "lm_head", None)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if tied:  # one copy on disk; loading re-ties the embedding to the head
        state = {k: v for k, v in state.items() if not k.startswith("embed.tokens.table.")}
    embedding = ("lm_head" if tied else "own" if isinstance(model.embed.tokens,
                                                               QuantizedEmbedding) else "float")
    quant_config = {
        "quant_method": QUANT_METHOD, "format_version": 1, "embedding": embedding,
        "layers": {name: {"bits": m.bits, "group_size": m.group_size}
                   for name, m in layers.items() if not name.startswith("embed.tokens.table")},
    }
    if embedding == "own":
        table = model.embed.tokens.table
        quant_config["embedding_table"] = {"bits": table.bits, "group_size": table.group_size}
    hf_config = hf_config_or_native(model.config)
    hf_config["quantization_config"] = {"quant_method": QUANT_METHOD}
    out = Path(out)
    with atomic_dir(out) as tmp:
        save_file(state, tmp / "model.safetensors", metadata={"format": "pt"})
        (tmp / QUANT_CONFIG).write_text(json.dumps(quant_config, indent=2))
        (tmp / "config.json").write_text(json.dumps(hf_config, indent=2))
        (tmp / NATIVE_CONFIG).write_text(json.dumps(model.config.to_dict(), indent=2))
        save_hf_tokenizer(tokenizer, tmp)
    return out


def load_quantized_folder(path: Path) -> tuple[Transformer, Tokenizer]:
    from lmforge.io.hf_checkpoint import read_config, read_safetensors
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    quant_config = json.loads((path / QUANT_CONFIG).read_text(encoding="utf-8"))
    if quant_config.get("quant_method") != QUANT_METHOD:
        raise ModelFileError(f"{path / QUANT_CONFIG}: quant_method "
                             f"{quant_config.get('quant_method')!r} is not {QUANT_METHOD!r}")
    state = read_safetensors(path)
    with uninitialized_weights():
        model = Transformer(read_config(path))
    for name, spec in quant_config["layers"].items():
        _replace(model, name, _quantized_from_state(path, name, spec, state))
    if quant_config["embedding"] == "lm_head":
        model.embed.tokens = QuantizedEmbedding(model.lm_head)
    elif quant_config["embedding"] == "own":
        table = _quantized_from_state(path, "embed.tokens.table",
                                      quant_config["embedding_table"], state)
        model.embed.tokens = QuantizedEmbedding(table)
    _load_float_rest(model, state, path)
    return model.eval(), load_hf_tokenizer(path)


def _quantized_from_state(path: Path, name: str, spec: dict, state: dict) -> QuantizedLinear:
    """Pop `name`'s buffers out of `state` into an Int8Linear / Int4Linear."""
    keys = ("qweight", "scales", "mins") if spec["bits"] == 4 else ("qweight", "scales")
    missing = [f"{name}.{k}" for k in keys if f"{name}.{k}" not in state]
    if missing:
        raise ModelFileError(f"{path}: quantized layer {name!r} lacks {missing}")
    buffers = [state.pop(f"{name}.{k}") for k in keys]
    bias = state.pop(f"{name}.bias", None)
    cls = Int4Linear if spec["bits"] == 4 else Int8Linear
    layer = cls(*buffers, bias=bias, name=name)
    if layer.group_size != spec["group_size"]:
        raise ModelFileError(f"{path}: layer {name!r} stores group size {layer.group_size}, "
                             f"its config says {spec['group_size']}")
    return layer
