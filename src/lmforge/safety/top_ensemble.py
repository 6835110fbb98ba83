"""Several classifier tops trained alike from different seeds, read as one: the harm score is
the mean of theirs.

Two runs of one recipe that differ only in the seed disagree by up to five points of recall
on a set from new writers (docs/safety.md, seventh round); averaging their scores cancels
part of that noise, as averaging a model's seeds does anywhere. The members share the
encoder and its lower blocks (the part below `split` is not adapted), so a text goes
through those once and through each member's adapted blocks once.

Test: `pytest tests/safety/test_top_ensemble.py`.
"""

import torch
from torch import nn


class TopEnsemble(nn.Module):
    """Tops with one layout (split, labels, rank, alpha): one lower pass, their mean."""

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        first = members[0]
        layout = (first.split, first.labels, first.rank, first.alpha)
        for top in members[1:]:
            if (top.split, top.labels, top.rank, top.alpha) != layout:
                raise ValueError("an ensemble's members need one split, label set, rank "
                                 "and alpha")
        self.members = nn.ModuleList(members)
        self.split, self.labels, self.rank, self.alpha = layout
        self.thresholds = dict(first.thresholds)

    def adapters(self) -> dict[str, torch.Tensor]:
        return {f"members.{i}.{name}": p for i, top in enumerate(self.members)
                for name, p in top.adapters().items()}

    def lower(self, ids: list[list[int]], batch_size: int = 32) -> list[torch.Tensor]:
        return self.members[0].lower(ids, batch_size)

    def harm(self, states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """The members' mean (N,) harm score and mean (N, labels) probabilities."""
        scores, probs = zip(*(top.harm(states) for top in self.members), strict=True)
        return torch.stack(scores).mean(0), torch.stack(probs).mean(0)
