"""Qwen3 (q/k RMSNorm per head, explicit head_dim) against a tiny random transformers model:
logits, greedy continuations through the Engine, export, the decode plan, and training."""

import pytest
import torch
import transformers as tf

from lmforge.errors import ConfigError
from lmforge.infer import Engine, SamplingParams
from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder
from lmforge.io.hf_config import config_from_hf
from lmforge.model.backend import backend
from lmforge.model.fused import fuse_projections
from lmforge.train import checkpoint
from lmforge.train.metrics import read_metrics
from lmforge.train.pretrain import pretrain

TOL = 1e-4
V = 97


def qwen3(**changes):
    # head_dim 16 with 4 heads: q is 64 wide, twice hidden_size, as Qwen3 allows
    cfg = tf.Qwen3Config(vocab_size=V, hidden_size=32, intermediate_size=64, head_dim=16,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         eos_token_id=None, bos_token_id=None, tie_word_embeddings=False,
                         **changes)
    hf_model = tf.Qwen3ForCausalLM(cfg)
    torch.manual_seed(0)
    with torch.no_grad():  # non-trivial norms (q/k norms included) and biases
        for name, p in hf_model.named_parameters():
            p.normal_(0, 0.2 if p.dim() > 1 else 0.5)
            if name.endswith("norm.weight"):
                p.add_(1.0)
    return hf_model.eval()


def ids(batch=2, length=11, seed=1):
    return torch.randint(0, V, (batch, length), generator=torch.Generator().manual_seed(seed))


@pytest.fixture(scope="module", params=[False, True], ids=["no_bias", "attention_bias"])
def saved(request, tmp_path_factory):
    hf_model = qwen3(attention_bias=request.param)
    folder = tmp_path_factory.mktemp("qwen3")
    hf_model.save_pretrained(folder)
    return hf_model, folder


def test_config_mapping(saved):
    hf_model, folder = saved
    model = load_hf_folder(folder)
    config = model.config
    assert config.qk_norm and config.head_dim == 16 and config.hidden_size == 32
    assert config.attention_out_bias == hf_model.config.attention_bias  # o_proj too
    assert model.decoder.layers[0].attn.q_norm.weight.shape == (16,)


def test_logits_match_transformers(saved):
    hf_model, folder = saved
    model = load_hf_folder(folder).eval()
    x = ids()
    with torch.no_grad():
        diff = (model.logits(model(x)) - hf_model(x).logits).abs().max().item()
    assert diff < TOL


def test_greedy_through_the_engine_equals_transformers_generate(saved):
    hf_model, folder = saved
    model = load_hf_folder(folder).eval()
    fuse_projections(model)  # as lmforge.load does for inference
    assert not any(backend.block_fits_decode(b) for b in model.decoder.layers)  # q/k norms
    prompts = [ids(1, n, seed=20 + n)[0].tolist() for n in (3, 8)]
    params = SamplingParams(temperature=0, max_tokens=12, ignore_eos=True)
    engine = Engine(model)
    assert engine.runner.pool.decode_plan is None
    for prompt, out in zip(prompts, engine.generate(prompts, params), strict=True):
        with torch.no_grad():
            ref = hf_model.generate(torch.tensor([prompt]), max_new_tokens=12, do_sample=False,
                                    pad_token_id=0)[0, len(prompt):].tolist()
        assert out.token_ids == ref


def test_lmforge_save_opens_in_transformers(saved, tmp_path):
    hf_model, folder = saved
    save_hf_folder(load_hf_folder(folder), tmp_path)
    again = tf.Qwen3ForCausalLM.from_pretrained(tmp_path).eval()
    x = ids(seed=4)
    with torch.no_grad():
        assert (again(x).logits - hf_model(x).logits).abs().max().item() < 1e-6


def test_sliding_window_is_refused():
    hf = qwen3().config.to_dict()
    with pytest.raises(ConfigError, match="sliding-window attention"):
        config_from_hf({**hf, "use_sliding_window": True, "sliding_window": 8})


def test_three_pretraining_steps_and_the_checkpoint_opens_in_transformers(tmp_path):
    text = tmp_path / "abc.txt"
    text.write_text("the cat sat on the mat. " * 200)
    out = tmp_path / "run"
    metrics = pretrain(None, **{
        "model.arch": "qwen3", "model.qk_norm": True, "model.hidden_size": 32,
        "model.head_dim": 16, "model.num_hidden_layers": 2, "model.num_attention_heads": 4,
        "model.num_key_value_heads": 2, "model.intermediate_size": 64,
        "model.max_position_embeddings": 32, "model.tie_word_embeddings": False,
        "data.source": str(text), "data.tokenizer_kind": "char", "data.vocab_size": 64,
        "data.val_fraction": 0.1, "out_dir": str(out), "max_steps": 3, "batch_size": 4,
        "block_size": 16, "lr": 1e-2, "warmup_steps": 1, "eval_every": 3,
        "eval_batches": 2, "log_every": 1, "progress": False, "sample_every": 0})
    losses = [float(r["train_loss"]) for r in read_metrics(out / "metrics.csv")]
    assert metrics["step"] == 3 and losses[-1] < losses[0]
    final = checkpoint.latest(out)
    model = load_hf_folder(final).eval()
    again = tf.Qwen3ForCausalLM.from_pretrained(final).eval()  # config.json says qwen3
    x = ids(length=9) % model.config.vocab_size
    with torch.no_grad():
        assert (model.logits(model(x)) - again(x).logits).abs().max().item() < TOL
