"""The KV cache view the model reads and writes during generation.

At decode step t a causal model needs the keys and values of every earlier token. Keeping
them (instead of recomputing the whole prefix) turns each step from O(t) forward work into
O(1) new tokens plus one attention read of the cache.

This cache gives each sequence of a batch its own row of `capacity` slots. A token at
position p is written to slot p, and a query at position p may read slots 0..p. That one
rule handles prompts of different lengths with no padding mask: padding written past a
short prompt sits in slots that its later queries overwrite before they can see them.
The Engine owns the cache; the model only calls `update` on the view it is handed.

    keys of layer l:  (batch, n_kv_head, capacity, head_dim)
"""

import torch


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
        self.slot_positions = torch.arange(capacity, device=device)  # slot i holds position i

    @property
    def batch_size(self) -> int:
        return self.keys[0].shape[0]

    def update(
        self, layer: int, k: torch.Tensor, v: torch.Tensor, positions: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Write k, v (B, n_kv, T, D) at slots `positions` (B, T); return the whole layer."""
        if int(positions.max()) >= self.capacity:
            raise ValueError(f"position {int(positions.max())} beyond cache capacity "
                             f"{self.capacity}")
        rows = torch.arange(k.shape[0], device=k.device)[:, None]  # (B, 1)
        # advanced indexing puts the (B, T) index dims first: assign as (B, T, n_kv, D)
        self.keys[layer][rows, :, positions] = k.transpose(1, 2).to(self.keys[layer].dtype)
        self.values[layer][rows, :, positions] = v.transpose(1, 2).to(self.values[layer].dtype)
        return self.keys[layer][: k.shape[0]], self.values[layer][: k.shape[0]]

    def key_positions(self, batch_size: int) -> torch.Tensor:
        """Position held by each slot, (B, capacity), for the attention mask."""
        return self.slot_positions.expand(batch_size, -1)

    def reorder(self, rows: torch.Tensor) -> None:
        """Keep/duplicate rows (beam search picks which hypotheses continue)."""
        self.keys = [k[rows] for k in self.keys]
        self.values = [v[rows] for v in self.values]
