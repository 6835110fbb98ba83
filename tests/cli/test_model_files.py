"""Model files as a new user meets them (issue 13, items 3, 4, 7, 10, 11): permissions under
the umask, config.json edits that must not be ignored, values of the wrong type named,
checkpoint folders and Hub names that resolve, and a full context that says so."""

import json
import os
import stat
from pathlib import Path

import pytest

from lmforge.errors import ConfigError, ModelNotFoundError
from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.io.registry import load_tokenizer, resolve
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer


def tiny_llama(max_positions: int = 64) -> Transformer:
    return Transformer(ModelConfig(arch="llama", vocab_size=49152, hidden_size=16,
                                   num_hidden_layers=1, num_attention_heads=2,
                                   intermediate_size=32, max_position_embeddings=max_positions))


@pytest.fixture
def saved(tmp_path) -> Path:
    save_hf_folder(tiny_llama(), tmp_path / "m")
    return tmp_path / "m"


def test_every_written_file_has_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        save_hf_folder(tiny_llama(), tmp_path / "m")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "m").iterdir()}
    assert modes == {"model.safetensors": 0o644, "config.json": 0o644,
                     "lmforge_config.json": 0o644}


def test_edited_config_json_is_not_silently_overridden(saved):
    hf = json.loads((saved / "config.json").read_text())
    hf["max_position_embeddings"] = 32
    (saved / "config.json").write_text(json.dumps(hf))
    with pytest.raises(ConfigError, match="disagree on max_position_embeddings .32 vs 64."):
        load_hf_folder(saved)
    (saved / "lmforge_config.json").unlink()  # the remedy the message names
    assert load_hf_folder(saved).config.max_position_embeddings == 32


def test_string_where_a_number_belongs_is_named(saved, cli):
    (saved / "lmforge_config.json").unlink()
    hf = json.loads((saved / "config.json").read_text())
    hf["hidden_size"] = "16"
    (saved / "config.json").write_text(json.dumps(hf))
    with pytest.raises(ConfigError, match="hidden_size: expected an integer, got '16'"):
        load_hf_folder(saved)
    out = cli("info", str(saved))
    assert out.returncode == 1 and "hidden_size" in out.stderr and "internal" not in out.stderr


def test_checkpoint_pointer_and_run_folder_resolve(tmp_path):
    run = tmp_path / "run"
    save_hf_folder(tiny_llama(), run / "checkpoints" / "step_000005")
    (run / "checkpoints" / "latest").write_text("step_000005\n")
    newest = run / "checkpoints" / "step_000005"
    assert resolve(str(run / "checkpoints" / "latest")) == newest
    assert resolve(str(run)) == newest
    with pytest.raises(ModelNotFoundError, match="without config.json"):
        resolve(str(tmp_path))
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ModelNotFoundError, match="neither a .gguf file nor a model folder"):
        resolve(str(tmp_path / "notes.txt"))


def test_bare_hub_names_are_hub_names(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="could not download 'gpt2' from the Hugging"):
        resolve("gpt2")
    with pytest.raises(ModelNotFoundError, match="not found"):
        resolve("a/b/c")


def test_a_misspelled_bundled_name_gets_a_suggestion_not_a_download(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a misspelled bundled name must not reach the Hub")

    monkeypatch.setattr("lmforge.io.registry.download_from_hub", no_network)
    with pytest.raises(ModelNotFoundError, match="did you mean 'smollm2-135m-instruct'"):
        resolve("smollm2-135m-instrcut")
    with pytest.raises(ModelNotFoundError, match="did you mean 'all-minilm-l6-v2'"):
        resolve("all-MiniLM-L6-v3")


def unreachable_hub(tmp_path) -> dict:
    """The environment of a machine whose Hub cannot be reached: a closed loopback port, an
    empty cache, and not the suite's HF_HUB_OFFLINE."""
    import socket

    with socket.socket() as s:  # a port nothing listens on: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return {"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": f"http://127.0.0.1:{port}",
            "HF_HOME": str(tmp_path / "hf")}


@pytest.mark.parametrize("name", ["Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf",
                                  "HuggingFaceTB/SmolLM2-360M-Instruct"])
def test_an_unreachable_hub_is_one_line_without_retries(cli, tmp_path, name):
    out = cli("tokenize", "hi", "--model", name, env=unreachable_hub(tmp_path))
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not download" in lines[0], out.stderr
    assert "Retry" not in out.stderr


@pytest.mark.slow
def test_full_context_is_said_on_stderr_and_keep_last(cli, tmp_path):
    model = tiny_llama(max_positions=32)
    save_hf_folder(model, tmp_path)
    save_hf_tokenizer(load_tokenizer("smollm2-135m-instruct"), tmp_path)
    out = cli("generate", "word " * 20, "--model", str(tmp_path), "--max-tokens", "100",
              "--ignore-eos")
    assert out.returncode == 0, out.stderr
    assert "context window is full (32 tokens; the prompt used" in out.stderr
    long = cli("generate", "word " * 100, "--model", str(tmp_path), "--max-tokens", "4",
               "--keep-last", "16", "--ignore-eos")
    assert long.returncode == 0, long.stderr
    assert "keeping its last 16" in long.stderr and "context window is full" not in long.stderr
    refused = cli("generate", "word " * 100, "--model", str(tmp_path))
    assert refused.returncode == 1 and "--keep-last" in refused.stderr


def test_gpt2_block_with_swiglu_keeps_its_gate(tmp_path):
    """recipes/char-shakespeare.yaml (GPT-2 block + SwiGLU) saved no gate weights, so its run
    folder could not be loaded by `lmforge generate --model runs/x` (found via the README)."""
    import torch

    config = ModelConfig(arch="gpt2", vocab_size=100, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=40, max_position_embeddings=64,
                         norm="layernorm", position="rope", mlp="swiglu", activation="silu")
    model = Transformer(config)
    model.init_weights()
    save_hf_folder(model, tmp_path)
    loaded = load_hf_folder(tmp_path).state_dict()
    assert all(torch.equal(v, loaded[k]) for k, v in model.state_dict().items())
