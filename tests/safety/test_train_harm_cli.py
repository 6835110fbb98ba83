"""`lmforge safety train harm` end to end on a tiny model folder: it computes the hidden
features with the model, fits the head, chooses each language's threshold on the development
set (rules and classifier together block at most --max-benign-blocked of its benign
requests) and writes the safetensors file that HarmClassifier.load (the guard's hook) reads:
the loaded file blocks the harmful requests through `check` and passes the benign ones."""

import json

import pytest
from typer.testing import CliRunner

import lmforge.cli  # noqa: F401  (registers every command)
from lmforge.cli.app import app
from lmforge.safety import check
from lmforge.safety.harm_classifier import HarmClassifier, choose_threshold

HARM = ["yes yes yes", "yes is yes", "yes yes is", "是是是是", "是就是是", "是是就是"]
BENIGN = ["no no no", "no is no", "no no is", "不不不不", "不就是不", "不不就是"]
DEV = [("yes no yes yes", "hate"), ("no yes no no", "benign"), ("no is no no", "benign"),
       ("是是不是", "hate"), ("不是不不", "benign"), ("不就不不", "benign")]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps({"text": t, "label": label, "lang": "zh" if ord(t[0]) >
                                        127 else "en"}, ensure_ascii=False) + "\n"
                            for t, label in rows), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def tiny_folder(tiny_lm, tmp_path_factory):
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer

    model, tokenizer = tiny_lm
    folder = tmp_path_factory.mktemp("tiny")
    save_hf_folder(model, folder)
    save_hf_tokenizer(tokenizer, folder)
    return folder


def test_train_harm_writes_the_file_the_guard_loads(tiny_folder, tmp_path):
    import lmforge

    train = _jsonl(tmp_path / "train.jsonl", [(t, "hate") for t in HARM] +
                   [(t, "benign") for t in BENIGN])
    dev = _jsonl(tmp_path / "dev.jsonl", DEV)
    out = tmp_path / "harm.safetensors"
    result = CliRunner().invoke(app, [
        "safety", "train", "harm", "--out", str(out), "--set", train, "--dev", dev,
        "--model", str(tiny_folder), "--hidden-decay", "0.1", "--ngram-lr", "0.1"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (12 records)" in result.stdout and "features 12/12" in result.output

    lm = lmforge.load(str(tiny_folder))
    clf = HarmClassifier.load(lm.model, lm.tokenizer, out)
    assert clf.head.labels == ["benign", "hate"]
    # the stored thresholds are choose_threshold's on the dev set's benign scores: with two
    # benign requests a language, 2% allows none, so each sits just above the highest
    for lang in ("en", "zh"):
        benign = [t for t, label in DEV if label == "benign" and (ord(t[0]) > 127) == (
            lang == "zh")]
        scores = clf.harm_scores(benign)[0].tolist()
        assert clf.head.thresholds[lang] == pytest.approx(
            choose_threshold(scores, [False] * len(benign), 0.02), abs=1e-4)
        assert clf.head.thresholds[lang] > max(scores)
    assert all(not check(t, "input", classifiers=[clf]).allowed for t in HARM)
    assert all(check(t, "input", classifiers=[clf]).allowed for t in BENIGN)


def test_bad_options_are_usage_errors(tmp_path):
    result = CliRunner().invoke(app, ["safety", "train", "harm", "--out", str(tmp_path / "h"),
                                      "--max-benign-blocked", "1.5"])
    assert result.exit_code == 2 and "--max-benign-blocked must be in [0, 1)" in result.output
    result = CliRunner().invoke(app, ["safety", "train", "harm-encoder", "--out",
                                      str(tmp_path / "e"), "--benign-share", "1"])
    assert result.exit_code == 2 and "--benign-share must be in (0, 1)" in result.output
    for seeds, message in (("0,x", "--seeds must be comma-separated integers, got '0,x'"),
                           ("1,1", "--seeds repeats a seed")):
        result = CliRunner().invoke(app, ["safety", "train", "harm-encoder", "--out",
                                          str(tmp_path / "e"), "--seeds", seeds])
        assert result.exit_code == 2 and message in result.output, result.output


def test_train_harm_tuned_writes_the_file_recall_reads(tiny_folder, tmp_path):
    """`safety train harm-tuned` fine-tunes the top block and the head, chooses thresholds on
    --dev, writes the file; `safety recall --classifier-file` scores a set with it."""
    import lmforge
    from lmforge.safety.harm_tuned import TunedHarmClassifier

    train = _jsonl(tmp_path / "train.jsonl", [(t, "hate") for t in HARM] +
                   [(t, "benign") for t in BENIGN])
    out = tmp_path / "tuned.safetensors"
    result = CliRunner().invoke(app, [
        "safety", "train", "harm-tuned", "--out", str(out), "--set", train,
        "--dev", _jsonl(tmp_path / "dev.jsonl", DEV), "--model", str(tiny_folder),
        "--split", "1", "--rank", "4", "--epochs", "60", "--lr", "0.01"])
    assert result.exit_code == 0, result.output
    lm = lmforge.load(str(tiny_folder))
    clf = TunedHarmClassifier.load(lm.model, lm.tokenizer, out)
    for lang in ("en", "zh"):  # above the highest dev benign score, as for harm
        benign = [t for t, label in DEV if label == "benign" and (ord(t[0]) > 127) == (
            lang == "zh")]
        assert clf.head.thresholds[lang] > max(clf.harm_scores(benign)[0].tolist())
    blocked = [not check(t, "input", classifiers=[clf]).allowed for t in HARM + BENIGN]
    result = CliRunner().invoke(app, [
        "safety", "recall", "--classifier", "harm-tuned", "--classifier-file", str(out),
        "--set", train, "--model", str(tiny_folder)])
    assert result.exit_code == 0, result.output
    assert f"| rules + harm-tuned | en | {sum(blocked[:3])}/3" in result.stdout
    assert f"| rules + harm-tuned | zh | {sum(blocked[3:6])}/3" in result.stdout
    assert sum(blocked[:6]) >= 5 and sum(blocked[6:]) <= 1


def test_train_harm_encoder_writes_the_file_recall_reads(e5, tmp_path):
    """`safety train harm-encoder` tunes multilingual-e5-small's top blocks and the head, one
    top a seed (an ensemble of two here);
    `safety recall --classifier harm-encoder --classifier-file` scores a set with it."""
    from lmforge.safety.harm_encoder import EncoderHarmClassifier

    train = _jsonl(tmp_path / "train.jsonl", [(t, "hate") for t in HARM] +
                   [(t, "benign") for t in BENIGN])
    out = tmp_path / "encoder.safetensors"
    result = CliRunner().invoke(app, [
        "safety", "train", "harm-encoder", "--out", str(out), "--set", train,
        "--dev", _jsonl(tmp_path / "dev.jsonl", DEV), "--split", "10", "--rank", "4",
        "--epochs", "20", "--lr", "0.01", "--seeds", "0,1"])
    assert result.exit_code == 0, result.output
    clf = EncoderHarmClassifier.load(out, e5)
    assert clf.head.split == 10 and len(clf.head.members) == 2
    blocked = [not check(t, "input", classifiers=[clf]).allowed for t in HARM + BENIGN]
    result = CliRunner().invoke(app, [
        "safety", "recall", "--classifier", "harm-encoder", "--classifier-file", str(out),
        "--set", train])
    assert result.exit_code == 0, result.output
    assert f"| rules + harm-encoder | en | {sum(blocked[:3])}/3" in result.stdout
    assert f"| rules + harm-encoder | zh | {sum(blocked[3:6])}/3" in result.stdout
    assert sum(blocked[:6]) >= 5 and sum(blocked[6:]) <= 1
