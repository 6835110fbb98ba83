"""Optional re-ranking: the chat model scores how relevant each retrieved chunk is.

A first-stage retriever scores the query and a chunk independently (one vector each, or
word counts); a re-ranker reads them together, which is slower but sharper (the idea of a
cross-encoder, Nogueira & Cho, 2019). With no cross-encoder bundled, the chat model plays
one: for each (question, chunk) it is asked "is this passage relevant? yes/no", and the
chunk's score is log P(yes) - log P(no) at the first answer token, read from the Engine's
logprobs, one batched generate call for all candidates.

    hits = retriever.search(q, k=5, rerank=ChatModelReranker(engine))

Test: `pytest tests/rag/test_retrieval.py -k rerank`.
"""

from dataclasses import replace

from lmforge.rag.retrieval import Hit

PROMPT = ("Passage:\n{passage}\n\nQuestion: {question}\n\nDoes the passage help answer the "
          "question? Answer yes or no.")


class ChatModelReranker:
    def __init__(self, engine, *, max_passage_chars: int = 1200) -> None:
        self.engine = engine
        self.max_passage_chars = max_passage_chars
        tok = engine.tokenizer
        self.yes_ids = _first_ids(tok, ["yes", "Yes", " yes", " Yes"])
        self.no_ids = _first_ids(tok, ["no", "No", " no", " No"])

    def __call__(self, question: str, hits: list[Hit]) -> list[Hit]:
        from lmforge.infer.params import SamplingParams

        if not hits:
            return hits
        tok = self.engine.tokenizer
        prompts = [tok.encode_chat([{"role": "user", "content": PROMPT.format(
            passage=h.text[: self.max_passage_chars], question=question)}]) for h in hits]
        params = SamplingParams(max_tokens=1, temperature=0.0, logprobs=20)
        completions = self.engine.generate(prompts, params)
        scored = []
        for hit, completion in zip(hits, completions, strict=True):
            top = dict(completion.logprobs[0].top) if completion.logprobs else {}
            scored.append(replace(hit, score=_best(top, self.yes_ids) - _best(top, self.no_ids)))
        return sorted(scored, key=lambda h: -h.score)


def _first_ids(tokenizer, words: list[str]) -> set[int]:
    return {ids[0] for w in words if (ids := tokenizer.encode(w, parse_special=False))}


def _best(top: dict[int, float], ids: set[int], floor: float = -30.0) -> float:
    return max([top[i] for i in ids if i in top], default=floor)
