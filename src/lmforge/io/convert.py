"""`lmforge convert`: move a model between GGUF and the Hugging Face safetensors layout.

    GGUF  -> folder  config.json + model.safetensors + tokenizer files (transformers opens it)
    folder -> GGUF   F32, F16 or quantized blocks (Q8_0, Q4_0, Q4_1, Q4_K; llama.cpp opens
                     it), tokenizer and chat template embedded

Any model lmforge loads is a source (bundled name, folder, .gguf, training run); it is loaded
as float weights under their own names (`quantize="none", fuse=False`), so a quantized source
is dequantized first. A LoRA adapter is merged before converting (`cli/infer.py: convert`).
Test: pytest tests/io/test_gguf_writer_quant.py tests/io/test_llama_cpp_roundtrip.py
"""

from pathlib import Path

import torch

from lmforge.errors import ConfigError
from lmforge.io.gguf_quantize import FILE_TYPES
from lmforge.io.hf_checkpoint import lmforge_to_hf, save_hf_folder
from lmforge.io.hf_config import config_to_hf
from lmforge.io.registry import load

GGUF_ARCHES = ("llama", "qwen2")
SAFETENSORS_DTYPES = {"f32": torch.float32, "f16": torch.float16}
TARGET_DTYPES = {"safetensors": tuple(SAFETENSORS_DTYPES), "gguf": tuple(FILE_TYPES)}


def check_target(to: str, dtype: str) -> None:
    """A ConfigError naming the choices when `to` or `dtype` is not one lmforge writes."""
    if to not in TARGET_DTYPES:
        raise ConfigError(f"unknown target format {to!r}: use safetensors or gguf")
    if dtype not in TARGET_DTYPES[to]:
        raise ConfigError(f"unknown dtype {dtype!r} for {to}: use "
                          f"{', '.join(TARGET_DTYPES[to])}")


def convert(source: str, to: str, out: str | Path, dtype: str = "f32") -> Path:
    """Convert `source` (name, folder or .gguf) to `to` ("safetensors" | "gguf") at `out`."""
    check_target(to, dtype)
    lm = load(source, quantize="none", fuse=False)  # float weights under their own names
    return write_model(lm.model, lm.tokenizer, to, out, dtype)


def write_model(model, tokenizer, to: str, out: str | Path, dtype: str = "f32") -> Path:
    """Write a loaded float model (and its tokenizer) as `to` at `out`."""
    check_target(to, dtype)
    out = Path(out)
    if to == "safetensors":
        from lmforge.io.hf_tokenizer import save_hf_tokenizer

        save_hf_folder(model, out, dtype=SAFETENSORS_DTYPES[dtype])
        save_hf_tokenizer(tokenizer, out)
        return out
    export_gguf(model, tokenizer, out, dtype)
    return out


def export_gguf(model, tokenizer, out: Path, dtype: str = "f16") -> dict[str, str]:
    """Write `model` as a GGUF file; returns each tensor's stored type (gguf_writer.py)."""
    from lmforge.io.gguf_tokenizer import tokenizer_to_gguf_metadata
    from lmforge.io.gguf_writer import write_gguf

    config = model.config
    if config.arch not in GGUF_ARCHES:
        raise ConfigError(f"GGUF export supports {', '.join(GGUF_ARCHES)}; "
                          f"this model is {config.arch!r}")
    state = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
    return write_gguf(out, config_to_hf(config), lmforge_to_hf(state, config),
                      tokenizer_to_gguf_metadata(tokenizer), dtype=dtype)
