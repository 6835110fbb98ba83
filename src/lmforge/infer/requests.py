"""Request building: from what a caller hands the Engine to a checked `Sequence`.

    ("Once upon a time", SamplingParams(max_tokens=50))
      -> params.validate()        settings that cannot work fail here
      -> encode                   text with the tokenizer's BOS convention, or ids as given
      -> stop ids                 the tokenizer's end tokens (unless ignore_eos) + params'
      -> generator, decoder       a seeded RNG per request; a streaming detokenizer
      -> max_len                  prompt + max_tokens, capped by the context; must fit the KV pool
      -> Sequence("req-0", ...)

Every check runs while a request is built, so a bad request fails in `add_request` or
`generate` with a message that says what to change, before anything is queued; the
decode loop never meets it.

Test: `pytest tests/infer/test_engine.py -k errors` and `tests/infer/test_paged.py`.
"""

import itertools

import torch

from lmforge.errors import ConfigError, ContextLengthError, SamplingError
from lmforge.infer.block_manager import BlockManager
from lmforge.infer.params import SamplingParams
from lmforge.infer.sequence import Sequence
from lmforge.tokenizer.streaming import StreamDecoder

Prompt = str | list[int]
Prompts = Prompt | list[Prompt]  # one request, or a batch
ParamsArg = SamplingParams | list[SamplingParams] | None  # for all requests, or one each


def as_lists(prompts: Prompts,
             params: ParamsArg) -> tuple[list[Prompt], list[SamplingParams | None]]:
    """One prompt or a list; one params for all or one per prompt."""
    is_single = isinstance(prompts, str) or (
        isinstance(prompts, list | tuple) and all(isinstance(t, int) for t in prompts))
    prompts = [prompts] if is_single else list(prompts)
    if not prompts:
        raise ContextLengthError("no prompts given")
    if params is None or isinstance(params, SamplingParams):
        return prompts, [params] * len(prompts)
    if len(params) != len(prompts):
        raise SamplingError(f"got {len(params)} SamplingParams for {len(prompts)} prompts")
    return prompts, list(params)


class RequestBuilder:
    """Builds one Engine's Sequences: knows its tokenizer, vocabulary, context and KV pool."""

    def __init__(self, tokenizer, vocab_size: int, max_seq_len: int,
                 block_manager: BlockManager, device: torch.device,
                 has_draft_model: bool, is_recurrent: bool = False) -> None:
        """is_recurrent: the model keeps a state per sequence (Mamba), not a KV cache."""
        self.tokenizer = tokenizer
        self.vocab_size = vocab_size
        self.max_seq_len = max_seq_len
        self.block_manager = block_manager
        self.device = device
        self.has_draft_model = has_draft_model
        self.is_recurrent = is_recurrent
        self._ids = itertools.count()

    def build(self, prompt: Prompt, params: SamplingParams | None = None,
              request_id: str | None = None) -> Sequence:
        """A checked Sequence for one request (default params: SamplingParams())."""
        params = (params or SamplingParams()).validate()
        prompt_ids = self.encode(prompt)
        self._check_supported(params)
        max_len = self._max_len(len(prompt_ids), params)
        return Sequence(
            request_id=request_id or f"req-{next(self._ids)}",
            prompt_ids=prompt_ids,
            params=params,
            stop_ids=self._stop_ids(params),
            max_len=max_len,
            decoder=self._decoder(),
            generator=self._generator(params),
            logprobs=[] if params.logprobs is not None else None,
        )

    def encode(self, prompt: Prompt) -> list[int]:
        """Text (with the tokenizer's own BOS convention) or token ids -> checked ids."""
        if isinstance(prompt, str):
            if self.tokenizer is None:
                raise ConfigError("a text prompt needs a tokenizer: Engine(model, tokenizer)")
            ids = self.tokenizer.encode(prompt, add_special=True, parse_special=True)
        else:
            ids = list(prompt)
        self._check_ids(ids)
        return ids

    def _check_ids(self, ids: list[int]) -> None:
        """Some tokens, each a real id, leaving room in the context to generate."""
        if not ids:
            raise ContextLengthError("the prompt is empty: generation needs at least one "
                                     "token to condition on")
        V = self.vocab_size
        bad = [i for i in ids if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < V]
        if bad:
            raise ConfigError(f"prompt token id {bad[0]!r} is not an id in 0..{V - 1}")
        if len(ids) >= self.max_seq_len:
            raise ContextLengthError(f"the prompt has {len(ids)} tokens but the context holds "
                                     f"{self.max_seq_len}, leaving no room to generate")

    def _check_supported(self, params: SamplingParams) -> None:
        """Settings that need something this Engine was not given."""
        if params.speculative == "draft" and not self.has_draft_model:
            raise SamplingError('speculative="draft" needs a draft model: '
                                "Engine(model, tokenizer, draft_model=small_model)")
        if self.is_recurrent and (params.speculative or params.n_beams > 1):
            what = "speculative decoding" if params.speculative else f"n_beams={params.n_beams}"
            raise SamplingError(f"{what} needs a KV cache to rewind or copy; this model "
                                "keeps a recurrent state per sequence (Mamba), which cannot")
        if params.stop and self.tokenizer is None:
            raise SamplingError(f"stop={params.stop!r} needs text: give the Engine a tokenizer")

    def _max_len(self, num_prompt_tokens: int, params: SamplingParams) -> int:
        """Prompt + max_tokens, capped by the context; the whole of it must fit the KV pool."""
        max_len = min(num_prompt_tokens + params.max_tokens, self.max_seq_len)
        manager = self.block_manager
        if manager.blocks_for(max_len) > manager.num_blocks:
            raise ContextLengthError(
                f"a request of {max_len} tokens (prompt + max_tokens) needs "
                f"{manager.blocks_for(max_len)} KV blocks of {manager.block_size} tokens; the "
                f"Engine has {manager.num_blocks} (raise num_kv_blocks or lower max_tokens)")
        return max_len

    def _stop_ids(self, params: SamplingParams) -> frozenset[int]:
        stop_ids = set(params.stop_token_ids)
        if not params.ignore_eos and self.tokenizer is not None:
            stop_ids |= self.tokenizer.stop_ids
        return frozenset(stop_ids)

    def _decoder(self) -> StreamDecoder | None:
        """Incremental detokenization for the request's text (none without a tokenizer)."""
        if self.tokenizer is None:
            return None
        return StreamDecoder(self.tokenizer, skip_special=True)

    def _generator(self, params: SamplingParams) -> torch.Generator | None:
        """A per-request RNG when the request is seeded (greedy ignores the seed)."""
        if params.seed is None or params.greedy:
            return None
        return torch.Generator(device=self.device).manual_seed(params.seed)
