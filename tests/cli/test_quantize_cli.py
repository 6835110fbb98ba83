"""`lmforge quantize` end to end: a float folder becomes an int4 folder that `generate` runs
(the same greedy tokens as the library on the quantized weights); bad options are errors that
name the problem."""

import pytest
import torch

from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer


@pytest.fixture(scope="module")
def float_folder(tmp_path_factory):
    text = ["the quick brown fox jumps over the lazy dog. " * 3, "hello world, the end.\n"]
    tokenizer = Tokenizer(train_tokenizer(text, TokenizerTrainSettings(kind="bpe",
                                                                       vocab_size=300)),
                          eos_token="<|endoftext|>")
    config = ModelConfig(vocab_size=tokenizer.vocab_size, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=128,
                         max_position_embeddings=128)
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.3)
    folder = tmp_path_factory.mktemp("float")
    save_hf_folder(model, folder)
    save_hf_tokenizer(tokenizer, folder)
    return folder


def test_quantize_writes_a_folder_that_generate_runs(cli, float_folder, tmp_path):
    import lmforge
    from lmforge.infer import Engine, SamplingParams

    out = cli("quantize", str(float_folder), "--to", "int4", "--group-size", "64",
              "--out", str(tmp_path / "q4"))
    assert out.returncode == 0, out.stderr
    assert "int4 layers" in out.stderr and (tmp_path / "q4" / "model.safetensors").is_file()
    gen = cli("generate", "the quick", "-m", str(tmp_path / "q4"), "--max-tokens", "6",
              "--temperature", "0", "--ignore-eos")
    assert gen.returncode == 0, gen.stderr
    lm = lmforge.load(str(tmp_path / "q4"))
    ids = lm.tokenizer.encode("the quick", add_special=True, parse_special=False)
    params = SamplingParams(max_tokens=6, temperature=0.0, ignore_eos=True)
    expected = Engine(lm.model, lm.tokenizer).generate([ids], params)[0].text
    assert gen.stdout.rstrip("\n") == expected


def test_quantize_bad_options_are_named(cli, float_folder, tmp_path):
    bad = cli("quantize", str(float_folder), "--to", "int3", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--to must be int8 or int4" in bad.stderr
    bad = cli("quantize", str(float_folder), "--to", "int4", "--group-size", "48",
              "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--group-size" in bad.stderr
    # 128 does not divide the 64-wide projections: an input error naming the layer
    bad = cli("quantize", str(float_folder), "--to", "int4", "--group-size", "128",
              "--out", str(tmp_path / "x"))
    assert bad.returncode == 1 and "q_proj" in bad.stderr and "width 64" in bad.stderr
    assert not (tmp_path / "x").exists()
