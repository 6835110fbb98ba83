"""Short-term memory fits the context with a summary; long-term memory recalls by similarity
and recency, across sessions (a new process would open the same file)."""

import numpy as np
import pytest

from lmforge.agent.memory import LongTermMemory, fit_conversation


def count(messages):  # one token per word
    return sum(len(str(m.get("content") or "").split()) + 1 for m in messages)


def conversation(n_steps: int) -> list[dict]:
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "task"}]
    for i in range(n_steps):
        messages.append({"role": "assistant", "content": "", "tool_calls": [{
            "id": f"c{i}", "type": "function",
            "function": {"name": "calculator", "arguments": f'{{"expression": "{i} * 2"}}'}}]})
        messages.append({"role": "tool", "tool_call_id": f"c{i}",
                         "content": f"result {i * 2}: " + "padding " * 30})
    return messages


def test_a_conversation_that_fits_is_untouched():
    messages = conversation(2)
    assert fit_conversation(messages, count, 1000) is messages


def test_cut_turns_become_a_summary_and_the_newest_stay():
    messages = conversation(6)
    fitted = fit_conversation(messages, count, 150)
    assert count(messages) > 150 >= count(fitted)
    assert fitted[:2] == messages[:2]  # system and task are kept
    assert fitted[2]["content"].startswith("Summary of earlier steps")
    assert 'calculator({"expression": "0 * 2"})' in fitted[2]["content"]
    assert fitted[-1] == messages[-1] and fitted[-2] == messages[-2]
    assert fitted[3]["role"] == "assistant"  # the tail never starts with an orphan tool result


def test_a_summary_too_long_for_the_context_keeps_its_newest_lines():
    messages = conversation(30)
    fitted = fit_conversation(messages, count, 120)
    assert count(fitted) <= 120
    summary = fitted[2]["content"]
    assert summary.startswith("Summary of earlier steps") and "0 * 2" not in summary


def embed_words(texts):
    """A tiny deterministic embedding: which of a few topic words occur."""
    topics = ["cat", "miso", "bike", "blue", "tea", "paris"]
    out = np.array([[float(t in text.lower()) for t in topics] for text in texts], np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_long_term_memory_recalls_across_sessions(tmp_path):
    path = tmp_path / "memory.sqlite"
    first = LongTermMemory(path, embed_words)
    first.remember("The user's cat is called Miso.", now=1000.0)
    first.remember("The user rides a blue bike.", now=1000.0)
    first.close()
    second = LongTermMemory(path, embed_words)  # a later session
    assert len(second) == 2
    recalled = second.recall("what is my cat called?", now=2000.0)
    assert recalled[0].text == "The user's cat is called Miso."
    assert all("Paris" not in m.text for m in second.recall("paris", now=2000.0))


def test_recency_breaks_ties_between_equally_similar_memories(tmp_path):
    memory = LongTermMemory(tmp_path / "m.sqlite", embed_words)
    day = 24 * 3600.0
    memory.remember("Favourite tea: oolong.", now=0.0)
    memory.remember("Favourite tea: jasmine.", now=60 * day)
    recalled = memory.recall("tea", now=61 * day)
    assert [m.text for m in recalled] == ["Favourite tea: jasmine.", "Favourite tea: oolong."]
    assert recalled[0].score - recalled[1].score == pytest.approx(
        0.1 * (0.5 ** (1 / 30) - 0.5 ** (61 / 30)), rel=1e-4)
    with pytest.raises(ValueError, match="empty"):
        memory.remember("  ")
