"""The first answers a new user sees (issue 24): the README's curl example and the chat
page's first reply to "What is the capital of France?", over 10 seeds each, with the chat
defaults (lmforge/infer/defaults.py) and with the sampling they replaced.

    python benchmarks/bench_first_answers.py [--seeds 10] [--serve-args "--quantize auto"]
    python benchmarks/bench_first_answers.py --skip-before     # only the chat defaults

Starts `lmforge serve` as the README does (on a free port), then for each seed s:
- curl: POSTs the README's body (`model` and `messages` only) plus `"seed": s`;
- page: opens the chat page in headless chromium (playwright), types the question with the
  seed box set to s and every other control as the page loaded it, and reads the reply.
"before" repeats both with the sampling of before the chat defaults, set explicitly (a set
field is used as given): the server's old default for an unset field (temperature 1, no
penalty) and the page's old controls (temperature 0.7, top-p 0.95, 200 tokens, no penalty).
A reply counts as right when it names Paris (the word, not "Parisis"). Greedy replies do
not depend on the seed, but a prompt the server has seen before is partly in its prefix
cache; the rest of it must be computed on the same routes as a fresh prompt (it once ran on
the one-row decode path, whose rounding flipped a near tie on the Q4_1 blocks:
docs/benchmarks.md), so the table shows the first and the last seed's reply.
Prints a table for docs/benchmarks.md.
"""

import argparse
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from datetime import date

import httpx

QUESTION = "What is the capital of France?"
MODEL = "smollm2-135m-instruct"
OLD_SERVER = {"temperature": 1.0, "repetition_penalty": 1.0}
OLD_PAGE = {"#temperature": "0.7", "#top-p": "0.95", "#max-tokens": "200",
            "#repetition-penalty": "1"}


def start_server(extra: list[str], env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`lmforge serve --port 0` as a subprocess, and its URL once it prints it."""
    proc = subprocess.Popen([sys.executable, "-m", "lmforge.cli", "serve", "--port", "0",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + 600
    while not lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    if not lines:
        proc.kill()
        sys.exit("lmforge serve did not start")
    return proc, lines[0].strip().removeprefix("listening on ")


def curl_reply(url: str, seed: int, sampling: dict) -> str:
    body = {"model": MODEL, "messages": [{"role": "user", "content": QUESTION}],
            "seed": seed, **sampling}
    response = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=600)
    response.raise_for_status()
    return response.json()["choices"][0]["message"]["content"]


def page_replies(url: str, seeds: list[int], controls: dict) -> list[str]:
    """One fresh page per seed: the page's first answer, as a new user gets it."""
    from playwright.sync_api import sync_playwright

    path = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)
    if path is None:
        sys.exit("no chromium on PATH: apt-get install -y chromium")
    replies = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        for seed in seeds:
            page = browser.new_page()
            page.goto(url + "/")
            page.wait_for_selector("body[data-defaults=loaded]")
            page.wait_for_function("document.getElementById('model').textContent.length > 0")
            for selector, value in {**controls, "#seed": str(seed)}.items():
                page.fill(selector, value)
            page.fill("#input", QUESTION)
            page.click("#send")
            page.wait_for_selector(".msg.assistant .meta", timeout=600_000)
            replies.append(page.locator(".msg.assistant").inner_text())
            page.close()
        browser.close()
    return replies


def names_paris(reply: str) -> bool:
    return re.search(r"\bParis\b", reply) is not None  # not "Parisis la cité"


def report(name: str, replies: list[str]) -> None:
    """Seed 0 is the server's first request of its kind (its prompt not yet in the prefix
    cache); the later seeds find the prompt cached."""
    right = sum(map(names_paris, replies))
    first, later = replies[0].split("\n")[0][:60], replies[-1].split("\n")[0][:60]
    print(f"| {name} | {right}/{len(replies)} | {len(set(replies))} | {first!r} | "
          f"{later!r} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--serve-args", default="", help="extra `lmforge serve` options")
    parser.add_argument("--skip-before", action="store_true",
                        help="only the chat defaults, not the sampling they replaced")
    args = parser.parse_args()
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    cpu_name = next((line.split(":", 1)[1].strip() for line in cpu.splitlines()
                     if line.startswith("Model name")), platform.machine())
    print(f"{date.today()}, {cpu_name}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"lmforge serve {args.serve_args}".rstrip())
    proc, url = start_server(shlex.split(args.serve_args))
    seeds = list(range(args.seeds))
    try:
        print("| entry point | names Paris | distinct replies | seed 0 | last seed |\n"
              "| --- | --- | --- | --- | --- |")
        report("README curl, chat defaults", [curl_reply(url, s, {}) for s in seeds])
        report("page, chat defaults", page_replies(url, seeds, {}))
        if args.skip_before:
            return
        report("README curl, before (temperature 1)",
               [curl_reply(url, s, OLD_SERVER) for s in seeds])
        report("page, before (temperature 0.7, top-p 0.95)", page_replies(url, seeds, OLD_PAGE))
    finally:
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main()
