"""Answering with citations: retrieved chunks in the prompt as numbered sources, `[n]` back.

    answer = answer_question("How often should I descale?", retriever, engine)
    print(answer.text)                      # "Every 30 days [1]."
    for n, hit in answer.numbered_sources:  # [1] manual.html · Descaling · chars 812-1130
        ...

Retrieval-augmented generation (Lewis et al., 2020): the model answers from passages put
in front of the question instead of from its weights alone, so answers can be checked.

1. Relevance gate. If the best retrieved chunk is not relevant enough, the answer is "not
   found in the documents" in the question's language, without calling the model: a small
   model asked about something absent will invent an answer. Relevance is the larger of the
   chunk's cosine similarity to the question and the share of the question's content words
   it contains (the keyword side carries Chinese, which the English MiniLM embeds poorly).
   The thresholds are measured on the evaluation set (benchmarks/bench_rag.py, docs/rag.md).
2. Prompt. Sources are numbered [1]..[k] with their file and position; sources are dropped
   from the end until prompt + answer fit the model's context.
3. Citations. Marks `[n]` naming a real source are kept, others removed. When the model
   cites nothing, each answer sentence is attributed to the source sharing the most words
   with it (post-hoc attribution, flagged in `Answer.attributed`), so every answer still
   points at its evidence.

Test: `pytest tests/rag/test_answer.py`.
"""

import re
from dataclasses import dataclass, field

from lmforge.errors import ContextLengthError
from lmforge.infer.chat_session import reply_without_loops
from lmforge.infer.defaults import CHAT_DEFAULTS, ChatDefaults
from lmforge.rag.keywords import is_chinese, query_terms
from lmforge.rag.retrieval import Hit, Retriever

NOT_FOUND = {"en": "Not found in the documents.", "zh": "文档中未找到相关内容。"}
# measured on tests/rag/eval_questions.jsonl (70 answerable, 12 unanswerable questions; see
# docs/rag.md): every unanswerable question fell below both; MiniLM's cosine says little
# about Chinese text (unanswerable Chinese questions reach 0.64), so Chinese uses keywords only
MIN_SIMILARITY = {"en": 0.35, "zh": 1.01}
MIN_COVERAGE = {"en": 0.2, "zh": 0.2}

INSTRUCTIONS = {
    "en": ("Answer the question using only the numbered sources below. After each fact, cite "
           "its source number in brackets, like [1]. If the sources do not contain the "
           "answer, reply exactly: Not found in the documents."),
    "zh": ("只根据下面编号的资料回答问题。每个事实后面用方括号注明资料编号，例如[1]。"
           "如果资料中没有答案，请只回答：文档中未找到相关内容。"),
}
_CITATION = re.compile(r"\[(\d{1,2})\]")


@dataclass
class Answer:
    question: str
    text: str
    sources: list[Hit]
    found: bool
    cited: list[int] = field(default_factory=list)
    """Source numbers (1-based) the answer cites."""
    attributed: bool = False
    """True when the citations were added by post-hoc attribution, not by the model."""
    stopped: str | None = None
    """Why the answer was ended early (it repeated itself: one copy kept), else None."""

    @property
    def numbered_sources(self) -> list[tuple[int, Hit]]:
        return list(enumerate(self.sources, 1))

    def to_json(self) -> dict:
        return {"answer": self.text, "found": self.found, "cited": self.cited,
                "attributed": self.attributed, "stopped": self.stopped,
                "sources": [{"n": n, **hit.to_json()} for n, hit in self.numbered_sources]}


def language(text: str) -> str:
    return "zh" if is_chinese(text) else "en"


def relevance(hit: Hit, lang: str = "en") -> bool:
    """Is this chunk relevant enough to answer from (see module docstring, step 1)?"""
    return hit.similarity >= MIN_SIMILARITY[lang] or hit.coverage >= MIN_COVERAGE[lang]


def build_messages(question: str, hits: list[Hit]) -> list[dict]:
    lang = language(question)
    blocks = [f"[{n}] ({hit.source} · {hit.position})\n{hit.text}"
              for n, hit in enumerate(hits, 1)]
    label = "资料" if lang == "zh" else "Sources"
    ask = "问题" if lang == "zh" else "Question"
    user = f"{label}:\n\n" + "\n\n".join(blocks) + f"\n\n{ask}: {question}"
    return [{"role": "system", "content": INSTRUCTIONS[lang]}, {"role": "user", "content": user}]


def fit_prompt(question: str, hits: list[Hit], tokenizer, context: int,
               max_tokens: int) -> tuple[list[int], list[Hit]]:
    """Prompt ids with as many sources as fit beside `max_tokens` of answer."""
    bare = tokenizer.encode_chat(build_messages(question, []))
    if len(bare) + max_tokens > context:
        raise ContextLengthError(f"the question takes {len(bare)} tokens; with {max_tokens} "
                                 f"for the answer it exceeds the model's context of {context}")
    for n in range(len(hits), -1, -1):
        ids = tokenizer.encode_chat(build_messages(question, hits[:n]))
        if len(ids) + max_tokens <= context:
            return ids, hits[:n]
    return bare, []


def answer_question(question: str, retriever: Retriever, engine, *, k: int = 4,
                    mode: str = "hybrid", max_tokens: int | None = None, rerank=None,
                    defaults: ChatDefaults = CHAT_DEFAULTS) -> Answer:
    """Retrieve, gate on relevance, generate, and fix up citations. The answer is sampled
    with the chat defaults (`max_tokens` overrides theirs) and ends at a loop."""
    hits = retriever.search(question, k=k, mode=mode, rerank=rerank)
    relevant = [h for h in hits if relevance(h, language(question))]
    if not relevant:
        return Answer(question, NOT_FOUND[language(question)], hits, found=False)
    params = defaults.sampling_params(
        max_tokens=defaults.max_tokens if max_tokens is None else max_tokens)
    ids, used = fit_prompt(question, relevant, engine.tokenizer, engine.max_seq_len,
                           params.max_tokens)
    reply = reply_without_loops(engine, ids, params, defaults.stop_loops)
    answer = with_citations(question, reply.text.strip(), used)
    answer.stopped = reply.stopped
    return answer


def with_citations(question: str, text: str, sources: list[Hit]) -> Answer:
    """Keep valid [n] marks, drop invalid ones, attribute sentences when none is given."""
    lang = language(question)
    if text.startswith(NOT_FOUND[lang].rstrip(".。")) or not sources:
        return Answer(question, NOT_FOUND[lang], sources, found=False)
    text = _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= len(sources) else "",
                         text)
    cited = sorted({int(n) for n in _CITATION.findall(text)})
    if cited:
        return Answer(question, text, sources, True, cited)
    text, cited = attribute(text, sources)
    return Answer(question, text, sources, True, cited, attributed=True)


def attribute(text: str, sources: list[Hit]) -> tuple[str, list[int]]:
    """Append to each sentence the number of the source sharing most of its words."""
    pieces = re.split(r"(?<=[.!?。！？])\s*", text)
    out, cited = [], set()
    for sentence in pieces:
        if not sentence.strip():
            continue
        terms = query_terms(sentence, "jieba")
        overlaps = [sum(t in hit.text.lower() for t in terms) for hit in sources]
        best = max(range(len(sources)), key=lambda i: overlaps[i]) if sources else None
        if best is not None and overlaps[best] > 0:
            mark = f" [{best + 1}]"
            sentence = (sentence[:-1] + mark + sentence[-1] if sentence[-1] in ".!?。！？"
                        else sentence + mark)
            cited.add(best + 1)
        out.append(sentence)
    return " ".join(out), sorted(cited)
