"""Lesson 3: the tree is the real beam search's, its winner what `generate --beams k`
returns, its scores the search's."""

import math

import pytest
from learn_helpers import EOS, A, B, C, D

from lmforge.errors import ConfigError, SamplingError
from lmforge.infer import SamplingParams
from lmforge.learn import beam_tree
from lmforge.learn.beam_tree import TreeSearch, greedy_path


def by_path(tree: dict) -> dict[tuple[str, ...], dict]:
    """Each node under the texts of the tokens from the root to it."""
    nodes, paths = tree["nodes"], {0: ()}
    for node in nodes[1:]:
        paths[node["id"]] = paths[node["parent"]] + (node["text"],)
    return {paths[n["id"]]: n for n in nodes[1:]}


def test_trap_tree_has_the_known_shape_and_scores(trap_engine):
    tree = beam_tree(trap_engine, "START", beams=2, max_tokens=5)
    nodes = by_path(tree)
    first = {p: n for p, n in nodes.items() if len(p) == 1 and n["fate"] != "pruned"}
    assert {p[0]: (n["fate"], round(n["p"], 4)) for p, n in first.items()} == {
        "A": ("kept", 0.6), "B": ("kept", 0.4)}
    assert nodes[("B", "C")]["cumulative"] == pytest.approx(math.log(0.4 * 0.95), abs=1e-4)
    assert nodes[("A", "C")]["cumulative"] == pytest.approx(math.log(0.6 * 0.3), abs=1e-4)
    assert sum(len(p) == 1 for p in nodes) == 4  # the 2k best of one beam's candidates
    assert nodes[("A", "D")]["fate"] == "pruned"  # 0.6 * 0.25 < the two best
    assert nodes[("B", "C", "<eos>")]["fate"] == "finished"
    assert tree["winner"]["token_ids"] == [B, C, EOS]
    assert [p for p, n in nodes.items() if n["winner"]] == [("B",), ("B", "C"),
                                                            ("B", "C", "<eos>")]
    assert tree["greedy"]["token_ids"] == [A, C, EOS]  # greedy falls into the trap
    assert tree["winner"]["cumulative"] > tree["greedy"]["cumulative"]
    assert D not in tree["winner"]["token_ids"]


@pytest.mark.parametrize("beams", [2, 4])
def test_winner_and_scores_equal_generate_with_beams(engine, tiny_tokenizer, beams):
    prompt = "the dog sat"
    tree = beam_tree(engine, prompt, beams=beams, max_tokens=6, length_penalty=0.8)
    ids = tiny_tokenizer.encode(prompt, add_special=True, parse_special=False)
    [done] = engine.generate(ids, SamplingParams(n_beams=beams, max_tokens=6,
                                                 length_penalty=0.8))
    winner = tree["winner"]
    assert winner["token_ids"] == done.token_ids and winner["text"] == done.text
    assert abs(winner["cumulative"] - done.cumulative_logprob) < 1e-6
    assert winner["score"] == pytest.approx(done.cumulative_logprob
                                            / len(done.token_ids) ** 0.8, abs=1e-6)
    nodes = tree["nodes"]
    path = [n for n in nodes if n["winner"]][1:]  # the root is on every path
    assert [n["token"] for n in path] == done.token_ids
    assert abs(path[-1]["cumulative"] - done.cumulative_logprob) < 1e-6
    for node in nodes[1:]:  # each node's score is its parent's plus its own logprob
        parent = nodes[node["parent"]]
        assert node["cumulative"] == pytest.approx(parent["cumulative"]
                                                   + math.log(node["p"]), abs=1e-5)
    per_step = {}
    for node in nodes[1:]:
        per_step.setdefault(node["step"], []).append(node["fate"])
    assert all(fates.count("kept") <= beams for fates in per_step.values())
    assert all(len(fates) <= 2 * beams for fates in per_step.values())


def test_bad_beams_and_lengths_name_the_problem(engine):
    for beams in (0, 17):
        with pytest.raises(SamplingError, match=f"beams={beams} is invalid.*1..16"):
            beam_tree(engine, "the cat", beams=beams)
    with pytest.raises(ConfigError, match="max_tokens=0 is invalid"):
        beam_tree(engine, "the cat", max_tokens=0)


def test_stepping_level_by_level_grows_the_same_tree(engine, tiny_tokenizer):
    whole = beam_tree(engine, "the dog sat", beams=3, max_tokens=6, length_penalty=0.8)
    search = TreeSearch(engine, "the dog sat", beams=3, max_tokens=6, length_penalty=0.8)
    first = search.advance(1)
    assert (first["steps"], first["done"], first["winner"]) == (1, False, None)
    assert {n["step"] for n in first["nodes"][1:]} == {0} and len(first["nodes"]) == 7
    forwards = []  # one step is one forward of the k beam rows
    hook = engine.model.register_forward_hook(
        lambda module, args, out: forwards.append(args[0].shape))
    try:
        second = search.advance(1)
    finally:
        hook.remove()
    assert forwards == [(3, 1)] and second["steps"] == 2
    assert {n["step"] for n in second["nodes"][1:]} == {0, 1}
    last = search.advance(None)
    assert last["done"] and last["nodes"] == whole["nodes"]
    assert last["winner"] == whole["winner"]
    assert search.advance(1) == last  # a finished search takes no more steps
    assert greedy_path(engine, "the dog sat", 6, 0.8) == whole["greedy"]
    with pytest.raises(ConfigError, match="steps=0 is invalid"):
        search.advance(0)
