"""Answering: numbered sources, citations mapped back, the "not found" gate in the
question's language, context fitting, the chat-request helper, and a real SmolLM2 answer."""

import pytest

from lmforge.errors import ContextLengthError
from lmforge.rag.answer import (
    NOT_FOUND,
    answer_question,
    build_messages,
    fit_prompt,
    sentences,
    support,
    supported_text,
    with_citations,
)
from lmforge.rag.retrieval import Hit


def hit(source, text, similarity=0.9, coverage=1.0, heading=()):
    return Hit(source, text, 1.0, 10, 10 + len(text), list(heading), None, 1, similarity,
               coverage)


SOURCES = [hit("manual.html", "Descale the kettle every 30 days with citric acid.",
               heading=["Kettle", "Descaling"]),
           hit("warranty.txt", "The warranty lasts 26 months from purchase.")]


def test_prompt_numbers_the_sources_with_file_and_position():
    system, user = build_messages("How long is the warranty?", SOURCES)
    assert "cite" in system["content"] and "Not found in the documents." in system["content"]
    assert "[1] (manual.html · Kettle > Descaling · chars 10-60)\nDescale" in user["content"]
    assert "[2] (warranty.txt · chars 10-53)" in user["content"]
    assert user["content"].endswith("Question: How long is the warranty?")
    zh_system, zh_user = build_messages("保修期多长？", SOURCES)
    assert "文档中未找到相关内容" in zh_system["content"]
    assert "问题: 保修期多长？" in zh_user["content"]


def test_valid_citations_are_kept_and_invalid_ones_dropped():
    answer = with_citations("How long?", "It lasts 26 months [2][7].", SOURCES)
    assert (answer.text, answer.cited, answer.attributed) == ("It lasts 26 months [2].", [2],
                                                              False)
    assert answer.to_json()["sources"][1]["source"] == "warranty.txt"


def test_uncited_sentences_are_attributed_to_the_source_they_come_from():
    answer = with_citations("q?", "Use citric acid every 30 days. The warranty lasts 26 months.",
                            SOURCES)
    assert answer.attributed and answer.cited == [1, 2]
    assert answer.text == ("Use citric acid every 30 days [1]. "
                           "The warranty lasts 26 months [2].")


def test_the_model_saying_not_found_is_kept_in_the_question_language():
    assert not with_citations("保修期多长？", "文档中未找到相关内容", SOURCES).found
    assert with_citations("How?", "Not found in the documents", SOURCES).text == NOT_FOUND["en"]
    framed = with_citations("How?", "The answer is: Not found in the documents.", SOURCES)
    assert (framed.found, framed.text) == (False, NOT_FOUND["en"])


def test_attribution_does_not_split_numbers_or_addresses():
    answer = with_citations("q?", "The kettle holds 1.6 litres. See www.zephyr.example now.",
                            [hit("manual.html", "a 1.6 litre kettle"),
                             hit("shop.html", "see zephyr example")])
    assert answer.text == "The kettle holds 1.6 litres [1]. See www.zephyr.example now [2]."


def test_support_is_the_share_of_added_words_the_sources_hold():
    question = "How long is the warranty?"
    assert support("The warranty lasts 26 months [2].", question, SOURCES) == 1.0
    assert support("The answer is: 26 months.", question, SOURCES) == 1.0  # framing words
    # an invented year and price: 4 of the 7 added words (since, 2018, 40, crowns) are in
    # no source; lasts, 26 and months are
    assert support("It lasts 26 months, since 2018 for 40 crowns.", question,
                   SOURCES) == pytest.approx(3 / 7)


class FakeRetriever:
    def __init__(self, hits):
        self.hits = hits

    def search(self, query, k, mode, rerank=None):
        return self.hits[:k]


class NoEngine:
    def generate(self, *args, **kwargs):
        raise AssertionError("the model must not be called when nothing relevant was found")


@pytest.mark.parametrize("question, expected", [
    ("What is the boiling point of nitrogen?", "Not found in the documents."),
    ("珠穆朗玛峰有多高？", "文档中未找到相关内容。")])
def test_irrelevant_retrievals_answer_not_found_without_the_model(question, expected):
    weak = [hit("manual.html", "Descale the kettle.", similarity=0.1, coverage=0.0)]
    answer = answer_question(question, FakeRetriever(weak), NoEngine())
    assert (answer.found, answer.text, answer.cited) == (False, expected, [])


class CharTokenizer:
    """Four characters a token, enough to test the context arithmetic."""

    def encode_chat(self, messages):
        return list(range(sum(len(m["content"]) for m in messages) // 4))


def test_sources_are_dropped_until_the_prompt_fits_and_overlong_questions_fail():
    long_sources = [hit(f"f{i}.txt", "word " * 200) for i in range(5)]
    ids, used = fit_prompt("Short question?", long_sources, CharTokenizer(), 700, 100)
    assert len(ids) + 100 <= 700 and 0 < len(used) < 5
    assert used == long_sources[:len(used)]  # the best sources are the ones kept
    with pytest.raises(ContextLengthError, match="exceeds the model's context of 700"):
        fit_prompt("why " * 2000, long_sources, CharTokenizer(), 700, 100)


class LoopingEngine:
    """Streams "Every 30 days [1]." and then one sentence over and over, as SmolLM2 did for
    issue 24 ("A: ... B: ... J:"); records the sampling it was given."""

    max_seq_len = 4096
    TEXT = {1: "Every 30 days [1].", 2: " Descale", 3: " with", 4: " citric", 5: " acid."}

    def __init__(self):
        self.tokenizer, self.params = self, None

    def encode_chat(self, messages):
        return CharTokenizer().encode_chat(messages)

    def decode(self, ids, skip_special=False):
        return "".join(self.TEXT[i] for i in ids)

    def stream(self, prompts, params):
        from lmforge.infer import StreamEvent

        self.params = params
        for token in [1] + [2, 3, 4, 5] * 200:
            yield StreamEvent("r0", token, self.TEXT[token], None, False, None)


def test_answers_take_the_chat_defaults_but_the_penalty_and_end_at_a_loop():
    """The penalty counts the sources' tokens, so it would shun copying their facts."""
    from lmforge.infer.chat_session import LOOPING
    from lmforge.infer.defaults import CHAT_DEFAULTS, RAG_DEFAULTS

    engine = LoopingEngine()
    answer = answer_question("How often should I descale?", FakeRetriever(SOURCES), engine)
    params = engine.params
    assert (params.temperature, params.repetition_penalty, params.max_tokens) == (
        CHAT_DEFAULTS.temperature, 1.0, RAG_DEFAULTS.max_tokens)
    assert answer.stopped == LOOPING and answer.found and answer.cited == [1]
    assert answer.text.count("citric acid") == 1  # one copy of the repeated passage kept
    assert answer.text.startswith("Every 30 days [1]. Descale with citric acid.")


def test_an_answer_adding_words_no_source_holds_is_not_found():
    from lmforge.rag.service import RagContext

    context = RagContext([], SOURCES, None, "How long is the warranty?")
    assert context.checked("The warranty lasts 26 months [2].") == (
        "The warranty lasts 26 months [2].")
    assert context.checked("It was founded in 2018 by Anna Berg.") == NOT_FOUND["en"]
    answer = answer_question("How long is the warranty?", FakeRetriever(SOURCES),
                             ScriptedReply("It was founded in 2018 by Anna Berg."))
    assert (answer.found, answer.text, answer.support) == (False, NOT_FOUND["en"], 0.0)


def test_made_up_sentences_after_a_supported_one_are_dropped():
    reply = "The warranty lasts 26 months. It was founded in 2018 by Anna Berg.\n"
    answer = answer_question("How long is the warranty?", FakeRetriever(SOURCES),
                             ScriptedReply(reply))
    assert (answer.found, answer.text, answer.cited) == (
        True, "The warranty lasts 26 months [2].", [2])
    assert answer.support == pytest.approx(3 / 7)  # of the reply as generated
    kept = answer_question("How long is the warranty?", FakeRetriever(SOURCES),
                           ScriptedReply(reply), min_support=0.0)
    assert "Anna Berg" in kept.text  # 0 keeps every sentence


def test_a_sentence_adding_no_word_stays_only_beside_a_supported_one():
    question = "Does the warranty last long?"
    assert supported_text("No. It lasts 26 months.", question, SOURCES, 0.8) == (
        "No. It lasts 26 months.")
    assert supported_text("The answer is no.", question, SOURCES, 0.8) == ""
    assert sentences("It holds 1.6 litres. See www.x.org now!  Done") == [
        "It holds 1.6 litres. ", "See www.x.org now!  ", "Done"]


class ScriptedReply(LoopingEngine):
    """Says one fixed text."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def stream(self, prompts, params):
        from lmforge.infer import StreamEvent

        yield StreamEvent("r0", 1, self.text, None, True, "stop")


@pytest.mark.slow
def test_chat_messages_are_grounded_in_an_index(docs_retriever):
    from lmforge.rag.service import rag_chat_messages

    db = docs_retriever.store.path
    chat = [{"role": "system", "content": "be nice"}, {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "What does error code E7 mean on the kettle?"}]
    grounded = rag_chat_messages(chat, db)
    assert grounded.not_found is None
    assert grounded.sources[0].source.endswith("zephyr_kettle_manual.html")
    assert [m["role"] for m in grounded.messages] == ["system", "user", "assistant", "user"]
    assert grounded.messages[-1]["content"].startswith("Sources:\n\n[1] (")
    absent = rag_chat_messages([{"role": "user", "content": "如何在家里做红烧肉？"}], db)
    assert absent.not_found == "文档中未找到相关内容。" and absent.sources == []


@pytest.mark.slow
def test_smollm2_answers_with_a_citation_to_the_right_file(docs_retriever, smollm2):
    from lmforge.infer.engine import Engine

    engine = Engine(smollm2.model, smollm2.tokenizer)
    answer = answer_question("How often should the Zephyr kettle be descaled?", docs_retriever,
                             engine, k=3, max_tokens=48)
    assert answer.found and answer.cited
    cited_files = {answer.sources[n - 1].source for n in answer.cited}
    assert any(f.endswith("zephyr_kettle_manual.html") for f in cited_files), answer.text
