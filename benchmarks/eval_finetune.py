"""Held-out checks of a fine-tuned SmolLM2 against its base (the numbers in posttraining.md).

    python benchmarks/eval_finetune.py sft --adapter runs/sft-lora --n 60
    python benchmarks/eval_finetune.py dpo --adapter runs/dpo-lora --n 100
    python benchmarks/eval_finetune.py rm --adapter runs/rm-lora --n 200

sft: greedy replies to instruction prompts from a seed the training set never used; the
share in the taught `<answer>...</answer>` format and the share also correct, base vs tuned.
dpo: on held-out preference pairs, the share where the model gives the chosen reply a higher
log-likelihood than the rejected one (base vs tuned), and DPO's own accuracy (chosen
log-ratio to the base > rejected log-ratio) for the tuned model.
rm: the reward model's pairwise accuracy (chosen scored above rejected) on held-out pairs,
overall and split by kind: pairs where the chosen reply is the short one, and pairs where it
is the long, correct one against a short wrong one (length alone gets those wrong).
dpo reports the same split. The last line printed is one JSON object.
"""

import argparse
import json
import time

import torch


def sft_report(base, tuned, tok, n: int) -> dict:
    from lmforge.data.synthetic import instructions
    from lmforge.train.objectives.sft import generate_replies

    records = instructions.generate(n, seed=12345)
    prompts = [tok.encode_chat(r["messages"][:1]) for r in records]
    answers = [r["messages"][1]["content"][len("<answer>"):-len("</answer>")] for r in records]
    out = {}
    for name, model in (("base", base), ("tuned", tuned)):
        replies = generate_replies(model, tok, prompts, 24)
        out[f"{name}_format_share"] = sum(map(instructions.follows_format, replies)) / n
        out[f"{name}_correct_share"] = sum(instructions.is_correct(r, a) for r, a in
                                           zip(replies, answers, strict=True)) / n
        out[f"{name}_example"] = replies[0]
    return out


def dpo_report(base, tuned, tok, n: int) -> dict:
    from lmforge.data.preference import collate_pairs, encode_pair
    from lmforge.data.synthetic import preferences
    from lmforge.train.objectives.dpo import sequence_logprobs

    pairs = [encode_pair(tok, r, i, 256) for i, r in
             enumerate(preferences.generate(n, seed=12345))]
    logps = {}
    with torch.no_grad():
        for name, model in (("base", base), ("tuned", tuned)):
            rows = [sequence_logprobs(model.eval(), collate_pairs(pairs[i:i + 8], 0))
                    for i in range(0, n, 8)]
            chunks = [(r[: len(r) // 2], r[len(r) // 2:]) for r in rows]
            logps[name] = (torch.cat([c for c, _ in chunks]), torch.cat([r for _, r in chunks]))
    (bc, br), (tc, tr) = logps["base"], logps["tuned"]
    return {"base_likelihood_pref": (bc > br).float().mean().item(),
            "tuned_likelihood_pref": (tc > tr).float().mean().item(),
            "tuned_mean_margin": ((tc - bc) - (tr - br)).mean().item(),
            **_split_accuracy("tuned_dpo_accuracy", ((tc - bc) > (tr - br)).tolist(),
                              preferences.generate(n, seed=12345))}


def rm_report(folder: str, n: int) -> dict:
    from lmforge.data.synthetic import preferences
    from lmforge.train.reward_model import RewardModel

    rm = RewardModel.load(folder)
    records = preferences.generate(n, seed=12345)
    chosen = rm.score_batch([(r["prompt"], r["chosen"]) for r in records])
    rejected = rm.score_batch([(r["prompt"], r["rejected"]) for r in records])
    wins = [c > r for c, r in zip(chosen, rejected, strict=True)]
    return _split_accuracy("rm_accuracy", wins, records)


def _split_accuracy(name: str, wins: list[bool], records: list[dict]) -> dict:
    """Accuracy overall, on pairs whose chosen reply is the shorter, and on the others."""
    short = [len(r["chosen"]) < len(r["rejected"]) for r in records]
    out = {name: sum(wins) / len(wins), "n": len(wins)}
    for label, keep in (("chosen_shorter", True), ("chosen_longer", False)):
        picked = [w for w, s in zip(wins, short, strict=True) if s == keep]
        out[f"{name}_{label}"] = f"{sum(picked)}/{len(picked)}"
    return out


def tuned_vs_base(args) -> dict:
    from lmforge.io.registry import load
    from lmforge.train.lora import load_adapter

    # float weights and separate linears, as the run trained them (train/pipeline.load_policy):
    # the default load fuses gate/up and runs the bundled Q4_1 blocks, so no adapter fits it
    base = load(args.model, quantize="none", fuse=False)
    tuned = load(args.model, quantize="none", fuse=False).model
    load_adapter(tuned, args.adapter)
    report = sft_report if args.kind == "sft" else dpo_report
    return report(base.model, tuned.eval(), base.tokenizer, args.n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("sft", "dpo", "rm"))
    parser.add_argument("--adapter", required=True)
    parser.add_argument("--model", default="smollm2-135m-instruct")
    parser.add_argument("--n", type=int, default=60)
    args = parser.parse_args()
    torch.set_num_threads(2)
    start = time.perf_counter()
    report = rm_report(args.adapter, args.n) if args.kind == "rm" else tuned_vs_base(args)
    report["wall_s"] = round(time.perf_counter() - start, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
