"""The sampler: from a batch of next-token logits to one chosen token per row.

Each row carries its own settings as tensors, so the whole batch is processed at once:

    logits (B, V)
      -> logits processors   per-request callables fn(output_ids, logits (V,)) (grammar masks);
                             only rows that have them pay a Python call
      -> repetition penalty  CTRL (Keskar et al. 2019): divide positive / multiply negative
                             logits of tokens already seen in prompt or output
      -> frequency/presence  OpenAI: logit -= count * frequency + (count > 0) * presence,
                             count = times the token was generated (output only)
      -> temperature         logits / T   (T = 0 rows are greedy: argmax, no randomness)
      -> top-k               keep the k largest logits
      -> top-p (nucleus)     keep the smallest set of tokens whose mass >= p (Holtzman 2019)
      -> min-p               drop tokens with prob < min_p * (largest prob)
      -> draw                inverse-CDF with one uniform number per row from that row's
                             own torch.Generator, so a seeded request gets the same tokens
                             whatever else shares its batch

Logprobs are those of the model's raw distribution, log_softmax(logits) BEFORE any of the
processing above (vLLM's default), so they score the text under the model itself.

`draw_distribution` returns one request's distribution after this same pipeline, so a
display (the Learn lessons, lmforge/learn/) shows exactly what `sample` draws from.

Test: `pytest tests/infer/test_sampler.py`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from lmforge.errors import SamplingError
from lmforge.infer.params import SamplingParams

NUCLEUS_TOLERANCE = 1e-6  # float32 softmax sums are inexact: 0.5 + 0.3 may read 0.79999995


@dataclass
class SamplingTensors:
    """Per-row sampling settings of one batch, as (B,) tensors on the logits' device."""

    temperature: torch.Tensor  # float, 0 for greedy rows
    top_k: torch.Tensor  # long, V for "no limit"
    top_p: torch.Tensor  # float
    min_p: torch.Tensor  # float
    repetition_penalty: torch.Tensor  # float, 1 for "off"
    frequency_penalty: torch.Tensor  # float, 0 for "off"
    presence_penalty: torch.Tensor  # float, 0 for "off"
    sampled_rows: list[int] | None = None
    """Host copies of which rows sample and which filters any row uses, so the sampler
    never reads a device tensor back to decide what to run (None: derive from tensors)."""
    uses: frozenset[str] = frozenset({"repetition", "top_k", "top_p", "min_p"})

    @classmethod
    def from_params(
        cls, params: Sequence[SamplingParams], vocab_size: int, device: torch.device | str
    ) -> "SamplingTensors":
        def tensor(values, dtype=torch.float32):
            return torch.tensor(values, dtype=dtype, device=device)

        return cls(
            temperature=tensor([p.temperature for p in params]),
            top_k=tensor([min(p.top_k or vocab_size, vocab_size) for p in params], torch.long),
            top_p=tensor([p.top_p for p in params]),
            min_p=tensor([p.min_p for p in params]),
            repetition_penalty=tensor([p.repetition_penalty for p in params]),
            frequency_penalty=tensor([p.frequency_penalty for p in params]),
            presence_penalty=tensor([p.presence_penalty for p in params]),
            sampled_rows=[i for i, p in enumerate(params) if p.temperature > 0],
            uses=frozenset(name for name, used in (
                ("repetition", any(p.repetition_penalty != 1 for p in params)),
                ("top_k", any(p.top_k is not None and p.top_k < vocab_size for p in params)),
                ("top_p", any(p.top_p < 1 for p in params)),
                ("min_p", any(p.min_p > 0 for p in params))) if used),
        )


@dataclass
class SampleOutput:
    """What the sampler picked, with logprobs under the model's raw distribution."""

    token_ids: torch.Tensor  # (B,) long
    logprobs: torch.Tensor  # (B,) logprob of each chosen token
    top_ids: torch.Tensor  # (B, n) the n most likely tokens, most likely first
    top_logprobs: torch.Tensor  # (B, n)


def apply_repetition_penalty(
    logits: torch.Tensor, seen: torch.Tensor, penalty: torch.Tensor
) -> torch.Tensor:
    """CTRL penalty: for tokens in `seen` (B, V bool), logit / p if positive, logit * p if not.

    Dividing a positive or multiplying a negative logit both lower it when p > 1.
    """
    p = penalty[:, None]
    penalised = torch.where(logits > 0, logits / p, logits * p)
    return torch.where(seen, penalised, logits)


def apply_frequency_presence(
    logits: torch.Tensor, counts: torch.Tensor, frequency: torch.Tensor, presence: torch.Tensor
) -> torch.Tensor:
    """OpenAI's penalties: logit[j] -= counts[j] * frequency + (counts[j] > 0) * presence.

    counts (B, V) float: how often each token was generated so far (not the prompt)."""
    return logits - counts * frequency[:, None] - (counts > 0) * presence[:, None]


def token_counts(histories: Sequence[Sequence[int]], vocab_size: int,
                 device: torch.device | str) -> torch.Tensor:
    """(B, V) float: how often each token id occurs in each row's history."""
    counts = torch.zeros(len(histories), vocab_size, device=device)
    for row, ids in enumerate(histories):
        if ids:
            index = torch.tensor(ids, device=device)
            counts[row].index_add_(0, index, torch.ones(len(ids), device=device))
    return counts


RowProcessors = tuple[list[int], list[Callable]] | None
"""One row's (output_ids, logits processors), or None for a row without processors."""


def apply_logits_processors(logits: torch.Tensor, rows: Sequence[RowProcessors]) -> torch.Tensor:
    """Call each row's processors on its float32 logits (V,), in order."""
    logits = logits.float().clone()
    V = logits.shape[-1]
    for i, row in enumerate(rows):
        if row is None:
            continue
        output_ids, processors = row
        for fn in processors:
            out = fn(list(output_ids), logits[i])
            if not isinstance(out, torch.Tensor) or out.shape != (V,):
                shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
                raise SamplingError(f"logits processor {fn!r} returned {shape}; it must "
                                    f"return a tensor of shape ({V},)")
            logits[i] = out
    return logits


def apply_top_k(logits: torch.Tensor, top_k: torch.Tensor) -> torch.Tensor:
    """Keep each row's k largest logits (ties with the k-th are kept); others become -inf."""
    sorted_logits = logits.sort(dim=-1, descending=True).values
    kth = sorted_logits.gather(-1, (top_k - 1)[:, None])  # (B, 1) the k-th largest logit
    return logits.masked_fill(logits < kth, float("-inf"))


def apply_top_p(logits: torch.Tensor, top_p: torch.Tensor) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose probability mass reaches top_p."""
    sorted_logits, order = logits.sort(dim=-1, descending=True)
    probs = sorted_logits.softmax(dim=-1)
    mass_before = probs.cumsum(dim=-1) - probs  # mass of the tokens ranked above each token
    # a token is needed while the tokens above it hold less than p; the top token always is
    drop_sorted = mass_before >= top_p[:, None] - NUCLEUS_TOLERANCE
    drop_sorted[:, 0] = False
    drop_sorted &= (top_p < 1)[:, None]  # p = 1 keeps everything, tolerance or not
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)  # back to vocab order
    return logits.masked_fill(drop, float("-inf"))


def apply_min_p(logits: torch.Tensor, min_p: torch.Tensor) -> torch.Tensor:
    """Drop tokens whose probability is below min_p times the row's largest probability."""
    probs = logits.softmax(dim=-1)
    threshold = min_p[:, None] * probs.max(dim=-1, keepdim=True).values
    return logits.masked_fill(probs < threshold, float("-inf"))


def process_logits(
    logits: torch.Tensor, settings: SamplingTensors, seen: torch.Tensor | None = None,
    counts: torch.Tensor | None = None,
) -> torch.Tensor:
    """Apply penalties, temperature, top-k, top-p and min-p; return the logits to draw from.

    seen (B, V) bool: tokens in prompt or output (repetition penalty); counts (B, V) float:
    generated-token counts (frequency/presence). Either may be None when no row needs it."""
    logits = logits.float()
    if seen is not None and "repetition" in settings.uses:
        logits = apply_repetition_penalty(logits, seen, settings.repetition_penalty)
    if counts is not None:
        logits = apply_frequency_presence(logits, counts, settings.frequency_penalty,
                                          settings.presence_penalty)
    # greedy rows divide by 1: their argmax is taken from the penalised logits anyway
    if settings.sampled_rows is None or settings.sampled_rows:
        temperature = torch.where(settings.temperature > 0, settings.temperature, 1.0)
        logits = logits / temperature[:, None]
    # each filter runs only when some row asks for it
    if "top_k" in settings.uses:
        logits = apply_top_k(logits, settings.top_k)
    if "top_p" in settings.uses:
        logits = apply_top_p(logits, settings.top_p)
    if "min_p" in settings.uses:
        logits = apply_min_p(logits, settings.min_p)
    return logits


def argmax(logits: torch.Tensor) -> torch.Tensor:
    """Row-wise argmax (the first of equal maxima). On the CPU through numpy: torch's CPU
    argmax over a 49k vocabulary takes ~70 us, numpy's ~4 us (measured 2026-12-01)."""
    if logits.device.type == "cpu" and logits.dtype == torch.float32:
        return torch.from_numpy(logits.detach().contiguous().numpy().argmax(-1))
    return logits.argmax(dim=-1)


def draw(probs: torch.Tensor, generators: Sequence[torch.Generator | None]) -> torch.Tensor:
    """One token per row by inverse CDF: a uniform u from the row's generator picks the
    first token whose cumulative probability exceeds u. Zero-probability tokens add no
    width to the CDF, so they can never be picked."""
    u = torch.stack([
        torch.rand((), generator=g, device=probs.device) for g in generators
    ])  # (B,) the only per-row Python: each request's own random stream
    cdf = probs.cumsum(dim=-1)  # (B, V)
    token = torch.searchsorted(cdf, (u * cdf[:, -1])[:, None], right=True)  # (B, 1)
    return token.squeeze(-1).clamp_(max=probs.shape[-1] - 1)


def sample(
    logits: torch.Tensor,
    settings: SamplingTensors,
    generators: Sequence[torch.Generator | None],
    seen: torch.Tensor | None = None,
    num_top_logprobs: int = 0,
    counts: torch.Tensor | None = None,
    processors: Sequence[RowProcessors] | None = None,
) -> SampleOutput:
    """Choose one token per row of logits (B, V); greedy rows (temperature 0) take argmax.

    processors: per row, None or (output_ids, callables) applied first (see module doc)."""
    raw_logprobs = logits.float().log_softmax(dim=-1)  # the model's own distribution
    if processors is not None and any(row is not None for row in processors):
        logits = apply_logits_processors(logits, processors)
    processed = process_logits(logits, settings, seen, counts)
    token_ids = argmax(processed)
    rows = settings.sampled_rows
    if rows is None:
        rows = (settings.temperature > 0).nonzero().squeeze(-1).tolist()
    if len(rows) == logits.shape[0]:
        token_ids = draw(processed.softmax(dim=-1), generators)
    elif rows:
        index = torch.tensor(rows, device=logits.device)
        token_ids[index] = draw(processed[index].softmax(dim=-1), [generators[i] for i in rows])
    chosen = raw_logprobs.gather(-1, token_ids[:, None]).squeeze(-1)
    top = raw_logprobs.topk(num_top_logprobs, dim=-1)  # sorted, most likely first
    return SampleOutput(token_ids, chosen, top.indices, top.values)


def draw_distribution(logits: torch.Tensor, params: SamplingParams,
                      token_ids: Sequence[int] = (), output_ids: Sequence[int] = ()
                      ) -> torch.Tensor:
    """(V,) the probabilities `sample` draws one request's next token from (0: never drawn),
    given its raw logits (V,) after any logits processors: the pipeline above, then softmax;
    a greedy request puts all its mass on the argmax. token_ids: prompt + output (repetition
    penalty); output_ids: the generated tokens (frequency / presence), as the runner passes."""
    V, device = logits.shape[-1], logits.device
    settings = SamplingTensors.from_params([params], V, device)
    seen = token_counts([token_ids], V, device) > 0 if params.repetition_penalty != 1 else None
    counts = None
    if params.frequency_penalty != 0 or params.presence_penalty != 0:
        counts = token_counts([output_ids], V, device)
    processed = process_logits(logits[None], settings, seen, counts)  # (1, V)
    if params.greedy:
        return torch.zeros(V, device=device).index_fill_(0, argmax(processed), 1.0)
    return processed.softmax(dim=-1)[0]
