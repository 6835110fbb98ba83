"""Token views: each token's probability is the model's softmax; bytes add up; the
next-token view keeps what the Engine's sampler keeps."""

import pytest
import torch

from lmforge.errors import ContextLengthError
from lmforge.infer.sampler import apply_top_k, apply_top_p
from lmforge.viz.next_token import (
    kept_set,
    next_token_view,
    print_next,
    sampling_distribution,
    save_next_png,
)
from lmforge.viz.tokens import print_tokens, save_tokens_html, save_tokens_png, token_view


def test_token_probabilities_are_the_models_softmax(decoder, tiny_tokenizer):
    text = "the cat sat on the log 今天天气"
    view = token_view(decoder, tiny_tokenizer, text, top=3)
    ids = tiny_tokenizer.encode(text)
    assert [t.id for t in view.tokens] == ids
    with torch.no_grad():
        probs = torch.softmax(decoder.logits(decoder(torch.tensor([ids])))[0].float(), -1)
    assert view.tokens[0].prob is None
    for i in range(1, len(ids)):
        assert view.tokens[i].prob == pytest.approx(probs[i - 1, ids[i]].item(), rel=1e-5)
        top = probs[i - 1].topk(3)
        assert [p for _, p in view.tokens[i].top] == pytest.approx(top.values.tolist())
    assert sum(t.n_bytes for t in view.tokens) == len(text.encode("utf-8"))


def test_token_files_and_terminal_view(decoder, tiny_tokenizer, tmp_path):
    from rich.console import Console

    view = token_view(decoder, tiny_tokenizer, "明天天气很冷 the log")
    page = save_tokens_html(view, tmp_path / "t.html").read_text()
    assert page.count('class="tok"') == len(view.tokens) and "p=" in page
    assert save_tokens_png(view, tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    console = Console(record=True, width=120)
    print_tokens(view, console)
    assert str(view.tokens[1].id) in console.export_text()


def test_token_view_of_a_text_longer_than_the_context(decoder, tiny_tokenizer):
    with pytest.raises(ContextLengthError, match="context holds 64"):
        token_view(decoder, tiny_tokenizer, "the cat sat on the mat. " * 40)
    view = token_view(decoder, tiny_tokenizer, "the cat sat on the mat. " * 40, truncate=True)
    assert len(view.tokens) == 64 and view.truncated > 0


def test_next_token_view_and_what_sampling_keeps(decoder, tiny_tokenizer, tmp_path):
    view = next_token_view(decoder, tiny_tokenizer, "今天天气真", top=8)
    probs = torch.softmax(view.logits, -1)
    assert [p for _, _, p in view.candidates] == pytest.approx(probs.topk(8).values.tolist())
    assert kept_set(view.logits, top_k=3) == probs.topk(3).indices.tolist()
    nucleus = kept_set(view.logits, top_p=0.5)
    sampler = apply_top_p(view.logits[None].clone(), torch.tensor([0.5]))[0]
    assert sorted(nucleus) == sorted((sampler > float("-inf")).nonzero().flatten().tolist())
    kept_k = apply_top_k(view.logits[None].clone(), torch.tensor([3]))[0]
    assert torch.allclose(sampling_distribution(view.logits, top_k=3),
                          torch.softmax(kept_k, -1))
    sharp, flat = (sampling_distribution(view.logits, t) for t in (0.5, 1.5))
    assert sharp.max() > probs.max() > flat.max()  # temperature below 1 sharpens
    assert kept_set(view.logits, temperature=0) == [probs.argmax().item()]
    text = print_next(view)
    assert "top-k=3" in text and repr(view.candidates[0][0]) in text
    assert save_next_png(view, tmp_path / "n.png").read_bytes()[:4] == b"\x89PNG"


def test_part_of_a_character_shows_as_its_bytes(decoder, tiny_tokenizer):
    view = token_view(decoder, tiny_tokenizer, "龍")  # not in the tokenizer's training text
    assert sum(t.n_bytes for t in view.tokens) == 3
    assert len(view.tokens) > 1 and all(t.text.startswith("<") for t in view.tokens)
    assert "".join(t.text for t in view.tokens).replace("><", " ") == "<e9 be 8d>"
