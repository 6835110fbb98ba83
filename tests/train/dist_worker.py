"""Run by test_distributed.py under torchrun: train a tiny model, write rank 0's losses.

    torchrun --nproc_per_node 2 tests/train/dist_worker.py OUT_DIR STRATEGY STEPS
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from train_helpers import logged_losses, tiny_trainer  # noqa: E402

from lmforge.train import distributed  # noqa: E402

if __name__ == "__main__":
    out_dir, strategy, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dist = distributed.init("cpu")
    trainer = tiny_trainer(out_dir, rank=dist.rank, world_size=dist.world_size,
                           strategy=strategy, max_steps=steps, grad_accum_steps=2,
                           checkpoint_every=steps, with_val=True, eval_every=steps,
                           lr_decay_steps=steps + 2, eval_batches=2)
    trainer.fit()
    if dist.is_main:
        Path(out_dir, "losses.json").write_text(json.dumps(logged_losses(trainer)))
    distributed.cleanup()
