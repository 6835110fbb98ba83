"""The KV cache as the model sees it: a small per-layer interface, and a dense implementation.

At decode step t a causal model needs the keys and values of every earlier token. Keeping
them (instead of recomputing the whole prefix) turns each step from O(t) forward work into
O(1) new tokens plus one attention read of the cache.

Whoever owns the memory (the Engine's paged pool in `infer/kv_pool.py`, or the dense rows
below) hands the model a *view* for one forward. Attention asks it four things:

    cache.write(layer, k, v)       store this forward's new keys/values    k: (B, n_kv, T, D)
    k, v = cache.read(layer)       every key/value each sequence may see   (n_seq, n_kv, S, D)
    q = cache.queries(q)           the new queries, grouped by sequence    (n_seq, H, Tq, D)
    y = cache.outputs(y)           attention outputs back in input order   (B, H, T, D)
    cache.mask, cache.is_causal    which of the S keys each query sees     (n_seq, 1, Tq, S)
    y = cache.attend(layer, q, s)  softmax(q K^T s) V by the cache's own kernel, or None

so attention reads like the textbook and knows nothing of rows, blocks or slots. The mask
is built once per forward by the view (it knows the layout), not by the model.

`KVCache` here is the dense layout: one row of `capacity` slots per sequence, the token at
position p in slot p. Beam search uses it (reordering rows), and tests use it as the plain
reference the paged pool must match. Test: `pytest tests/model/test_kv_cache.py`.
"""

from typing import Protocol

import torch


class CacheView(Protocol):
    """What attention needs from a KV cache during one forward (see the module docstring)."""

    mask: torch.Tensor | None
    is_causal: bool

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None: ...
    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]: ...
    def queries(self, q: torch.Tensor) -> torch.Tensor: ...
    def outputs(self, y: torch.Tensor) -> torch.Tensor: ...
    def attend(self, layer: int, q: torch.Tensor, scale: float) -> torch.Tensor | None: ...


class KVCache:
    """Per-layer key/value tensors with one row of `capacity` slots per sequence."""

    def __init__(
        self,
        n_layer: int,
        batch_size: int,
        n_kv_head: int,
        head_dim: int,
        capacity: int,
        dtype: torch.dtype = torch.float32,
        device: torch.device | str = "cpu",
    ) -> None:
        shape = (batch_size, n_kv_head, capacity, head_dim)
        self.keys = [torch.zeros(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.values = [torch.zeros(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.capacity = capacity

    @classmethod
    def for_model(cls, model: torch.nn.Module, batch_size: int, capacity: int) -> "KVCache":
        """A cache shaped for `model` (its config), in its parameters' dtype and device."""
        c = model.config
        param = next(model.parameters())
        return cls(c.num_hidden_layers, batch_size, c.num_key_value_heads, c.head_dim,
                   capacity, param.dtype, param.device)

    @property
    def batch_size(self) -> int:
        return self.keys[0].shape[0]

    def view(self, positions: torch.Tensor, span: int | None = None) -> "DenseView":
        """The view for one forward whose tokens sit at `positions` (B, T), B == rows.

        span: how many slots attention reads (default: up to the largest position; pass it
        from the host to avoid a device sync). Positions must stay below `capacity`."""
        if span is None:
            span = int(positions.max()) + 1
        if not 0 < span <= self.capacity:
            raise ValueError(f"span {span} outside a cache of {self.capacity} slots")
        return DenseView(self, positions, span)

    def reorder(self, rows: torch.Tensor) -> None:
        """Keep/duplicate rows (beam search picks which hypotheses continue)."""
        self.keys = [k[rows] for k in self.keys]
        self.values = [v[rows] for v in self.values]


class DenseView:
    """One forward over rows 0..B-1 of a `KVCache`: token at position p goes to slot p,
    and a query at position p sees slots 0..p of its own row."""

    is_causal = False  # the mask below says it all

    def __init__(self, cache: KVCache, positions: torch.Tensor, span: int) -> None:
        self.cache, self.positions, self.span = cache, positions, span
        B = positions.shape[0]
        self.rows = torch.arange(B, device=positions.device)[:, None]  # (B, 1)
        slots = torch.arange(span, device=positions.device)
        self.mask = (slots[None, None, :] <= positions[:, :, None])[:, None]  # (B, 1, T, span)

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None:
        keys, values = self.cache.keys[layer], self.cache.values[layer]
        # advanced indexing puts the (B, T) index dims first: assign as (B, T, n_kv, D)
        keys[self.rows, :, self.positions] = k.transpose(1, 2).to(keys.dtype)
        values[self.rows, :, self.positions] = v.transpose(1, 2).to(values.dtype)

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        B = self.positions.shape[0]
        k, v = self.cache.keys[layer], self.cache.values[layer]
        return k[:B, :, : self.span], v[:B, :, : self.span]  # (B, n_kv, span, D)

    def queries(self, q: torch.Tensor) -> torch.Tensor:
        return q  # already one row per sequence

    def outputs(self, y: torch.Tensor) -> torch.Tensor:
        return y

    def attend(self, layer: int, q: torch.Tensor, scale: float) -> None:
        return None  # no kernel of its own: attention reads, then runs its formula
