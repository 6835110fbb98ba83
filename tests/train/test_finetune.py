"""Fine-tuning end to end through `finetune()` on a tiny model folder: SFT with LoRA writes a
PEFT adapter + metrics; the same run under 2-process torchrun gives the same losses; DPO and
RM runs write their outputs; bad recipes fail clearly."""

import json
import subprocess
import sys

import pytest
from finetune_helpers import chat_tokenizer, tiny_llama

from lmforge.errors import ConfigError
from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.train.finetune import finetune
from lmforge.train.metrics import read_metrics

COMMON = dict(max_steps=6, batch_size=4, block_size=96, log_every=2, eval_every=6,
              eval_batches=2, progress=False, tensorboard=False, device="cpu", lr=3e-3,
              warmup_steps=1, seed=0)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("base")
    save_hf_folder(tiny_llama(chat_tokenizer().vocab_size), folder)
    save_hf_tokenizer(chat_tokenizer(), folder)
    return folder


def test_sft_lora_writes_adapter_and_metrics(tmp_path, base):
    out = tmp_path / "sft"
    final = finetune(None, objective="sft", model=str(base), data="synthetic:instructions:80",
                     out_dir=str(out), lora_rank=4, format_check="answer_tags",
                     sample_prompts=2, sample_tokens=8, **COMMON)
    for name in ("adapter_model.safetensors", "adapter_config.json", "metrics.csv",
                 "loss.png", "tokenizer.json"):
        assert (out / name).is_file(), name
    assert "val_format_share" in final and "val_token_accuracy" in final
    assert read_metrics(out / "metrics.csv")[-1]["val_loss"] != ""


def test_dpo_and_rm_runs(tmp_path, base):
    dpo = finetune(None, objective="dpo", model=str(base), data="synthetic:preferences:40",
                   out_dir=str(tmp_path / "dpo"), lora_rank=4, **COMMON)
    assert "val_accuracy" in dpo and (tmp_path / "dpo" / "adapter_config.json").is_file()
    rm = finetune(None, objective="reward", model=str(base), data="synthetic:preferences:40",
                  out_dir=str(tmp_path / "rm"), **COMMON)
    assert "val_accuracy" in rm
    from lmforge.train.reward_model import RewardModel

    score = RewardModel.load(tmp_path / "rm").score("What is 2 plus 2?", "4.")
    assert isinstance(score, float)


def test_bad_settings_are_clear(tmp_path, base):
    with pytest.raises(ConfigError, match="unknown setting 'lora_rnak'"):
        finetune(None, objective="sft", lora_rnak=4)
    with pytest.raises(ConfigError, match="qlora needs LoRA adapters"):
        finetune(None, objective="sft", qlora=True, data="x.jsonl")
    with pytest.raises(ConfigError, match="'nomatch' matches no linear module"):
        finetune(None, objective="sft", model=str(base), data="synthetic:instructions:40",
                 out_dir=str(tmp_path / "x"), lora_rank=4, lora_targets="nomatch", **COMMON)


@pytest.mark.slow
def test_two_process_sft_equals_one(tmp_path, base):
    args = ["--objective", "sft", "--model", str(base), "--data", "synthetic:instructions:80",
            "--lora_rank", "4"]
    for k, v in {**COMMON, "eval_every": 0}.items():
        args += [f"--{k}", str(v)]
    one = finetune(None, objective="sft", model=str(base), data="synthetic:instructions:80",
                   out_dir=str(tmp_path / "one"), lora_rank=4, **{**COMMON, "eval_every": 0})
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
           "--standalone", "-m", "lmforge.cli", "sft", *args,
           "--out_dir", str(tmp_path / "two"), "--strategy", "ddp"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    two = json.loads(result.stdout.strip().splitlines()[-1])
    rows_one = read_metrics(tmp_path / "one" / "metrics.csv")
    rows_two = read_metrics(tmp_path / "two" / "metrics.csv")
    assert [r["step"] for r in rows_one] == [r["step"] for r in rows_two]
    for a, b in zip(rows_one, rows_two, strict=True):
        assert float(a["train_loss"]) == pytest.approx(float(b["train_loss"]), abs=1e-5)
    assert two["train_loss"] == pytest.approx(one["train_loss"], abs=1e-5)


def test_cli_adapter_and_merge(tmp_path, base):
    """`generate --adapter` applies it (another base: exit 1, named); `merge` writes a full
    model whose logits equal base + adapter."""
    import torch
    from test_lora import with_random_adapters
    from typer.testing import CliRunner

    from lmforge.cli.app import app
    from lmforge.io.registry import load
    from lmforge.train.lora import save_adapter

    model = with_random_adapters(load(str(base), fuse=False).model.eval())
    save_adapter(model, tmp_path / "adapter", base_name=str(base))
    runner = CliRunner()
    args = ["generate", "What is 2 plus 3?", "--chat", "--model", str(base), "--max-tokens",
            "4", "--temperature", "0"]
    plain = runner.invoke(app, args)
    tuned = runner.invoke(app, [*args, "--adapter", str(tmp_path / "adapter")])
    assert plain.exit_code == 0 and tuned.exit_code == 0, tuned.output
    other = tmp_path / "other"
    save_hf_folder(tiny_llama(chat_tokenizer().vocab_size, seed=5), other)
    save_hf_tokenizer(chat_tokenizer(), other)
    wrong = runner.invoke(app, ["generate", "hi", "--model", str(other), "--adapter",
                                str(tmp_path / "adapter"), "--max-tokens", "2"])
    assert wrong.exit_code != 0 and "made for another base" in str(wrong.exception)
    result = runner.invoke(app, ["merge", str(base), str(tmp_path / "adapter"), "--out",
                                 str(tmp_path / "merged")])
    assert result.exit_code == 0, result.output
    merged = load(str(tmp_path / "merged")).model.eval()
    ids = torch.tensor([[5, 9, 13, 2, 77]])
    with torch.no_grad():
        torch.testing.assert_close(merged.logits(merged(ids)), model.logits(model(ids)),
                                   atol=1e-5, rtol=1e-5)


@pytest.mark.slow
def test_serve_lists_an_adapter_under_its_own_id(tmp_path, base):
    """`serve --adapter DIR`: /v1/models lists DIR's name with the base as `parent` (as vLLM
    lists a LoRA module), and requests naming it are served (issue 24, item 4)."""
    import os
    import signal

    import httpx
    from test_lora import with_random_adapters

    from lmforge.io.registry import load
    from lmforge.train.lora import save_adapter

    model = with_random_adapters(load(str(base), fuse=False).model.eval())
    save_adapter(model, tmp_path / "my-lora", base_name=str(base))
    server = subprocess.Popen(
        [sys.executable, "-m", "lmforge.cli", "serve", "--model", str(base), "--adapter",
         str(tmp_path / "my-lora"), "--embedding-model", "none", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "LMFORGE_API_KEY": ""})
    try:
        first = server.stdout.readline()
        assert first.startswith("listening on "), server.stderr.read()[-2000:]
        url = first.split()[-1]
        cards = httpx.get(f"{url}/v1/models").json()["data"]
        assert [(c["id"], c["parent"]) for c in cards] == [("my-lora", str(base))]
        for name in ("my-lora", str(base)):  # one set of weights: both ids get the adapter
            reply = httpx.post(f"{url}/v1/completions", timeout=60, json={
                "model": name, "prompt": "What is", "max_tokens": 2, "temperature": 0})
            assert reply.status_code == 200 and reply.json()["model"] == name, reply.text
        other = httpx.post(f"{url}/v1/completions", json={"model": "x", "prompt": "hi"})
        assert other.status_code == 404 and "my-lora" in other.json()["error"]["message"]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
