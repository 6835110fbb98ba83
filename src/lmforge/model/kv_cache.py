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

For continuous batching the Engine hands the model a `view(start, stop, span)`: rows
start..stop-1 and slots 0..span-1 of the same storage. New requests are prefilled into free
rows while the running ones sit untouched in theirs, and attention reads only the `span`
slots in use, not the whole capacity.
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

    def update(
        self, layer: int, k: torch.Tensor, v: torch.Tensor, positions: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Write k, v (B, n_kv, T, D) at slots `positions` (B, T); return the whole layer.

        The caller keeps positions below `capacity` (the Engine reserves slots before each
        step); checking here would cost a GPU->CPU sync in every layer of every step.
        """
        rows = torch.arange(k.shape[0], device=k.device)[:, None]  # (B, 1)
        # advanced indexing puts the (B, T) index dims first: assign as (B, T, n_kv, D)
        self.keys[layer][rows, :, positions] = k.transpose(1, 2).to(self.keys[layer].dtype)
        self.values[layer][rows, :, positions] = v.transpose(1, 2).to(self.values[layer].dtype)
        return self.keys[layer][: k.shape[0]], self.values[layer][: k.shape[0]]

    def key_positions(self, batch_size: int) -> torch.Tensor:
        """Position held by each slot, (B, capacity), for the attention mask."""
        return self.slot_positions.expand(batch_size, -1)

    def view(self, start: int, stop: int, span: int | None = None) -> "KVCache":
        """Rows start..stop-1 and slots 0..span-1, sharing storage: writes land in self."""
        span = self.capacity if span is None else span
        if not (0 <= start < stop <= self.batch_size and 0 < span <= self.capacity):
            raise ValueError(f"view rows {start}:{stop}, span {span} outside cache of "
                             f"{self.batch_size} rows x {self.capacity} slots")
        view = KVCache.__new__(KVCache)
        view.keys = [k[start:stop, :, :span] for k in self.keys]  # slices are views
        view.values = [v[start:stop, :, :span] for v in self.values]
        view.capacity = span
        view.slot_positions = self.slot_positions[:span]
        return view

    def copy_row(self, src: int, dst: int) -> None:
        """Copy one sequence's keys/values to another row (the Engine keeps rows packed)."""
        for k, v in zip(self.keys, self.values, strict=True):
            k[dst] = k[src]
            v[dst] = v[src]

    def grow(self, capacity: int) -> None:
        """Enlarge every row to `capacity` slots, keeping what is stored (memory on demand)."""
        if capacity <= self.capacity:
            return
        def grown(t: torch.Tensor) -> torch.Tensor:
            new = t.new_zeros(t.shape[0], t.shape[1], capacity, t.shape[3])
            new[:, :, : self.capacity] = t
            return new
        self.keys = [grown(k) for k in self.keys]
        self.values = [grown(v) for v in self.values]
        self.capacity = capacity
        self.slot_positions = torch.arange(capacity, device=self.slot_positions.device)

    def reorder(self, rows: torch.Tensor) -> None:
        """Keep/duplicate rows (beam search picks which hypotheses continue)."""
        self.keys = [k[rows] for k in self.keys]
        self.values = [v[rows] for v in self.values]
