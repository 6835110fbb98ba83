"""The bundled SmolLM2-135M-Instruct, loaded by lmforge, against transformers on the same GGUF."""

import torch

from lmforge.infer import Engine, SamplingParams

CHAT = [{"role": "user", "content": "What is the capital of France?"}]
STORY = [{"role": "user", "content": "Write a short story about a robot who learns to paint."}]


def test_config_read_from_gguf(smollm2):
    c = smollm2.model.config
    assert (c.arch, c.hidden_size, c.num_hidden_layers) == ("llama", 576, 30)
    assert (c.num_attention_heads, c.num_key_value_heads, c.head_dim) == (9, 3, 64)
    assert c.tie_word_embeddings


def test_logits_match_transformers(smollm2, hf_smollm2):
    hf_model, _ = hf_smollm2
    ids = torch.tensor([smollm2.tokenizer.encode_chat(CHAT)])
    with torch.no_grad():
        ours = smollm2.model.logits(smollm2.model(ids))
        ref = hf_model(ids).logits
    diff = (ours - ref).abs().max().item()
    assert diff <= 1e-3, diff


def test_greedy_64_tokens_match_transformers(smollm2, hf_smollm2):
    hf_model, _ = hf_smollm2
    prompt = smollm2.tokenizer.encode_chat(STORY)  # a reply longer than 64 tokens
    params = SamplingParams(max_tokens=64, temperature=0.0)
    ours = Engine(smollm2.model, smollm2.tokenizer).generate([prompt], params)[0].token_ids
    with torch.no_grad():
        ref = hf_model.generate(torch.tensor([prompt]), max_new_tokens=64,
                                do_sample=False)[0, len(prompt):].tolist()
    assert len(ours) == 64
    assert ours == ref


def test_chat_answers_paris(smollm2):
    engine = Engine(smollm2.model, smollm2.tokenizer)
    prompt = smollm2.tokenizer.encode_chat(CHAT)
    out = engine.generate([prompt], SamplingParams(max_tokens=24, temperature=0.0))[0]
    assert "Paris" in out.text
    assert out.finish_reason == "stop"
