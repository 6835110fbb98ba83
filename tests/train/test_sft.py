"""SFT: packed examples equal running them one by one; the loss counts replies only; trains."""

import torch
from finetune_helpers import chat_tokenizer, sft_blocks, tiny_llama
from train_helpers import tiny_settings

from lmforge.data.packing import IGNORE_INDEX, collate
from lmforge.data.records import RecordLoader
from lmforge.train.metrics import read_metrics
from lmforge.train.objectives import build_objective
from lmforge.train.trainer import Trainer


def test_packed_examples_do_not_attend_to_each_other():
    model = tiny_llama(chat_tokenizer().vocab_size).eval()
    packed = sft_blocks(12, block_size=120, packing=True)
    assert max(b.segment[-1] for b in packed) >= 3  # several examples share a block
    batch = collate(packed, pad_id=0)
    with torch.no_grad():
        logits = model.logits(model(batch["input_ids"], positions=batch["positions"],
                                    attention_mask=batch["attention_mask"]))
        for row, block in enumerate(packed):
            seg = torch.tensor(block.segment)
            for s in seg.unique().tolist():
                where = (seg == s).nonzero().squeeze(1)
                ids = torch.tensor(block.ids)[where][None]  # the example alone
                alone = model.logits(model(ids))[0]
                torch.testing.assert_close(logits[row, where], alone, atol=1e-5, rtol=1e-5)


def test_sft_loss_is_mean_over_reply_tokens():
    model = tiny_llama(chat_tokenizer().vocab_size).eval()
    objective = build_objective("sft", pad_id=0)
    blocks = sft_blocks(6, block_size=120)
    batch = objective.batch(blocks)
    loss, metrics = objective.loss(model, batch)
    logits = model.logits(model(batch["input_ids"], positions=batch["positions"],
                                attention_mask=batch["attention_mask"]))
    labels = batch["labels"]
    expected = torch.nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten(),
                                                 ignore_index=IGNORE_INDEX)
    torch.testing.assert_close(loss, expected)
    assert 0 <= metrics["token_accuracy"] <= 1
    # the learned tokens are the replies: <answer>...</answer><|im_end|>, nothing of the user
    tok = chat_tokenizer()
    learned = tok.decode(labels[0][labels[0] != IGNORE_INDEX].tolist())
    assert learned.startswith("<answer>") and "user" not in learned


def sft_trainer(out_dir, **changes):
    tok = chat_tokenizer()
    blocks = sft_blocks(80, block_size=96)
    settings = tiny_settings(out_dir, **{"lr": 3e-3, "block_size": 96, "max_steps": 30,
                                         "log_every": 5, **changes})
    loader = RecordLoader(blocks[:-4], settings.batch_size, settings.seed)
    val = RecordLoader(blocks[-4:], settings.batch_size, settings.seed)
    objective = build_objective("sft", pad_id=tok.pad_id)
    return Trainer(tiny_llama(tok.vocab_size), objective, loader, settings, val, tok)


def test_sft_trains_and_logs_objective_metrics(tmp_path):
    trainer = sft_trainer(tmp_path, eval_every=30)
    final = trainer.fit()
    rows = read_metrics(tmp_path / "metrics.csv")
    losses = [float(r["train_loss"]) for r in rows if r["train_loss"]]
    assert losses[-1] < 0.7 * losses[0], losses
    assert rows[-1]["token_accuracy"] != "" and rows[-1]["val_token_accuracy"] != ""
    assert final["val_token_accuracy"] > 0.3
    assert (tmp_path / "loss.png").stat().st_size > 0


def test_sft_resume_is_exact(tmp_path):
    full = sft_trainer(tmp_path / "a", max_steps=8, checkpoint_every=4, lr_decay_steps=8)
    full.fit()
    sft_trainer(tmp_path / "b", max_steps=4, lr_decay_steps=8).fit()
    resumed = sft_trainer(tmp_path / "b", max_steps=8, resume="latest", lr_decay_steps=8)
    assert resumed.step == 4
    resumed.fit()
    for (name, a), b in zip(full.model.state_dict().items(), resumed.model.state_dict().values(),
                            strict=True):
        torch.testing.assert_close(a, b, msg=name, atol=0, rtol=0)
