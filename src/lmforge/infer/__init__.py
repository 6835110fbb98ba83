"""Inference: the Engine (scheduler, paged KV cache, batched sampler, beam search), chats on
it (chat_session.py) and the chat defaults every entry point starts from (defaults.py).

The names below load on first use, so `lmforge.infer.defaults` and `lmforge.infer.params`
import without torch (the CLI reads the chat defaults while `lmforge --help` stays fast).
"""

_LAZY = {
    "Completion": "lmforge.infer.engine",
    "Engine": "lmforge.infer.engine",
    "StreamEvent": "lmforge.infer.engine",
    "SamplingParams": "lmforge.infer.params",
    "TokenLogprob": "lmforge.infer.sequence",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lmforge.infer' has no attribute {name!r}")


__all__ = list(_LAZY)
