"""Quantized GGUF written by lmforge (issue 22.1): the block formats as llama.cpp reads them.

Fast, on a tiny random Llama: the file's tensor types follow llama.cpp's mix; every tensor,
read back by the gguf package, dequantizes within its format's error of the source; the
blocks equal the gguf package's quantizers and ggml's own C reference (libggml-base from
llama-cpp-python) byte for byte; lmforge runs the file; a LoRA adapter goes straight to a
quantized file; bad options are one line. Slow, on the bundled SmolLM2: sizes against F16,
and llama.cpp's greedy continuation equals lmforge's on each file.
"""

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from gguf import GGMLQuantizationType as T
from gguf import GGUFReader
from gguf.quants import dequantize
from gguf.quants import quantize as gguf_quantize

from lmforge.io.convert import export_gguf
from lmforge.io.gguf_names import gguf_tensor_name
from lmforge.io.gguf_quantize import quantize_q4_k, tensor_types
from lmforge.io.gguf_reader import permute_qk
from lmforge.io.hf_checkpoint import lmforge_to_hf, save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

QUANTIZED = ("q8_0", "q4_0", "q4_1", "q4_k")
BASE_TYPE = {"f32": "F32", "f16": "F16", "q8_0": "Q8_0", "q4_0": "Q4_0", "q4_1": "Q4_1",
             "q4_k": "Q4_K"}
FILE_TYPE = {"f32": 0, "f16": 1, "q8_0": 7, "q4_0": 2, "q4_1": 3, "q4_k": 14}  # LlamaFileType


# -- the tiny model ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    text = ["the quick brown fox jumps over the lazy dog. " * 3, "hello world, the end.\n"]
    return Tokenizer(train_tokenizer(text, TokenizerTrainSettings(kind="bpe", vocab_size=300)),
                     eos_token="<|endoftext|>")


@pytest.fixture(scope="module")
def tiny(tokenizer) -> Transformer:
    """Rows of 256 and 512 weights: every block type (Q4_K's 256 too) divides them."""
    config = ModelConfig(arch="llama", vocab_size=tokenizer.vocab_size, hidden_size=256,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         intermediate_size=512, max_position_embeddings=128,
                         tie_word_embeddings=False)
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights()  # N(0, 0.02): a larger std makes the random model chaotic
    return model.eval()


@pytest.fixture(scope="module")
def written(tiny, tokenizer, tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    """dtype -> (file, the stored type of each tensor), written once for the module."""
    folder = tmp_path_factory.mktemp("gguf")
    return {dtype: (folder / f"tiny-{dtype}.gguf",
                    export_gguf(tiny, tokenizer, folder / f"tiny-{dtype}.gguf", dtype))
            for dtype in ("f32", "f16", *QUANTIZED)}


def source_in_gguf_layout(model: Transformer) -> dict[str, np.ndarray]:
    """GGUF name -> the float32 weights the writer starts from (llama q/k rows permuted)."""
    config = model.config
    hf = lmforge_to_hf({k: v.detach().float() for k, v in model.state_dict().items()}, config)
    arrays = {}
    for hf_name, tensor in hf.items():
        array = tensor.numpy()
        if hf_name.endswith(("q_proj.weight", "k_proj.weight")):
            heads = config.num_key_value_heads if "k_proj" in hf_name else \
                config.num_attention_heads
            array = permute_qk(array, heads)
        arrays[gguf_tensor_name("llama", hf_name)] = array
    return arrays


def stored_blocks(path: Path) -> dict[str, tuple[T, np.ndarray]]:
    """GGUF name -> (type, the tensor's bytes or floats as stored), by the gguf package."""
    return {t.name: (T(t.tensor_type), np.asarray(t.data)) for t in GGUFReader(path).tensors}


# -- the mix of types -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["f32", "f16", *QUANTIZED])
def test_types_follow_llama_cpp_mix(written, dtype):
    path, types = written[dtype]
    assert {name: kind.name for name, (kind, _) in stored_blocks(path).items()} == types
    four_bit = dtype in ("q4_0", "q4_1", "q4_k")
    assert types["output.weight"] == ("Q8_0" if four_bit else BASE_TYPE[dtype])
    assert types["token_embd.weight"] == BASE_TYPE[dtype]  # untied: the base type
    assert types["blk.1.ffn_down.weight"] == BASE_TYPE[dtype]
    assert types["blk.0.attn_norm.weight"] == types["output_norm.weight"] == "F32"
    field = GGUFReader(path).fields["general.file_type"]
    assert int(field.parts[field.data[0]][0]) == FILE_TYPE[dtype]


def test_tied_embedding_and_rows_the_blocks_do_not_divide():
    shapes = {"token_embd.weight": (300, 576), "blk.0.attn_q.weight": (576, 576),
              "blk.0.ffn_down.weight": (576, 1536), "blk.0.odd.weight": (8, 80),
              "blk.0.attn_norm.weight": (576,)}
    # tied (no output.weight): the embedding is the output matrix, kept in Q8_0
    assert {k: v.name for k, v in tensor_types(shapes, "q4_k").items()} == {
        "token_embd.weight": "Q8_0", "blk.0.attn_q.weight": "Q5_0",  # 576 % 256 != 0
        "blk.0.ffn_down.weight": "Q4_K", "blk.0.odd.weight": "F16",  # 80 % 32 != 0
        "blk.0.attn_norm.weight": "F32"}
    q8 = tensor_types(shapes, "q8_0")
    assert q8["token_embd.weight"] == q8["blk.0.ffn_down.weight"] == T.Q8_0
    assert q8["blk.0.odd.weight"] == T.F16


# -- values: within the format's error, bytes equal to the references -------------------------

def max_error_bound(kind: T, block: np.ndarray) -> np.ndarray:
    """The largest |dequantized - source| each format allows a block (blocks, block_size):
    half a step plus the fp16 rounding of the block's scales, or (Q4_0, whose grid
    -8d..7d cannot reach +8d) one step; Q4_K: one step of a 4-bit grid over the block."""
    lo, hi = block.min(axis=1), block.max(axis=1)
    amax = np.maximum(-lo, hi)
    return {
        T.F32: 0 * amax,
        T.F16: amax * 2**-11,
        T.Q8_0: (0.5 + 127 * 2**-11) * amax / 127,
        T.Q4_0: (1 + 8 * 2**-11) * amax / 8,
        T.Q4_1: (0.5 + 15 * 2**-11) * (hi - lo) / 15 + np.abs(lo) * 2**-11,
        T.Q4_K: (hi - lo) / 15,
    }[kind]


@pytest.mark.parametrize("dtype", ["f32", "f16", *QUANTIZED])
def test_every_tensor_dequantizes_within_its_format_error(written, tiny, dtype):
    source = source_in_gguf_layout(tiny)
    for name, (kind, data) in stored_blocks(written[dtype][0]).items():
        restored = dequantize(data, kind).reshape(source[name].shape)
        block = 256 if kind == T.Q4_K else 32 if source[name].ndim == 2 else 1
        original = source[name].reshape(-1, block)
        error = np.abs(restored.reshape(-1, block) - original).max(axis=1)
        bound = max_error_bound(kind, original)
        assert (error <= bound + 1e-7).all(), (name, kind.name, (error - bound).max())
        if kind in (T.Q4_0, T.Q4_1, T.Q4_K):  # and the typical error is well inside that
            relative = np.linalg.norm(restored - source[name]) / np.linalg.norm(source[name])
            assert relative < 0.12, (name, relative)


@pytest.mark.parametrize("dtype", ["q8_0", "q4_0", "q4_1"])
def test_blocks_equal_the_gguf_package_quantizer(written, tiny, dtype):
    source = source_in_gguf_layout(tiny)
    for name, (kind, data) in stored_blocks(written[dtype][0]).items():
        if kind not in (T.F32, T.F16):
            assert np.array_equal(data, gguf_quantize(source[name], kind)), name


def ggml_reference(kind: T, weights: np.ndarray) -> np.ndarray:
    """ggml's quantize_row_<type>_ref, the C reference, from llama-cpp-python's libggml."""
    import llama_cpp

    lib = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib",
                                   "libggml-base.so"))
    function = getattr(lib, f"quantize_row_{kind.name.lower().replace('_k', '_K')}_ref")
    function.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    weights = np.ascontiguousarray(weights, dtype=np.float32)
    block_size, block_bytes = {T.Q8_0: (32, 34), T.Q4_0: (32, 18), T.Q4_1: (32, 20),
                               T.Q4_K: (256, 144)}[kind]
    out = np.zeros((weights.shape[0], weights.shape[1] // block_size * block_bytes), np.uint8)
    function(weights.ctypes.data, out.ctypes.data, weights.size)
    return out


@pytest.mark.parametrize("dtype", QUANTIZED)
def test_blocks_equal_ggml_c_reference(written, tiny, dtype):
    source = source_in_gguf_layout(tiny)
    for name, (kind, data) in stored_blocks(written[dtype][0]).items():
        if kind not in (T.F32, T.F16):
            assert np.array_equal(data, ggml_reference(kind, source[name])), (name, kind.name)


@pytest.mark.parametrize("case", ["heavy-tailed", "one-sided", "flat and zero"])
def test_q4_k_equals_ggml_on_awkward_weights(case):
    rng = np.random.default_rng(1)
    weights = {"heavy-tailed": rng.standard_t(2, (16, 512)),
               "one-sided": np.abs(rng.standard_normal((16, 512))) + 3.0,
               "flat and zero": np.repeat([[0.0], [-0.5], [2.0]], 256, axis=1)}[case]
    weights = weights.astype(np.float32)
    assert np.array_equal(quantize_q4_k(weights), ggml_reference(T.Q4_K, weights))


# -- lmforge runs the files ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", QUANTIZED)
def test_lmforge_runs_the_quantized_file(written, tiny, dtype):
    import lmforge

    ids = torch.tensor([[5, 17, 42, 99, 3, 250, 7, 12]])
    with torch.no_grad():
        expected = tiny.logits(tiny(ids))
        lm = lmforge.load(str(written[dtype][0]))  # its blocks, as llama.cpp runs them
        got = lm.model.logits(lm.model(ids))
    cosine = torch.nn.functional.cosine_similarity(got.flatten(), expected.flatten(), dim=0)
    print(f"{dtype}: cosine of logits to the float model's {cosine:.5f}")
    # random N(0, 0.02) weights lose ~8% (relative RMS) in 4 bits; real ones lose less
    assert cosine > (0.999 if dtype == "q8_0" else 0.97), cosine


# -- the command: an adapter straight to a quantized file, bad input ------------------------------

def lmforge_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_adapter_goes_straight_to_a_quantized_file(tiny, tokenizer, tmp_path):
    import lmforge
    from lmforge.train.lora import LoRASettings, apply_lora, merge_and_unload, save_adapter

    save_hf_folder(tiny, tmp_path / "base")
    save_hf_tokenizer(tokenizer, tmp_path / "base")
    model = lmforge.load(str(tmp_path / "base"), quantize="none", fuse=False).model
    apply_lora(model, LoRASettings(rank=4, alpha=8.0, targets="q_proj|down_proj"))
    torch.manual_seed(1)
    for name, p in model.named_parameters():
        if "lora_B" in name:
            p.data.normal_(0, 0.2)  # a real update: B starts at zero
    save_adapter(model, tmp_path / "adapter")
    out = lmforge_cli("convert", str(tmp_path / "base"), "--to", "gguf", "--dtype", "q8_0",
                      "--adapter", str(tmp_path / "adapter"), "--out", str(tmp_path / "m.gguf"))
    assert out.returncode == 0, out.stderr
    merged = source_in_gguf_layout(merge_and_unload(model))
    base = source_in_gguf_layout(tiny)
    stored = stored_blocks(tmp_path / "m.gguf")
    for name in ("blk.0.attn_q.weight", "blk.1.ffn_down.weight"):
        assert np.array_equal(stored[name][1], gguf_quantize(merged[name], T.Q8_0)), name
        assert not np.array_equal(stored[name][1], gguf_quantize(base[name], T.Q8_0)), name
    assert np.array_equal(stored["blk.0.attn_k.weight"][1],  # not adapted: the base's
                          gguf_quantize(base["blk.0.attn_k.weight"], T.Q8_0))


def one_line(out: subprocess.CompletedProcess) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    return lines[0]


def test_unknown_dtype_is_a_usage_error(tmp_path):
    out = lmforge_cli("convert", "smollm2-135m-instruct", "--to", "gguf", "--dtype", "q3_k",
                      "--out", str(tmp_path / "x.gguf"))
    assert out.returncode == 2
    assert "unknown dtype 'q3_k' for gguf: use f32, f16, q8_0, q4_0, q4_1, q4_k" in one_line(out)
    out = lmforge_cli("convert", "smollm2-135m-instruct", "--to", "safetensors", "--dtype",
                      "q4_0", "--out", str(tmp_path / "x"))
    assert out.returncode == 2 and "for safetensors: use f32, f16" in one_line(out)
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_a_family_the_writer_cannot_map_is_named(tmp_path):
    out = lmforge_cli("convert", "all-minilm-l6-v2", "--to", "gguf", "--dtype", "q8_0",
                      "--out", str(tmp_path / "x.gguf"))
    assert out.returncode == 1
    assert "GGUF export supports llama, qwen2; this model is 'bert'" in one_line(out)
    assert not list(tmp_path.iterdir())
