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
   from the end until prompt + answer fit the model's context. Retrieved text is untrusted data:
   with `defences` (safety/defences.py, on by default) sentences carrying instructions are
   removed from each chunk before the model sees it, each source is marked as data
   (spotlighting) and the system prompt says that data is never to be obeyed. The answer
   is sampled with the chat defaults (infer/defaults.py) less the repetition penalty
   (`RAG_DEFAULTS`), and a looping answer ends at its third repeat with one copy kept.
3. Citations. Marks `[n]` naming a real source are kept, others removed. When the model
   cites nothing, each answer sentence is attributed to the source sharing the most words
   with it (post-hoc attribution, flagged in `Answer.attributed`), so every answer still
   points at its evidence.
4. Support check. A question on the documents' topic passes the gate even when they do not
   hold its answer, and a small model then invents one (a year, a price, a time); it also
   follows a copied fact with made-up sentences. So each sentence of the answer must have
   the words it adds to the question mostly in the sources (`support` at least
   `MIN_SUPPORT`); the others are dropped, and with none left the answer is "not found".

Test: `pytest tests/rag/test_answer.py`.
"""

import re
from dataclasses import dataclass, field, replace

from lmforge.errors import ContextLengthError
from lmforge.infer.chat_session import reply_without_loops
from lmforge.infer.defaults import RAG_DEFAULTS, ChatDefaults
from lmforge.rag.keywords import is_chinese, query_terms
from lmforge.rag.retrieval import Hit, Retriever
from lmforge.safety.defences import DEFAULT_DEFENCES, Defences

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
# a sentence and the space after it; "1.6" and "www.x.org" do not end one
_SENTENCE = re.compile(r".+?(?:[.!?](?=\s|$)|[。！？]|$)\s*", re.S)
# step 4: words that frame an answer rather than carry its fact
FRAMING = {"answer", "document", "documents", "source", "sources", "based", "according",
           "provided", "text", "question", "information"}
# per sentence; chosen on the 20 English questions of bench_rag_answers.py (docs/rag.md,
# so optimistic); not measured for Chinese, so not applied there
MIN_SUPPORT = {"en": 0.8, "zh": 0.0}


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
    support: float = 0.0
    """Share of the words the model's reply added that occur in its sources, over the whole
    reply as generated (step 4 keeps only its supported sentences)."""
    reply: str = ""
    """The model's reply as generated, before steps 3-4 (empty when it was not called)."""

    @property
    def numbered_sources(self) -> list[tuple[int, Hit]]:
        return list(enumerate(self.sources, 1))

    def to_json(self) -> dict:
        return {"answer": self.text, "found": self.found, "cited": self.cited,
                "attributed": self.attributed, "stopped": self.stopped,
                "support": round(self.support, 3),
                "sources": [{"n": n, **hit.to_json()} for n, hit in self.numbered_sources]}


def language(text: str) -> str:
    return "zh" if is_chinese(text) else "en"


def relevance(hit: Hit, lang: str = "en") -> bool:
    """Is this chunk relevant enough to answer from (see module docstring, step 1)?"""
    return hit.similarity >= MIN_SIMILARITY[lang] or hit.coverage >= MIN_COVERAGE[lang]


def build_messages(question: str, hits: list[Hit],
                   defences: Defences | None = None) -> list[dict]:
    """System + user messages; with `defences`, each source is spotlighted as data and the
    system prompt says how (instructions are removed earlier, by `guard_hits`)."""
    lang = language(question)
    mark = defences.mark if defences is not None else (lambda text: text)
    blocks = [f"[{n}] ({hit.source} · {hit.position})\n{mark(hit.text)}"
              for n, hit in enumerate(hits, 1)]
    label = "资料" if lang == "zh" else "Sources"
    ask = "问题" if lang == "zh" else "Question"
    user = f"{label}:\n\n" + "\n\n".join(blocks) + f"\n\n{ask}: {question}"
    system = INSTRUCTIONS[lang]
    if defences is not None:
        system = defences.system_rule(system, lang)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def guard_hits(hits: list[Hit], defences: Defences | None) -> list[Hit]:
    """The hits with the sentences that carry instructions removed (defences.detect)."""
    if defences is None or not defences.detect:
        return hits
    return [replace(hit, text=defences.clean(hit.text)[0]) for hit in hits]


def fit_prompt(question: str, hits: list[Hit], tokenizer, context: int,
               max_tokens: int, defences: Defences | None = None) -> tuple[list[int], list[Hit]]:
    """Prompt ids with as many sources as fit beside `max_tokens` of answer."""
    bare = tokenizer.encode_chat(build_messages(question, [], defences))
    if len(bare) + max_tokens > context:
        raise ContextLengthError(f"the question takes {len(bare)} tokens; with {max_tokens} "
                                 f"for the answer it exceeds the model's context of {context}")
    for n in range(len(hits), -1, -1):
        ids = tokenizer.encode_chat(build_messages(question, hits[:n], defences))
        if len(ids) + max_tokens <= context:
            return ids, hits[:n]
    return bare, []


def answer_question(question: str, retriever: Retriever, engine, *, k: int = 4,
                    mode: str = "hybrid", max_tokens: int | None = None, rerank=None,
                    defaults: ChatDefaults = RAG_DEFAULTS,
                    min_support: float | None = None,
                    defences: Defences | None = DEFAULT_DEFENCES) -> Answer:
    """Retrieve, gate on relevance, generate, keep the supported sentences, fix up citations
    (steps 1-4 above). `max_tokens` overrides the defaults' own, `min_support` the
    language's MIN_SUPPORT (0 keeps every sentence). `defences` guard the retrieved text
    (None: none, as before issue 23)."""
    lang = language(question)
    hits = retriever.search(question, k=k, mode=mode, rerank=rerank)
    relevant = [h for h in hits if relevance(h, lang)]
    if not relevant:
        return Answer(question, NOT_FOUND[lang], hits, found=False)
    params = defaults.sampling_params(
        max_tokens=defaults.max_tokens if max_tokens is None else max_tokens)
    ids, used = fit_prompt(question, guard_hits(relevant, defences), engine.tokenizer,
                           engine.max_seq_len, params.max_tokens, defences)
    reply = reply_without_loops(engine, ids, params, defaults.stop_loops)
    least = MIN_SUPPORT[lang] if min_support is None else min_support
    answer = with_citations(question, supported_text(reply.text, question, used, least), used)
    answer.stopped, answer.reply = reply.stopped, reply.text
    answer.support = support(reply.text, question, used)
    return answer


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end, each piece with the space that follows it."""
    return _SENTENCE.findall(text.strip())


def added_words(text: str, question: str) -> list[str]:
    """The content words of an answer that its question does not hold (nor framing such as
    "the answer is", nor citation marks)."""
    asked = set(query_terms(question, "jieba")) | FRAMING
    return [t for t in query_terms(_CITATION.sub(" ", text), "jieba") if t not in asked]


def support(text: str, question: str, sources: list[Hit]) -> float:
    """The share of the words an answer adds that occur in its sources: 1.0 when everything
    it adds comes from them (or it adds nothing)."""
    added = added_words(text, question)
    held = set(query_terms(" ".join(h.text for h in sources), "jieba"))
    return sum(t in held for t in added) / len(added) if added else 1.0


def supported_text(text: str, question: str, sources: list[Hit], least: float) -> str:
    """The answer without the sentences whose support is below `least` (step 4): a small
    model often follows a fact copied from a source with one it made up. Sentences adding no
    word ("The answer is no.") stay only beside a supported one: alone they state nothing
    the sources can back."""
    if least <= 0:
        return text.strip()
    kept, facts = [], 0
    for sentence in sentences(text):
        if not added_words(sentence, question):
            kept.append(sentence)
        elif support(sentence, question, sources) >= least:
            kept.append(sentence)
            facts += 1
    return "".join(kept).strip() if facts else ""


def with_citations(question: str, text: str, sources: list[Hit]) -> Answer:
    """Keep valid [n] marks, drop invalid ones, attribute sentences when none is given."""
    lang = language(question)
    if not text or NOT_FOUND[lang].rstrip(".。") in text or not sources:  # "The answer
        return Answer(question, NOT_FOUND[lang], sources, found=False)  # is: Not found..."
    text = _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= len(sources) else "",
                         text)
    cited = sorted({int(n) for n in _CITATION.findall(text)})
    if cited:
        return Answer(question, text, sources, True, cited)
    text, cited = attribute(text, sources)
    return Answer(question, text, sources, True, cited, attributed=True)


def attribute(text: str, sources: list[Hit]) -> tuple[str, list[int]]:
    """Append to each sentence the number of the source sharing most of its words."""
    pieces = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", text)  # not inside "1.6" or "www.x"
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
