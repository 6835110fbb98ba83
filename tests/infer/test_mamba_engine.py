"""The Engine serving a Mamba model: states in the pool's place (infer/state_pool.py).

Greedy continuations equal transformers' generate on a tiny random checkpoint, through
batched decode, chunked prefill and a seat (state slot) handed from one request to the
next; what needs a rewindable KV cache is refused by name."""

import pytest
import torch
import transformers as tf

from lmforge.errors import ConfigError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.naive import naive_greedy
from lmforge.infer.state_pool import StatePool
from lmforge.io.hf_checkpoint import load_hf_folder

V = 89


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(transformers' MambaForCausalLM with wide random weights, lmforge's load of it)."""
    cfg = tf.MambaConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2, state_size=8,
                         eos_token_id=None, bos_token_id=None, pad_token_id=None)
    torch.manual_seed(0)
    hf_model = tf.MambaForCausalLM(cfg)
    with torch.no_grad():
        for name, p in hf_model.named_parameters():
            if name.endswith("A_log"):
                p.uniform_(-1, 2)
            elif name.endswith("norm.weight") or name.endswith("norm_f.weight"):
                p.normal_(1.0, 0.3)
            else:
                p.normal_(0, 0.3)
    folder = tmp_path_factory.mktemp("mamba")
    hf_model.eval().save_pretrained(folder)
    return hf_model, load_hf_folder(folder).eval()


def prompts():
    g = torch.Generator().manual_seed(7)
    return [torch.randint(0, V, (n,), generator=g).tolist() for n in (5, 11, 3)]


GREEDY = SamplingParams(temperature=0, max_tokens=10, ignore_eos=True)


def test_greedy_equals_transformers_generate(pair):
    """Two seats for three requests (the third takes a finished one's state slot) and an
    8-token step budget (the 11-token prompt prefills in two chunks)."""
    hf_model, model = pair
    engine = Engine(model, max_batch_size=2, max_num_batched_tokens=8)
    assert isinstance(engine.runner.pool, StatePool)
    assert engine.runner.pool.decode_plan is None  # the backend's C decode step says no
    outputs = engine.generate(prompts(), GREEDY)
    for prompt, out in zip(prompts(), outputs, strict=True):
        with torch.no_grad():
            ref = hf_model.generate(torch.tensor([prompt]), max_new_tokens=10, do_sample=False,
                                    pad_token_id=0)[0, len(prompt):].tolist()
        assert out.token_ids == ref
    assert len({tuple(o.token_ids) for o in outputs}) == 3  # distinct continuations
    assert engine.runner.last_layout == "state"
    assert engine.stats()["kv_blocks_used"] == 0  # every slot back after the requests


def test_engine_equals_the_no_cache_oracle(pair):
    _, model = pair
    outputs = Engine(model, max_batch_size=3).generate(prompts(), GREEDY)
    for prompt, out in zip(prompts(), outputs, strict=True):
        assert out.token_ids == naive_greedy(model, prompt, 10)


def test_state_memory_does_not_grow_with_the_context(pair):
    _, model = pair
    short, long = (Engine(model, max_batch_size=2, max_seq_len=n) for n in (64, 4096))
    pools = short.runner.pool, long.runner.pool
    nbytes = [sum(t.numel() * t.element_size() for t in (*p.conv, *p.ssm)) for p in pools]
    assert nbytes[0] == nbytes[1] == 2 * StatePool.bytes_per_sequence(model)
    assert StatePool.bytes_per_sequence(model) == 2 * 64 * (3 * 4 + 8 * 4)  # L*D*((K-1)+N)*4


def test_what_needs_a_kv_cache_is_refused(pair):
    _, model = pair
    engine = Engine(model)
    with pytest.raises(SamplingError, match="speculative decoding needs a KV cache"):
        engine.generate([[1, 2, 3]], SamplingParams(max_tokens=4, speculative="ngram"))
    with pytest.raises(SamplingError, match="n_beams=2 needs a KV cache"):
        engine.generate([[1, 2, 3]], SamplingParams(max_tokens=4, n_beams=2))
    with pytest.raises(ConfigError, match="recurrent state cannot be rolled back"):
        Engine(model, draft_model=model)
