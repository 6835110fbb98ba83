"""gguf_header.read_header: the same metadata and tensors as gguf's GGUFReader (its reason to
exist is speed, issue 13, item 10: `lmforge tokenize` spent ~3 s parsing SmolLM2's
vocabulary through GGUFReader; speed is measured by hand, not asserted here)."""

import numpy as np
from gguf import GGUFReader, GGUFValueType

from lmforge.io.gguf_header import read_header


def reader_metadata(reader: GGUFReader) -> dict:
    """Every key/value as gguf's own reader sees it (the old, slow path)."""
    out = {}
    for key, f in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        value = f.contents()
        if f.types and f.types[0] == GGUFValueType.ARRAY:
            value = [v.item() if isinstance(v, np.generic) else v for v in value]
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def test_header_matches_gguf_reader(smollm2_gguf_path):
    reader = GGUFReader(smollm2_gguf_path)
    expected = reader_metadata(reader)
    header = read_header(smollm2_gguf_path)
    assert header.metadata == expected
    assert len(header.metadata["tokenizer.ggml.tokens"]) == 49152
    assert [t.name for t in header.tensors] == [t.name for t in reader.tensors]
    for ours, theirs in zip(header.tensors, reader.tensors, strict=True):
        assert ours.tensor_type == theirs.tensor_type
        assert ours.shape.tolist() == theirs.shape.tolist()
        assert ours.data.dtype == theirs.data.dtype and ours.data.shape == theirs.data.shape
        assert ours.data_offset == theirs.data_offset
        assert np.array_equal(ours.data[:2], theirs.data[:2])


def test_metadata_only_skips_the_tensor_table(smollm2_gguf_path):
    header = read_header(smollm2_gguf_path, with_tensors=False)
    assert header.tensors == [] and header.metadata["general.architecture"] == "llama"
