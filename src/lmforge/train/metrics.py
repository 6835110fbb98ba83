"""Training metrics: a CSV row per logged step, TensorBoard scalars, and a loss-curve PNG.

    out_dir/metrics.csv   step,train_loss,lr,tokens_per_s,val_loss   (blank where not measured)
                          then one column per objective metric (accuracy, margins, ...)
    out_dir/tb/           TensorBoard events:  tensorboard --logdir out_dir/tb
    out_dir/loss.png      train and val loss against step (and the objective's metrics in a
                          second panel), drawn at the end

Only rank 0 writes. A resumed run keeps the rows up to its starting step and appends.
Test: `pytest tests/train/test_trainer.py -k metrics`.
"""

import csv
from pathlib import Path

COLUMNS = ("step", "train_loss", "lr", "tokens_per_s", "val_loss")


class MetricsLogger:
    """Append metrics rows to CSV (and TensorBoard); draw loss.png on close."""

    def __init__(self, out_dir: str | Path, start_step: int = 0, tensorboard: bool = True,
                 enabled: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.enabled = enabled
        self.rows: list[dict] = []
        self.writer = None
        if not enabled:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.out_dir / "metrics.csv"
        self.rows = [r for r in read_metrics(self.path) if int(r["step"]) <= start_step]
        self.columns = list(COLUMNS)
        for row in self.rows:
            self._add_columns(row)
        self._rewrite()
        if tensorboard:
            from torch.utils.tensorboard import SummaryWriter  # slow import: only when used

            self.writer = SummaryWriter(str(self.out_dir / "tb"), purge_step=start_step + 1)

    def log(self, step: int, values: dict[str, float]) -> None:
        """One row: train_loss, lr, tokens_per_s, val_loss and any objective metric (a new
        name adds a column: the file is rewritten with the wider header)."""
        if not self.enabled:
            return
        values = {k: v for k, v in values.items() if isinstance(v, int | float)}
        row = {"step": step, **values}
        self.rows.append(row)
        if self._add_columns(row):
            self._rewrite()
        else:
            with open(self.path, "a", newline="") as f:
                csv.DictWriter(f, self.columns, restval="").writerow(_rounded(row))
        if self.writer is not None:
            for name, value in values.items():
                self.writer.add_scalar(name, value, step)

    def close(self) -> None:
        if not self.enabled:
            return
        if self.writer is not None:
            self.writer.close()
        plot_losses(self.rows, self.out_dir / "loss.png")

    def _add_columns(self, row: dict) -> bool:
        new = [k for k in row if k not in self.columns]
        self.columns += new
        return bool(new)

    def _rewrite(self) -> None:
        with open(self.path, "w", newline="") as f:
            writer = csv.DictWriter(f, self.columns, restval="")
            writer.writeheader()
            writer.writerows(_rounded(r) for r in self.rows)


def _plot_columns(ax, rows: list[dict], columns: list[str], ylabel: str) -> None:
    for column in columns:
        points = [(int(r["step"]), float(r[column])) for r in rows
                  if r.get(column) not in ("", None)]
        style = "o-" if column.startswith("val_") else "-"
        if points:
            ax.plot(*zip(*points, strict=True), style, label=column.replace("_", " "))
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:  # a run stopped before its first log has none
        ax.legend(fontsize=8)


def _rounded(row: dict) -> dict:
    return {k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()}


def read_metrics(path: str | Path) -> list[dict]:
    """Rows of a metrics.csv as dicts (empty list when the file does not exist)."""
    path = Path(path)
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def plot_losses(rows: list[dict], path: str | Path) -> None:
    """Train and val loss against step, as a PNG (matplotlib's file-only Agg backend); the
    objective's own metrics (not lr, speed or perplexity) go in a second panel below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    extra = sorted({k for r in rows for k in r} - set(COLUMNS) - {"val_perplexity"})
    panels = 2 if extra else 1
    fig, axes = plt.subplots(panels, 1, figsize=(7, 4 * panels), squeeze=False)
    _plot_columns(axes[0][0], rows, ["train_loss", "val_loss"], "loss")
    if extra:
        _plot_columns(axes[1][0], rows, extra, "objective metrics")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
