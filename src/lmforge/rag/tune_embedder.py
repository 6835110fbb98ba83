"""Tune a sentence encoder on your own documents: inverse cloze, in-batch negatives, on a CPU.

The bundled all-MiniLM-L6-v2 was trained on English pairs; its vocabulary holds the CJK
characters, but their vectors never learned to match a Chinese question with its passage.
No labelled pairs are needed to teach it: the corpus itself makes them (the Inverse Cloze
Task of Lee et al., 2019). From each chunk one sentence is taken out as a pseudo-question;
the rest of the chunk, with its heading (the chapter title), is its passage. A batch of B
such pairs is encoded (mean-pooled, normalised, as sentence-transformers does) and trained
with the contrastive loss that treats the other B - 1 passages as negatives:

    loss = cross_entropy(scale * Q @ P.T, diagonal)         (scale 20, i.e. temperature 0.05)

In one passage in ten the sentence is left in, so exact overlap still counts as a match.
The result is an HF-layout folder that sentence-transformers loads like the bundled one
(modules.json, pooling config and tokenizer files are copied from the base model) and that
`lmforge rag index --embedding-model FOLDER` uses; `lmforge_tuning.json` in it records the
run, and tells the retriever to give the dense list the weight a tuned encoder earned.

    lmforge rag tune-embedder novels/ --out minilm-novels --minutes 10

Test: `pytest tests/rag/test_tune_embedder.py`.
"""

import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
import torch.nn.functional as F

from lmforge.errors import DataError
from lmforge.rag.chunking import split_sentences
from lmforge.rag.embedder import DEFAULT_EMBEDDING_MODEL, TUNING_RECORD
from lmforge.rag.loaders import find_files, load_document

MIN_PAIRS = 16  # fewer passages than this cannot make a batch with real negatives
ST_FILES = ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
            "1_Pooling", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
            "special_tokens_map.json")

Progress = Callable[[int, int, float], None]  # (step, steps, loss)


@dataclass
class ClozeSettings:
    """What tuning any encoder by inverse cloze takes (this module's and static_encoder's)."""

    base: str = DEFAULT_EMBEDDING_MODEL
    batch_size: int = 32
    lr: float = 3e-4
    minutes: float | None = None
    """Stop after this much training time even if steps remain."""
    passage_tokens: int = 64
    keep_sentence: float = 0.1
    scale: float = 20.0
    seed: int = 0


@dataclass
class TuneSettings(ClozeSettings):
    steps: int = 40
    query_tokens: int = 32
    layers: int | None = 2
    """Keep only the first N transformer layers (None: all): N/6 of MiniLM's cost to tune
    and to index; matching a question's characters to a passage's needs little depth."""


@dataclass
class TuneReport:
    pairs: int
    steps: int
    seconds: float
    first_loss: float
    last_loss: float
    out: str


def corpus_chunks(paths: list[str | Path], count_tokens, passage_tokens: int) -> list:
    """The chunks (of at most passage_tokens, no overlap) of the documents under `paths`
    that hold two or more sentences: the ones an inverse cloze pair can be cut from."""
    from lmforge.rag.chunking import chunk_document

    chunks = []
    for path in find_files(paths):
        try:
            doc = load_document(path)
        except DataError:
            continue  # unreadable files are the indexer's to report; tuning uses the rest
        chunks += [c for c in chunk_document(doc, count_tokens, max_tokens=passage_tokens,
                                             overlap_tokens=0) if len(_sentences(c.text)) >= 2]
    return chunks


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(a, b) for a, b in split_sentences(text) if len(text[a:b].strip()) >= 8]


def cloze_pairs(chunks: list, rng: random.Random, keep_sentence: float) -> list[tuple[str, str]]:
    """(sentence, rest of its chunk with the heading in front) for each chunk, one random
    sentence each; in a share keep_sentence of the pairs the sentence stays in."""
    from lmforge.rag.indexer import embedding_text

    pairs = []
    for chunk in chunks:
        a, b = rng.choice(_sentences(chunk.text))
        sentence, text = chunk.text[a:b].strip(), chunk.text
        if rng.random() >= keep_sentence:
            text = (text[:a] + text[b:]).strip()
        pairs.append((sentence, embedding_text(replace(chunk, text=text))))
    return pairs


def inverse_cloze_pairs(paths: list[str | Path], count_tokens, passage_tokens: int,
                        keep_sentence: float, rng: random.Random) -> list[tuple[str, str]]:
    """(sentence, rest of its passage with the heading in front) for every chunk of two or
    more sentences; see the module docstring."""
    return cloze_pairs(corpus_chunks(paths, count_tokens, passage_tokens), rng, keep_sentence)


def tune_embedder(paths: list[str | Path], out: str | Path, settings: TuneSettings,
                  progress: Progress | None = None) -> TuneReport:
    """Tune `settings.base` on the documents under `paths`; write it to `out`."""
    from lmforge.io.registry import load, resolve

    rng = random.Random(settings.seed)
    torch.manual_seed(settings.seed)
    files = find_files(paths)
    if not files:
        raise DataError(f"no documents to tune on under {', '.join(map(str, paths))}")
    base = load(settings.base, fuse=False)
    if base.model.config.kind != "encoder":
        raise DataError(f"{settings.base} is a {base.model.config.kind} model; tuning needs "
                        "an encoder such as all-minilm-l6-v2")
    tokenizer = base.tokenizer

    def count_tokens(texts: list[str]) -> list[int]:
        return [len(ids) for ids in tokenizer.encode_batch(list(texts))] if texts else []

    pairs = inverse_cloze_pairs(files, count_tokens, settings.passage_tokens,
                                settings.keep_sentence, rng)
    if len(pairs) < MIN_PAIRS:
        raise DataError(f"the documents under {', '.join(map(str, paths))} give {len(pairs)} "
                        f"passages of two or more sentences; tuning needs at least {MIN_PAIRS} "
                        "(index more text, or use the embedder as it is)")
    model = keep_layers(base.model, settings.layers).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=0.01)
    warmup = max(1, settings.steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(
        (s + 1) / warmup, max(0.0, (settings.steps - s) / max(1, settings.steps - warmup))))
    losses, start, step = [], time.perf_counter(), 0
    order = list(range(len(pairs)))
    while step < settings.steps:
        rng.shuffle(order)
        for first in range(0, len(order) - settings.batch_size + 1, settings.batch_size):
            batch = [pairs[i] for i in order[first:first + settings.batch_size]]
            loss = contrastive_loss(model, tokenizer, batch, settings)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
            step += 1
            if progress:
                progress(step, settings.steps, losses[-1])
            out_of_time = settings.minutes is not None and \
                time.perf_counter() - start > 60 * settings.minutes
            if step >= settings.steps or out_of_time:
                break
        if settings.minutes is not None and time.perf_counter() - start > 60 * settings.minutes:
            break
    seconds = time.perf_counter() - start
    report = TuneReport(len(pairs), step, round(seconds, 1), losses[0], losses[-1], str(out))
    save_tuned(model.eval(), resolve(settings.base), Path(out), settings, report)
    return report


def keep_layers(model, n: int | None):
    """The encoder with its first n layers (all when n is None)."""
    layers = model.encoder.layers
    if n is None or n >= len(layers):
        return model
    if n < 1:
        raise DataError(f"--layers {n}: keep at least one layer")
    model.encoder.layers = torch.nn.ModuleList(list(layers)[:n])
    if model.config.num_decoder_layers == model.config.num_hidden_layers:  # mirrors it
        model.config.num_decoder_layers = n
    model.config.num_hidden_layers = n
    return model


def contrastive_loss(model, tokenizer, batch: list[tuple[str, str]],
                     settings: TuneSettings) -> torch.Tensor:
    """In-batch-negatives cross-entropy of the query and passage embeddings."""
    queries = encode(model, tokenizer, [q for q, _ in batch], settings.query_tokens)
    passages = encode(model, tokenizer, [p for _, p in batch], settings.passage_tokens)
    logits = settings.scale * queries @ passages.T
    return F.cross_entropy(logits, torch.arange(len(batch)))


def encode(model, tokenizer, texts: list[str], max_length: int) -> torch.Tensor:
    """(N, C) normalised mean-pooled embeddings, with gradients (embed_texts has none)."""
    from lmforge.infer.embeddings import mean_pool

    ids = [x[:max_length] for x in tokenizer.encode_batch(texts, add_special=True)]
    width = max(len(x) for x in ids)
    pad = tokenizer.pad_id if tokenizer.pad_id is not None else 0
    input_ids = torch.full((len(ids), width), pad, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for row, x in enumerate(ids):
        input_ids[row, :len(x)] = torch.tensor(x)
        mask[row, :len(x)] = 1
    return F.normalize(mean_pool(model(input_ids, attention_mask=mask), mask), dim=-1)


def save_tuned(model, base_path: Path, out: Path, settings: TuneSettings,
               report: TuneReport) -> None:
    """Weights and config in HF layout, the base's sentence-transformers and tokenizer files
    beside them, and the tuning record."""
    from lmforge.io.hf_checkpoint import save_hf_folder

    save_hf_folder(model, out)
    for name in ST_FILES:
        source = base_path / name
        if source.is_dir():
            shutil.copytree(source, out / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy(source, out / name)
    record = {"method": "inverse cloze, in-batch negatives", "settings": asdict(settings),
              "report": asdict(report)}
    (out / TUNING_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
