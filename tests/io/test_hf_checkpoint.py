"""HF safetensors folders: GGUF -> folder -> transformers, and clear errors on bad files."""

import json

import pytest
import torch

import lmforge
from lmforge.errors import ModelFileError, ModelNotFoundError, UnknownArchitectureError
from lmforge.io.convert import convert
from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer

PROMPT = "The three primary colours are"


@pytest.fixture(scope="module")
def smollm2_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("smollm2-hf")
    convert("smollm2-135m-instruct", "safetensors", out, dtype="f32")
    return out


def test_gguf_to_safetensors_opens_in_transformers(smollm2, smollm2_folder):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    hf_tok = AutoTokenizer.from_pretrained(smollm2_folder)
    ids = smollm2.tokenizer.encode(PROMPT)
    assert hf_tok.encode(PROMPT, add_special_tokens=False) == ids
    hf_model = AutoModelForCausalLM.from_pretrained(smollm2_folder, dtype=torch.float32).eval()
    x = torch.tensor([ids])
    with torch.no_grad():
        diff = (hf_model(x).logits - smollm2.model.logits(smollm2.model(x))).abs().max().item()
    assert diff < 1e-4, diff


def test_folder_loads_back_in_lmforge(smollm2, smollm2_folder):
    again = lmforge.load(str(smollm2_folder))
    x = torch.tensor([smollm2.tokenizer.encode(PROMPT)])
    with torch.no_grad():
        assert torch.equal(again.model(x), smollm2.model(x))
    assert again.tokenizer.chat_template == smollm2.tokenizer.chat_template


def tiny_model() -> Transformer:
    torch.manual_seed(0)
    model = Transformer(ModelConfig(arch="llama", vocab_size=64, hidden_size=32,
                                    num_hidden_layers=2, num_attention_heads=4,
                                    num_key_value_heads=2, intermediate_size=64))
    model.init_weights()
    return model


def test_save_load_round_trip_is_exact(tmp_path):
    model = tiny_model()
    save_hf_folder(model, tmp_path)
    again = load_hf_folder(tmp_path)
    assert again.config == model.config
    for (k, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items(),
                              strict=True):
        assert torch.equal(a, b), k


def test_truncated_safetensors_is_a_clear_error(tmp_path):
    save_hf_folder(tiny_model(), tmp_path)
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ModelFileError, match="model.safetensors"):
        load_hf_folder(tmp_path)


def test_corrupted_header_is_a_clear_error(tmp_path):
    save_hf_folder(tiny_model(), tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"\xff" * 64)
    with pytest.raises(ModelFileError, match="not a valid safetensors"):
        load_hf_folder(tmp_path)


def test_wrong_shapes_are_named(tmp_path):
    save_hf_folder(tiny_model(), tmp_path)
    (tmp_path / "lmforge_config.json").unlink()
    config = json.loads((tmp_path / "config.json").read_text())
    config["intermediate_size"] = 48
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match="mlp.*shape"):
        load_hf_folder(tmp_path)


def test_unknown_architecture(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "rwkv"}))
    with pytest.raises(UnknownArchitectureError, match="rwkv"):
        load_hf_folder(tmp_path)


def test_missing_model_name():
    with pytest.raises(ModelNotFoundError, match="not found"):
        lmforge.load("./no-such-model")


def test_hub_name_without_network_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="Hugging Face Hub"):
        lmforge.load("some-org/some-model-that-is-not-cached")


def test_hybrid_without_transformers_class_is_not_mislabelled(tmp_path):
    """A GPT-2 block with RoPE has no transformers class: config.json must not claim gpt2."""
    from transformers import AutoConfig

    model = Transformer(ModelConfig(arch="gpt2", norm="layernorm", position="rope", mlp="gelu",
                                    activation="gelu", vocab_size=64, hidden_size=32,
                                    num_hidden_layers=1, num_attention_heads=4,
                                    intermediate_size=64))
    save_hf_folder(model, tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())["model_type"] == "lmforge-gpt2"
    with pytest.raises(ValueError):
        AutoConfig.from_pretrained(tmp_path)
    assert load_hf_folder(tmp_path).config == model.config
