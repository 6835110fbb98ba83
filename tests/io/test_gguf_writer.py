"""write_gguf: SmolLM2 survives read -> write -> read, llama.cpp runs the written file and
agrees with transformers token for token, small llama/qwen2 models round-trip exactly."""

from pathlib import Path
from typing import Any

import jinja2
import pytest
import torch
from gguf import GGUFReader, GGUFValueType
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

from lmforge.errors import ConfigError, UnknownArchitectureError
from lmforge.io.gguf_reader import GGUFCheckpoint, read_gguf
from lmforge.io.gguf_writer import write_gguf

GREEDY_TOKENS = 16
MIN_AGREEING_TOKENS = 8


@pytest.fixture(scope="module")
def smollm2_ckpt(smollm2_gguf_path: Path) -> GGUFCheckpoint:
    """The bundled GGUF as read by lmforge (the session's `smollm2` fixture is the model)."""
    return read_gguf(smollm2_gguf_path)


@pytest.fixture(scope="module")
def tokenizer_metadata(smollm2_ckpt: GGUFCheckpoint) -> dict[str, Any]:
    return {k: v for k, v in smollm2_ckpt.metadata.items() if k.startswith("tokenizer.")}


@pytest.fixture(scope="module")
def f16_path(
    smollm2_ckpt: GGUFCheckpoint, tokenizer_metadata: dict[str, Any], tmp_path_factory
) -> Path:
    path = tmp_path_factory.mktemp("gguf") / "smollm2_ckpt-f16.gguf"
    write_gguf(
        path, smollm2_ckpt.hf_config, smollm2_ckpt.state_dict, tokenizer_metadata, name="SmolLM2"
    )
    return path


@pytest.fixture(scope="module")
def f16_readback(f16_path: Path) -> GGUFCheckpoint:
    return read_gguf(f16_path)


def test_f16_round_trip(smollm2_ckpt: GGUFCheckpoint, f16_readback: GGUFCheckpoint) -> None:
    assert f16_readback.hf_config == smollm2_ckpt.hf_config
    assert f16_readback.state_dict.keys() == smollm2_ckpt.state_dict.keys()
    for name, original in smollm2_ckpt.state_dict.items():
        expected = original.half().float() if original.dim() == 2 else original
        assert torch.equal(f16_readback.state_dict[name], expected), name
        assert f16_readback.tensor_types[name] == ("F16" if original.dim() == 2 else "F32")


@pytest.mark.slow
def test_f32_round_trip_is_exact(
    smollm2_ckpt: GGUFCheckpoint, tokenizer_metadata: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "smollm2_ckpt-f32.gguf"
    write_gguf(
        path, smollm2_ckpt.hf_config, smollm2_ckpt.state_dict, tokenizer_metadata, dtype="f32"
    )
    back = read_gguf(path)
    assert back.hf_config == smollm2_ckpt.hf_config
    assert set(back.tensor_types.values()) == {"F32"}
    for name, original in smollm2_ckpt.state_dict.items():
        assert torch.equal(back.state_dict[name], original), name


def test_metadata_has_llama_cpp_types(
    f16_path: Path, f16_readback: GGUFCheckpoint, tokenizer_metadata: dict[str, Any]
) -> None:
    fields = GGUFReader(f16_path).fields
    types = {key: [GGUFValueType(t).name for t in fields[key].types] for key in fields}
    assert types["tokenizer.ggml.token_type"] == ["ARRAY", "INT32"]
    assert types["tokenizer.ggml.tokens"] == ["ARRAY", "STRING"]
    assert types["tokenizer.ggml.bos_token_id"] == ["UINT32"]
    assert types["tokenizer.ggml.add_bos_token"] == ["BOOL"]
    assert types["llama.rope.freq_base"] == ["FLOAT32"]
    meta = f16_readback.metadata
    assert meta["general.name"] == "SmolLM2" and meta["general.file_type"] == 1  # MOSTLY_F16
    assert meta["llama.context_length"] == 8192 and meta["llama.rope.dimension_count"] == 64
    assert all(meta[key] == value for key, value in tokenizer_metadata.items())


def _greedy_transformers(ckpt: GGUFCheckpoint, prompt_ids: list[int], n: int) -> list[int]:
    model = LlamaForCausalLM(LlamaConfig(**ckpt.hf_config)).eval()
    model.load_state_dict(ckpt.state_dict, strict=False)
    model.tie_weights()
    ids = torch.tensor([prompt_ids])
    with torch.no_grad():
        for _ in range(n):  # the naive loop: full forward, argmax, append
            next_id = model(ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
    return ids[0, len(prompt_ids) :].tolist()


@pytest.mark.slow
def test_llama_cpp_greedy_matches_transformers(
    f16_path: Path, f16_readback: GGUFCheckpoint
) -> None:
    from llama_cpp import Llama

    template = f16_readback.metadata["tokenizer.chat_template"]
    messages = [{"role": "user", "content": "Write a short poem about the sea."}]
    prompt = (
        jinja2.Environment()
        .from_string(template)
        .render(messages=messages, add_generation_prompt=True)
    )
    llm = Llama(model_path=str(f16_path), n_ctx=512, n_threads=2, verbose=False)
    prompt_ids = llm.tokenize(prompt.encode(), add_bos=False, special=True)
    assert prompt_ids[:2] == [1, 9690]  # "<|im_start|>system": special tokens were parsed
    ours = []
    for token in llm.generate(prompt_ids, temp=0.0, top_k=1, reset=True):
        ours.append(token)
        if len(ours) == GREEDY_TOKENS:
            break
    reference = _greedy_transformers(f16_readback, prompt_ids, GREEDY_TOKENS)
    agreeing = next(
        (i for i, (a, b) in enumerate(zip(ours, reference, strict=True)) if a != b), len(ours)
    )
    print(f"llama.cpp vs transformers greedy: {agreeing}/{GREEDY_TOKENS} tokens agree")
    print(repr(llm.detokenize(ours).decode(errors="replace")))
    assert agreeing >= MIN_AGREEING_TOKENS, (ours, reference)


# --- small random models: both architectures, tied and untied -------------------------------

TINY = dict(
    vocab_size=128,
    hidden_size=64,
    intermediate_size=96,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=128,
    rope_theta=50000.0,
)


@pytest.mark.parametrize(
    "model_class, config",
    [
        (LlamaForCausalLM, LlamaConfig(**TINY, tie_word_embeddings=False)),
        (Qwen2ForCausalLM, Qwen2Config(**TINY, tie_word_embeddings=True)),
    ],
    ids=["llama-untied", "qwen2-tied"],
)
def test_small_model_round_trip(model_class, config, tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = model_class(config).eval()
    state_dict = model.state_dict()
    path = tmp_path / "tiny.gguf"
    write_gguf(path, config.to_dict(), state_dict, {"tokenizer.ggml.model": "gpt2"}, dtype="f32")
    back = read_gguf(path)
    assert back.arch == config.model_type
    assert back.hf_config["tie_word_embeddings"] == config.tie_word_embeddings
    for key in ("hidden_size", "num_hidden_layers", "num_key_value_heads", "rope_theta"):
        assert back.hf_config[key] == getattr(config, key, config.rope_parameters.get(key)), key
    assert back.hf_config["head_dim"] == TINY["hidden_size"] // TINY["num_attention_heads"]
    for name, tensor in back.state_dict.items():
        assert torch.equal(tensor, state_dict[name]), name
    if config.model_type == "qwen2":
        assert "model.layers.1.self_attn.k_proj.bias" in back.state_dict
    rebuilt = model_class(type(config)(**back.hf_config)).eval()
    rebuilt.load_state_dict(back.state_dict, strict=not config.tie_word_embeddings)
    rebuilt.tie_weights()
    ids = torch.tensor([[1, 5, 9, 77, 3, 120]])
    with torch.no_grad():
        assert torch.equal(rebuilt(ids).logits, model(ids).logits)


# --- bad input ---------------------------------------------------------------------------------


def test_bad_arguments_raise_named_errors(tmp_path: Path) -> None:
    config = LlamaConfig(**TINY).to_dict()
    weights = {"model.norm.weight": torch.ones(64)}
    with pytest.raises(ConfigError, match="dtype 'q3_k' is not supported; choose from f32, "
                       "f16, q8_0, q4_0, q4_1, q4_k"):
        write_gguf(tmp_path / "a.gguf", config, weights, {}, dtype="q3_k")
    with pytest.raises(UnknownArchitectureError, match="'mamba'.*llama, qwen2"):
        write_gguf(tmp_path / "a.gguf", {**config, "model_type": "mamba"}, weights, {})
    with pytest.raises(ConfigError, match="'model.rotary.inv_freq' has no GGUF name"):
        write_gguf(tmp_path / "a.gguf", config, {"model.rotary.inv_freq": torch.ones(4)}, {})


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "model.gguf"
    target.write_bytes(b"old contents")
    config = LlamaConfig(**TINY).to_dict()
    weights = {"model.norm.weight": torch.ones(64)}
    with pytest.raises(ConfigError, match="'general.name' does not start with 'tokenizer.'"):
        write_gguf(target, config, weights, {"general.name": "x"})
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.gguf"]
