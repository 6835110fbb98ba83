"""Chat templates render exactly as transformers' apply_chat_template, inside a sandbox."""

import pytest
from transformers import AutoTokenizer

from lmforge.errors import ConfigError
from lmforge.io.gguf_reader import read_gguf_metadata
from lmforge.io.gguf_tokenizer import tokenizer_from_gguf_metadata
from lmforge.tokenizer import DEFAULT_CHAT_TEMPLATE, Tokenizer, render_chat_template

WITH_SYSTEM = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": "And in 中文 with 😀?"},
]
NO_SYSTEM = WITH_SYSTEM[1:]

# A Qwen2-style template exercising tools, tojson, namespace, loop controls and raise_exception.
TOOL_TEMPLATE = """{%- if tools %}
<|im_start|>system
{{ messages[0]['content'] if messages[0]['role'] == 'system' else 'You help.' }}
# Tools
{% for tool in tools %}{{ tool | tojson }}
{% endfor %}<|im_end|>
{% endif %}
{%- set ns = namespace(n=0) %}
{%- for message in messages %}
  {%- if message['role'] == 'system' and tools %}{% continue %}{% endif %}
  {%- set ns.n = ns.n + 1 %}
  {%- if message['role'] not in ['system', 'user', 'assistant'] %}
    {{- raise_exception('unknown role ' + message['role']) }}
  {%- endif %}
<|im_start|>{{ message['role'] }} #{{ ns.n }}
{{ message['content'] }}<|im_end|>
{% endfor %}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif %}{{ bos_token }}|{{ eos_token }}|{{ custom_flag }}"""
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "add",
            "description": "a<b & c>d — ü",
            "parameters": {"type": "object"},
        },
    }
]


@pytest.fixture(scope="session")
def smollm2(smollm2_gguf_path) -> Tokenizer:
    return tokenizer_from_gguf_metadata(read_gguf_metadata(smollm2_gguf_path))


@pytest.fixture(scope="session")
def hf_smollm2(smollm2_gguf_path):
    return AutoTokenizer.from_pretrained(smollm2_gguf_path.parent, gguf_file=smollm2_gguf_path.name)


@pytest.mark.parametrize("messages", [WITH_SYSTEM, NO_SYSTEM], ids=["system", "no_system"])
@pytest.mark.parametrize("add_generation_prompt", [True, False])
def test_render_matches_transformers(smollm2, hf_smollm2, messages, add_generation_prompt):
    ours = smollm2.render_chat(messages, add_generation_prompt=add_generation_prompt)
    theirs = hf_smollm2.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=add_generation_prompt
    )
    assert ours == theirs


def test_no_system_message_gets_the_template_default(smollm2):
    rendered = smollm2.render_chat(NO_SYSTEM)
    assert rendered.startswith(
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
        "<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
    )
    assert rendered.endswith("<|im_start|>assistant\n")


@pytest.mark.parametrize("messages", [WITH_SYSTEM, NO_SYSTEM], ids=["system", "no_system"])
def test_encode_chat_matches_transformers(smollm2, hf_smollm2, messages):
    theirs = hf_smollm2.apply_chat_template(messages, tokenize=True, add_generation_prompt=True)
    assert smollm2.encode_chat(messages) == theirs["input_ids"]
    # user text cannot forge a turn marker when encoded with parse_special=False
    assert 1 not in smollm2.encode("<|im_start|>system", parse_special=False)


def test_feature_template_matches_transformers(smollm2, hf_smollm2):
    ours = render_chat_template(
        TOOL_TEMPLATE,
        WITH_SYSTEM,
        tools=TOOLS,
        custom_flag="on",
        special_tokens={"bos_token": smollm2.bos_token, "eos_token": smollm2.eos_token},
    )
    theirs = hf_smollm2.apply_chat_template(
        WITH_SYSTEM,
        chat_template=TOOL_TEMPLATE,
        tools=TOOLS,
        custom_flag="on",
        tokenize=False,
        add_generation_prompt=True,
    )
    assert ours == theirs
    # tojson keeps <, >, & and non-ASCII as they are (Jinja's own filter would escape them)
    assert '"description": "a<b & c>d — ü"' in ours


def test_default_chatml_template(smollm2):
    bare = Tokenizer(smollm2.backend, eos_token="<|im_end|>")
    assert bare.chat_template is None
    assert bare.render_chat([{"role": "user", "content": "Hi"}]) == (
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
    assert (
        render_chat_template(
            DEFAULT_CHAT_TEMPLATE, [{"role": "user", "content": "x"}], add_generation_prompt=False
        )
        == "<|im_start|>user\nx<|im_end|>\n"
    )


def test_globals_and_raise_exception():
    out = render_chat_template("{{ strftime_now('%Y') | length }}", [{"role": "u", "content": ""}])
    assert out == "4"
    with pytest.raises(ConfigError, match="roles must alternate"):
        render_chat_template(
            "{{ raise_exception('roles must alternate') }}", [{"role": "user", "content": "x"}]
        )


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ messages.__class__.__base__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ messages.append({'role': 'x'}) }}",
        "{% set ns = namespace(_secret=1) %}{{ ns }}",
    ],
)
def test_sandbox_blocks_unsafe_access(template):
    with pytest.raises(ConfigError, match="unsafe operation and was stopped"):
        render_chat_template(template, [{"role": "user", "content": "x"}])


def test_syntax_error_names_line():
    with pytest.raises(ConfigError, match="syntax error at line 2"):
        render_chat_template("ok\n{% for m in messages %}{{ m }}", [{"role": "u", "content": ""}])


@pytest.mark.parametrize(
    "messages, problem",
    [
        ("hello", "must be a list"),
        ([], "are empty"),
        (["hi"], "message 0 must be a dict"),
        ([{"content": "x"}], "needs a string 'role'"),
        ([{"role": "user"}], "has no 'content'"),
        ([{"role": "user", "content": 3}], "'content' must be a string"),
    ],
)
def test_bad_messages_are_named(messages, problem):
    with pytest.raises(ConfigError, match=problem):
        render_chat_template(DEFAULT_CHAT_TEMPLATE, messages)
