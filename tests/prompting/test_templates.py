"""Prompt templates render through the model's chat template exactly as transformers'
apply_chat_template does, and an undefined variable is one clear error."""

import pytest
import tokenizers
from transformers import PreTrainedTokenizerFast

from lmforge.errors import ConfigError
from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
from lmforge.prompting.templates import PromptTemplate, load_template


@pytest.fixture(scope="module")
def both(smollm2_gguf_path):
    """lmforge's SmolLM2 tokenizer, and transformers' fast tokenizer over the same vocabulary
    with the same chat template (transformers' own GGUF reader takes minutes on a busy CPU;
    tests/tokenizer/test_chat_template.py checks that path)."""
    ours = tokenizer_from_gguf_metadata(read_gguf_metadata(smollm2_gguf_path))
    hf = PreTrainedTokenizerFast(tokenizer_object=tokenizers.Tokenizer.from_str(ours.to_json()),
                                 bos_token=ours.bos_token, eos_token=ours.eos_token,
                                 chat_template=ours.chat_template)
    return ours, hf


TEMPLATE = PromptTemplate("Question: {{ question }}\n{% for c in choices %}"
                          "{{ 'ABCD'[loop.index0] }}. {{ c }}\n{% endfor %}Reply with a letter.",
                          system="You answer {{ language }} quizzes.")
VARIABLES = {"question": "中国的首都是哪里？", "choices": ["北京", "上海"], "language": "Chinese"}


def test_messages_fill_the_variables():
    assert TEMPLATE.messages(**VARIABLES) == [
        {"role": "system", "content": "You answer Chinese quizzes."},
        {"role": "user",
         "content": "Question: 中国的首都是哪里？\nA. 北京\nB. 上海\nReply with a letter."}]
    assert TEMPLATE.variables == {"question", "choices", "language"}


def test_chat_prompt_is_the_models_chat_template_exactly(both):
    ours, hf = both
    assert ours.chat_template and "im_start" in ours.chat_template  # the model's own
    messages = TEMPLATE.messages(**VARIABLES)
    expected = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert TEMPLATE.chat_prompt(ours, **VARIABLES) == expected
    assert expected.startswith("<|im_start|>system\nYou answer Chinese quizzes.<|im_end|>")
    ids = hf.apply_chat_template(messages, tokenize=True, add_generation_prompt=True)
    ids = ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids
    assert ours.encode_chat(messages) == list(ids)


def test_undefined_variable_is_one_clear_line():
    with pytest.raises(ConfigError) as e:
        TEMPLATE.messages(question="2 + 2?", choices=["4", "5"])
    assert str(e.value) == "template: undefined variable 'language' (given: choices, question)"
    with pytest.raises(ConfigError, match="syntax error on line 2"):
        PromptTemplate("ok\n{% endfor %}")


def test_template_files(tmp_path):
    (tmp_path / "t.yaml").write_text("system: Be brief.\nuser: 'Q: {{ q }}'\n")
    assert load_template(tmp_path / "t.yaml").messages(q="hi") == [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Q: hi"}]
    (tmp_path / "t.j2").write_text("Q: {{ q }}")
    assert load_template(tmp_path / "t.j2").messages(q="hi")[0]["content"] == "Q: hi"
    (tmp_path / "bad.yaml").write_text("usr: x\n")
    with pytest.raises(ConfigError, match="needs a 'user' key"):
        load_template(tmp_path / "bad.yaml")
