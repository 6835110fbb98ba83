"""`lmforge export onnx` (issue 22.2): onnxruntime's logits equal lmforge's and transformers'
on the same fp32 weights, positions are real inputs, the KV-cache graph decodes token by token
to the same logits and greedy tokens, the graph holds only standard ONNX operators, the
tokenizer travels beside it, and models it cannot take are named in one line."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.io.onnx_export import export_onnx
from lmforge.io.onnx_session import OnnxDecoder
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

pytest.importorskip("onnxruntime", reason="pip install lmforge[onnx]")
TOLERANCE = 1e-3  # max |logit difference| (fp32 weights; measured ~1e-5 on the tiny model)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    text = ["the quick brown fox jumps over the lazy dog. " * 3, "hello world, the end.\n"]
    return Tokenizer(train_tokenizer(text, TokenizerTrainSettings(kind="bpe", vocab_size=300)),
                     eos_token="<|endoftext|>")


@pytest.fixture(scope="module")
def tiny(tokenizer) -> Transformer:
    """A Llama-style decoder with grouped-query attention (4 query heads, 2 kv heads)."""
    config = ModelConfig(arch="llama", vocab_size=tokenizer.vocab_size, hidden_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         intermediate_size=128, max_position_embeddings=128)
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.1)
    return model.eval()


@pytest.fixture(scope="module")
def exported(tiny, tokenizer, tmp_path_factory) -> dict[str, Path]:
    """"plain" and "kv": the tiny model exported without and with a KV cache."""
    root = tmp_path_factory.mktemp("onnx")
    return {kind: export_onnx(tiny, tokenizer, root / kind, kv_cache=kind == "kv")
            for kind in ("plain", "kv")}


def lmforge_logits(model, ids: np.ndarray, positions: np.ndarray | None = None) -> np.ndarray:
    with torch.no_grad():
        ids = torch.from_numpy(ids)
        positions = None if positions is None else torch.from_numpy(positions)
        return model.logits(model(ids, positions)).numpy()


IDS = np.array([[5, 17, 42, 99, 3, 250, 7], [1, 2, 3, 4, 5, 6, 7]], dtype=np.int64)


@pytest.mark.parametrize("kind", ["plain", "kv"])
def test_logits_equal_lmforge_and_transformers(exported, tiny, tmp_path, kind):
    from transformers import LlamaForCausalLM

    ours, _ = OnnxDecoder(exported[kind]).forward(IDS)
    assert np.abs(ours - lmforge_logits(tiny, IDS)).max() < TOLERANCE
    save_hf_folder(tiny, tmp_path / "hf")
    hf = LlamaForCausalLM.from_pretrained(tmp_path / "hf", dtype=torch.float32).eval()
    with torch.no_grad():
        theirs = hf(torch.from_numpy(IDS)).logits.numpy()
    assert np.abs(ours - theirs).max() < TOLERANCE
    assert np.abs(ours).max() > 0.1  # not a trivially small output


def test_positions_are_an_input(exported, tiny):
    # a gap after the third token: RoPE is relative, so only changed distances show
    positions = np.array([[0, 1, 2, 10, 11, 12, 13]] * 2)
    ours, _ = OnnxDecoder(exported["plain"]).forward(IDS, positions)
    assert np.abs(ours - lmforge_logits(tiny, IDS, positions)).max() < TOLERANCE
    consecutive, _ = OnnxDecoder(exported["plain"]).forward(IDS)
    assert np.abs(ours[:, 3:] - consecutive[:, 3:]).max() > 1e-2  # RoPE saw the positions
    assert np.abs(ours[:, :3] - consecutive[:, :3]).max() < TOLERANCE


def test_kv_cache_graph_decodes_step_by_step(exported, tiny):
    decoder = OnnxDecoder(exported["kv"])
    full = lmforge_logits(tiny, IDS)
    logits, present = decoder.forward(IDS[:, :4])  # the prompt, past of length 0
    assert len(present) == 2 * tiny.config.num_hidden_layers
    assert present[0].shape == (2, 2, 4, tiny.config.head_dim)  # (B, n_kv, P + T, D)
    assert np.abs(logits - full[:, :4]).max() < TOLERANCE
    for t in range(4, 7):  # then one token a step, feeding present back as past
        logits, present = decoder.forward(IDS[:, t:t + 1], past=present)
        assert present[0].shape[2] == t + 1
        assert np.abs(logits[:, 0] - full[:, t]).max() < TOLERANCE


def test_greedy_equals_lmforge_engine(exported, tiny, tokenizer):
    from lmforge.infer import Engine, SamplingParams

    prompt = tokenizer.encode("the quick brown", add_special=True, parse_special=False)
    params = SamplingParams(max_tokens=10, temperature=0.0, ignore_eos=True)
    expected = Engine(tiny, tokenizer).generate([prompt], params)[0].token_ids
    assert OnnxDecoder(exported["kv"]).greedy(prompt, 10) == expected
    assert OnnxDecoder(exported["plain"]).greedy(prompt, 10) == expected


def test_graph_is_standard_onnx_and_the_tokenizer_travels(exported, tokenizer):
    import onnx

    from lmforge.io.registry import load_tokenizer

    graph = onnx.load(str(exported["plain"] / "model.onnx"), load_external_data=False)
    domains = {node.domain for node in graph.graph.node}
    assert domains <= {"", "ai.onnx"}, domains  # no custom operators (no lmforge kernels)
    ops = {node.op_type for node in graph.graph.node}
    assert {"MatMul", "Softmax"} <= ops or {"MatMul", "Attention"} <= ops, ops
    onnx.checker.check_model(str(exported["plain"] / "model.onnx"))
    text = "the lazy dog, hello world"
    assert load_tokenizer(str(exported["plain"])).encode(text) == tokenizer.encode(text)


def test_models_it_cannot_take_are_named(tmp_path, tokenizer):
    from transformers import BertConfig

    from lmforge.io.hf_config import config_from_hf

    bert = Transformer(config_from_hf(BertConfig(
        vocab_size=300, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64).to_dict()))
    with pytest.raises(ConfigError, match="ONNX export takes decoder models; this one is "
                       "encoder .bert."):
        export_onnx(bert, tokenizer, tmp_path / "x")
    save_hf_folder(bert, tmp_path / "bert")
    save_hf_tokenizer(tokenizer, tmp_path / "bert")
    out = subprocess.run([sys.executable, "-m", "lmforge.cli", "export", "onnx",
                          str(tmp_path / "bert"), "--out", str(tmp_path / "x")],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"})
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 1 and len(lines) == 1, out.stderr
    assert "ONNX export takes decoder models; this one is encoder (bert)" in lines[0]
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_smollm2_logits_and_greedy(smollm2, hf_smollm2, tmp_path):
    """The bundled model, exported with its KV cache: logits equal lmforge's and
    transformers' on the same fp32 weights, and the cached greedy equals the Engine's."""
    import lmforge
    from lmforge.infer import Engine, SamplingParams

    lm = lmforge.load("smollm2-135m-instruct", quantize="none", fuse=False)
    folder = export_onnx(lm.model, lm.tokenizer, tmp_path / "smollm2", kv_cache=True)
    prompt = lm.tokenizer.encode_chat([{"role": "user", "content": "What is the capital of "
                                        "France?"}])
    ids = np.array([prompt], dtype=np.int64)
    decoder = OnnxDecoder(folder)
    ours, _ = decoder.forward(ids)
    diff_lmforge = np.abs(ours - lmforge_logits(smollm2.model, ids)).max()
    with torch.no_grad():
        theirs = hf_smollm2[0](torch.from_numpy(ids)).logits.numpy()
    diff_hf = np.abs(ours - theirs).max()
    print(f"SmolLM2 ONNX max |logit diff|: vs lmforge {diff_lmforge:.2e}, vs transformers "
          f"{diff_hf:.2e}")
    assert diff_lmforge < TOLERANCE and diff_hf < TOLERANCE
    params = SamplingParams(max_tokens=12, temperature=0.0, ignore_eos=True)
    expected = Engine(smollm2.model, smollm2.tokenizer).generate([prompt], params)[0].token_ids
    assert decoder.greedy(prompt, 12) == expected
