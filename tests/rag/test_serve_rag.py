"""The server's `rag` option on /v1/chat/completions: an answer grounded in a named index,
with its numbered sources; "not found" without generating; index names stay in one folder.

The app runs in-process (FastAPI's TestClient) on the session's SmolLM2."""

import pytest

pytestmark = pytest.mark.slow  # SmolLM2 + MiniLM


@pytest.fixture(scope="module")
def http(smollm2, docs_retriever):
    from fastapi.testclient import TestClient

    from lmforge.serve.app import Server, ServeSettings, create_app

    server = Server(smollm2, None, ServeSettings(embedding_model_id=None, max_batch=2))
    with TestClient(create_app(server)) as client:
        yield client


@pytest.fixture
def rag_dir(docs_retriever, monkeypatch):
    path = docs_retriever.store.path
    monkeypatch.setenv("LMFORGE_RAG_DIR", str(path.parent))
    return path


def ask(http, content, **extra):
    return http.post("/v1/chat/completions", json={
        "model": "smollm2-135m-instruct", "max_tokens": 40, "temperature": 0,
        "messages": [{"role": "user", "content": content}], **extra})


def test_rag_answers_with_numbered_sources(http, rag_dir):
    response = ask(http, "What does error code E7 mean on the Zephyr kettle?", rag=rag_dir.stem)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["choices"][0]["message"]["content"].strip()
    sources = body["sources"]
    assert [s["n"] for s in sources] == list(range(1, len(sources) + 1))
    assert sources[0]["source"].endswith("zephyr_kettle_manual.html")
    assert "E7" in sources[0]["text"] and sources[0]["position"]
    assert body["usage"]["prompt_tokens"] > 100  # the sources were in the prompt


def test_rag_says_not_found_in_the_question_language(http, rag_dir):
    body = ask(http, "如何在家里做红烧肉？", rag=rag_dir.name).json()
    assert body["choices"][0]["message"]["content"] == "文档中未找到相关内容。"
    assert body["sources"] == [] and body["usage"]["completion_tokens"] == 0


def test_index_names_are_checked(http, rag_dir):
    outside = ask(http, "hi", rag="../../etc/passwd")
    assert outside.status_code == 400 and "outside" in outside.text
    missing = ask(http, "hi", rag="no-such-index")
    assert missing.status_code == 400 and "not found" in missing.text
    plain = ask(http, "Say hi.")
    assert plain.status_code == 200 and plain.json()["sources"] is None
