"""The state pool: a Mamba model's recurrent states, where a Transformer's KV blocks would be.

A Transformer's cache grows a block at a time as a sequence grows; a state-space model's
does not grow at all: per layer and sequence, the last K-1 convolution inputs and the
scan state (model/mamba.py). So the pool holds `num_slots` fixed-size states per layer,

    conv[layer]: (num_slots, D, K-1)  in the model's dtype
    ssm[layer]:  (num_slots, D, N)    float32, as the scan computes it

and the Engine runs the block manager (block_manager.py) unchanged with a block that spans
a whole context (block_size = max_seq_len): every sequence holds exactly one block, and the
block's id is its state's slot. Admission, freeing on finish or abort, preemption (its
tokens are recomputed from a fresh state) and the scheduler's seat count all work as for
KV blocks; nothing above the runner knows which family it serves. What does not carry over
is anything that rewinds a cache: a state cannot drop its last k tokens (speculative
decoding) or share a prefix block, so those are refused for recurrent models
(requests.py; a prefix hit needs a full block, which a whole-context block never is).

For one forward the runner builds a `StateView` (what the mixer reads and writes):
which slot each sequence of the flat batch uses, whether it starts fresh (its first
token: the slot may hold a finished sequence's state), and how many tokens it brings.

Test: `pytest tests/infer/test_mamba_engine.py`.
"""

from dataclasses import dataclass

import torch


class StatePool:
    """Fixed-size recurrent states for all layers, one slot per block id."""

    def __init__(self, n_layer: int, num_slots: int, channels: int, conv_width: int,
                 state_size: int, dtype: torch.dtype, device: torch.device) -> None:
        self.num_slots = num_slots
        self.conv = [torch.zeros(num_slots, channels, conv_width, dtype=dtype, device=device)
                     for _ in range(n_layer)]
        self.ssm = [torch.zeros(num_slots, channels, state_size, device=device)
                    for _ in range(n_layer)]
        self.decode_plan = None  # model/backend.py's prepare: no C decode step for these

    @classmethod
    def for_model(cls, model: torch.nn.Module, num_slots: int) -> "StatePool":
        c = model.config
        param = next(model.parameters())
        return cls(c.num_hidden_layers, num_slots, c.intermediate_size, c.conv_kernel - 1,
                   c.state_size, param.dtype, param.device)

    @staticmethod
    def bytes_per_sequence(model: torch.nn.Module) -> int:
        """One sequence's state over all layers: the same at any context length."""
        c = model.config
        itemsize = next(model.parameters()).element_size()
        per_layer = c.intermediate_size * ((c.conv_kernel - 1) * itemsize + c.state_size * 4)
        return c.num_hidden_layers * per_layer

    def view(self, slots: list[int], fresh: list[bool], lengths: list[int]) -> "StateView":
        device = self.ssm[0].device
        return StateView(self, torch.tensor(slots, device=device),
                         torch.tensor(fresh, device=device)[:, None, None], lengths)


@dataclass(slots=True)
class StateView:
    """One forward's view of the pool: the `StateView` protocol of model/mamba.py."""

    pool: StatePool
    slots: torch.Tensor  # (n_seq,) the slot (block id) of each sequence, in batch order
    fresh: torch.Tensor  # (n_seq, 1, 1) True where a sequence starts at its first token
    lengths: list[int]  # tokens each sequence brings, one after another in the flat batch
    layout: str = "state"  # for the runner's `last_layout`
    decode_plan: None = None  # the Stack asks; no fused decode for recurrent blocks

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(n_seq, D, K-1) and (n_seq, D, N) states; zeros for fresh sequences (a slot keeps
        whatever its last owner left)."""
        conv = self.pool.conv[layer].index_select(0, self.slots)
        ssm = self.pool.ssm[layer].index_select(0, self.slots)
        return conv.masked_fill(self.fresh, 0), ssm.masked_fill(self.fresh, 0)

    def write(self, layer: int, conv: torch.Tensor, ssm: torch.Tensor) -> None:
        self.pool.conv[layer].index_copy_(0, self.slots, conv.to(self.pool.conv[layer].dtype))
        self.pool.ssm[layer].index_copy_(0, self.slots, ssm.float())
