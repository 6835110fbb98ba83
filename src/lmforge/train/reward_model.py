"""A trained reward model on disk and back: the backbone (HF folder or LoRA adapter) + head.

    out/
      model.safetensors, config.json ...     full fine-tune: the backbone in HF layout
      (adapter_model.safetensors ...)        or LoRA: the adapters, base named in the json
      reward_head.safetensors                the linear score head
      lmforge_reward.json                    {"hidden_size", "base"}

`RewardModel.load(out).score(prompt, reply)` gives the scalar reward the model was
trained to output (higher = preferred). PPO uses it as its reward function.

Test: `pytest tests/train/test_reward.py`.
"""

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from lmforge.atomic import atomic_path, write_text_atomic
from lmforge.errors import ModelFileError

HEAD_FILE, INFO_FILE = "reward_head.safetensors", "lmforge_reward.json"


def save_reward_head(head, folder: str | Path, base: str = "") -> None:
    folder = Path(folder)
    state = {k: v.detach().float().cpu().contiguous() for k, v in head.state_dict().items()}
    with atomic_path(folder / HEAD_FILE) as tmp:
        save_file(state, str(tmp))
    write_text_atomic(folder / INFO_FILE, json.dumps(
        {"hidden_size": head.score.in_features, "base": base}) + "\n")


class RewardModel:
    """Backbone + head, for scoring (prompt, reply) pairs."""

    def __init__(self, model, head, tokenizer) -> None:
        self.model, self.head, self.tokenizer = model.eval(), head.eval(), tokenizer

    @classmethod
    def load(cls, folder: str | Path, dtype: torch.dtype = torch.float32) -> "RewardModel":
        from lmforge.io.registry import load
        from lmforge.train.lora import load_adapter
        from lmforge.train.objectives.reward import RewardHead

        folder = Path(folder)
        if not (folder / INFO_FILE).is_file():
            raise ModelFileError(f"{folder}: not a reward model ({INFO_FILE} missing; "
                                 "train one with `lmforge rm`)")
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        if info.get("base"):  # LoRA: the base from its source, then the adapters
            loaded = load(info["base"], dtype=dtype, quantize="none", fuse=False)
            load_adapter(loaded.model, folder)
        else:
            loaded = load(str(folder), dtype=dtype, quantize="none", fuse=False)
        head = RewardHead(int(info["hidden_size"]))
        head.load_state_dict(load_file(str(folder / HEAD_FILE)))
        return cls(loaded.model, head, loaded.tokenizer)

    @torch.no_grad()
    def score(self, prompt, reply: str) -> float:
        return self.score_batch([(prompt, reply)])[0]

    @torch.no_grad()
    def score_batch(self, pairs: list[tuple]) -> list[float]:
        """Rewards for (prompt (str or messages), reply) pairs."""
        from lmforge.data.chat import prompt_messages, render_with_mask
        from lmforge.data.packing import Block, collate
        from lmforge.train.objectives.reward import last_token_scores

        blocks = []
        for prompt, reply in pairs:
            ids, mask = render_with_mask(self.tokenizer, prompt_messages(prompt)
                                         + [{"role": "assistant", "content": reply}])
            block = Block()
            block.add(ids, mask)
            blocks.append(block)
        pad = self.tokenizer.pad_id if self.tokenizer.pad_id is not None else 0
        batch = collate(blocks, pad)
        batch["last"] = torch.tensor([len(b.ids) - 1 for b in blocks])
        return last_token_scores(self.model, self.head, batch).tolist()
