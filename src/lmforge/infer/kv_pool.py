"""The KV pool: every layer's keys and values, stored as fixed-size blocks of token slots.

    keys[layer]: (num_blocks * block_size + block_size, n_kv_head, head_dim), in the model's
                  dtype or, to halve the memory, fp16 (Engine(kv_dtype=torch.float16))
                  slot = block_id * block_size + offset;   the last block is all zeros

Which blocks belong to which sequence is the block manager's business (block_manager.py);
the pool only stores. For one forward the model runner (model_runner.py) builds a
`PagedView`, which is what attention sees (the `CacheView` interface of
model/kv_cache.py):

    write(layer, k, v)   k (1, n_kv, N, D): the N new tokens of the step, all sequences
                         flattened; written to `slot_mapping` (N,)
    read(layer)          gathers each sequence's slots, `key_slots` (n_seq, S), into
                         (n_seq, n_kv, S, D); padding past a short sequence reads the zero
                         block and is masked
    queries / outputs    regroup the flat queries (1, H, N, D) as (n_seq, H, Tq, D) and back

Gathering a sequence's blocks per layer is a copy of its keys (small next to the weights a
decode step reads); the step's other tensors are built once and shared by all layers.

Test: `pytest tests/infer/test_paged.py`.
"""

from dataclasses import dataclass

import torch

from lmforge.model import cpu_kernels
from lmforge.model.backend import backend


class KVPool:
    """Block storage for all layers, in the model's dtype and device."""

    def __init__(self, n_layer: int, num_blocks: int, block_size: int, n_kv_head: int,
                 head_dim: int, dtype: torch.dtype, device: torch.device,
                 compute_dtype: torch.dtype | None = None) -> None:
        """dtype: how keys/values are stored (fp16 halves the memory); compute_dtype: the
        model's, which attention reads them back in (default: dtype)."""
        self.num_blocks, self.block_size = num_blocks, block_size
        self.compute_dtype = compute_dtype or dtype
        slots = (num_blocks + 1) * block_size  # + one zero block that padding reads
        shape = (slots, n_kv_head, head_dim)
        # empty, not zeros: pages are touched (and count as memory) only once written
        self.keys = [torch.empty(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.values = [torch.empty(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.zero_slot = num_blocks * block_size
        self.decode_plan = None  # the model's blocks as one C decode step (model/backend.py)
        for t in (*self.keys, *self.values):
            t[self.zero_slot :].zero_()

    @classmethod
    def for_model(cls, model: torch.nn.Module, num_blocks: int, block_size: int,
                  dtype: torch.dtype | None = None) -> "KVPool":
        c = model.config
        param = next(model.parameters())
        return cls(c.num_hidden_layers, num_blocks, block_size, c.num_key_value_heads,
                   c.head_dim, dtype or param.dtype, param.device, param.dtype)

    @staticmethod
    def bytes_per_token(model: torch.nn.Module) -> int:
        c = model.config
        itemsize = next(model.parameters()).element_size()
        return 2 * c.num_hidden_layers * c.num_key_value_heads * c.head_dim * itemsize


@dataclass(slots=True)
class PagedView:
    """One forward's view of the pool (see the module docstring); built by the runner."""

    pool: KVPool
    slot_mapping: torch.Tensor  # (N,) where each new token's key/value goes
    key_slots: torch.Tensor  # (n_seq, S) the slots of each sequence's keys, padded
    mask: torch.Tensor | None  # (n_seq, 1, Tq, S) bool, or None when every key is visible
    is_causal: bool  # one sequence, no cached prefix: SDPA's own causal mask (T == S)
    layout: str  # "one" sequence, "decode" (one query each) or "ragged"
    query_index: torch.Tensor | None  # ragged: (n_seq, Tq) flat index of each query
    output_index: torch.Tensor | None  # ragged: (N,) index of each token in (n_seq * Tq)
    decode_lengths: torch.Tensor | None = None  # (n_seq,) keys each sees, when one query each

    def attend(self, layer: int, q: torch.Tensor, scale: float) -> torch.Tensor | None:
        """Decode attention on the CPU by the paged kernel (model/cpu_kernels.py): keys and
        values read in place through the slot lists, no gathered copy. q (1, H, N, D) ->
        (1, H, N, D); None where it does not apply (prefill, GPU, other dtypes, no compiler)."""
        keys, values = self.pool.keys[layer], self.pool.values[layer]
        if self.decode_lengths is None or not backend.paged_attention_applies(q, keys):
            return None
        queries = q[0].transpose(0, 1).contiguous()  # (N, H, D): sequence i's query is row i
        y = cpu_kernels.paged_attention_decode(queries, keys, values, self.key_slots,
                                               self.decode_lengths, scale)
        return y.transpose(0, 1)[None]

    @property
    def decode_plan(self):
        """The pool's prepared decode plan (model/backend.py `prepare`), for decode steps."""
        return self.pool.decode_plan if self.decode_lengths is not None else None

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> None:
        """k, v (1, n_kv, N, D) -> the N slots of slot_mapping."""
        keys, values = self.pool.keys[layer], self.pool.values[layer]
        keys.index_copy_(0, self.slot_mapping, k[0].transpose(0, 1).to(keys.dtype))
        values.index_copy_(0, self.slot_mapping, v[0].transpose(0, 1).to(values.dtype))

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(n_seq, n_kv, S, D) keys and values of every sequence in the step."""
        n_seq, S = self.key_slots.shape
        flat = self.key_slots.view(-1)
        dtype = self.pool.compute_dtype
        k = self.pool.keys[layer].index_select(0, flat).to(dtype)  # (n_seq * S, n_kv, D)
        v = self.pool.values[layer].index_select(0, flat).to(dtype)
        return (k.view(n_seq, S, *k.shape[1:]).transpose(1, 2),
                v.view(n_seq, S, *v.shape[1:]).transpose(1, 2))

    def queries(self, q: torch.Tensor) -> torch.Tensor:
        """(1, H, N, D) flat queries -> (n_seq, H, Tq, D), one row per sequence."""
        if self.layout == "one":
            return q
        if self.layout == "decode":
            return q.transpose(0, 2)  # (N, H, 1, D): sequence i's one query is token i
        n_seq, Tq = self.query_index.shape
        grouped = q[0].index_select(1, self.query_index.view(-1))  # (H, n_seq * Tq, D)
        return grouped.view(q.shape[1], n_seq, Tq, -1).transpose(0, 1)

    def outputs(self, y: torch.Tensor) -> torch.Tensor:
        """Inverse of `queries`: (n_seq, H, Tq, D) -> (1, H, N, D), padding dropped."""
        if self.layout == "one":
            return y
        if self.layout == "decode":
            return y.transpose(0, 2)
        H = y.shape[1]
        flat = y.transpose(0, 1).reshape(H, -1, y.shape[-1])  # (H, n_seq * Tq, D)
        return flat.index_select(1, self.output_index)[None]
