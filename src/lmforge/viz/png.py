"""Writing a matplotlib figure as a PNG file: laid out, CJK glyph warnings silenced, atomic."""

import io
from pathlib import Path

from lmforge.atomic import write_bytes_atomic
from lmforge.viz.fonts import quiet_missing_glyphs


def save_png(fig, path: str | Path, dpi: int = 110) -> Path:
    """Save `fig` to `path` (written whole or not at all) and close it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with quiet_missing_glyphs():
        fig.tight_layout()
        fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    write_bytes_atomic(path, buffer.getvalue())
    return Path(path)
