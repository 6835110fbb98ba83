"""Build the Engine the server drives, from the CLI's --quantize / --max-batch / --kv-blocks.

`--kv-blocks` sizes the paged KV pool when the Engine has one (its keyword is looked up
on the Engine, which grows a block pool in the fast-engine work). `--quantize auto` keeps
the weights as loaded; `none` is the same on CPU (lmforge dequantizes GGUF blocks to the
compute dtype); int8 / int4 need the quantized linears of `lmforge.model.quant`.

Test: `pytest tests/serve/test_cli.py`.
"""

import importlib.util
import inspect

from lmforge.errors import ConfigError
from lmforge.infer import Engine

QUANTIZE = ("auto", "none", "int8", "int4")
KV_BLOCK_KEYWORDS = ("num_kv_blocks", "kv_blocks", "num_blocks")


def build_engine(lm, quantize: str, max_batch: int, kv_blocks: int | None) -> Engine:
    if quantize not in QUANTIZE:
        raise ConfigError(f"--quantize must be one of {', '.join(QUANTIZE)}, got {quantize!r}")
    if quantize in ("int8", "int4"):
        _quantize(lm.model, quantize)
    kwargs = {"max_batch_size": max_batch}
    if kv_blocks is not None:
        accepted = inspect.signature(Engine.__init__).parameters
        keyword = next((k for k in KV_BLOCK_KEYWORDS if k in accepted), None)
        if keyword is None:
            raise ConfigError("--kv-blocks: this Engine keeps one dense cache row per "
                              "request and has no block pool to size; leave it out")
        kwargs[keyword] = kv_blocks
    return Engine(lm.model, lm.tokenizer, **kwargs)


def _quantize(model, kind: str) -> None:
    if importlib.util.find_spec("lmforge.model.quant") is None:
        raise ConfigError(f"--quantize {kind} needs lmforge.model.quant, which this build "
                          "does not have; use --quantize auto")
    from lmforge.model import quant  # noqa: PLC0415 - optional module

    fn = getattr(quant, "quantize_model", None) or getattr(quant, "quantize", None)
    if fn is None:
        raise ConfigError(f"--quantize {kind}: lmforge.model.quant has no quantize_model()")
    fn(model, kind)
