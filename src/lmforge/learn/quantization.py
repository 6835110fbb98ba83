"""Lesson 9, what quantization costs: fewer bytes per weight, a little less accuracy.

The same model is loaded as `generate --dtype ... --quantize ...` loads it (io/registry.py)
at each setting: fp32 (4 bytes a weight), bf16 and fp16 (2), int8 per channel (~1),
int4 in groups of 32 (~0.5 plus a scale per group), and a quantized GGUF file's own blocks
(the bundled SmolLM2 ships as Q4_1). For each: the bytes its weights take, the perplexity
of a held-out text (eval/perplexity.py, the function `lmforge eval perplexity` runs), and,
against fp32 at each position of the text, the KL divergence of the next-token
distributions and how often the most likely token stays the same (the numbers llama.cpp's
perplexity tool reports for its quantizations).

    quantization_costs("smollm2-135m-instruct")
      -> {"source", "tokens", "settings": [{"name", "bytes", "bytes_per_weight",
          "perplexity", "kl", "top1_agreement"}, ...]}

Loading a model six times takes time (about half a minute for SmolLM2 on two cores).
Test: `pytest tests/learn/test_quantization.py`.
"""

import gc

import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.eval.perplexity import perplexity
from lmforge.io.registry import load, resolve

SETTINGS = {  # name -> (compute dtype, the loader's quantize mode)
    "fp32": (torch.float32, "none"), "bf16": (torch.bfloat16, "none"),
    "fp16": (torch.float16, "none"), "int8": (torch.float32, "int8"),
    "int4": (torch.float32, "int4"), "GGUF blocks": (torch.float32, "auto"),
}
CONTEXT = 256  # tokens per window: the held-out text below is about this long

# Written for this lesson, so no model has seen it in training.
HELD_OUT = (
    "The lighthouse keeper counted the ships by their lanterns, green for the ones heading "
    "north and red for the ones coming home. On the night of the storm she counted eleven "
    "green lights and only nine red ones, and she walked down to the harbour to tell the "
    "harbour master that two boats were still out at sea. He listened, looked at the sky, "
    "and sent the rescue crew before the rain reached the cliffs. By morning both boats were "
    "tied to the pier, their nets torn but their crews safe, and the keeper went back to "
    "her notebook to write down the numbers, as she had done every night for thirty years. "
    "Nobody in the village remembered who had taught her to count the lights, and she never "
    "said; she only told the children that a number written down is a promise kept."
)


def quantization_costs(source: str, text: str = HELD_OUT, settings: list[str] | None = None
                       ) -> dict:
    """Size, perplexity and closeness to fp32 of `source` at each setting (docstring)."""
    names = settings or [n for n in SETTINGS if n != "GGUF blocks" or is_gguf(source)]
    unknown = [n for n in names if n not in SETTINGS]
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r}; the settings are "
                          f"{', '.join(SETTINGS)}")
    reference = load(source, torch.float32, quantize="none")
    ids = reference.tokenizer.encode(text, add_special=False, parse_special=False)
    context = min(CONTEXT, reference.model.config.max_position_embeddings)
    ref_logprobs = next_token_logprobs(reference.model, ids[:context])
    rows = [measure(reference, "fp32", text, ids[:context], ref_logprobs, context)
            if name == "fp32" else None for name in names]
    del reference
    for i, name in enumerate(names):
        if rows[i] is None:
            dtype, quantize = SETTINGS[name]
            lm = load(source, dtype, quantize=quantize)
            rows[i] = measure(lm, name, text, ids[:context], ref_logprobs, context)
            del lm
            gc.collect()  # one model at a time in memory
    return {"source": source, "tokens": len(ids), "context": context, "settings": rows}


def is_gguf(source: str) -> bool:
    return resolve(source).suffix == ".gguf"


def measure(lm, name: str, text: str, window: list[int], ref_logprobs: torch.Tensor,
            context: int) -> dict:
    """One setting's row of the table."""
    n_bytes, n_weights = weight_bytes(lm.model)
    logprobs = next_token_logprobs(lm.model, window)  # (T-1, V)
    # KL(fp32 || setting) per position, then the mean: how far its distributions moved
    kl = F.kl_div(logprobs, ref_logprobs, log_target=True, reduction="none").sum(-1)
    same = logprobs.argmax(-1) == ref_logprobs.argmax(-1)
    result = perplexity(lm.model, lm.tokenizer, text, context, context)
    return {"name": name, "bytes": n_bytes, "bytes_per_weight": n_bytes / n_weights,
            "perplexity": result.perplexity, "kl": kl.mean().item(),
            "top1_agreement": same.float().mean().item()}


@torch.inference_mode()
def next_token_logprobs(model, ids: list[int]) -> torch.Tensor:
    """(T-1, V) float32 log-probabilities of the next token at each position of ids."""
    hidden = model(torch.tensor([ids]))[0, :-1]
    return F.log_softmax(model.logits(hidden).float(), dim=-1)


def weight_bytes(model) -> tuple[int, int]:
    """Bytes of the model's parameters and buffers (quantized codes and scales included),
    each tensor once, and how many weights they encode."""
    from lmforge.model.quant import QuantizedLinear

    seen, n_bytes = set(), 0
    for t in [*model.parameters(), *model.buffers()]:
        if id(t) not in seen:
            seen.add(id(t))
            n_bytes += t.numel() * t.element_size()
    n_weights = sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
    for module in {id(m): m for m in model.modules()}.values():
        if isinstance(module, QuantizedLinear):
            n_weights += module.in_features * module.out_features
    return n_bytes, n_weights
