"""Attention maps: rows sum to 1 and equal softmax(QK^T/sqrt(d) + mask) recomputed by hand
from each layer's own projections; the PNG and HTML files are written; long text is an
error or a stated truncation; a missing CJK font is said plainly."""

import json
import re

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import ContextLengthError
from lmforge.model.attention import Attention
from lmforge.model.positions import apply_rope
from lmforge.viz import fonts
from lmforge.viz.attention import attention_maps, head_average, rollout, select
from lmforge.viz.attention_view import save_attention_html, save_heatmaps


def hand_attention(model, ids, encoder: bool):
    """Each layer's weights from its own q/k projections, captured by forward hooks."""
    captured = []

    def hook(module, args, kwargs):
        x = args[0]
        B, T, _ = x.shape
        q = module.q_proj(x).view(B, T, module.n_head, module.head_dim).transpose(1, 2)
        k = module.k_proj(x).view(B, T, module.n_kv_head, module.head_dim).transpose(1, 2)
        if module.use_rope:
            q, k = apply_rope(q, *kwargs["rope"]), apply_rope(k, *kwargs["rope"])
        k = k.repeat_interleave(module.n_head // module.n_kv_head, dim=1)
        scores = q @ k.transpose(-2, -1) * module.scale  # (B, H, T, T)
        if not encoder:
            causal = torch.ones(T, T, dtype=torch.bool).tril()
            scores = scores.masked_fill(~causal, float("-inf"))
        captured.append(F.softmax(scores.float(), dim=-1)[0])

    handles = [m.register_forward_pre_hook(hook, with_kwargs=True)
               for m in model.modules() if isinstance(m, Attention)]
    with torch.no_grad():
        batch = torch.tensor([ids])
        model.encode(batch) if encoder else model(batch)
    for h in handles:
        h.remove()
    return torch.stack(captured)  # (L, H, T, T)


@pytest.mark.parametrize("kind", ["decoder", "encoder"])
def test_maps_are_the_models_attention_weights(kind, decoder, encoder, tiny_tokenizer):
    model = decoder if kind == "decoder" else encoder
    result = attention_maps(model, tiny_tokenizer, "the cat sat on the mat 今天天气")
    L, H, T, S = result.maps.shape
    assert (L, H) == (3, 4) and T == S == len(result.ids) == len(result.tokens)
    assert torch.allclose(result.maps.sum(-1), torch.ones(L, H, T), atol=1e-5)
    expected = hand_attention(model, result.ids, encoder=kind == "encoder")
    for layer, head in [(0, 0), (1, 3), (2, 1)]:
        maps, titles = select(result, layer, head)
        assert titles == [f"layer {layer}, head {head}"]
        assert torch.allclose(maps[0], expected[layer, head], atol=1e-5)
    if kind == "decoder":  # causal: nothing above the diagonal
        assert result.maps.triu(1).abs().max() == 0
    else:
        assert result.maps.triu(1).abs().max() > 0


def test_head_average_and_rollout(decoder, tiny_tokenizer):
    result = attention_maps(decoder, tiny_tokenizer, "the dog sat on the log")
    avg = head_average(result)
    assert torch.allclose(avg[1], result.maps[1].mean(0))
    flow = rollout(result)
    T = len(result.ids)
    assert torch.allclose(flow.sum(-1), torch.ones(T), atol=1e-5)
    eye = torch.eye(T)
    by_hand = eye
    for layer in avg:
        a = 0.5 * layer + 0.5 * eye
        by_hand = (a / a.sum(-1, keepdim=True)) @ by_hand
    assert torch.allclose(flow, by_hand, atol=1e-6)
    maps, titles = select(result, None, None, "average")
    assert maps.shape == (3, T, T) and titles[2] == "layer 2, head average"
    assert select(result, 2, None)[0].shape == (4, T, T)
    with pytest.raises(ValueError, match="--layer must be in 0..2"):
        select(result, 3, 0)


def test_png_and_html_are_written(decoder, tiny_tokenizer, tmp_path):
    result = attention_maps(decoder, tiny_tokenizer, "今天天气真好")
    maps, titles = select(result, 1, None)
    png = save_heatmaps(result, maps, titles, tmp_path / "a.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    page = save_attention_html(result, tmp_path / "a.html", layer=1, head=2).read_text()
    data = json.loads(re.search(r"const D = (.*);\n", page).group(1))
    assert data["tokens"] == result.tokens and data["layers"] == [0, 1, 2]
    assert torch.allclose(torch.tensor(data["maps"][1][2]), result.maps[1, 2], atol=1e-4)


def test_text_longer_than_the_context(decoder, tiny_tokenizer):
    long_text = "the cat sat on the mat. " * 40
    with pytest.raises(ContextLengthError, match="use --truncate"):
        attention_maps(decoder, tiny_tokenizer, long_text)
    result = attention_maps(decoder, tiny_tokenizer, long_text, truncate=True)
    assert len(result.ids) == 64 and result.truncated > 0


def test_missing_cjk_font_is_said_once(monkeypatch, capsys):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    fonts._warn_missing.cache_clear()
    assert fonts.use_cjk_font("今天") is None
    assert fonts.use_cjk_font("天气") is None
    err = capsys.readouterr().err
    assert err.count("no CJK font found") == 1
    assert fonts.use_cjk_font("plain ascii") is None  # no CJK: nothing to find


@pytest.mark.slow
def test_smollm2_attention_equals_transformers_eager(smollm2, hf_smollm2):
    """The real model: our maps equal transformers' output_attentions (eager attention)."""
    hf_model, _ = hf_smollm2
    result = attention_maps(smollm2.model, smollm2.tokenizer, "The cat sat on the mat.")
    hf_model.config._attn_implementation = "eager"
    with torch.no_grad():
        out = hf_model(torch.tensor([result.ids]), output_attentions=True)
    for layer in (0, 15, 29):
        assert torch.allclose(result.maps[layer], out.attentions[layer][0].float(), atol=1e-4)
