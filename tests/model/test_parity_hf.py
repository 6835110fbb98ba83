"""Numerical parity with transformers on tiny random models, one per family (fp32)."""

import pytest
import torch
import transformers as tf

from lmforge.io.hf_checkpoint import hf_to_lmforge, lmforge_to_hf
from lmforge.io.hf_config import config_from_hf
from lmforge.model.transformer import Transformer

TOL = 1e-4
V, T = 97, 11


def build(hf_model) -> Transformer:
    config = config_from_hf(hf_model.config.to_dict())
    model = Transformer(config).eval()
    state = hf_to_lmforge(hf_model.state_dict(), config.arch)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected
    assert set(missing) <= {"lm_head.weight"}
    return model


def randomize(hf_model):
    """Non-trivial norms and biases too, so a wrong mapping cannot hide behind ones/zeros."""
    torch.manual_seed(0)
    with torch.no_grad():
        for p in hf_model.parameters():
            p.normal_(0, 0.2 if p.dim() > 1 else 0.5).add_(1.0 if p.dim() == 1 else 0.0)
    return hf_model.eval()


def ids(batch=2, length=T):
    return torch.randint(0, V, (batch, length), generator=torch.Generator().manual_seed(1))


def max_diff(a, b):
    return (a - b).abs().max().item()


def causal_lm_case(hf_model):
    hf_model = randomize(hf_model)
    model = build(hf_model)
    x = ids()
    with torch.no_grad():
        ref = hf_model(x).logits
        ours = model.logits(model(x))
    assert max_diff(ours, ref) < TOL, max_diff(ours, ref)
    # export goes back to exactly the HF names and tensors
    back = lmforge_to_hf(model.state_dict(), model.config)
    hf_state = {k: v for k, v in hf_model.state_dict().items() if k in back}
    assert set(back) == set(hf_state)
    assert all(torch.equal(back[k], hf_state[k]) for k in back)


def test_gpt2():
    cfg = tf.GPT2Config(vocab_size=V, n_embd=32, n_layer=2, n_head=4, n_positions=64)
    causal_lm_case(tf.GPT2LMHeadModel(cfg))


def test_llama_gqa():
    cfg = tf.LlamaConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         tie_word_embeddings=False, rope_theta=500.0)
    causal_lm_case(tf.LlamaForCausalLM(cfg))


def test_llama_tied_rope_scaling():
    cfg = tf.LlamaConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1,
                         tie_word_embeddings=True,
                         rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0,
                                          "factor": 8.0, "low_freq_factor": 1.0,
                                          "high_freq_factor": 4.0,
                                          "original_max_position_embeddings": 8})
    causal_lm_case(tf.LlamaForCausalLM(cfg))


def test_qwen2():
    cfg = tf.Qwen2Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         tie_word_embeddings=False)
    causal_lm_case(tf.Qwen2ForCausalLM(cfg))


def test_bert_hidden_states_and_mlm_logits():
    cfg = tf.BertConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, max_position_embeddings=64,
                        architectures=["BertForMaskedLM"])
    hf_model = randomize(tf.BertForMaskedLM(cfg))
    model = build(hf_model)
    x = ids()
    mask = torch.ones_like(x)
    mask[1, 7:] = 0  # padding in the second row
    types = torch.zeros_like(x)
    types[:, 5:] = 1
    with torch.no_grad():
        ref = hf_model(x, attention_mask=mask, token_type_ids=types, output_hidden_states=True)
        hidden = model(x, attention_mask=mask, token_type_ids=types)
        logits = model.logits(hidden)
    real = mask.bool()
    assert max_diff(hidden[real], ref.hidden_states[-1][real]) < TOL
    assert max_diff(logits[real], ref.logits[real]) < TOL


@pytest.mark.parametrize("proj", ["relu", "gated-gelu"])
def test_t5(proj):
    cfg = tf.T5Config(vocab_size=V, d_model=32, d_kv=8, d_ff=64, num_layers=2,
                      num_decoder_layers=3, num_heads=4, feed_forward_proj=proj,
                      relative_attention_num_buckets=8, relative_attention_max_distance=16,
                      decoder_start_token_id=0)
    hf_model = randomize(tf.T5ForConditionalGeneration(cfg))
    model = build(hf_model)
    src, tgt = ids(length=13), ids(length=7)
    src_mask = torch.ones_like(src)
    src_mask[0, 10:] = 0
    with torch.no_grad():
        ref = hf_model(input_ids=src, attention_mask=src_mask, decoder_input_ids=tgt)
        memory = model.encode(src, src_mask)
        logits = model.logits(model(tgt, encoder_hidden=memory, encoder_mask=src_mask))
    assert max_diff(logits, ref.logits) < TOL, max_diff(logits, ref.logits)


@pytest.mark.parametrize("proj", ["relu", "gated-gelu"])
def test_t5_saved_folder_opens_in_transformers(tmp_path, proj):
    from lmforge.io.hf_checkpoint import save_hf_folder

    cfg = tf.T5Config(vocab_size=V, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
                      feed_forward_proj=proj, decoder_start_token_id=0)
    hf_model = randomize(tf.T5ForConditionalGeneration(cfg))
    save_hf_folder(build(hf_model), tmp_path)
    again = tf.T5ForConditionalGeneration.from_pretrained(tmp_path).eval()
    src, tgt = ids(length=9), ids(length=5)
    with torch.no_grad():
        a = again(input_ids=src, decoder_input_ids=tgt).logits
        b = hf_model(input_ids=src, decoder_input_ids=tgt).logits
    assert max_diff(a, b) < TOL


@pytest.mark.parametrize("family", ["gpt2", "qwen2", "bert"])
def test_saved_folder_opens_in_transformers(tmp_path, family):
    from lmforge.io.hf_checkpoint import save_hf_folder

    hf_model = randomize({
        "gpt2": lambda: tf.GPT2LMHeadModel(tf.GPT2Config(vocab_size=V, n_embd=32, n_layer=2,
                                                         n_head=4, n_positions=64)),
        "qwen2": lambda: tf.Qwen2ForCausalLM(tf.Qwen2Config(
            vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=False)),
        "bert": lambda: tf.BertForMaskedLM(tf.BertConfig(
            vocab_size=V, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
            intermediate_size=64, max_position_embeddings=64,
            architectures=["BertForMaskedLM"])),
    }[family]())
    save_hf_folder(build(hf_model), tmp_path)
    again = type(hf_model).from_pretrained(tmp_path).eval()
    x = ids()
    with torch.no_grad():
        assert max_diff(again(x).logits, hf_model(x).logits) < TOL
