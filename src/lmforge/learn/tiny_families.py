"""Lesson 7's real losses: a tiny model of each family, trained for a few seconds, so that
causal LM, masked LM and seq2seq each get a loss from a model of their own kind.

lmforge pretrains all three with the one Trainer (train/pretrain.py: the model kind picks
the objective). Here the same pieces train three tiny models (2 layers, width 64) on a small
text, the lesson's own sentences or a file the learner gives:

    tokenizer   a byte-level BPE trained on the text, with the [MASK] and sentinel tokens
                the objectives need (tokenizer/train.py, as `pretrain` trains one)
    models      build_config + build_model (train/pretrain.py) for a decoder (GPT-2 shape),
                an encoder with a masked-LM head (BERT) and an encoder-decoder (T5)
    training    Trainer(model, objective_for_kind(kind), BlockLoader(...)).fit(): causal LM,
                masked LM (15% masked) and span corruption, STEPS steps each

and report each family's loss curve and its loss on the lesson's sentence, by the
objective's own `loss` (objectives.py's views, on the tiny model and its tokenizer). The
three are trained once per process and text (cached); another sentence costs a forward.

    family_losses("The cat sat on the mat because it was tired.")
      -> {"corpus": {"source", "characters", "tokens", "vocab_size"}, "steps",
          "families": {"causal_lm": {"kind", "parameters", "curve": [[step, loss]],
          "seconds", "cpu_seconds", "sentence_loss"}, "masked_lm": {...}, "seq2seq": {...}}}

Test: `pytest tests/learn/test_objectives.py`.
"""

import functools
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from lmforge.data.loader import BlockLoader
from lmforge.errors import ConfigError, DataError
from lmforge.learn.objectives import EXAMPLE, objectives_lesson
from lmforge.tokenizer.tokenizer import Tokenizer
from lmforge.tokenizer.train import DEFAULT_SPECIAL_TOKENS, TokenizerTrainSettings, train_tokenizer
from lmforge.train.objectives import KIND_OBJECTIVES, RunParts
from lmforge.train.pipeline import objective_for_kind
from lmforge.train.pretrain import build_config, build_model
from lmforge.train.settings import TrainSettings
from lmforge.train.trainer import Trainer

CORPUS = """The cat sat on the mat because it was tired.
The dog slept on the rug because it was warm.
A bird sang in the tree because the sun was out.
The cat ate the fish and then it sat on the mat.
The children played in the park after school.
It was raining, so we stayed at home and read a book.
The weather today is really nice, so we went for a walk.
She gave the banana to the monkey because it was hungry.
He put the book on the table and sat down.
The sun rises in the east and sets in the west.
今天天气真好，我们去公园散步。
他把香蕉给了猴子，因为它很饿。
猫坐在垫子上，因为它累了。
下雨了，所以我们待在家里看书。
"""
SHAPES = {  # each family's usual shape, as the pretraining recipes name them
    "decoder": dict(arch="gpt2", kind="decoder", norm="layernorm", position="learned",
                    mlp="gelu", activation="gelu"),
    "encoder": dict(arch="bert", kind="encoder", norm="layernorm", position="learned",
                    mlp="gelu", activation="gelu", norm_position="post", mlm_head=True,
                    embedding_norm=True),
    "encoder-decoder": dict(arch="t5", kind="encoder-decoder", position="relative",
                            mlp="geglu", activation="gelu_tanh", tie_word_embeddings=True),
}
SIZE = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
            max_position_embeddings=64)
VOCAB, BLOCK, BATCH, STEPS, LOG_EVERY = 512, 32, 16, 100, 10
MAX_STEPS = 2000
MIN_CHARACTERS, MAX_CHARACTERS = 200, 2_000_000


def family_losses(text: str = EXAMPLE, seed: int = 0, corpus: str | Path | None = None,
                  steps: int = STEPS) -> dict:
    """Each family's tiny model, trained `steps` steps on `corpus` (a file; None: the
    lesson's sentences), its loss curve and its loss on `text` (module docstring)."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ConfigError(f"steps={steps!r} is invalid: must be in 1..{MAX_STEPS}")
    source, corpus_text = read_corpus(corpus)
    trained = train_families(corpus_text, seed, steps)
    families = {}
    for objective, entry in trained["families"].items():
        view = objectives_lesson(entry["model"], trained["tokenizer"], text, seed)
        families[objective] = {**{k: v for k, v in entry.items() if k != "model"},
                               "sentence_loss": view[objective]["loss"]}
    return {"corpus": {"source": source, **trained["corpus"]}, "steps": steps,
            "families": families}


def read_corpus(corpus: str | Path | None) -> tuple[str, str]:
    if corpus is None:
        return "the lesson's sentences", CORPUS
    path = Path(corpus)
    if not path.is_file():
        raise DataError(f"{path}: no such file (give a UTF-8 text file to train on)")
    text = path.read_text(encoding="utf-8", errors="replace")[:MAX_CHARACTERS]
    if len(text) < MIN_CHARACTERS:
        raise DataError(f"{path}: {len(text)} characters; the tiny models need at least "
                        f"{MIN_CHARACTERS} to learn from")
    return str(path), text


@functools.lru_cache(maxsize=2)
def train_families(text: str, seed: int = 0, steps: int = STEPS) -> dict:
    """A tokenizer for `text` and one tiny model per family trained on it (cached)."""
    specials = tuple(dict.fromkeys(
        DEFAULT_SPECIAL_TOKENS + objective_for_kind("encoder").special_tokens
        + objective_for_kind("encoder-decoder").special_tokens))
    tokenizer = Tokenizer(train_tokenizer([text], TokenizerTrainSettings(
        kind="bpe", vocab_size=VOCAB, special_tokens=specials)),
        eos_token="<|endoftext|>", pad_token="<|pad|>")
    ids = tokenizer.encode(text, add_special=False, parse_special=False)
    tokens = np.array(ids + [tokenizer.eos_id], dtype=np.uint16)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # width 64: a second thread only waits (and the server's
    try:                      # Engine keeps its own setting, restored below)
        families = {KIND_OBJECTIVES[kind]: train_one(kind, tokenizer, tokens, seed, steps)
                    for kind in SHAPES}
    finally:
        torch.set_num_threads(threads)
    return {"tokenizer": tokenizer, "families": families,
            "corpus": {"characters": len(text), "tokens": len(tokens),
                       "vocab_size": tokenizer.vocab_size}}


def train_one(kind: str, tokenizer, tokens: np.ndarray, seed: int, steps: int) -> dict:
    """`steps` steps of pretraining a tiny model of `kind`: its model, curve and time."""
    started, started_cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as out_dir:  # the Trainer's last checkpoint, dropped
        settings = TrainSettings(out_dir=out_dir, max_steps=steps, batch_size=BATCH,
                                 block_size=BLOCK, lr=3e-3, min_lr=3e-4,
                                 warmup_steps=min(10, steps - 1),
                                 weight_decay=0.0, eval_every=0, log_every=LOG_EVERY,
                                 keep_last=1, progress=False, tensorboard=False, seed=seed,
                                 device="cpu")
        config = build_config({**SHAPES[kind], **SIZE}, tokenizer, settings, "learn")
        model = build_model(config, seed)
        objective = objective_for_kind(kind).from_settings(config, RunParts(model, tokenizer,
                                                                            seed))
        loader = BlockLoader(tokens, BLOCK, BATCH, seed)
        trainer = Trainer(model, objective, loader, settings)
        trainer.fit()
    model.eval()
    curve = [[row["step"], row["train_loss"]] for row in trainer.history
             if "train_loss" in row]
    return {"kind": kind, "model": model, "parameters": sum(p.numel() for p in
                                                            model.parameters()),
            "curve": curve, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - started_cpu}
