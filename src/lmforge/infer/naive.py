"""The reference oracle: greedy generation with no KV cache, recomputing the whole prefix.

Each step runs the model over every token so far and takes the argmax of the last
position's logits. It is O(T^2) and obviously correct, which is its job: tests check the
Engine (cache, batching, padding, row moves) against it token for token, as nanochat checks
its fast engine against its slow `generate`.

Test: `pytest tests/infer/test_engine.py -k naive`.
"""

from collections.abc import Iterable

import torch

from lmforge.model.transformer import Transformer


def _device(model: Transformer) -> torch.device:
    return next(model.parameters()).device


@torch.inference_mode()
def naive_greedy(
    model: Transformer, prompt_ids: list[int], max_tokens: int, stop_ids: Iterable[int] = ()
) -> list[int]:
    """Greedy continuation of prompt_ids; stops after a token in stop_ids (kept in output)."""
    stop = set(stop_ids)
    ids = list(prompt_ids)
    output: list[int] = []
    for _ in range(max_tokens):
        x = torch.tensor([ids + output], device=_device(model))  # (1, T): the whole prefix
        hidden = model(x)  # positions default to 0..T-1
        next_id = int(model.logits(hidden[:, -1]).argmax(dim=-1))
        output.append(next_id)
        if next_id in stop:
            break
    return output


@torch.inference_mode()
def sequence_logprob(model: Transformer, prompt_ids: list[int], output_ids: list[int]) -> float:
    """Total log-likelihood of output_ids after prompt_ids under the model (one forward)."""
    ids = torch.tensor([list(prompt_ids) + list(output_ids)], device=_device(model))
    hidden = model(ids)
    P = len(prompt_ids)
    # the logits at position t predict token t + 1
    logprobs = model.logits(hidden[0, P - 1 : -1]).float().log_softmax(dim=-1)  # (n_out, V)
    targets = torch.tensor(output_ids, device=ids.device)[:, None]
    return float(logprobs.gather(-1, targets).sum())
