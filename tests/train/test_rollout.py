"""Rollout packing: completion masks line up with the targets; log-probs match a manual
softmax; the Engine's samples are scored at the right positions."""

import torch
import torch.nn.functional as F
from finetune_helpers import chat_tokenizer, tiny_llama

from lmforge.infer.engine import Engine
from lmforge.infer.params import SamplingParams
from lmforge.train.rollout import masked_mean, pack_sequences, sample_groups, token_logprobs


def test_pack_sequences_masks_exactly_the_completion_targets():
    input_ids, mask = pack_sequences([[5, 6, 7], [8]], [[1, 2], [3, 4, 9]], pad_id=0)
    assert input_ids.tolist() == [[5, 6, 7, 1, 2], [8, 3, 4, 9, 0]]
    # targets are input_ids[:, 1:] = [6, 7, 1, 2] and [3, 4, 9, 0]
    assert mask.tolist() == [[False, False, True, True], [True, True, True, False]]


def test_token_logprobs_match_a_manual_softmax():
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=0).eval()
    ids = torch.tensor([[3, 10, 20, 30, 40]])
    logp = token_logprobs(model, ids, temperature=0.7)
    logits = model.logits(model(ids))[0, :-1].float() / 0.7
    expected = F.log_softmax(logits, -1)[torch.arange(4), ids[0, 1:]]
    assert torch.allclose(logp[0], expected, atol=1e-5)


def test_sampled_groups_differ_and_their_logprobs_agree_with_the_engine():
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=0).eval()
    engine = Engine(model, tok, max_batch_size=8)
    prompt = tok.encode_chat([{"role": "user", "content": "hello"}], add_generation_prompt=True)
    params = SamplingParams(max_tokens=6, temperature=1.0, logprobs=0)
    group = sample_groups(engine, [prompt], 4, params, seed=1)[0]
    assert len({tuple(c.token_ids) for c in group}) > 1  # one seed per sample
    input_ids, mask = pack_sequences([prompt] * 4, [c.token_ids for c in group], 0)
    ours = token_logprobs(model, input_ids)
    for n, completion in enumerate(group):
        engine_logps = torch.tensor([r.logprob for r in completion.logprobs])
        assert torch.allclose(ours[n][mask[n]], engine_logps, atol=1e-4)
    assert masked_mean(torch.ones(2, 3), torch.tensor([[1, 0, 0], [1, 1, 0]])).item() == 1.0
