"""GET /metrics: the server's counters in Prometheus' text format.

Counters (requests by route and status, prompt and generated tokens) only grow; gauges
(queue length, running requests, KV blocks, prefix-cache hit rate) come from
`Engine.stats()` at scrape time; tokens/s is the generation rate over the last 10 s.

Test: `pytest tests/serve/test_concurrency.py -k metrics`.
"""

import time
from collections import Counter, deque

RATE_WINDOW_S = 10.0


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, int]] = Counter()
        self.prompt_tokens = 0
        self.generated_tokens = 0
        self._recent: deque[tuple[float, int]] = deque()  # (time, tokens) per step

    def count_request(self, route: str, status: int) -> None:
        self.requests[(route, status)] += 1

    def count_generated(self, n: int) -> None:
        self.generated_tokens += n
        now = time.monotonic()
        self._recent.append((now, n))
        while self._recent and self._recent[0][0] < now - RATE_WINDOW_S:
            self._recent.popleft()

    def tokens_per_second(self) -> float:
        now = time.monotonic()
        return sum(n for t, n in self._recent if t >= now - RATE_WINDOW_S) / RATE_WINDOW_S

    def render(self, stats: dict, in_flight: int) -> str:
        """Prometheus exposition text (version 0.0.4)."""
        lines = []

        def metric(name: str, kind: str, help_: str, samples: list[tuple[str, float]]):
            lines.append(f"# HELP lmforge_{name} {help_}")
            lines.append(f"# TYPE lmforge_{name} {kind}")
            lines.extend(f"lmforge_{name}{labels} {value}" for labels, value in samples)

        metric("requests_total", "counter", "HTTP requests by route and status.",
               [(f'{{route="{r}",status="{s}"}}', n)
                for (r, s), n in sorted(self.requests.items())])
        metric("prompt_tokens_total", "counter", "Prompt tokens received.",
               [("", self.prompt_tokens)])
        metric("generation_tokens_total", "counter", "Tokens generated.",
               [("", self.generated_tokens)])
        metric("generation_tokens_per_second", "gauge",
               f"Tokens generated per second over the last {RATE_WINDOW_S:.0f} s.",
               [("", round(self.tokens_per_second(), 3))])
        metric("requests_in_flight", "gauge", "Engine requests accepted and not finished.",
               [("", in_flight)])
        metric("queue_length", "gauge", "Requests waiting for a batch slot.",
               [("", stats.get("waiting", 0))])
        metric("requests_running", "gauge", "Requests in the running batch.",
               [("", stats.get("running", 0))])
        metric("kv_blocks_used", "gauge", "KV-cache blocks in use.",
               [("", stats.get("kv_blocks_used", 0))])
        metric("kv_blocks_free", "gauge", "KV-cache blocks free.",
               [("", stats.get("kv_blocks_free", 0))])
        metric("kv_blocks_total", "gauge", "KV-cache blocks in the pool.",
               [("", stats.get("kv_blocks_total", 0))])
        queried = stats.get("prefix_cache_query_tokens", 0)
        hit_rate = stats.get("prefix_cache_hit_tokens", 0) / queried if queried else 0.0
        metric("prefix_cache_hit_rate", "gauge", "Prompt tokens served from the prefix cache.",
               [("", round(hit_rate, 4))])
        return "\n".join(lines) + "\n"
