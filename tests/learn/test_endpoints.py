"""/v1/learn/*: the lessons' data over HTTP (a tiny model behind the real app), 400s that
name the bad value, and the API key guarding them like the OpenAI routes."""

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from lmforge.infer import SamplingParams
from lmforge.learn import lesson_engine, next_token
from lmforge.serve.app import Server, ServeSettings, create_app

KEY = "learn-key"


@pytest.fixture(scope="module")
def client(decoder, tiny_tokenizer):
    lm = SimpleNamespace(model=decoder, tokenizer=tiny_tokenizer)
    server = Server(lm, None, ServeSettings(api_key=KEY, max_batch=2))
    with TestClient(create_app(server), headers={"Authorization": f"Bearer {KEY}"}) as c:
        yield c


def test_next_is_the_lessons_data(client, decoder, tiny_tokenizer):
    answer = client.post("/v1/learn/next", json={"prompt": "the cat", "top": 5})
    assert answer.status_code == 200
    expected = next_token(lesson_engine(decoder, tiny_tokenizer), "the cat", top=5)
    shown = answer.json()
    assert [c["id"] for c in shown["candidates"]] == [c["id"] for c in expected["candidates"]]
    assert max(abs(a["p"] - b["p"]) for a, b in zip(shown["candidates"],
                                                    expected["candidates"], strict=True)) < 1e-6
    branch = shown["candidates"][1]["id"]
    deeper = client.post("/v1/learn/next", json={"prompt": "the cat", "continuation": [branch],
                                                 "top": 5}).json()
    assert deeper["continuation"] == [branch]


def test_strategies_and_beam(client, decoder, tiny_tokenizer):
    lessons = client.get("/v1/learn/lessons").json()
    assert [s["name"] for s in lessons["strategies"]][:2] == ["greedy", "beam search"]
    shown = client.post("/v1/learn/strategies", json={"prompt": "the cat", "samples": 2,
                                                      "max_tokens": 4}).json()
    assert [s["name"] for s in shown["strategies"]] == [s["name"] for s in lessons["strategies"]]
    custom = client.post("/v1/learn/strategies", json={
        "prompt": "the cat", "strategies": [{"name": "k3", "settings": {"top_k": 3}}]}).json()
    assert custom["strategies"][0]["kept_count"] == 3
    tree = client.post("/v1/learn/beam", json={"prompt": "the cat", "beams": 2,
                                               "max_tokens": 4}).json()
    ids = tiny_tokenizer.encode("the cat", add_special=True, parse_special=False)
    [done] = lesson_engine(decoder, tiny_tokenizer).generate(
        ids, SamplingParams(n_beams=2, max_tokens=4))
    assert tree["winner"]["token_ids"] == done.token_ids


def test_the_tabs_steps_kept_sets_samples_and_beam_levels(client):
    both = client.post("/v1/learn/strategies", json={"prompt": "the cat", "samples": 2,
                                                     "max_tokens": 4}).json()
    kept = client.post("/v1/learn/kept", json={"prompt": "the cat"}).json()
    runs = client.post("/v1/learn/samples", json={"prompt": "the cat", "samples": 2,
                                                  "max_tokens": 4}).json()
    for merged, alone, sampled in zip(both["strategies"], kept["strategies"],
                                      runs["strategies"], strict=True):
        assert merged["kept"] == alone["kept"] and merged["samples"] == sampled["samples"]
    whole = client.post("/v1/learn/beam", json={"prompt": "the cat", "beams": 2,
                                                "max_tokens": 4}).json()
    started = client.post("/v1/learn/beam/start", json={"prompt": "the cat", "beams": 2,
                                                        "max_tokens": 4}).json()
    assert started["steps"] == 1 and started["winner"] is None
    step = client.post("/v1/learn/beam/step", json={"search": started["search"]}).json()
    assert step["steps"] == 2 or step["done"]
    end = client.post("/v1/learn/beam/step", json={"search": started["search"],
                                                   "steps": None}).json()
    assert end["done"] and end["nodes"] == whole["nodes"] and end["winner"] == whole["winner"]
    greedy = client.post("/v1/learn/greedy", json={"prompt": "the cat", "max_tokens": 4})
    assert greedy.json() == whole["greedy"]
    gone = client.post("/v1/learn/beam/step", json={"search": "beam-999"})
    assert gone.status_code == 400 and "start the search again" in gone.text


@pytest.mark.parametrize("route, body, needle", [
    ("kept", {"prompt": "the cat", "strategies": [{"name": "k", "settings": {"top_k": 0}}]},
     "top_k=0 is invalid"),
    ("kept", {"prompt": ""}, "the prompt is empty"),
    ("beam/start", {"prompt": "the cat", "beams": 17}, "beams=17 is invalid"),
    ("next", {"prompt": ""}, "the prompt is empty"),
    ("next", {"prompt": "the cat sat on the mat. " * 20}, "lessons hold at most 63"),
    ("next", {"prompt": "the cat", "top": 0}, "top=0 is invalid"),
    ("strategies", {"prompt": "the cat", "strategies": [{"name": "k", "settings": {"top_k": 0}}]},
     "top_k=0 is invalid"),
    ("strategies", {"prompt": "the cat", "strategies": [{"name": "k",
                                                         "settings": {"top_k": -4}}]},
     "top_k=-4 is invalid"),
    ("strategies", {"prompt": "the cat", "strategies": [{"name": "p",
                                                         "settings": {"top_p": 1.5}}]},
     r"top_p=1.5 is invalid: must be in (0, 1]"),
    ("strategies", {"prompt": "the cat", "strategies": [{"name": "p", "settings": {"top_p": 0}}]},
     "top_p=0 is invalid"),
    ("beam", {"prompt": "the cat", "beams": 17}, "beams=17 is invalid"),
    ("beam", {"prompt": ""}, "the prompt is empty"),
    ("tokens", {"texts": [""]}, "the text is empty"),
    ("attention", {"text": "the cat", "layer": 5}, "layer=5 is invalid"),
    ("attention", {"text": ""}, "the text is empty"),
])
def test_bad_input_is_a_400_naming_it(client, route, body, needle):
    answer = client.post(f"/v1/learn/{route}", json=body)
    assert answer.status_code == 400
    assert needle in answer.json()["error"]["message"]


def test_tokens_and_attention(client, decoder, tiny_tokenizer):
    tokens = client.post("/v1/learn/tokens", json={"texts": ["the cat"]}).json()["texts"]
    assert [t["id"] for t in tokens[0]["tokens"]] == tiny_tokenizer.encode("the cat")
    assert len(client.post("/v1/learn/tokens", json={}).json()["texts"]) == 2  # the examples
    shown = client.post("/v1/learn/attention", json={"text": "the cat sat", "layer": 0}).json()
    assert shown["layer"] == 0 and len(shown["heads"]) == decoder.config.num_attention_heads
    assert len(shown["average"]) == len(shown["tokens"])


def test_finetune_costs(client, decoder):
    table = client.post("/v1/learn/finetune", json={"rank": 4, "qlora_group_size": 32}).json()
    assert [m["name"] for m in table["modes"]] == ["full", "LoRA r=4",
                                                    "QLoRA r=4 (int4 g32 base)"]
    assert table["modes"][0]["trainable"] == sum(p.numel() for p in decoder.parameters())
    for body, needle in (({"rank": 0}, "rank=0 is invalid"),
                         ({"rank": 4}, "group size 64 does not divide")):
        answer = client.post("/v1/learn/finetune", json=body)
        assert answer.status_code == 400 and needle in answer.json()["error"]["message"]


def test_positions(client, decoder):
    shown = client.post("/v1/learn/positions", json={"n_positions": 16}).json()
    assert len(shown["sinusoidal"]["table"]) == 16
    assert shown["rope"]["head_dim"] == decoder.config.head_dim
    answer = client.post("/v1/learn/positions", json={"n_positions": 999})
    assert answer.status_code == 400 and "n_positions=999" in answer.json()["error"]["message"]


def test_objectives(client):
    shown = client.post("/v1/learn/objectives", json={}).json()
    assert shown["family"] == "decoder" and shown["causal_lm"]["loss"] > 0
    answer = client.post("/v1/learn/objectives", json={"text": "the"})
    assert answer.status_code == 400 and "this lesson takes 4..128" in answer.json()[
        "error"]["message"]


def test_grpo_group(client):
    shown = client.post("/v1/learn/grpo", json={"question": "the cat", "answer": "3",
                                                "group_size": 4, "max_tokens": 3}).json()
    assert len(shown["samples"]) == 4 and all(s["reward"] in (0, 1) for s in shown["samples"])
    answer = client.post("/v1/learn/grpo", json={"group_size": 1})
    assert answer.status_code == 400 and "group_size=1" in answer.json()["error"]["message"]


@pytest.mark.parametrize("route", ["quantization", "finetune/step", "grpo/step"])
def test_lessons_that_train_or_reload_need_the_models_files(client, route):
    answer = client.post(f"/v1/learn/{route}", json={})
    assert answer.status_code == 400
    assert "loads the model again from its files" in answer.json()["error"]["message"]


def test_measured_steps_and_tiny_families(decoder, tiny_tokenizer, folder):
    lm = SimpleNamespace(model=decoder, tokenizer=tiny_tokenizer, path=folder)
    with TestClient(create_app(Server(lm, None, ServeSettings(max_batch=2)))) as c:
        steps = c.post("/v1/learn/finetune/step", json={
            "rank": 4, "qlora_group_size": 32, "tokens": 8}).json()
        assert [m["skipped"] for m in steps["modes"]] == [None] * 3
        assert all(m["wall_s"] > 0 for m in steps["modes"])
        grpo = c.post("/v1/learn/grpo/step", json={
            "tasks": [{"prompt": "the cat", "answer": "1"}], "group_size": 2,
            "max_tokens": 2}).json()
        assert len(grpo["prompts"][0]["samples"]) == 2 and grpo["update_norm"] >= 0
        families = c.post("/v1/learn/objectives/train", json={"steps": 40}).json()
        assert all(f["sentence_loss"] > 0 for f in families["families"].values())
        bad = c.post("/v1/learn/grpo/step", json={"group_size": 1})
        assert bad.status_code == 400 and "group_size=1 is invalid" in bad.text


def test_the_api_key_guards_the_lessons(client):
    answer = client.post("/v1/learn/next", json={"prompt": "the cat"},
                         headers={"Authorization": "Bearer wrong"})
    assert answer.status_code == 401
