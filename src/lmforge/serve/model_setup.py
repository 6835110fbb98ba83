"""Build the Engine the server drives, from the CLI's --max-batch and --kv-blocks.

`--kv-blocks` sizes the paged KV pool when the Engine has one (its keyword is looked up
on the Engine, which grows a block pool in the fast-engine work). Quantization happens at
load time (`lmforge.load(..., quantize=)`), before the Engine sees the model.

Test: `pytest tests/serve/test_cli.py`.
"""

import inspect

from lmforge.errors import ConfigError
from lmforge.infer import Engine

KV_BLOCK_KEYWORDS = ("num_kv_blocks", "kv_blocks", "num_blocks")


def engine_options(max_batch: int, kv_blocks: int | None) -> dict:
    """The Engine's keyword arguments, checked before any model is loaded."""
    kwargs = {"max_batch_size": max_batch}
    if kv_blocks is not None:
        accepted = inspect.signature(Engine.__init__).parameters
        keyword = next((k for k in KV_BLOCK_KEYWORDS if k in accepted), None)
        if keyword is None:
            raise ConfigError("--kv-blocks: this Engine keeps one dense cache row per "
                              "request and has no block pool to size; leave it out")
        kwargs[keyword] = kv_blocks
    return kwargs
