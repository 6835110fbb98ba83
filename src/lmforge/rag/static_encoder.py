"""A static encoder tuned on your documents: one vector per token, mean-pooled, in minutes.

Tuning a transformer with the inverse cloze task on a 2-core CPU sees a few hundred pairs in
a quarter of an hour, too few to teach it Chinese (docs/rag.md measured it worse than the
English MiniLM it started from). A static encoder (a tokenizer and one embedding matrix; a
text is the mean of its tokens' vectors, as in model2vec and sentence-transformers'
`StaticEmbedding`) costs a table lookup per token, so the same objective sees every chunk of
the corpus tens of times in a minute or two:

- tokenizer: MiniLM's WordPiece for English, plus every Chinese character and every jieba
  word (two or more characters, seen at least `min_count` times) of the corpus as whole
  tokens (MiniLM's vocabulary lacks most simplified characters: 说, 玉 and 黛 are [UNK]).
  The words are matched before WordPiece, longest first, so 黛玉的父亲 reads 黛玉 / 的 / 父亲.
- start: token t gets a random unit vector times its inverse document frequency over the
  chunks; a word also gets the mean of its characters' vectors added, so 宝玉 starts near
  宝钗 and 玉. Mean pooling of such vectors is already an IDF-weighted bag of words; tokens
  the corpus never holds are zero, so a query's question words without content do not count.
- train: the inverse cloze task of rag/tune_embedder.py (a sentence out of a chunk vs. the
  rest of the chunk with its chapter title; the other passages of the batch are negatives;
  a symmetric cross-entropy over `scale` x cosine), with fresh sentences every epoch.
- save: a sentence-transformers folder (`StaticEmbedding` + `Normalize`; tokenizer.json,
  model.safetensors, modules.json) that `SentenceTransformer(folder)` loads, with the tuning
  record that tells lmforge's retriever to use TUNED_FUSION.

Chunking must not depend on the encoder (so an index built with it holds the very chunks a
MiniLM index holds): `StaticEmbedder.count_tokens` counts with the base WordPiece alone.

    lmforge rag tune-embedder novels/ --out static-novels          # --kind static (default)

Test: `pytest tests/rag/test_static_encoder.py`.
"""

import json
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lmforge.errors import DataError
from lmforge.rag.embedder import DEFAULT_EMBEDDING_MODEL, TUNING_RECORD
from lmforge.rag.tune_embedder import MIN_PAIRS, ClozeSettings, Progress, cloze_pairs, corpus_chunks

STATIC_MODULE = ("sentence_transformers.sentence_transformer.modules.static_embedding."
                 "StaticEmbedding")
NORMALIZE_MODULE = "sentence_transformers.base.modules.normalize.Normalize"
_CJK_CHAR = "\u3400-\u9fff\uf900-\ufaff"



@dataclass
class StaticSettings(ClozeSettings):
    """The base only lends its English WordPiece vocabulary; the table trains from scratch."""

    batch_size: int = 128
    lr: float = 3e-3
    passage_tokens: int = 200  # the index's default chunk size: train on what is retrieved
    dim: int = 256
    epochs: float = 30.0
    min_count: int = 2
    max_words: int = 50_000


@dataclass
class StaticReport:
    pairs: int
    vocabulary: int
    steps: int
    seconds: float
    first_loss: float
    last_loss: float
    heldout_top1_before: float
    """Share of held-out chunks whose own sentence ranks its passage first among theirs."""
    heldout_top1_after: float
    out: str


# -- tokenizer ------------------------------------------------------------------------------

def base_tokenizer(base: str):
    """The base encoder's fast tokenizer (tokenizer.json), without padding or truncation."""
    from tokenizers import Tokenizer

    from lmforge.io.registry import resolve

    path = resolve(base) / "tokenizer.json"
    if not path.is_file():
        raise DataError(f"{base} has no tokenizer.json; a static encoder takes its English "
                        "vocabulary from a fast tokenizer such as all-minilm-l6-v2's")
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def corpus_units(texts: list[str], min_count: int, max_words: int) -> list[str]:
    """Every Chinese character of the texts, then the jieba words of 2+ Chinese characters
    seen at least min_count times (most frequent first, at most max_words)."""
    import re

    from lmforge.rag.keywords import _jieba

    chars: dict[str, None] = {}
    words: Counter = Counter()
    word = re.compile(f"[{_CJK_CHAR}]{{2,}}")
    for text in texts:
        for run in re.findall(f"[{_CJK_CHAR}]+", text):
            chars.update(dict.fromkeys(run))
            words.update(w for w in _jieba().cut(run) if word.fullmatch(w))
    frequent = [w for w, n in words.most_common(max_words) if n >= min_count]
    return list(chars) + frequent


def extend_tokenizer(tokenizer, units: list[str]):
    """Add the Chinese units as whole tokens, matched on the raw text before WordPiece."""
    from tokenizers import AddedToken

    vocab = tokenizer.get_vocab()
    tokenizer.add_tokens([AddedToken(u, normalized=False) for u in units if u not in vocab])
    return tokenizer


def counting_tokenizer(tokenizer):
    """The tokenizer without the added non-special tokens: the base WordPiece counts."""
    from tokenizers import Tokenizer

    spec = json.loads(tokenizer.to_str())
    spec["added_tokens"] = [t for t in spec["added_tokens"] if t.get("special")]
    return Tokenizer.from_str(json.dumps(spec))


def token_ids(tokenizer, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


# -- the model ------------------------------------------------------------------------------

def initial_vectors(tokenizer, passages: list[list[int]], dim: int,
                    rng: torch.Generator) -> torch.Tensor:
    """(vocabulary, dim): IDF x (a random unit vector, plus its characters' mean for a
    word); zero for tokens no passage holds (see the module docstring)."""
    size = tokenizer.get_vocab_size()
    df = np.zeros(size, np.float32)
    for ids in passages:
        df[list(set(ids))] += 1
    idf = np.log1p((len(passages) - df + 0.5) / (df + 0.5)) * (df > 0)
    vectors = F.normalize(torch.randn(size, dim, generator=rng), dim=-1)
    vocab = tokenizer.get_vocab()
    composed = vectors.clone()
    for token, i in vocab.items():
        parts = [vocab[c] for c in token if c in vocab] if len(token) > 1 else []
        if parts and all("\u3400" <= c <= "\ufaff" for c in token):
            composed[i] = F.normalize(vectors[i] + vectors[parts].mean(0), dim=-1)
    return composed * torch.from_numpy(idf)[:, None]


def embed_ids(weights: torch.Tensor, ids: list[list[int]]) -> torch.Tensor:
    """(N, dim) normalised means of the token vectors (zero for a text without tokens)."""
    flat = torch.tensor([i for x in ids for i in x], dtype=torch.long)
    offsets = torch.tensor([0] + [len(x) for x in ids[:-1]], dtype=torch.long).cumsum(0)
    return F.normalize(F.embedding_bag(flat, weights, offsets, mode="mean"), dim=-1)


def cloze_loss(weights: torch.Tensor, queries: list[list[int]], passages: list[list[int]],
               scale: float) -> torch.Tensor:
    """Symmetric in-batch-negatives cross-entropy: query i belongs with passage i."""
    logits = scale * embed_ids(weights, queries) @ embed_ids(weights, passages).T
    target = torch.arange(len(queries))
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def top1(weights: torch.Tensor, queries: list[list[int]], passages: list[list[int]]) -> float:
    """Share of queries whose own passage is the nearest of all the passages."""
    with torch.no_grad():
        sims = embed_ids(weights, queries) @ embed_ids(weights, passages).T
    return float((sims.argmax(1) == torch.arange(len(queries))).float().mean())


# -- tuning ---------------------------------------------------------------------------------

def tune_static(paths: list[str | Path], out: str | Path, settings: StaticSettings,
                progress: Progress | None = None) -> StaticReport:
    """Build and tune a static encoder on the documents under `paths`; write it to `out`."""
    from lmforge.rag.loaders import find_files

    if not find_files(paths):
        raise DataError(f"no documents to tune on under {', '.join(map(str, paths))}")
    torch.manual_seed(settings.seed)
    rng, generator = random.Random(settings.seed), torch.Generator().manual_seed(settings.seed)
    base = base_tokenizer(settings.base)
    counter = counting_tokenizer(base)
    chunks = corpus_chunks(paths, lambda texts: [len(x) for x in token_ids(counter, texts)],
                           settings.passage_tokens)
    if len(chunks) < MIN_PAIRS:
        raise DataError(f"the documents under {', '.join(map(str, paths))} give {len(chunks)} "
                        f"passages of two or more sentences; tuning needs at least {MIN_PAIRS} "
                        "(index more text, or use the embedder as it is)")
    tokenizer = extend_tokenizer(base, corpus_units([c.text for c in chunks], settings.min_count,
                                                    settings.max_words))
    rng.shuffle(chunks)
    held = chunks[: max(2, len(chunks) // 20)]  # 5% of the chunks, never trained on
    train = chunks[len(held):]
    held_q, held_p = _encode_pairs(tokenizer, cloze_pairs(held, rng, settings.keep_sentence))
    weights = initial_vectors(tokenizer, token_ids(tokenizer, [p for _, p in cloze_pairs(
        chunks, rng, 1.0)]), settings.dim, generator).requires_grad_()
    before = top1(weights, held_q, held_p)
    optimizer = torch.optim.Adam([weights], lr=settings.lr)
    batch = min(settings.batch_size, len(train))
    steps = int(settings.epochs * len(train) / batch)  # 0 epochs: the IDF start alone
    losses, start, step = [], time.perf_counter(), 0
    while step < steps and not _out_of_time(start, settings.minutes):
        queries, passages = _encode_pairs(tokenizer, cloze_pairs(train, rng,
                                                                 settings.keep_sentence))
        order = list(range(len(queries)))
        rng.shuffle(order)
        for first in range(0, len(order) - batch + 1, batch):
            pick = order[first:first + batch]
            for group in optimizer.param_groups:  # linear decay to zero
                group["lr"] = settings.lr * (1 - step / steps)
            loss = cloze_loss(weights, [queries[i] for i in pick], [passages[i] for i in pick],
                              settings.scale)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            step += 1
            if progress:
                progress(step, steps, losses[-1])
            if step >= steps or _out_of_time(start, settings.minutes):
                break
    seconds = time.perf_counter() - start
    losses = losses or [float("nan")]
    report = StaticReport(len(chunks), tokenizer.get_vocab_size(), step, round(seconds, 1),
                          losses[0], losses[-1], round(before, 3),
                          round(top1(weights, held_q, held_p), 3), str(out))
    save_static(Path(out), tokenizer, weights.detach(), {
        "method": "static encoder, inverse cloze, in-batch negatives",
        "settings": asdict(settings), "report": asdict(report)})
    return report


def _encode_pairs(tokenizer, pairs: list[tuple[str, str]]) -> tuple[list, list]:
    return token_ids(tokenizer, [q for q, _ in pairs]), token_ids(tokenizer, [p for _, p in pairs])


def _out_of_time(start: float, minutes: float | None) -> bool:
    return minutes is not None and time.perf_counter() - start > 60 * minutes


def save_static(out: Path, tokenizer, weights: torch.Tensor, record: dict) -> None:
    """A sentence-transformers folder: StaticEmbedding in the root, then Normalize."""
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    (out / "1_Normalize").mkdir(exist_ok=True)
    save_file({"embedding.weight": weights.contiguous()}, str(out / "model.safetensors"))
    tokenizer.save(str(out / "tokenizer.json"))
    modules = [{"idx": 0, "name": "0", "path": "", "type": STATIC_MODULE},
               {"idx": 1, "name": "1", "path": "1_Normalize", "type": NORMALIZE_MODULE}]
    (out / "modules.json").write_text(json.dumps(modules, indent=1), encoding="utf-8")
    (out / "1_Normalize" / "config.json").write_text("{}", encoding="utf-8")
    (out / "config_sentence_transformers.json").write_text(json.dumps(
        {"model_type": "SentenceTransformer", "similarity_fn_name": "cosine"}), encoding="utf-8")
    (out / TUNING_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")


# -- using it -------------------------------------------------------------------------------

def load_embedder(name: str = DEFAULT_EMBEDDING_MODEL):
    """The embedder for `name`: a static folder made by `lmforge rag tune-embedder` or any
    transformer encoder (rag/embedder.py)."""
    from lmforge.rag.embedder import Embedder

    return StaticEmbedder(name) if is_static_folder(name) else Embedder(name)


def is_static_folder(name: str) -> bool:
    """True for a folder whose first sentence-transformers module is a StaticEmbedding."""
    modules = Path(name) / "modules.json"
    if not modules.is_file():
        return False
    first = json.loads(modules.read_text(encoding="utf-8"))[0]
    return first.get("type", "").endswith("StaticEmbedding")


class StaticEmbedder:
    """The Embedder interface (name, dim, tuned, count_tokens, embed) over a static folder."""

    def __init__(self, name: str) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        folder = Path(name)
        self.name = name
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.counter = counting_tokenizer(self.tokenizer)
        self.weights = load_file(str(folder / "model.safetensors"))["embedding.weight"].float()
        self.dim = self.weights.shape[1]
        self.tuned = (folder / TUNING_RECORD).is_file()
        self.static = True

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(x) for x in token_ids(self.counter, texts)] if texts else []

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with torch.no_grad():
            return embed_ids(self.weights, token_ids(self.tokenizer, texts)).numpy()
