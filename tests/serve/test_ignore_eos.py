"""`ignore_eos` (vLLM's extra sampling field): a reply that would end at its end-of-turn token
runs on to exactly max_tokens, as benchmarks need; without it the same reply stops early."""

import pytest
from serve_helpers import MODEL

pytestmark = pytest.mark.slow
HI = [{"role": "user", "content": "Say hi."}]


def test_ignore_eos_runs_to_max_tokens(client):
    plain = client.chat.completions.create(model=MODEL, messages=HI, temperature=0,
                                           max_tokens=60)
    assert plain.choices[0].finish_reason == "stop" and plain.usage.completion_tokens < 60
    longer = client.chat.completions.create(model=MODEL, messages=HI, temperature=0,
                                            max_tokens=60, extra_body={"ignore_eos": True})
    assert longer.choices[0].finish_reason == "length"
    assert longer.usage.completion_tokens == 60
    assert longer.choices[0].message.content.startswith(plain.choices[0].message.content)
