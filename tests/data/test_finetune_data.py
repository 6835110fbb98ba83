"""Fine-tuning data: JSONL errors with file:line, chat loss masks, packing, the record loader."""

import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parents[1] / "train"))
from finetune_helpers import chat_tokenizer  # noqa: E402

from lmforge.data.chat import render_with_mask  # noqa: E402
from lmforge.data.jsonl import read_records  # noqa: E402
from lmforge.data.packing import IGNORE_INDEX, collate, pack  # noqa: E402
from lmforge.data.records import RecordLoader, split_held_out  # noqa: E402
from lmforge.errors import DataError  # noqa: E402


def write(tmp_path, lines: list[str]) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


# -- jsonl -----------------------------------------------------------------------------------

def test_jsonl_formats_recognised_from_first_line(tmp_path):
    chat = json.dumps({"messages": [{"role": "user", "content": "hi"},
                                    {"role": "assistant", "content": "yo"}]})
    assert read_records(write(tmp_path, [chat]))[0] == "chat"
    alpaca = json.dumps({"instruction": "a", "input": "", "output": "b"})
    assert read_records(write(tmp_path, [alpaca]))[0] == "alpaca"
    pref = json.dumps({"prompt": "p", "chosen": "a", "rejected": "b"})
    assert read_records(write(tmp_path, [pref]))[0] == "preference"


def test_jsonl_bad_line_names_file_and_line(tmp_path):
    good = json.dumps({"prompt": "p", "chosen": "a", "rejected": "b"})
    path = write(tmp_path, [good, "", "{not json"])
    with pytest.raises(DataError, match=rf"{path}:3: not valid JSON"):
        read_records(path)


def test_jsonl_missing_field_names_line(tmp_path):
    good = json.dumps({"prompt": "p", "chosen": "a", "rejected": "b"})
    path = write(tmp_path, [good, json.dumps({"prompt": "p", "chosen": "a"})])
    with pytest.raises(DataError, match=r"data.jsonl:2: missing field 'rejected'"):
        read_records(path)


def test_jsonl_chosen_equal_rejected(tmp_path):
    path = write(tmp_path, [json.dumps({"prompt": "p", "chosen": "same", "rejected": "same"})])
    with pytest.raises(DataError, match=r":1: 'chosen' equals 'rejected'"):
        read_records(path)


def test_jsonl_wrong_format_for_command(tmp_path):
    path = write(tmp_path, [json.dumps({"instruction": "a", "output": "b"})])
    with pytest.raises(DataError, match="needs preference records, the file holds alpaca"):
        read_records(path, ("preference",))


# -- chat masks ------------------------------------------------------------------------------

def test_chat_mask_covers_assistant_replies_only_multi_turn():
    tok = chat_tokenizer()
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "What is 2 plus 3?"},
                {"role": "assistant", "content": "<answer>5</answer>"},
                {"role": "user", "content": "Reverse the word 'apple'."},
                {"role": "assistant", "content": "<answer>elppa</answer>"}]
    ids, mask = render_with_mask(tok, messages)
    # the ids are the template's text exactly
    assert tok.decode(ids) == tok.render_chat(messages, add_generation_prompt=False)
    learned = tok.decode([i for i, m in zip(ids, mask, strict=True) if m])
    assert learned == "<answer>5</answer><|im_end|><answer>elppa</answer><|im_end|>"
    # each reply's tokens follow exactly the generation prompt encode_chat would give
    prompt = tok.encode_chat(messages[:2], add_generation_prompt=True)
    assert ids[: len(prompt)] == prompt and not any(mask[: len(prompt)]) and mask[len(prompt)]


def test_messages_without_assistant_turn_is_an_error():
    with pytest.raises(DataError, match="x.jsonl:4: messages have no assistant turn"):
        render_with_mask(chat_tokenizer(), [{"role": "user", "content": "hi"}], "x.jsonl:4")


# -- packing ---------------------------------------------------------------------------------

def test_pack_labels_positions_and_block_diagonal_mask():
    examples = [([10, 11, 12, 13], [False, False, True, True]),
                ([20, 21, 22], [False, True, True]),
                ([30, 31, 32, 33, 34], [False, False, False, True, True])]
    blocks = pack(examples, block_size=8)
    assert [b.ids for b in blocks] == [[10, 11, 12, 13, 20, 21, 22], [30, 31, 32, 33, 34]]
    batch = collate(blocks, pad_id=0)
    x = IGNORE_INDEX
    # label t is token t+1 when t+1 is learned and in the same example; never across examples
    assert batch["labels"][0].tolist() == [x, 12, 13, x, 21, 22, x]
    assert batch["labels"][1].tolist() == [x, x, 33, 34, x, x, x]
    assert batch["positions"][0].tolist() == [0, 1, 2, 3, 0, 1, 2]
    mask = batch["attention_mask"][0]
    assert mask[5].tolist() == [False] * 4 + [True, True, False]  # example 2 sees only itself
    assert mask[3].tolist() == [True] * 4 + [False] * 3
    assert batch["attention_mask"][1, 6, 5] and not batch["attention_mask"][1, 4, 5]


def test_pack_without_packing_gives_one_example_per_row():
    examples = [([1, 2], [False, True]), ([3, 4, 5], [False, True, True])]
    assert [b.ids for b in pack(examples, 8, packing=False)] == [[1, 2], [3, 4, 5]]


# -- record loader ---------------------------------------------------------------------------

def test_record_loader_resume_and_ranks():
    records = list(range(40))
    a = RecordLoader(records, 4, seed=3)
    first = [a.next_batch() for _ in range(15)]  # crosses an epoch boundary (10 per epoch)
    b = RecordLoader(records, 4, seed=3)
    b.load_state_dict(RecordLoader(records, 4, seed=3).state_dict() | {"step": 7})
    assert [b.next_batch() for _ in range(8)] == first[7:]
    ranks = [RecordLoader(records, 2, seed=3, rank=r, world_size=2) for r in range(2)]
    assert ranks[0].next_batch() + ranks[1].next_batch() == first[0]
    assert sorted(sum(first[:10], [])) == records  # an epoch visits every record once


def test_record_loader_too_few_records():
    with pytest.raises(DataError, match="3 examples, fewer than one global batch"):
        RecordLoader([1, 2, 3], 2, world_size=2)


def test_split_held_out_is_seeded_and_disjoint():
    train, held = split_held_out(list(range(100)), 0.1, seed=1)
    assert len(held) == 10 and not set(train) & set(held)
    assert split_held_out(list(range(100)), 0.1, seed=1) == (train, held)
    assert torch.tensor(held).unique().numel() == 10
