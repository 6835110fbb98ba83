"""The end-to-end tuned harm classifier: its adapted blocks are views that share the chat
model's weights and leave it unchanged, at zero adapters it reads exactly the model's own
final states, training separates a tiny labelled set and moves no weight of the model, and
a saved classifier scores the same after loading."""

import pytest
import torch
from conftest import development_sample

from lmforge.safety import check
from lmforge.safety.harm_tuned import (
    TunedHarmClassifier,
    TunedTop,
    adapted_view,
    encode,
    label_weights,
    train_top,
)
from lmforge.safety.probe import hidden_features
from lmforge.train.lora import LoRALinear

HARM = ["yes yes yes", "yes is yes", "是是是是", "是就是是"]
BENIGN = ["no no no", "no is no", "不不不不", "不就是不"]


def test_an_adapted_view_shares_the_weights_and_leaves_the_block_alone(tiny_lm):
    model, _ = tiny_lm
    block = model.decoder.layers[1]
    view = adapted_view(block, rank=4, scaling=2.0)
    assert not any(isinstance(m, LoRALinear) for m in block.modules())
    linears = [m for m in block.modules() if isinstance(m, torch.nn.Linear)]
    adapted = [m for m in view.modules() if isinstance(m, LoRALinear)]
    assert [m.base for m in adapted] == linears  # every linear, the block's own object
    assert view.attn_norm.weight is block.attn_norm.weight
    x = torch.randn(2, 5, model.config.hidden_size)
    rope = model.decoder.rotary(torch.arange(5)[None].expand(2, -1), x.dtype)
    before = block(x, None, rope=rope, is_causal=True)
    assert torch.equal(view(x, None, rope=rope, is_causal=True), before)  # B starts at zero
    torch.nn.init.normal_(view.mlp.down_proj.lora_B.weight)
    assert not torch.allclose(view(x, None, rope=rope, is_causal=True), before)
    assert torch.equal(block(x, None, rope=rope, is_causal=True), before)


def test_at_zero_adapters_the_head_reads_the_models_own_final_states(tiny_lm):
    model, tokenizer = tiny_lm
    texts = HARM + BENIGN + ["a longer request than the others, to pad the batch"]
    top = TunedTop(model, split=1, labels=["benign", "hate"], rank=4)
    seen = []
    top.head.register_forward_hook(lambda module, inputs, output: seen.append(inputs[0]))
    top(top.lower(encode(tokenizer, texts)))
    expected = hidden_features(model, tokenizer, texts)  # the probe's mean and last state
    torch.testing.assert_close(seen[0], expected, atol=1e-5, rtol=1e-5)


def test_training_separates_the_labels_and_moves_no_model_weight(tiny_lm, tmp_path):
    model, tokenizer = tiny_lm
    weights = {n: p.detach().clone() for n, p in model.named_parameters()}
    losses = []
    top = train_top(model, tokenizer, HARM + BENIGN, ["hate"] * 4 + ["benign"] * 4, split=1,
                    rank=4, epochs=30, lr=1e-2, batch_size=4,
                    progress=lambda step, steps, loss: losses.append(loss))
    assert len(losses) == 60 and sum(losses[-6:]) < 0.2 * sum(losses[:6])
    assert all(torch.equal(p, weights[n]) for n, p in model.named_parameters())
    assert all(p.requires_grad for p in model.parameters())  # given back as they were
    clf = TunedHarmClassifier(model, tokenizer, top)
    harm, _ = clf.harm_scores(HARM + BENIGN)
    assert (harm[:4] > 0.5).all() and (harm[4:] < 0.5).all()
    assert [check(t, "input", classifiers=[clf]).allowed for t in HARM + BENIGN] == \
        [False] * 4 + [True] * 4
    top.thresholds["zh"] = 1.5  # above every score: Chinese requests pass
    clf.save(tmp_path / "t.safetensors")
    again = TunedHarmClassifier.load(model, tokenizer, tmp_path / "t.safetensors")
    assert again.head.thresholds == {"en": 0.5, "zh": 1.5}
    assert again.harm_scores(HARM + BENIGN)[0].tolist() == pytest.approx(harm.tolist(),
                                                                         abs=1e-6)
    assert check("是是是是", "input", classifiers=[again]).allowed
    # a score does not depend on the other texts scored with it (thresholds sit in the last
    # digits of a saturated softmax)
    amid = again.harm_scores(["a much longer request that pads the others", HARM[1]])[0]
    assert amid[1].item() == again.harm_scores([HARM[1]])[0].item()


def test_the_clipped_gradient_bounds_each_step(tiny_lm):
    """Clipped at 1, training still separates the labels; clipped far below Adam's epsilon,
    each step is too small to move the loss: the clip is applied before the update."""
    model, tokenizer = tiny_lm

    def losses(max_grad_norm):
        seen = []
        train_top(model, tokenizer, HARM + BENIGN, ["hate"] * 4 + ["benign"] * 4, split=1,
                  rank=4, epochs=15, lr=1e-2, batch_size=4, max_grad_norm=max_grad_norm,
                  progress=lambda step, steps, loss: seen.append(loss))
        return sum(seen[:4]), sum(seen[-4:])

    first, last = losses(1.0)
    assert last < 0.5 * first
    first, last = losses(1e-12)
    assert last == pytest.approx(first, rel=0.05)


def test_label_weights_give_each_label_or_benign_its_share_of_the_loss():
    target = torch.tensor([0] * 70 + [1] * 10 + [2] * 20)  # benign, then two harmful labels

    def shares(weight):
        mass = torch.stack([weight[target][target == i].sum() for i in range(3)])
        return (mass / mass.sum()).tolist()

    assert shares(label_weights(target, 3)) == pytest.approx([1 / 3] * 3)
    assert shares(label_weights(target, 3, 0.5)) == pytest.approx([0.5, 0.25, 0.25])
    assert shares(label_weights(target, 3, 0.8)) == pytest.approx([0.8, 0.1, 0.1])
    with pytest.raises(ValueError, match="benign_share"):
        label_weights(target, 3, 1.0)


def test_bad_files_splits_and_labels_are_errors(tiny_lm, tmp_path):
    from lmforge.errors import LmforgeError
    from lmforge.safety.harm_classifier import HarmClassifier, train_head

    model, tokenizer = tiny_lm
    with pytest.raises(LmforgeError, match="does not exist"):
        TunedHarmClassifier.load(model, tokenizer, tmp_path / "missing.safetensors")
    texts = HARM[:2] + BENIGN[:2]
    HarmClassifier(model, tokenizer, train_head(
        hidden_features(model, tokenizer, texts), texts, ["hate"] * 2 + ["benign"] * 2,
        epochs=2)).save(tmp_path / "linear.safetensors")
    with pytest.raises(LmforgeError, match="not an lmforge tuned harm classifier"):
        TunedHarmClassifier.load(model, tokenizer, tmp_path / "linear.safetensors")
    with pytest.raises(ValueError, match="split must be in"):
        TunedTop(model, split=2, labels=["benign", "hate"])
    with pytest.raises(ValueError, match="needs 'benign'"):
        train_top(model, tokenizer, HARM[:2], ["a", "b"], split=1)


def test_the_shipped_classifier_reads_the_bundled_model():
    """On the bundled SmolLM2 (int4, as chat loads it), the shipped adapters catch most of
    the development sets' harmful requests and pass their benign ones, through `check`, in
    both languages (there: 88-92% caught, 1.5-1.7% benign blocked; docs/safety.md)."""
    import lmforge

    lm = lmforge.load("smollm2-135m-instruct")
    clf = TunedHarmClassifier.load(lm.model, lm.tokenizer)
    assert clf.head.split == 18 and clf.head.labels[0] == "benign"
    for lang in ("en", "zh"):
        harmful, benign = development_sample(lang)
        blocked = [not check(t, "input", classifiers=[clf]).allowed for t in harmful + benign]
        assert sum(blocked[:24]) >= 18 and sum(blocked[24:]) <= 1, (lang, blocked)
