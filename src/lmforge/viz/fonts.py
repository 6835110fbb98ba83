"""Fonts for plots: find a CJK font the system already has (lmforge bundles none).

Matplotlib's default font (DejaVu Sans) has no Chinese, Japanese or Korean glyphs, so
"今天天气真" would be drawn as empty boxes. `use_cjk_font()` looks through the fonts
matplotlib can see (Noto Sans CJK, Source Han, WenQuanYi, Microsoft YaHei, PingFang, ...)
and puts the first one found in front of the default; when there is none it says so once
on stderr (how to install one) and plots carry on with boxes for those characters.
Test: `pytest tests/viz/test_attention.py`.
"""

import sys
import warnings
from contextlib import contextmanager
from functools import lru_cache

PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
             "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "PingFang SC", "Hiragino Sans GB", "SimHei", "Droid Sans Fallback",
             "AR PL UMing CN", "Noto Sans SC")
MISSING_HINT = ("lmforge: no CJK font found; Chinese/Japanese/Korean characters will show as "
                "boxes in plots (install one, e.g. `apt-get install fonts-noto-cjk`)")


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of an installed CJK font, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in PREFERRED:
        if name in names:
            return name
    for name in sorted(names):  # any other family that says it is CJK
        if "CJK" in name or "Hei" in name or "Han Sans" in name:
            return name
    return _register_system_cjk_font(font_manager)


def _register_system_cjk_font(font_manager) -> str | None:
    """Fonts installed after matplotlib built its cache are not in its list: look through
    the system's font files for a CJK one and register it."""
    hints = ("cjk", "wqy", "wenquanyi", "sourcehan", "droidsansfallback", "msyh", "simhei",
             "pingfang", "uming", "ukai")
    def preference(path: str):  # regular sans faces first
        name = path.lower()
        return ("regular" not in name, "bold" in name, "serif" in name, name)

    for path in sorted(font_manager.findSystemFonts(), key=preference):
        if any(h in path.lower().replace("-", "").replace("_", "") for h in hints):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def has_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def use_cjk_font(text: str) -> str | None:
    """Make matplotlib draw `text`'s CJK characters if a font exists; warn once if not."""
    import matplotlib

    if not has_cjk(text):
        return None
    font = find_cjk_font()
    if font is None:
        _warn_missing()
        return None
    families = list(matplotlib.rcParams["font.sans-serif"])
    if families[:1] != [font]:
        matplotlib.rcParams["font.sans-serif"] = [font, *families]
    return font


@lru_cache(maxsize=1)
def _warn_missing() -> None:
    print(MISSING_HINT, file=sys.stderr)


@contextmanager
def quiet_missing_glyphs():
    """Silence matplotlib's one-warning-per-missing-glyph (use_cjk_font said it once)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield
