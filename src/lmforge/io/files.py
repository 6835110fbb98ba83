"""A model and its tokenizer from one local file or folder, with float weights as stored.

    load_gguf(path)     a .gguf file: weights dequantized to float, tokenizer from metadata
    load_folder(path)   a Hugging Face layout folder: config.json, safetensors, tokenizer

Both the registry (`lmforge.load`, io/registry.py) and the quantized loaders
(io/quantized.py) build on these, so imports point one way: registry -> quantized -> files.

Test: `pytest tests/io/test_smollm2.py tests/io/test_minilm.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch loads only when weights do
    from lmforge.model.transformer import Transformer
    from lmforge.tokenizer import Tokenizer


def load_gguf(path: Path) -> tuple[Transformer, Tokenizer]:
    from lmforge.io.gguf_reader import read_gguf
    from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
    from lmforge.io.hf_checkpoint import load_weights
    from lmforge.io.hf_config import config_from_hf
    from lmforge.model.transformer import Transformer

    checkpoint = read_gguf(path)
    with skip_weight_init():
        model = Transformer(config_from_hf(checkpoint.hf_config))
    load_weights(model, checkpoint.state_dict)  # every parameter, or a ModelFileError
    return model, tokenizer_from_gguf_metadata(checkpoint.metadata)


def load_folder(path: Path) -> tuple[Transformer, Tokenizer]:
    from lmforge.io.hf_checkpoint import load_hf_folder
    from lmforge.io.hf_tokenizer import load_hf_tokenizer

    with skip_weight_init():  # load_hf_folder fills every parameter from the file
        model = load_hf_folder(path)
    return model, load_hf_tokenizer(path)


@contextmanager
def skip_weight_init() -> Iterator[None]:
    """Build modules without drawing random initial weights that the checkpoint's replace at
    once (as transformers' `no_init_weights` does): ~1 s less for a 135M model on a CPU.
    Only torch.nn.init's in-place initializers are skipped; computed buffers (RoPE
    frequencies) are built as usual."""
    import torch

    names = ("kaiming_uniform_", "uniform_", "normal_", "trunc_normal_", "xavier_uniform_",
             "xavier_normal_", "kaiming_normal_", "zeros_", "ones_")
    saved = {name: getattr(torch.nn.init, name) for name in names}
    for name in names:
        setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(torch.nn.init, name, fn)
