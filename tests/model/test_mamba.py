"""Mamba (model/mamba.py, model/ssm.py): the two scans agree, a recurrent state continues a
sequence exactly, a tiny random transformers checkpoint gives the same logits, a saved
model opens in transformers, training lowers the loss, and bad input is named."""

import json

import pytest
import torch
import transformers as tf
from safetensors.torch import load_file, save_file

from lmforge.errors import ConfigError, ModelFileError
from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder
from lmforge.io.hf_config import config_from_hf
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig
from lmforge.model.mamba import MambaBlock, MambaState
from lmforge.model.ssm import discretize, parallel_scan, selective_scan, sequential_scan
from lmforge.model.summary import summarize
from lmforge.model.transformer import Transformer

V = 89
TOL = 1e-4


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def hf_mamba(**changes):
    """A tiny random MambaForCausalLM, weights drawn wide so a wrong mapping shows."""
    cfg = tf.MambaConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2, state_size=8,
                         conv_kernel=4, eos_token_id=None, bos_token_id=None, pad_token_id=None,
                         **changes)
    torch.manual_seed(0)
    model = tf.MambaForCausalLM(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("A_log"):
                p.uniform_(-1, 2)  # A = -exp(A_log): decays from fast to slow
            elif name.endswith("norm.weight") or name.endswith("norm_f.weight"):
                p.normal_(1.0, 0.3)
            else:
                p.normal_(0, 0.3)
    return model.eval()


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    model = hf_mamba()
    folder = tmp_path_factory.mktemp("mamba")
    model.save_pretrained(folder)
    return model, folder


def ids(batch=2, length=13, seed=1):
    return torch.randint(0, V, (batch, length), generator=torch.Generator().manual_seed(seed))


def logits(model, x):
    with torch.no_grad():
        return model.logits(model(x))


# -- the scan --------------------------------------------------------------------------------


def random_recurrence(T=37, seed=0):
    g = torch.Generator().manual_seed(seed)
    R, D, N = 3, 5, 4
    u, dt = torch.randn(R, T, D, generator=g), torch.rand(R, T, D, generator=g) * 0.5
    A = -torch.rand(D, N, generator=g) * 4
    B, C = torch.randn(R, T, N, generator=g), torch.randn(R, T, N, generator=g)
    return u, dt, A, B, C, torch.randn(R, D, N, generator=g)


@pytest.mark.parametrize("T", [1, 2, 37, 64])
def test_parallel_scan_equals_sequential_scan(T):
    u, dt, A, B, _, h0 = random_recurrence(T)
    decay, inflow = discretize(u, dt, A, B)
    for start in (None, h0):
        seq, par = sequential_scan(decay, inflow, start), parallel_scan(decay, inflow, start)
        assert seq.shape == (3, T, 5, 4)
        assert (seq - par).abs().max().item() < 1e-5


def test_scan_by_hand():
    """h_t = a h_{t-1} + b: with a = 1/2 and b = 1 from h0 = 4: 3, 2.5, 2.25."""
    decay = torch.full((1, 3, 1, 1), 0.5)
    inflow = torch.ones(1, 3, 1, 1)
    h0 = torch.full((1, 1, 1), 4.0)
    for scan in (sequential_scan, parallel_scan):
        assert scan(decay, inflow, h0).flatten().tolist() == [3.0, 2.5, 2.25]


def test_parallel_scan_gradients_equal_the_sequential_ones():
    u, dt, A, B, C, h0 = random_recurrence(T=19, seed=3)
    grads = []
    for parallel in (False, True):
        leaves = [t.clone().requires_grad_() for t in (u, dt, B, C, h0)]
        y, h_last = selective_scan(leaves[0], leaves[1], A, leaves[2], leaves[3], leaves[4],
                                   parallel=parallel)
        (y.square().sum() + h_last.sum()).backward()
        grads.append([leaf.grad for leaf in leaves])
    for seq, par in zip(*grads, strict=True):
        assert (seq - par).abs().max().item() < 1e-4 * max(1.0, seq.abs().max().item())


def test_the_state_continues_a_sequence_exactly(checkpoint):
    """Prefill 5 tokens, then decode the rest one at a time from the state: the same hidden
    states as one pass over all of them (the state is all decoding needs)."""
    _, folder = checkpoint
    model = load_hf_folder(folder).eval()
    x = ids(2, 12, seed=4)
    with torch.no_grad():
        whole = model(x)
        state = MambaState(model.config, batch_size=2)
        steps = [model(x[:, :5], cache=state)]
        steps += [model(x[:, t : t + 1], cache=state) for t in range(5, 12)]
    assert (torch.cat(steps, dim=1) - whole).abs().max().item() < 1e-5
    assert state.nbytes() == 2 * 2 * 64 * (3 + 8) * 4  # layers x rows x D x (K-1 + N) fp32


# -- checkpoints -------------------------------------------------------------------------------


def test_logits_match_transformers(checkpoint, monkeypatch):
    hf_model, folder = checkpoint
    model = load_hf_folder(folder).eval()
    assert all(isinstance(b, MambaBlock) for b in model.decoder.layers)
    x = ids()
    with torch.no_grad():
        reference = hf_model(x).logits
    for parallel in (True, False):  # the backend's switch picks the scan
        monkeypatch.setattr(backend, "cpu_parallel_scan", parallel)
        assert (logits(model, x) - reference).abs().max().item() < TOL


def test_config_mapping():
    cfg = config_from_hf(hf_mamba(time_step_rank=3, expand=3, use_bias=True).config.to_dict())
    assert (cfg.arch, cfg.position, cfg.intermediate_size, cfg.state_size) == ("mamba", "none",
                                                                                96, 8)
    assert (cfg.time_step_rank, cfg.conv_kernel, cfg.mlp_bias, cfg.tie_word_embeddings) == (
        3, 4, True, True)


def test_lmforge_save_opens_in_transformers(checkpoint, tmp_path):
    hf_model, folder = checkpoint
    save_hf_folder(load_hf_folder(folder), tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())["model_type"] == "mamba"
    again = tf.MambaForCausalLM.from_pretrained(tmp_path).eval()
    x = ids(seed=5)
    with torch.no_grad():
        assert (again(x).logits - hf_model(x).logits).abs().max().item() < 1e-6


def test_a_missing_tensor_is_named(checkpoint, tmp_path):
    _, folder = checkpoint
    state = load_file(folder / "model.safetensors")
    del state["backbone.layers.1.mixer.A_log"]
    save_file(state, tmp_path / "model.safetensors")
    (tmp_path / "config.json").write_text((folder / "config.json").read_text())
    with pytest.raises(ModelFileError,
                       match=r"lacks 1 parameter.*'backbone\.layers\.1\.mixer\.A_log'"):
        load_hf_folder(tmp_path)


# -- training and bad input --------------------------------------------------------------------


def tiny_config(**changes):
    fields = dict(arch="mamba", vocab_size=V, hidden_size=32, num_hidden_layers=2,
                  num_attention_heads=1, intermediate_size=64, position="none", state_size=8,
                  tie_word_embeddings=True)
    return ModelConfig(**{**fields, **changes})


def test_training_lowers_the_loss_on_a_pattern():
    """A repeating 5-token pattern: 40 AdamW steps take the loss from ln(89) ~ 4.5 to < 1."""
    torch.manual_seed(0)
    model = Transformer(tiny_config())
    model.init_weights()
    pattern = torch.tensor([3, 14, 15, 9, 26] * 7)
    x, y = pattern[None, :-1].repeat(4, 1), pattern[None, 1:].repeat(4, 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        loss = torch.nn.functional.cross_entropy(model.logits(model(x)).flatten(0, 1),
                                                 y.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] > 4.0 and losses[-1] < 1.0


def test_mamba_init_follows_the_paper():
    torch.manual_seed(0)
    model = Transformer(tiny_config())
    model.init_weights()
    mixer = model.decoder.layers[0].mixer
    assert torch.allclose(-torch.exp(mixer.A_log[0]), -torch.arange(1.0, 9.0))  # S4D-real
    dt = torch.nn.functional.softplus(mixer.dt_proj.bias)
    assert dt.min().item() >= 0.999e-3 and dt.max().item() <= 0.1 + 1e-6
    assert mixer.D.eq(1).all()


def test_bad_layouts_are_refused():
    with pytest.raises(ConfigError, match="arch mamba is a decoder with position none"):
        tiny_config(position="rope")
    with pytest.raises(ConfigError, match="state_size must be positive"):
        tiny_config(state_size=0)


def test_masks_and_attention_maps_are_refused():
    model = Transformer(tiny_config()).eval()
    x = ids(1, 6)
    with pytest.raises(ValueError, match="takes no attention mask"):
        model(x, attention_mask=torch.ones(1, 6))
    with pytest.raises(ValueError, match="no attention weights"):
        model(x, attention_maps=[])


def test_the_fused_decode_step_says_no_to_mamba_blocks():
    model = Transformer(tiny_config())
    assert not any(backend.block_fits_decode(b) for b in model.decoder.layers)


def test_the_summary_shows_a_state_not_a_kv_cache():
    summary = summarize(Transformer(tiny_config()))
    assert "attention" not in summary and "kv_cache_kb_per_token_fp32" not in summary
    assert summary["state_kb_per_sequence_fp32"] == 2 * 64 * (3 + 8) * 4 / 1024  # 5.5
