"""The command-line contract, run as real subprocesses the way scripts call `lmforge`."""

import json
import subprocess
import sys

import pytest
import torch

from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.io.registry import load_tokenizer
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer


def lmforge(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_tokenize_json_matches_the_tokenizer():
    text = "Hello 世界 🎉 <|im_start|>"
    out = lmforge("tokenize", text, "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    tok = load_tokenizer("smollm2-135m-instruct")
    assert result["ids"] == tok.encode(text)
    assert result["tokens"] == tok.tokens(result["ids"])


def test_generate_chat_greedy_prints_only_the_answer():
    out = lmforge("generate", "What is the capital of France?", "--chat", "--temperature", "0",
                  "--max-tokens", "24")
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout
    assert "tokens/s" in out.stderr and "tokens/s" not in out.stdout


def test_chat_with_piped_stdin_answers_paris_and_keeps_history():
    out = lmforge("chat", "--max-tokens", "40", stdin=(
        "What is the capital of France?\nAnd what is the capital of Italy?\n/reset\n"
        "/system You are a pirate.\nSay hello in one sentence.\n"))
    assert out.returncode == 0, out.stderr
    replies = out.stdout.strip().splitlines()
    assert "Paris" in replies[0] and "Rome" in replies[1]
    assert "conversation cleared" in out.stderr and "system message set" in out.stderr
    assert any(w in out.stdout.lower() for w in ("pirate", "captain", "ahoy", "matey"))


def test_embed_prints_normalized_vectors():
    out = lmforge("embed", "a cat", "a kitten", "--model", "all-minilm-l6-v2")
    assert out.returncode == 0, out.stderr
    vectors = torch.tensor(json.loads(out.stdout))
    assert vectors.shape == (2, 384)
    assert torch.allclose(vectors.norm(dim=-1), torch.ones(2), atol=1e-5)


def test_info_reports_parameters():
    out = lmforge("info", "smollm2-135m-instruct")
    assert out.returncode == 0, out.stderr
    assert "134,515,008" in out.stdout and "llama" in out.stdout


@pytest.mark.parametrize("args, needle", [
    (["--top-p", "1.5"], "top_p"),
    (["--temperature", "-1"], "temperature"),
    (["--top-k", "0"], "top_k"),
    (["--model", "./missing-model"], "not found"),
    (["--model", "no-such-org/no-such-model"], "Hugging Face Hub"),
    (["--dtype", "int3"], "--dtype"),
    (["--no-such-option", "1"], "--no-such-option"),
])
def test_bad_input_is_one_clear_line(args, needle, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = lmforge("generate", "hi", *args)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_prompt_longer_than_the_context(tmp_path):
    tok = load_tokenizer("smollm2-135m-instruct")
    model = Transformer(ModelConfig(arch="llama", vocab_size=tok.vocab_size, hidden_size=16,
                                    num_hidden_layers=1, num_attention_heads=2,
                                    intermediate_size=32, max_position_embeddings=32))
    save_hf_folder(model, tmp_path)
    save_hf_tokenizer(tok, tmp_path)
    out = lmforge("generate", "word " * 100, "--model", str(tmp_path))
    assert out.returncode != 0
    assert "context" in out.stderr and "Traceback" not in out.stderr
    debug = lmforge("generate", "word " * 100, "--model", str(tmp_path), "--debug")
    assert "Traceback" in debug.stderr
