"""Lesson 5, attention: which earlier tokens each token draws its meaning from.

In every layer each head turns each token into a query and every token into a key; the
softmax of their scaled dot products (a row summing to 1) says how much of each token's
value the head mixes in. In "他把香蕉给了猴子，因为它很饿" some head should lead 它 ("it") to
猴子 ("the monkey"): that is coreference, learned from data. The weights come from
`viz attention` (viz/attention.py): the model's explicit attention path, the very matrix
that multiplies V.

    attention_lesson(model, tokenizer, "他把香蕉给了猴子，因为它很饿", layer=10)
      -> {"text", "tokens", "n_layers", "n_heads", "layer",
          "heads": [(T, T) per head], "average": (T, T)}     rows: the token attending

Test: `pytest tests/learn/test_inside.py`.
"""

from lmforge.errors import ConfigError
from lmforge.viz.attention import attention_maps

EXAMPLES = ["他把香蕉给了猴子，因为它很饿。",  # the course's example, and its English twin
            "The man gave the monkey a banana because it was hungry."]
MAX_TOKENS = 64  # a T x T picture wider than this is unreadable in the tab
DIGITS = 5


def attention_lesson(model, tokenizer, text: str, layer: int | None = None) -> dict:
    """One layer's attention weights for `text`: every head's and their average. The
    default layer is the middle one."""
    result = attention_maps(model, tokenizer, text, max_tokens=MAX_TOKENS)
    n_layers, n_heads = result.maps.shape[:2]
    if layer is None:
        layer = n_layers // 2
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < n_layers:
        raise ConfigError(f"layer={layer!r} is invalid: this model's layers are "
                          f"0..{n_layers - 1}")
    maps = result.maps[layer]  # (H, T, T)

    def rounded(matrix) -> list[list[float]]:
        return [[round(w, DIGITS) for w in row] for row in matrix.tolist()]

    return {"text": text, "tokens": result.tokens, "ids": result.ids, "n_layers": n_layers,
            "n_heads": n_heads, "layer": layer, "heads": [rounded(m) for m in maps],
            "average": rounded(maps.mean(dim=0))}
