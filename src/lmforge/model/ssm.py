"""The selective scan of a state-space model (Mamba; Gu & Dao 2023), written two ways.

Each of D channels carries a state h of N numbers. At every token t the state decays by
how much the input says to forget, takes in the new input, and is read out:

    h_t = exp(dt_t * A) * h_{t-1} + dt_t * B_t * u_t        (D, N): elementwise
    y_t = h_t . C_t                                          (D,):   sum over N

dt_t (the step size, > 0), B_t and C_t are computed from the token itself: that is what
makes the scan *selective* (S4 used fixed ones). A < 0, so exp(dt * A) lies in (0, 1):
a large step forgets the past and takes in the present; a small one keeps the past.

Written as a_t = exp(dt_t * A) and b_t = dt_t * B_t * u_t, the recurrence h_t = a_t h_{t-1}
+ b_t is linear, so steps compose associatively:

    (a1, b1) then (a2, b2)  =  (a1 * a2,  a2 * b1 + b2)

`sequential_scan` is the loop (the reference, and one step per token when decoding);
`parallel_scan` combines pairs 1, 2, 4, ... apart (Hillis & Steele 1986; for linear
recurrences Martin & Cundy 2018): log2(T) whole-tensor steps instead of T small ones.
Both give every state h_1..h_T, so training backpropagates through either.

Test: `pytest tests/model/test_mamba.py -k scan`.
"""

import torch


def discretize(u: torch.Tensor, dt: torch.Tensor, A: torch.Tensor, B: torch.Tensor
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """Continuous (A, B) and the step dt -> the recurrence's a_t, b_t, each (R, T, D, N).

    u, dt: (R, T, D) inputs and step sizes; A: (D, N), negative; B: (R, T, N)."""
    decay = torch.exp(dt[..., None] * A)  # (R, T, D, N): the share of h_{t-1} that stays
    inflow = dt[..., None] * B[:, :, None, :] * u[..., None]  # (R, T, D, N): what enters
    return decay, inflow


def sequential_scan(decay: torch.Tensor, inflow: torch.Tensor,
                    h0: torch.Tensor | None = None) -> torch.Tensor:
    """h_t = decay_t * h_{t-1} + inflow_t, one token at a time: every h_t, (R, T, D, N)."""
    h = torch.zeros_like(inflow[:, 0]) if h0 is None else h0  # (R, D, N)
    states = []
    # unbind once: indexing [:, t] T times would make backward fill T zero-tensors of the
    # whole (R, T, D, N) shape, one per slice (O(T^2) memory traffic; 75% of a step)
    for a_t, b_t in zip(decay.unbind(1), inflow.unbind(1), strict=True):
        h = a_t * h + b_t
        states.append(h)
    return torch.stack(states, dim=1)


def parallel_scan(decay: torch.Tensor, inflow: torch.Tensor,
                  h0: torch.Tensor | None = None) -> torch.Tensor:
    """The same states by log2(T) rounds of the associative combine (Hillis-Steele).

    After the round with offset s, position t holds the combined step of tokens
    t-2s+1..t: (product of their decays, the state they build from zero). Each round
    composes it with the step s places earlier, so after the last every position covers
    tokens 1..t, and its b is h_t."""
    a, b = decay, inflow
    if h0 is not None:  # the state carried in acts as extra inflow at the first token
        b = torch.cat([b[:, :1] + a[:, :1] * h0[:, None], b[:, 1:]], dim=1)
    T, s = b.shape[1], 1
    while s < T:
        # (a_early, b_early) then (a_t, b_t) = (a_early * a_t, a_t * b_early + b_t)
        b = torch.cat([b[:, :s], a[:, s:] * b[:, :-s] + b[:, s:]], dim=1)
        a = torch.cat([a[:, :s], a[:, s:] * a[:, :-s]], dim=1)
        s *= 2
    return b  # (R, T, D, N)


def selective_scan(u: torch.Tensor, dt: torch.Tensor, A: torch.Tensor, B: torch.Tensor,
                   C: torch.Tensor, h0: torch.Tensor | None = None, parallel: bool = True
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """Run the scan over T tokens from state h0 (zeros when None), in float32.

    u, dt: (R, T, D); A: (D, N); B, C: (R, T, N); h0: (R, D, N).
    Returns y (R, T, D) in u's dtype and the last state h_T (R, D, N), float32."""
    decay, inflow = discretize(u.float(), dt.float(), A.float(), B.float())
    scan = parallel_scan if parallel and u.shape[1] > 1 else sequential_scan
    states = scan(decay, inflow, None if h0 is None else h0.float())  # (R, T, D, N)
    y = (states * C.float()[:, :, None, :]).sum(-1)  # (R, T, D): read each state out
    return y.to(u.dtype), states[:, -1]
