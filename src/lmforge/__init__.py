"""lmforge: a complete, readable large-language-model system on PyTorch.

    import lmforge
    lm = lmforge.load("smollm2-135m-instruct")          # bundled GGUF, no network
    engine = lmforge.Engine(lm.model, lm.tokenizer)
    print(engine.generate("The capital of France is", lmforge.SamplingParams(max_tokens=8)))

Heavy modules load on first use, so `import lmforge` and `lmforge --help` stay fast.
"""

__version__ = "0.1.0"

_LAZY = {
    "load": ("lmforge.io.registry", "load"),
    "Engine": ("lmforge.infer.engine", "Engine"),
    "SamplingParams": ("lmforge.infer.params", "SamplingParams"),
    "ModelConfig": ("lmforge.model.config", "ModelConfig"),
    "Transformer": ("lmforge.model.transformer", "Transformer"),
    "Tokenizer": ("lmforge.tokenizer.tokenizer", "Tokenizer"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'lmforge' has no attribute {name!r}")


__all__ = list(_LAZY)
