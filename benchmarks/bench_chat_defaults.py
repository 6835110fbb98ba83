"""Which chat defaults loop least? Greedy replies of the bundled SmolLM2-135M-Instruct to 20
English prompts (half with a known answer), under several repetition penalties.

A reply "loops" when some 6-token sequence occurs 3 or more times in it (a model stuck
repeating a sentence or a list item); it "runs to the limit" when it stops at max_tokens
instead of at its end-of-turn token. A factual reply is "right" when it names the answer.
"Guard stops" counts the replies `lmforge chat`'s loop guard (`infer.chat_session.repeating`: one
passage 3 times in a row) would end early, and "tokens with guard" their mean length then.

    python benchmarks/bench_chat_defaults.py [--max-tokens 512] [--penalties 1.0 1.1 1.2]
    python benchmarks/bench_chat_defaults.py --batch 1 --again   # as chat and serve run them

`--batch 1` answers one prompt at a time, as `lmforge chat` and a lone server request do
(a batch of 20 multiplies on another path, whose rounding differs). `--again` asks every
prompt a second time on the same Engine: its prompt is then in the prefix cache and only
its last token is computed, on the decode path; where the model's two best first tokens
nearly tie (SmolLM2's Q4_1 blocks after "What is the capital of France?": "The" and "L"),
that rounding decides the reply. A fact is right when its word stands alone ("Paris", not
"Parisis").

Results (with the machine) go to docs/benchmarks.md; cli/infer.py's chat defaults follow.
"""

import argparse
import platform
import re
import subprocess
import time
from collections import Counter

import lmforge
from lmforge.infer import Engine, SamplingParams
from lmforge.infer.chat_session import repeating

FACTS = [  # (prompt, a word the right answer contains)
    ("What is the capital of France?", "paris"),
    ("What is the capital of Japan?", "tokyo"),
    ("How many days are there in a week?", "seven"),
    ("What is 2 + 2?", "4"),
    ("Who wrote Romeo and Juliet?", "shakespeare"),
    ("What color is the sky on a clear day?", "blue"),
    ("What is the largest planet in our solar system?", "jupiter"),
    ("What gas do plants take in from the air?", "carbon dioxide"),
    ("What is the freezing point of water in Celsius?", "0"),
    ("Which animal is known as the king of the jungle?", "lion"),
]
OPEN = [
    "Write a short poem about the sea.",
    "Give me three tips for learning to cook.",
    "Explain what a neural network is in simple terms.",
    "Tell me a story about a dragon.",
    "What should I pack for a weekend hiking trip?",
    "Describe your ideal breakfast.",
    "How do I make a cup of tea?",
    "List some good habits for staying healthy.",
    "Why do leaves change color in autumn?",
    "Summarize the plot of Cinderella.",
]


def loops(ids: list[int], n: int = 6, times: int = 3) -> bool:
    grams = Counter(tuple(ids[i:i + n]) for i in range(len(ids) - n + 1))
    return bool(grams) and max(grams.values()) >= times


def run(engine, tokenizer, penalty: float, max_tokens: int, batch: int) -> dict:
    prompts = [tokenizer.encode_chat([{"role": "user", "content": p}])
               for p in [f for f, _ in FACTS] + OPEN]
    params = SamplingParams(max_tokens=max_tokens, temperature=0, repetition_penalty=penalty)
    start = time.perf_counter()
    results = [r for i in range(0, len(prompts), batch)
               for r in engine.generate(prompts[i:i + batch], params)]
    seconds = time.perf_counter() - start
    n_out = [len(r.token_ids) for r in results]
    guarded = [guard_length(r.token_ids) for r in results]
    right = sum(re.search(rf"\b{word}\b", r.text.lower()) is not None
                for r, (_, word) in zip(results, FACTS, strict=False))
    return {"penalty": penalty, "loops": sum(loops(r.token_ids) for r in results),
            "at_limit": sum(r.finish_reason == "length" for r in results),
            "right": right, "mean_tokens": sum(n_out) / len(n_out), "seconds": seconds,
            "guard_stops": sum(g < n for g, n in zip(guarded, n_out, strict=True)),
            "guard_tokens": sum(guarded) / len(guarded), "sample": results[0].text[:60]}


def guard_length(ids: list[int]) -> int:
    """Tokens the reply would have with the chat loop guard on."""
    return next((i for i in range(1, len(ids) + 1) if repeating(ids[:i])), len(ids))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--penalties", type=float, nargs="+", default=[1.0, 1.1, 1.2])
    parser.add_argument("--batch", type=int, default=20, help="prompts answered together")
    parser.add_argument("--again", action="store_true",
                        help="ask every prompt twice on one Engine (then from the cache)")
    args = parser.parse_args()
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model_name = next((line.split(":", 1)[1].strip() for line in cpu.splitlines()
                       if line.startswith("Model name")), platform.processor())
    flags = next((line.split(":", 1)[1].split() for line in cpu.splitlines()
                  if line.startswith("Flags")), [])
    print(f"machine: {model_name}; flags: {' '.join(f for f in flags if 'avx' in f)}")
    print(f"{len(FACTS) + len(OPEN)} prompts, greedy, max_tokens {args.max_tokens}, "
          f"batches of {args.batch}")
    lm = lmforge.load("smollm2-135m-instruct")
    print("| repetition penalty | ask | replies that loop | run to max_tokens | facts right "
          "(of 10) | mean reply tokens | guard stops | tokens with guard | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for penalty in args.penalties:
        engine = Engine(lm.model, lm.tokenizer, max_batch_size=args.batch)  # nothing cached
        for ask in ("first", "again")[:1 + args.again]:
            r = run(engine, lm.tokenizer, penalty, args.max_tokens, args.batch)
            print(f"| {r['penalty']} | {ask} | {r['loops']}/20 | {r['at_limit']}/20 | "
                  f"{r['right']} | {r['mean_tokens']:.0f} | {r['guard_stops']}/20 | "
                  f"{r['guard_tokens']:.0f} | {r['seconds']:.0f} |  first reply: "
                  f"{r['sample']!r}", flush=True)


if __name__ == "__main__":
    main()
