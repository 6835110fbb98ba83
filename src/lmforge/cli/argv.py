"""Training command lines: `--key value` options -> a recipe path and recipe overrides.

    lmforge pretrain --config recipes/quickstart.yaml --lr 3e-4 --data.source notes.txt
    torchrun --nproc_per_node 2 -m lmforge.cli pretrain --config r.yaml --strategy ddp

Every recipe setting is an option: a bare key (--lr 3e-4, --max-steps 500) goes to the
section that has it; a dotted one names the section (--data.source notes.txt,
--model.hidden_size 256). Dashes and underscores are the same (--max-steps, --max_steps);
--out is --out_dir; --resume alone means --resume latest. The training commands name a
few options for --help and hand the rest (typer's ctx.args) to `extra_options`; the
library (train/recipe.py) checks the keys and converts the values.

Test: `pytest tests/cli/test_pretrain_cli.py`.
"""

import typer

from lmforge.errors import ConfigError

ALIASES = {"out": "out_dir"}  # the short names `lmforge pretrain --help` shows
FLAGS = {"resume": "latest"}  # options that may stand alone, and the value they then mean


def parse_argv(argv: list[str]) -> tuple[str | None, dict[str, str]]:
    """`--config PATH --key value --key=value --resume` -> (config, overrides).
    A malformed line raises ConfigError."""
    config, overrides, i = None, {}, 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--") or arg == "--":
            raise ConfigError(f"unexpected argument {arg!r}; use --key value")
        key, has_value, value = arg[2:].partition("=")
        key = key.replace("-", "_")
        key = ALIASES.get(key, key)
        if not has_value:
            if key in FLAGS and (i + 1 >= len(argv) or argv[i + 1].startswith("--")):
                value = FLAGS[key]
            elif i + 1 >= len(argv):
                raise ConfigError(f"--{key} needs a value")
            else:
                value, i = argv[i + 1], i + 1
        i += 1
        if key == "config":
            config = value
        else:
            overrides[key] = value
    return config, overrides


def extra_options(args: list[str]) -> tuple[str | None, dict[str, str]]:
    """The options a command did not name (ctx.args) -> (config, overrides); a malformed
    line is a usage error (exit 2)."""
    try:
        return parse_argv(list(args))
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
