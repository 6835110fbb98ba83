"""rag/tune_embedder.py on a tiny random BERT: the contrastive loss goes down, the saved folder
loads in sentence-transformers with lmforge's vectors (the Hub-layout path a Hub embedder
takes too), and bad corpora or an offline Hub name are one clear line."""

import json
import os
import random
import shutil
import subprocess
import sys

import pytest
import torch

from lmforge.errors import DataError
from lmforge.rag.tune_embedder import ST_FILES, TuneSettings, contrastive_loss, tune_embedder

CHARS = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏"
         "闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈")


@pytest.fixture
def tiny_base(tmp_path, minilm_dir):
    """A random 2-layer BERT with MiniLM's tokenizer and sentence-transformers files."""
    import transformers

    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=64,
                                     max_position_embeddings=128)
    folder = tmp_path / "tiny-base"
    transformers.BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    for name in ST_FILES:
        source = minilm_dir / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.is_file():
            shutil.copy(source, folder / name)
    (folder / "sentence_bert_config.json").write_text(json.dumps(
        {"max_seq_length": 128, "do_lower_case": False}))
    return folder


def write_corpus(folder, paragraphs: int = 24, seed: int = 0):
    """Paragraphs of random Chinese sentences (each chunk becomes one training pair)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n\n".join("".join("".join(rng.choices(CHARS, k=rng.randint(10, 16))) + "。"
                               for _ in range(4)) for _ in range(paragraphs))
    (folder / "book.txt").write_text(text, encoding="utf-8")
    return folder


def test_tuning_lowers_the_loss_and_saves_a_sentence_transformers_folder(tmp_path, tiny_base):
    from sentence_transformers import SentenceTransformer

    import lmforge
    from lmforge.rag.embedder import Embedder
    from lmforge.rag.retrieval import FUSION, Retriever
    from lmforge.rag.store import Store
    from lmforge.rag.tune_embedder import inverse_cloze_pairs

    docs, out = write_corpus(tmp_path / "docs"), tmp_path / "tuned"
    settings = TuneSettings(base=str(tiny_base), steps=20, batch_size=16, lr=1e-3,
                            passage_tokens=64, layers=None)
    report = tune_embedder([docs], out, settings)
    assert report.steps == 20 and report.pairs >= 16

    # the contrastive loss on the training pairs, before and after, without dropout
    base = lmforge.load(str(tiny_base), fuse=False)

    def count_tokens(texts):
        return [len(ids) for ids in base.tokenizer.encode_batch(texts)]

    pairs = inverse_cloze_pairs([docs], count_tokens, settings.passage_tokens,
                                settings.keep_sentence, random.Random(settings.seed))
    assert len(pairs) == report.pairs
    with torch.no_grad():
        before = contrastive_loss(base.model.eval(), base.tokenizer, pairs, settings).item()
        after = contrastive_loss(lmforge.load(str(out), fuse=False).model.eval(),
                                 base.tokenizer, pairs, settings).item()
    assert after < before - 0.1, (before, after)

    texts = ["天地玄黄，宇宙洪荒。", "日月盈昃", "A sentence in English.", "寒来暑往" * 20]
    ours = torch.tensor(Embedder(str(out)).embed(texts))
    theirs = torch.tensor(SentenceTransformer(str(out), device="cpu").encode(
        texts, normalize_embeddings=True))
    assert (ours * theirs).sum(-1).min().item() >= 0.9999

    embedder = Embedder(str(out))  # a tuned transformer earned no Chinese weight on dev
    assert embedder.tuned and not Embedder(str(tiny_base)).tuned
    store = Store(tmp_path / "i.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    assert Retriever(store, embedder).fusion is FUSION


def test_an_empty_or_tiny_corpus_is_a_clear_error(tmp_path, tiny_base):
    settings = TuneSettings(base=str(tiny_base), steps=2, batch_size=4)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no documents to tune on"):
        tune_embedder([tmp_path / "empty"], tmp_path / "out", settings)
    tiny = write_corpus(tmp_path / "tiny", paragraphs=3)
    with pytest.raises(DataError, match=r"give \d+ passages .* tuning needs at least 16"):
        tune_embedder([tiny], tmp_path / "out", settings)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # two subprocesses, each importing torch
def test_cli_bad_input_is_one_line(tmp_path):
    def lmforge_cli(*args):
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], env=env,
                              capture_output=True, text=True, timeout=600)

    tiny = write_corpus(tmp_path / "tiny", paragraphs=2)
    out = lmforge_cli("rag", "tune-embedder", str(tiny), "--out", str(tmp_path / "m"))
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "tuning needs at least 16" in out.stderr
    out = lmforge_cli("rag", "index", str(tiny), "--db", str(tmp_path / "i.sqlite"),
                      "--embedding-model", "BAAI/bge-small-zh-v1.5")
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "could not download 'BAAI/bge-small-zh-v1.5'" in out.stderr


def test_a_local_folder_with_cls_pooling_embeds_as_sentence_transformers_does(tiny_base):
    """The path a Hub encoder such as bge-small-zh takes ([CLS] pooling), on a local folder."""
    from sentence_transformers import SentenceTransformer

    from lmforge.rag.embedder import Embedder

    pooling = tiny_base / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    texts = ["天地玄黄，宇宙洪荒。", "A sentence in English.", "寒来暑往" * 20]
    embedder = Embedder(str(tiny_base))
    assert embedder.pooling == "cls" and embedder.name == str(tiny_base)
    ours = torch.tensor(embedder.embed(texts))
    theirs = torch.tensor(SentenceTransformer(str(tiny_base), device="cpu").encode(
        texts, normalize_embeddings=True))
    assert (ours * theirs).sum(-1).min().item() >= 0.9999
    from lmforge.infer.embeddings import embed_texts

    mean = embed_texts(embedder.model, embedder.tokenizer, texts, max_length=128)
    assert (mean * ours).sum(-1).min().item() < 0.999  # the pooling read from the folder matters


def test_a_tuned_encoder_cut_to_one_layer_still_loads_in_sentence_transformers(tmp_path,
                                                                              tiny_base):
    from sentence_transformers import SentenceTransformer

    from lmforge.rag.embedder import Embedder

    out = tmp_path / "one-layer"
    tune_embedder([write_corpus(tmp_path / "docs")], out,
                  TuneSettings(base=str(tiny_base), steps=2, batch_size=16, layers=1))
    assert json.loads((out / "config.json").read_text())["num_hidden_layers"] == 1
    texts = ["天地玄黄，宇宙洪荒。", "A sentence in English."]
    ours = torch.tensor(Embedder(str(out)).embed(texts))
    theirs = torch.tensor(SentenceTransformer(str(out), device="cpu").encode(
        texts, normalize_embeddings=True))
    assert (ours * theirs).sum(-1).min().item() >= 0.9999
