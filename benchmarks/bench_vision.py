"""The vision recipes, measured: a tiny CLIP's zero-shot retrieval and a tiny VLM's answers.

    python benchmarks/bench_vision.py [--out runs/bench-vision] [--clip DIR] [--vlm DIR]

1. `recipes/clip-tiny.yaml` (lmforge train-clip) trains a CLIP from nothing on generated
   pictures; zero-shot top-1 on 600 held-out pictures among the 75 captions, in English and
   in Chinese (goal: >= 90%).
2. `recipes/vlm-tiny.yaml` (lmforge train-vlm) trains the VLM on that CLIP's frozen tower,
   then the text-only baseline; held-out answer accuracy of both, per kind of question.

--clip DIR / --vlm DIR read the summary.json of runs made already instead of training.
Prints a markdown table with the machine (CPU, load average) and each run's wall time.
"""

import argparse
import json
import os
import subprocess
from pathlib import Path


def cpu_model() -> str:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    return next((line.split(":", 1)[1].strip() for line in out.splitlines()
                 if line.startswith("Model name")), "CPU ?")


def run_or_read(summary_dir: str | None, train, recipe: str, out: Path) -> dict:
    if summary_dir:
        return json.loads((Path(summary_dir) / "summary.json").read_text(encoding="utf-8"))
    return train(recipe, {"out_dir": str(out)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/bench-vision")
    parser.add_argument("--clip", help="a finished train-clip run folder (its summary.json)")
    parser.add_argument("--vlm", help="a finished train-vlm run folder (its summary.json)")
    args = parser.parse_args()
    from lmforge.train.vision import train_clip
    from lmforge.train.vlm import train_vlm

    out = Path(args.out)
    clip = run_or_read(args.clip, train_clip, "recipes/clip-tiny.yaml", out / "clip")
    clip_model = str(Path(args.clip) / "model") if args.clip else clip["checkpoint"]
    vlm = (json.loads((Path(args.vlm) / "summary.json").read_text(encoding="utf-8"))
           if args.vlm else train_vlm("recipes/vlm-tiny.yaml",
                                      {"out_dir": str(out / "vlm"), "vlm.clip": clip_model}))
    print(f"\n{cpu_model()}, {os.cpu_count()} cores visible, load average "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print("| run | steps | wall | held-out result |")
    print("|---|---|---|---|")
    print(f"| CLIP (clip-tiny, {clip['parameters']:,} parameters) | {clip['step']} "
          f"| {clip['wall_s'] / 60:.1f} min | zero-shot top-1 of {clip['held_out_images']}: "
          f"English {clip['val_zero_shot_top1_en']:.1%}, "
          f"Chinese {clip['val_zero_shot_top1_zh']:.1%} |")
    for name in ("vlm", "text_only"):
        if name not in vlm:
            continue
        r = vlm[name]
        print(f"| {name} ({r['trainable_parameters']:,} trained) | {r['step']} "
              f"| {r['wall_s'] / 60:.1f} min | answers {r['val_answer_accuracy']:.1%} of "
              f"{vlm['held_out_questions']} (colour {r['val_colour_accuracy']:.1%}, "
              f"position {r['val_position_accuracy']:.1%}, shape {r['val_shape_accuracy']:.1%}) |")


if __name__ == "__main__":
    main()
