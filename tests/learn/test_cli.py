"""`lmforge learn ...` and `lmforge viz next --json` through the real entry point (in
process, the model loader swapped for a tiny model or the session's SmolLM2)."""

import importlib
import json
import math
import sys
from types import SimpleNamespace

import pytest

import lmforge.cli  # noqa: F401  (registers every command)
from lmforge.infer import SamplingParams

cli_app = importlib.import_module("lmforge.cli.app")  # the module (lmforge.cli.app is the app)


def run(monkeypatch, capsys, lm, *args: str) -> tuple[int, str, str]:
    """lmforge ARGS as `main()` runs it: (exit code, stdout, stderr)."""
    monkeypatch.setattr(cli_app, "_load", lambda *a, **k: lm)
    monkeypatch.setattr(sys, "argv", ["lmforge", *args])
    with pytest.raises(SystemExit) as done:
        lmforge.cli.main()
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


@pytest.fixture
def tiny(decoder, tiny_tokenizer):
    return SimpleNamespace(model=decoder, tokenizer=tiny_tokenizer)


def test_next_words_strategies_and_beam_print_their_lessons(monkeypatch, capsys, tiny):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "next", "the cat", "--top", "4",
                       "--json")
    step = json.loads(out)
    assert code == 0 and len(step["candidates"]) == 4 and step["chosen"] == step[
        "candidates"][0]["id"]
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "next", "the cat", "--top", "3",
                       "--then", str(step["candidates"][2]["id"]))
    assert code == 0 and out.startswith("next token after 'the cat' + ")
    assert len(out.splitlines()) == 4 and out.splitlines()[1].startswith("→")
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "words", "the cat", "--steps", "3",
                       "--json")
    assert code == 0 and len(json.loads(out)["steps"]) <= 3
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "strategies", "the cat",
                       "--strategy", "temperature=0.7,top_k=3", "--strategy", "beams=2",
                       "--samples", "2", "--max-tokens", "4")
    assert code == 0 and "== temperature=0.7,top_k=3: keeps 3 tokens" in out
    assert "== beams=2: keeps 2 tokens" in out
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "beam", "the cat", "--beams", "2",
                       "--max-tokens", "3", "--json")
    tree = json.loads(out)
    assert code == 0 and tree["beams"] == 2 and sum(n["winner"] for n in tree["nodes"]) > 1


def test_tokens_and_attention_commands(monkeypatch, capsys, tiny, encoder, tiny_tokenizer):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "tokens", "the cat", "今天")
    assert code == 0 and out.startswith("the| cat") and "6 bytes" in out
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "attention", "the cat sat",
                       "--layer", "0", "--token", "1", "--json")
    assert code == 0 and json.loads(out)["layer"] == 0
    lm = SimpleNamespace(model=encoder, tokenizer=tiny_tokenizer)  # encoders look inside too
    code, out, _ = run(monkeypatch, capsys, lm, "learn", "attention", "the cat sat", "--token",
                       "0")
    assert code == 0 and out.startswith("layer 1 of 2: where 'the' (token 0) attends")


def test_objectives_command(monkeypatch, capsys, tiny):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "objectives", "the cat sat on the mat",
                       "--steps", "40")
    lines = out.splitlines()
    assert code == 0 and lines[1] == "causal LM: predict every next token"
    assert lines[4].startswith("  loss on this model: ")
    assert "no loss: this model is a decoder" in out
    assert lines[-4].startswith("a tiny model of each family, 40 steps on the lesson's")
    assert [line.split()[:2] for line in lines[-3:]] == [
        ["causal_lm", "decoder"], ["masked_lm", "encoder"], ["seq2seq", "encoder-decoder"]]


def test_grpo_and_replay_commands(monkeypatch, capsys, tiny, tmp_path):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "grpo", "the cat", "--answer", "3",
                       "--group-size", "3", "--max-tokens", "3")
    assert code == 0 and out.startswith("'the cat' (expected 3): mean reward")
    assert len(out.splitlines()) == 4
    (tmp_path / "metrics.csv").write_text("step,reward\n1,0.5\n")
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "replay", str(tmp_path))
    assert code == 0 and out.splitlines()[-1].split() == ["1", "0.5"]


def test_positions_command(monkeypatch, capsys, tiny):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "positions", "--positions", "16")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("sinusoidal") and "RoPE (head_dim 8" in out
    assert lines[1].split() == ["0", "0.000", "1.000"] * 1 + ["0.000", "1.000"] * 3


def test_finetune_and_quantization_commands(monkeypatch, capsys, tiny, folder):
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "finetune", "--rank", "4",
                       "--qlora-group-size", "32")
    lines = out.splitlines()
    assert code == 0 and lines[2].startswith("full") and lines[3].startswith("LoRA r=4")
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "finetune", "--model", str(folder),
                       "--rank", "4", "--qlora-group-size", "32", "--measure", "--tokens", "8")
    lines = out.splitlines()
    assert code == 0 and lines[5].startswith("one measured step (1 x 8 tokens, cpu)")
    assert [line.split()[0] for line in lines[6:]] == ["full", "LoRA", "QLoRA"]
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "grpo-step", "--model", str(folder),
                       "--group-size", "2", "--max-tokens", "2")
    assert code == 0 and out.startswith("'What is") and "reward" in out
    code, out, _ = run(monkeypatch, capsys, tiny, "learn", "quantization", "--model",
                       str(folder), "--setting", "fp32", "--setting", "int8", "--json")
    rows = json.loads(out)["settings"]
    assert code == 0 and [r["name"] for r in rows] == ["fp32", "int8"]
    assert rows[0]["kl"] < 1e-6 < rows[1]["kl"]


@pytest.mark.parametrize("args, needle", [
    (["learn", "next", ""], "the prompt is empty"),
    (["learn", "next", "the cat sat on the mat. " * 20], "lessons hold at most 63"),
    (["learn", "next", "the cat", "--top", "0"], "top=0 is invalid"),
    (["learn", "strategies", "the cat", "--strategy", "top_k=0"], "top_k=0 is invalid"),
    (["learn", "strategies", "the cat", "--strategy", "top_k=-1"], "top_k=-1 is invalid"),
    (["learn", "strategies", "the cat", "--strategy", "top_p=1.5"], "top_p=1.5 is invalid"),
    (["learn", "strategies", "the cat", "--strategy", "top_p=0"], "top_p=0 is invalid"),
    (["learn", "beam", "the cat", "--beams", "17"], "beams=17 is invalid"),
    (["viz", "next", "the cat", "--json", "--top-k", "0"], "top_k=0 is invalid"),
    (["learn", "attention", "the cat", "--layer", "9"], "layer=9 is invalid"),
    (["learn", "attention", "the cat", "--token", "9"], "token=9 is invalid"),
    (["learn", "tokens", ""], "the text is empty"),
    (["learn", "finetune", "--rank", "0"], "rank=0 is invalid"),
    (["learn", "positions", "--positions", "1"], "n_positions=1 is invalid"),
    (["learn", "grpo", "--group-size", "1"], "group_size=1 is invalid"),
    (["learn", "grpo-step", "--group-size", "9"], "group_size=9 is invalid"),
    (["learn", "grpo", "2+2?"], "give a QUESTION and its --answer"),
])
def test_bad_input_is_one_clear_line(monkeypatch, capsys, tiny, args, needle):
    code, out, err = run(monkeypatch, capsys, tiny, *args)
    assert code in (1, 2) and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err, err


def test_an_encoder_model_cannot_generate(monkeypatch, capsys, encoder, tiny_tokenizer):
    lm = SimpleNamespace(model=encoder, tokenizer=tiny_tokenizer)
    code, _, err = run(monkeypatch, capsys, lm, "learn", "next", "the cat")
    assert code == 1 and "needs a decoder model; this model is kind 'encoder'" in err


@pytest.mark.slow
def test_viz_next_json_contract_on_the_bundled_model(monkeypatch, capsys, smollm2,
                                                      bundled_engine):
    code, out, _ = run(monkeypatch, capsys, smollm2, "viz", "next", "今天天气真", "--json",
                       "--top", "5")
    shown = json.loads(out)
    assert code == 0 and list(shown) == ["prompt", "candidates"]
    assert shown["prompt"] == "今天天气真" and len(shown["candidates"]) == 5
    assert all(list(c) == ["id", "text", "p"] for c in shown["candidates"])
    ids = smollm2.tokenizer.encode("今天天气真", add_special=True, parse_special=False)
    [done] = bundled_engine.generate(ids, SamplingParams(max_tokens=1, temperature=0,
                                                         logprobs=5))
    expected = [(i, math.exp(lp)) for i, lp in done.logprobs[0].top]
    assert [c["id"] for c in shown["candidates"]] == [i for i, _ in expected]
    assert max(abs(c["p"] - p) for c, (_, p) in
               zip(shown["candidates"], expected, strict=True)) < 1e-6
    code, out, _ = run(monkeypatch, capsys, smollm2, "viz", "next", "今天天气真", "--json",
                       "--top", "5", "--top-k", "3", "--temperature", "0.7")
    kept = json.loads(out)
    assert kept["kept_count"] == 3 and [k["id"] for k in kept["kept"]] == [
        i for i, _ in expected[:3]]
    assert abs(sum(k["p"] for k in kept["kept"]) - 1) < 1e-6
