"""Training metrics: a CSV row per logged step, TensorBoard scalars, and a loss-curve PNG.

    out_dir/metrics.csv   step,train_loss,lr,tokens_per_s,val_loss   (blank where not measured)
    out_dir/tb/           TensorBoard events:  tensorboard --logdir out_dir/tb
    out_dir/loss.png      train and val loss against step, drawn at the end

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
        self._rewrite()
        if tensorboard:
            from torch.utils.tensorboard import SummaryWriter  # slow import: only when used

            self.writer = SummaryWriter(str(self.out_dir / "tb"), purge_step=start_step + 1)

    def log(self, step: int, values: dict[str, float]) -> None:
        """One row: train_loss, lr, tokens_per_s and/or val_loss (others stay blank)."""
        if not self.enabled:
            return
        row = {"step": step, **{k: values.get(k, "") for k in COLUMNS[1:]}}
        self.rows.append(row)
        with open(self.path, "a", newline="") as f:
            csv.DictWriter(f, COLUMNS).writerow(_rounded(row))
        if self.writer is not None:
            for name, value in values.items():
                self.writer.add_scalar(name, value, step)

    def close(self) -> None:
        if not self.enabled:
            return
        if self.writer is not None:
            self.writer.close()
        plot_losses(self.rows, self.out_dir / "loss.png")

    def _rewrite(self) -> None:
        with open(self.path, "w", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS)
            writer.writeheader()
            writer.writerows(_rounded(r) for r in self.rows)


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
    """Train and val loss against step, as a PNG (matplotlib's file-only Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for column, style in (("train_loss", "-"), ("val_loss", "o-")):
        points = [(int(r["step"]), float(r[column])) for r in rows if r.get(column) != ""]
        if points:
            ax.plot(*zip(*points, strict=True), style, label=column.replace("_", " "))
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats/token)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
