"""SamplingParams.validate: bad values raise SamplingError naming the field."""

import pytest

from lmforge.errors import SamplingError
from lmforge.infer.params import SamplingParams


@pytest.mark.parametrize(("field", "value"), [
    ("top_p", 1.5), ("top_p", 0.0), ("temperature", -1.0), ("top_k", 0), ("max_tokens", 0),
    ("min_p", 1.0), ("repetition_penalty", 0.0), ("n_beams", 0), ("logprobs", -1),
    ("temperature", float("nan")), ("max_tokens", 2.5), ("stop", [""]),
    ("stop_token_ids", [-3]),
])
def test_bad_value_names_the_field(field, value):
    with pytest.raises(SamplingError, match=rf"^{field}="):
        SamplingParams(**{field: value}).validate()


def test_good_values_pass_and_defaults_match_the_api():
    p = SamplingParams(temperature=0, top_k=1, top_p=1.0, min_p=0.0, logprobs=0).validate()
    assert p.greedy
    d = SamplingParams()
    assert (d.max_tokens, d.temperature, d.top_k, d.top_p, d.min_p) == (256, 1.0, None, 1.0, 0.0)
    assert (d.stop, d.stop_token_ids, d.n_beams, d.length_penalty) == ([], [], 1, 1.0)


def test_single_stop_string_becomes_a_list():
    assert SamplingParams(stop="\n").stop == ["\n"]


def test_sampling_error_is_a_value_error():
    with pytest.raises(ValueError, match="top_p=1.5"):
        SamplingParams(top_p=1.5).validate()
