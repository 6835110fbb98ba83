"""Speculative decoding: guess K tokens cheaply, check them all in one target forward.

A decode step reads every weight to produce one token. If someone proposes K likely next
tokens d1..dK, one forward over [last, d1..dK] gives the target model's distribution at all
K+1 positions for the price of (nearly) one step; every guess it agrees with is a token won.

Proposers (per request, `SamplingParams.speculative`):
- "ngram" (prompt lookup, Saxena 2023): find the latest earlier occurrence of the last few
  tokens in prompt + output and propose what followed it. Free, and strong when the output
  copies its input (code edits, RAG answers, summaries quoting the source).
- "draft": a small model with the same tokenizer (`Engine(..., draft_model=...)`) proposes
  autoregressively; it keeps its own KV pool, addressed by the same block tables.

Verification (Leviathan et al. 2023; Chen et al. 2023), position i with target p_i and
draft q_i (one-hot for n-gram):
- greedy: accept d_i while d_i == argmax p_i; the first disagreement is replaced by the
  argmax, so the output is token for token plain greedy's, up to rounding: K+1 rows run
  the stack's Python path where one row runs the fused C decode step, and on quantized
  blocks (int8-rounded activations) the two can settle a near tie differently.
- sampled: accept d_i with probability min(1, p_i(d_i) / q_i(d_i)); on the first rejection
  draw from norm(max(p_i - q_i, 0)). Every emitted token is then distributed exactly as
  p_i: the target distribution is kept.
If all K are accepted, the (K+1)-th distribution gives one more token for free.

The Engine holds one `Speculator`, which does the bookkeeping around its step:

    propose     before scheduling: K n-gram tokens, or K placeholders for a draft model
    schedule    drafts ride along while the token budget has room (scheduler.py)
    draft       the draft model fills its placeholders (their KV blocks exist now)
    run         one target forward over [last, d1..dK]: K+1 logits rows (model_runner.py)
    verify      accept a prefix of the drafts, plus one token from the target
    roll back   rejected drafts' keys/values are not the sequence's: uncount them as cached

Test: `pytest tests/infer/test_speculative.py`.
"""

from dataclasses import dataclass

import torch

from lmforge.errors import ConfigError
from lmforge.infer.kv_pool import KVPool
from lmforge.infer.model_runner import Feed, ModelRunner
from lmforge.infer.sampler import SamplingTensors, draw, process_logits
from lmforge.infer.scheduler import Schedule
from lmforge.infer.sequence import Sequence, TokenLogprob
from lmforge.model.transformer import Transformer

MAX_NGRAM = 3  # try matching the last 3 tokens, then 2, then 1


def propose_ngram(token_ids: list[int], k: int, max_ngram: int = MAX_NGRAM) -> list[int]:
    """Up to k tokens that followed the latest earlier occurrence of the longest suffix
    (max_ngram..1 tokens) of token_ids; [] when the suffix never occurred before."""
    n_tokens = len(token_ids)
    for n in range(min(max_ngram, n_tokens - 1), 0, -1):
        suffix = token_ids[-n:]
        for start in range(n_tokens - n - 1, -1, -1):  # latest match first
            if token_ids[start : start + n] == suffix:
                return token_ids[start + n : start + n + k]
    return []


class DraftModel:
    """A small model proposing tokens for the target, on a pool shaped like the target's."""

    def __init__(self, model, num_blocks: int, block_size: int) -> None:
        self.runner = ModelRunner(model.eval(), KVPool.for_model(model, num_blocks, block_size))

    @torch.inference_mode()
    def propose(self, seqs: list[Sequence]) -> None:
        """Fill each sequence's draft_ids (their length is already set by the scheduler)
        with the draft model's tokens, and keep its distributions for verification."""
        k_max = max(len(s.draft_ids) for s in seqs)
        proposals: list[list[int]] = [[] for _ in seqs]
        dists: list[list[torch.Tensor]] = [[] for _ in seqs]
        for j in range(k_max):
            active = [i for i, s in enumerate(seqs) if j < len(s.draft_ids)]
            feeds = []
            for i in active:
                seq = seqs[i]
                if j == 0:  # catch up on everything since the draft last ran
                    start = min(seq.draft_cached_tokens, seq.num_tokens - 1)
                    tokens = seq.token_ids[start:]
                else:
                    start, tokens = seq.num_tokens + j - 1, [proposals[i][-1]]
                feeds.append(Feed(tokens, start, seq.block_table, 1))
            logits = self.runner.forward(feeds)  # (len(active), V)
            params = [seqs[i].params for i in active]
            settings = SamplingTensors.from_params(params, logits.shape[-1], logits.device)
            probs = process_logits(logits, settings).softmax(dim=-1)  # (n, V)
            greedy = probs.argmax(dim=-1)
            sampled = [r for r, i in enumerate(active) if not seqs[i].params.greedy]
            if sampled:
                index = torch.tensor(sampled, device=probs.device)
                greedy[index] = draw(probs[index], [seqs[active[r]].generator for r in sampled])
            for r, (i, token) in enumerate(zip(active, greedy.tolist(), strict=True)):
                proposals[i].append(token)
                dists[i].append(probs[r])
        for i, seq in enumerate(seqs):
            seq.draft_ids = proposals[i]
            seq.draft_probs = torch.stack(dists[i])  # (K, V)
            seq.draft_cached_tokens = seq.num_tokens + len(proposals[i]) - 1


@dataclass(slots=True)
class Verdict:
    """What verification decided for one sequence: the tokens to append (accepted drafts,
    then one token from the target) and their raw logprobs."""

    token_ids: list[int]
    logprobs: list[float]
    top: list[list[tuple[int, float]]]
    """The n most likely alternatives at each emitted position (n = params.logprobs)."""
    num_accepted: int

    @property
    def records(self) -> list[TokenLogprob]:
        """The emitted tokens as the sequence records them."""
        return [TokenLogprob(*emitted)
                for emitted in zip(self.token_ids, self.logprobs, self.top, strict=True)]


def verify(seq: Sequence, logits: torch.Tensor) -> Verdict:
    """Check seq.draft_ids against the target's logits (K+1, V) at [last, d1..dK]."""
    drafts, K = seq.draft_ids, len(seq.draft_ids)
    raw = logits.float().log_softmax(dim=-1)  # (K+1, V) the model's own distribution
    settings = SamplingTensors.from_params([seq.params] * (K + 1), logits.shape[-1],
                                           logits.device)
    processed = process_logits(logits, settings)  # (K+1, V)
    device = logits.device
    if seq.params.greedy:
        targets = processed.argmax(dim=-1).tolist()
        accepted = 0
        while accepted < K and drafts[accepted] == targets[accepted]:
            accepted += 1
        tokens = drafts[:accepted] + [targets[accepted]]
    else:
        p = processed.softmax(dim=-1)  # (K+1, V)
        q = seq.draft_probs
        if q is None:  # n-gram drafts are certain: q is one-hot
            q = torch.zeros(K, p.shape[-1], device=device)
            q[torch.arange(K, device=device), torch.tensor(drafts, device=device)] = 1.0
        d = torch.tensor(drafts, device=device)[:, None]
        ratio = (p[:K].gather(-1, d) / q.gather(-1, d)).squeeze(-1)  # (K,)
        u = torch.rand(K, generator=seq.generator, device=device)
        keep = (u < ratio).tolist()  # one host read for all K decisions
        accepted = keep.index(False) if False in keep else K
        if accepted < K:  # the rejected position: draw from the leftover mass
            residual = (p[accepted] - q[accepted]).clamp(min=0)
            last = draw(residual[None], [seq.generator])
        else:
            last = draw(p[K][None], [seq.generator])
        tokens = drafts[:accepted] + [int(last)]
    positions = torch.arange(len(tokens), device=device)
    chosen = raw[positions, torch.tensor(tokens, device=device)].tolist()
    top = raw[: len(tokens)].topk(seq.params.logprobs or 0, dim=-1)
    alternatives = [list(zip(i, v, strict=True))
                    for i, v in zip(top.indices.tolist(), top.values.tolist(), strict=True)]
    return Verdict(tokens, chosen, alternatives, accepted)


def row_spans(owners: list[tuple[Sequence, int]]) -> list[tuple[Sequence, int, int]]:
    """(seq, first row, rows) for the model runner's owners: where each one's logits are."""
    spans, row = [], 0
    for seq, rows in owners:
        spans.append((seq, row, rows))
        row += rows
    return spans


class Speculator:
    """The Engine's speculative decoding: propose drafts, verify them, roll back the rest.
    Counts the drafts it proposed and the ones the target accepted."""

    def __init__(self, draft_model: Transformer | None, vocab_size: int, num_blocks: int,
                 block_size: int, device: torch.device) -> None:
        self.draft_model: DraftModel | None = None
        if draft_model is not None:
            draft_vocab = draft_model.config.vocab_size
            if draft_vocab != vocab_size:
                raise ConfigError(f"the draft model's vocabulary has {draft_vocab} tokens, the "
                                  f"target's {vocab_size}: speculative decoding needs "
                                  "the same tokenizer")
            self.draft_model = DraftModel(draft_model.to(device), num_blocks, block_size)
        self.num_draft_tokens = 0
        self.num_accepted_tokens = 0

    def propose(self, running: list[Sequence]) -> None:
        """Set this step's drafts of every decoding speculative request: n-gram tokens, or
        placeholders that `draft` fills once the scheduler has found their blocks."""
        for seq in running:
            seq.draft_ids, seq.draft_probs = [], None
            k = _num_drafts(seq)
            if k == 0:
                continue
            ngram = seq.params.speculative == "ngram"
            seq.draft_ids = propose_ngram(seq.token_ids, k) if ngram else [0] * k

    def draft(self, batch: Schedule) -> None:
        """Let the draft model fill the placeholders of the scheduled sequences."""
        drafted = [seq for seq in batch.seqs
                   if seq.draft_ids and seq.params.speculative == "draft"]
        if drafted:
            self.draft_model.propose(drafted)

    def verify_drafts(self, logits: torch.Tensor,
                      owners: list[tuple[Sequence, int]]) -> list[tuple[Sequence, Verdict]]:
        """A verdict for each sequence whose drafts ran (its rows: [last, d1..dK])."""
        return [(seq, verify(seq, logits[start : start + rows]))
                for seq, start, rows in row_spans(owners) if rows > 1]

    def roll_back(self, verified: list[tuple[Sequence, Verdict]]) -> None:
        """The rejected drafts' keys/values are not the sequences': stop counting them as
        cached, in both models' pools (the next step overwrites their slots)."""
        for seq, verdict in verified:
            num_drafts = len(seq.draft_ids)
            self.num_draft_tokens += num_drafts
            self.num_accepted_tokens += verdict.num_accepted
            seq.num_cached_tokens -= num_drafts - verdict.num_accepted
            seq.draft_cached_tokens = min(seq.draft_cached_tokens,
                                          seq.num_tokens + verdict.num_accepted)


def _num_drafts(seq: Sequence) -> int:
    """How many tokens to propose: a decoding speculative request's draft_tokens, leaving
    room for the target's own token before max_len; 0 for the others."""
    if seq.params.speculative is None or seq.num_uncomputed != 1:
        return 0
    return max(0, min(seq.params.draft_tokens, seq.max_len - seq.num_tokens - 1))
