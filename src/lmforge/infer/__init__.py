"""Inference: the Engine (scheduler, KV cache rows, batched sampler, beam search)."""

from lmforge.infer.engine import Completion, Engine, StreamEvent
from lmforge.infer.params import SamplingParams
from lmforge.infer.sequence import TokenLogprob

__all__ = ["Completion", "Engine", "SamplingParams", "StreamEvent", "TokenLogprob"]
