"""read_gguf: the bundled SmolLM2 GGUF matches transformers' own GGUF loader, every GGML type
dequantizes to the right values in the HF (out, in) shape, and bad files raise clear errors."""

from pathlib import Path

import numpy as np
import pytest
import torch
from gguf import GGMLQuantizationType, GGUFWriter
from gguf.quants import dequantize, quantize
from transformers import AutoConfig, LlamaConfig, LlamaForCausalLM

from lmforge.errors import ModelFileError, UnknownArchitectureError
from lmforge.io.gguf_reader import (
    GGUFCheckpoint,
    permute_qk,
    read_gguf,
    read_gguf_metadata,
    unpermute_qk,
)

Q = GGMLQuantizationType
NORM_ONLY = {"output_norm.weight": (np.ones(64, dtype=np.float32), None)}
PROMPT_IDS = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 2, 198]


@pytest.fixture(scope="module")
def smollm2_ckpt(smollm2_gguf_path: Path) -> GGUFCheckpoint:
    """The bundled GGUF as read by lmforge (the session's `smollm2` fixture is the model)."""
    return read_gguf(smollm2_gguf_path)


def write_tiny_gguf(
    path: Path,
    tensors: dict[str, tuple[np.ndarray, GGMLQuantizationType | None]],
    arch: str = "llama",
) -> Path:
    """A small GGUF with a 1-layer config and the given (array, raw GGML type) tensors."""
    writer = GGUFWriter(path, arch)
    writer.add_context_length(128)
    writer.add_embedding_length(64)
    writer.add_block_count(1)
    writer.add_feed_forward_length(128)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_layer_norm_rms_eps(1e-5)
    for name, (array, raw_dtype) in tensors.items():
        writer.add_tensor(name, array, raw_dtype=raw_dtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


# --- the real model ---------------------------------------------------------------------------


def test_config_matches_transformers(smollm2_ckpt: GGUFCheckpoint, smollm2_gguf_path: Path) -> None:
    ref = AutoConfig.from_pretrained(smollm2_gguf_path.parent, gguf_file=smollm2_gguf_path.name)
    cfg = smollm2_ckpt.hf_config
    assert smollm2_ckpt.arch == "llama"
    assert cfg["model_type"] == "llama" and cfg["architectures"] == ["LlamaForCausalLM"]
    assert (cfg["hidden_size"], cfg["num_hidden_layers"]) == (576, 30)
    assert (cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]) == (9, 3, 64)
    assert cfg["rope_theta"] == 100000.0 and cfg["tie_word_embeddings"] is True
    for key in (
        "hidden_size",
        "intermediate_size",
        "num_hidden_layers",
        "num_attention_heads",
        "num_key_value_heads",
        "head_dim",
        "max_position_embeddings",
        "rms_norm_eps",
        "vocab_size",
        "tie_word_embeddings",
        "bos_token_id",
        "eos_token_id",
    ):
        assert cfg[key] == getattr(ref, key), key
    assert cfg["rope_theta"] == ref.rope_parameters["rope_theta"]


def test_metadata_is_plain_python(smollm2_gguf_path: Path) -> None:
    meta = read_gguf_metadata(smollm2_gguf_path)
    assert meta["general.architecture"] == "llama"
    assert meta["llama.block_count"] == 30 and type(meta["llama.block_count"]) is int
    assert type(meta["llama.rope.freq_base"]) is float
    assert meta["tokenizer.ggml.add_bos_token"] is False
    assert len(meta["tokenizer.ggml.tokens"]) == 49152
    assert type(meta["tokenizer.ggml.tokens"][0]) is str
    assert type(meta["tokenizer.ggml.token_type"][0]) is int
    assert meta["tokenizer.chat_template"].startswith("{% for message in messages %}")


def test_tensor_types_are_recorded(smollm2_ckpt: GGUFCheckpoint) -> None:
    types = smollm2_ckpt.tensor_types
    assert types["model.embed_tokens.weight"] == "Q8_0"
    assert types["model.layers.0.self_attn.q_proj.weight"] == "Q4_1"
    assert types["model.norm.weight"] == "F32"
    assert len(types) == len(smollm2_ckpt.state_dict) == 272
    assert smollm2_ckpt.state_dict["model.layers.0.mlp.down_proj.weight"].shape == (576, 1536)
    assert smollm2_ckpt.state_dict["model.layers.0.self_attn.k_proj.weight"].shape == (192, 576)


@pytest.mark.slow
def test_logits_match_transformers_gguf_loader(smollm2_ckpt: GGUFCheckpoint, hf_smollm2) -> None:
    ours = LlamaForCausalLM(LlamaConfig(**smollm2_ckpt.hf_config)).eval()
    result = ours.load_state_dict(smollm2_ckpt.state_dict, strict=False)
    assert result.unexpected_keys == [] and result.missing_keys == ["lm_head.weight"]
    ref, _ = hf_smollm2  # AutoModelForCausalLM.from_pretrained(folder, gguf_file=..., fp32)
    ids = torch.tensor([PROMPT_IDS])
    with torch.no_grad():
        diff = (ours(ids).logits - ref(ids).logits).abs().max().item()
    print(f"max abs logits diff vs transformers' GGUF loader: {diff:.3e}")
    assert diff <= 1e-3


def test_qk_permutation_round_trips_and_pairs_rows() -> None:
    w = np.arange(2 * 8 * 3, dtype=np.float32).reshape(16, 3)  # 2 heads of size 8
    assert np.array_equal(unpermute_qk(permute_qk(w, 2), 2), w)
    # llama.cpp interleaves each head's halves: rows (0, 4, 1, 5, 2, 6, 3, 7) of head 0.
    assert permute_qk(w, 2)[:8, 0].tolist() == [0, 12, 3, 15, 6, 18, 9, 21]


# --- dequantization of every GGML type ---------------------------------------------------------

# Worst error allowed, relative to max |x|: about half a quantization step of each format.
QUANTIZABLE = {
    Q.F32: 0.0,
    Q.F16: 1e-3,
    Q.BF16: 4e-3,
    Q.Q8_0: 5e-3,
    Q.Q5_0: 0.035,
    Q.Q5_1: 0.035,
    Q.Q4_0: 0.07,
    Q.Q4_1: 0.07,
    Q.MXFP4: 0.25,
    Q.TQ2_0: 0.5,
    Q.TQ1_0: 0.5,
}


@pytest.mark.parametrize("qtype", list(QUANTIZABLE), ids=lambda t: t.name)
def test_quantized_tensor_reads_back_close(tmp_path: Path, qtype: GGMLQuantizationType) -> None:
    x = np.random.default_rng(0).standard_normal((3, 512)).astype(np.float32)  # (out, in)
    raw = quantize(x, qtype)
    raw_dtype = None if qtype in (Q.F32, Q.F16) else qtype
    path = write_tiny_gguf(tmp_path / "q.gguf", {"blk.0.ffn_up.weight": (raw, raw_dtype)})
    ckpt = read_gguf(path)
    got = ckpt.state_dict["model.layers.0.mlp.up_proj.weight"]
    assert got.shape == (3, 512) and got.dtype == torch.float32
    assert ckpt.tensor_types["model.layers.0.mlp.up_proj.weight"] == qtype.name
    assert torch.equal(got, torch.from_numpy(dequantize(raw, qtype).astype(np.float32)))
    err = np.abs(got.numpy() - x).max() / np.abs(x).max()
    assert err <= QUANTIZABLE[qtype], f"{qtype.name}: relative error {err:.4f}"


# K-quant super-blocks of 256 weights: byte size and where the fp16 scale fields sit.
K_QUANT_LAYOUT = {
    Q.Q2_K: (84, [80, 82]),  # scales[16] qs[64] d dmin
    Q.Q3_K: (110, [108]),  # hmask[32] qs[64] scales[12] d
    Q.Q4_K: (144, [0, 2]),  # d dmin scales[12] qs[128]
    Q.Q5_K: (176, [0, 2]),  # d dmin scales[12] qh[32] qs[128]
    Q.Q6_K: (210, [208]),  # ql[128] qh[64] scales[16] d
}


@pytest.mark.parametrize("qtype", list(K_QUANT_LAYOUT), ids=lambda t: t.name)
def test_k_quant_tensor_equals_gguf_dequantize(tmp_path: Path, qtype: GGMLQuantizationType) -> None:
    block_bytes, scale_offsets = K_QUANT_LAYOUT[qtype]
    rng = np.random.default_rng(1)
    out_features, blocks_per_row = 3, 2  # an (out=3, in=512) weight
    raw = rng.integers(0, 256, (out_features, blocks_per_row, block_bytes), dtype=np.uint8)
    scales = rng.uniform(0.001, 0.1, (out_features, blocks_per_row, len(scale_offsets)))
    scale_bytes = scales.astype(np.float16).view(np.uint8).reshape(*scales.shape, 2)
    for i, offset in enumerate(scale_offsets):
        raw[:, :, offset : offset + 2] = scale_bytes[:, :, i]
    raw = raw.reshape(out_features, blocks_per_row * block_bytes)
    path = write_tiny_gguf(tmp_path / "k.gguf", {"blk.0.ffn_down.weight": (raw, qtype)})
    got = read_gguf(path).state_dict["model.layers.0.mlp.down_proj.weight"]
    expected = torch.from_numpy(dequantize(raw, qtype).astype(np.float32))
    assert got.shape == (3, 512)
    assert torch.isfinite(got).all() and got.abs().max() > 0
    assert torch.equal(got, expected)


def test_read_dtype_is_applied(tmp_path: Path) -> None:
    x = np.random.default_rng(2).standard_normal((4, 64)).astype(np.float32)
    path = write_tiny_gguf(tmp_path / "f.gguf", {"token_embd.weight": (x, None)})
    got = read_gguf(path, dtype=torch.bfloat16).state_dict["model.embed_tokens.weight"]
    assert got.dtype == torch.bfloat16
    assert torch.equal(got, torch.from_numpy(x).to(torch.bfloat16))


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("keep_bytes", [1000, -1000], ids=["header", "tensor-data"])
def test_truncated_file(smollm2_gguf_path: Path, tmp_path: Path, keep_bytes: int) -> None:
    path = tmp_path / "truncated.gguf"
    with open(smollm2_gguf_path, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(keep_bytes % smollm2_gguf_path.stat().st_size))
    with pytest.raises(ModelFileError, match="truncated or corrupted") as info:
        read_gguf(path)
    assert str(path) in str(info.value)


def test_bad_magic(tmp_path: Path) -> None:
    good = write_tiny_gguf(tmp_path / "good.gguf", NORM_ONLY)
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"NOPE" + good.read_bytes()[4:])
    with pytest.raises(ModelFileError, match="not a GGUF file .bad magic") as info:
        read_gguf_metadata(bad)
    assert str(bad) in str(info.value)


def test_tensor_offset_beyond_end_of_file(tmp_path: Path) -> None:
    name = b"output_norm.weight"
    path = write_tiny_gguf(tmp_path / "o.gguf", NORM_ONLY)
    data = bytearray(path.read_bytes())
    # Tensor info: name, n_dims (u32), dims (u64 each), type (u32), data offset (u64).
    at = data.index(name) + len(name) + 4 + 8 * 1 + 4
    data[at : at + 8] = (10**9).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="beyond the end of the file") as info:
        read_gguf(path)
    assert str(path) in str(info.value)


def test_unknown_architecture(tmp_path: Path) -> None:
    path = write_tiny_gguf(tmp_path / "m.gguf", NORM_ONLY, arch="mamba-ish")
    with pytest.raises(UnknownArchitectureError, match="'mamba-ish'.*llama, qwen2") as info:
        read_gguf(path)
    assert str(path) in str(info.value)


def test_missing_file_and_missing_config_key(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no such GGUF file"):
        read_gguf(tmp_path / "absent.gguf")
    writer = GGUFWriter(tmp_path / "nocfg.gguf", "llama")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(ModelFileError, match="lacks required key 'llama.embedding_length'"):
        read_gguf(tmp_path / "nocfg.gguf")
