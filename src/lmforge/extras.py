"""Optional dependencies: which pip extra brings which module, and one clear line naming the
extra when a command needs one that is not installed.

The base install (`pip install -e .`) holds what chat needs: torch, tokenizers, the GGUF and
safetensors readers, the chat template, the CLI. The rest comes with an extra, so a user who
only chats does not install xgrammar's triton (about 1 GB) and the rest (issue 24.7,
docs/benchmarks.md):

    pip install -e ".[serve]"     lmforge serve (FastAPI, uvicorn)
    pip install -e ".[grammar]"   JSON-schema output and tool calls (xgrammar, with triton)
    pip install -e ".[rag]"       lmforge rag (SQLite with vectors, jieba, PDFs)
    pip install -e ".[train]"     pretrain, sft, dpo, grpo... (loss plots, TensorBoard, parquet)
    pip install -e ".[viz]"       viz's PNG pictures (matplotlib)
    pip install -e ".[eval]"      BLEU, ROUGE and chrF in eval (sacrebleu, rouge-score)
    pip install -e ".[onnx]"      lmforge export onnx
    pip install -e ".[vision]"    lmforge embed --image (Pillow reads and resizes pictures)
    pip install -e ".[all]"       all of them; ".[test]" adds the test tools to "all"

Two places use this: the CLI checks a command's extras before it starts (`check_command`),
so `lmforge serve` without FastAPI fails at once, not after loading a model; and any
ModuleNotFoundError that still reaches the CLI is explained by `explain` (an optional
module imported deep inside a command, e.g. pyarrow for a parquet corpus). Library code
that needs a module at a call, not at import, reaches it through `need` or `LazyModule`.

Test: `pytest tests/test_extras.py`.
"""

import importlib
import importlib.util
from types import ModuleType

from lmforge.errors import LmforgeError

# extra: {import name: the distribution pyproject.toml lists for it}
EXTRAS = {
    "serve": {"fastapi": "fastapi", "uvicorn": "uvicorn"},
    "grammar": {"xgrammar": "xgrammar"},
    "rag": {"apsw": "apsw", "sqlite_vec": "sqlite-vec", "jieba": "jieba", "pypdf": "pypdf"},
    "train": {"matplotlib": "matplotlib", "tensorboard": "tensorboard", "pyarrow": "pyarrow"},
    "viz": {"matplotlib": "matplotlib"},
    "eval": {"sacrebleu": "sacrebleu", "rouge_score": "rouge-score", "jieba": "jieba"},
    "onnx": {"onnx": "onnx", "onnxscript": "onnxscript", "onnxruntime": "onnxruntime"},
    "vision": {"PIL": "pillow"},
}
# modules that arrive only with an extra's package (pydantic is not one: typer needs it)
BROUGHT_BY = {"starlette": "fastapi", "torch.utils.tensorboard": "tensorboard"}

# a command (its first words on the command line): the modules it cannot start without.
# Only what every run of it uses; what one option needs is explained when it is imported.
TRAINING = ("matplotlib",)  # every training run ends by plotting its losses (loss.png)
COMMANDS = {
    "serve": ("fastapi", "uvicorn"),
    "rag": ("apsw", "sqlite_vec", "jieba"),
    "pretrain": TRAINING, "sft": TRAINING, "dpo": TRAINING, "grpo": TRAINING,
    "ppo": TRAINING, "rm": TRAINING, "rm score": (), "prune": TRAINING,
    "distill": TRAINING, "quickstart": TRAINING, "train-clip": TRAINING, "train-vlm": TRAINING,
    "export onnx": ("onnx", "onnxscript"),
}


class MissingExtraError(LmforgeError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def extra_for(module: str) -> str | None:
    """The extra that brings `module` (an import name, dotted or not), or None."""
    name = module.split(".")[0]
    name = BROUGHT_BY.get(module, BROUGHT_BY.get(name, name))
    return next((extra for extra, modules in EXTRAS.items() if name in modules), None)


def message(module: str, needed_by: str) -> str:
    """One line: who needs what, and the command that installs it."""
    extra = extra_for(module)
    return (f"{needed_by} needs the [{extra}] extra, which is not installed (no module "
            f"{module.split('.')[0]!r}): pip install -e \".[{extra}]\"")


def need(module: str, needed_by: str) -> ModuleType:
    """Import `module`, or raise MissingExtraError naming its extra."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if extra_for(e.name or module) is None:
            raise
        raise MissingExtraError(message(e.name or module, needed_by)) from e


class LazyModule:
    """A module imported at its first attribute use, through `need`: a library module can
    name an optional dependency at its top and still import without it."""

    def __init__(self, module: str, needed_by: str) -> None:
        self._module, self._needed_by = module, needed_by

    def __getattr__(self, name: str):
        return getattr(need(self._module, self._needed_by), name)


def installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ValueError:  # a module in sys.modules without a spec (__main__, a stand-in)
        return True


def check_command(args: list[str]) -> None:
    """Raise MissingExtraError when the command on this command line (`lmforge` left out)
    lacks a module it always uses. `--help` needs nothing."""
    if "--help" in args:
        return
    words = [a for a in args if not a.startswith("-")][:2]
    key = " ".join(words) if " ".join(words) in COMMANDS else words[0] if words else ""
    for module in COMMANDS.get(key, ()):
        if not installed(module):
            raise MissingExtraError(message(module, f"lmforge {key}"))


def explain(error: BaseException) -> str | None:
    """The line for a ModuleNotFoundError of an optional module, else None."""
    if isinstance(error, ModuleNotFoundError) and error.name and extra_for(error.name):
        return message(error.name, "this command")
    return None
