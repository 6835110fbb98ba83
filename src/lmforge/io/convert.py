"""`lmforge convert`: move a model between GGUF and the Hugging Face safetensors layout.

    GGUF  -> folder  config.json + model.safetensors + tokenizer files (transformers opens it)
    folder -> GGUF   F32 or F16 (llama.cpp opens it), tokenizer and chat template embedded
"""

from pathlib import Path

import torch

from lmforge.errors import ConfigError
from lmforge.io.hf_checkpoint import lmforge_to_hf, save_hf_folder
from lmforge.io.hf_config import config_to_hf
from lmforge.io.registry import load

GGUF_ARCHES = ("llama", "qwen2")
DTYPES = {"f32": torch.float32, "f16": torch.float16}


def convert(source: str, to: str, out: str | Path, dtype: str = "f32") -> Path:
    """Convert `source` (name, folder or .gguf) to `to` ("safetensors" | "gguf") at `out`."""
    if to not in ("safetensors", "gguf"):
        raise ConfigError(f"unknown target format {to!r}: use safetensors or gguf")
    if dtype not in DTYPES:
        raise ConfigError(f"unknown dtype {dtype!r}: use f32 or f16")
    lm = load(source, quantize="none", fuse=False)  # float weights under their own names
    out = Path(out)
    if to == "safetensors":
        from lmforge.io.hf_tokenizer import save_hf_tokenizer

        save_hf_folder(lm.model, out, dtype=DTYPES[dtype])
        save_hf_tokenizer(lm.tokenizer, out)
        return out
    return export_gguf(lm.model, lm.tokenizer, out, dtype)


def export_gguf(model, tokenizer, out: Path, dtype: str = "f16") -> Path:
    from lmforge.io.gguf_tokenizer import tokenizer_to_gguf_metadata
    from lmforge.io.gguf_writer import write_gguf

    config = model.config
    if config.arch not in GGUF_ARCHES:
        raise ConfigError(f"GGUF export supports {', '.join(GGUF_ARCHES)}; "
                          f"this model is {config.arch!r}")
    state = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
    write_gguf(out, config_to_hf(config), lmforge_to_hf(state, config),
               tokenizer_to_gguf_metadata(tokenizer), dtype=dtype)
    return out
