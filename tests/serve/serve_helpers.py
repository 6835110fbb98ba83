"""Constants and small helpers shared by the server tests."""

API_KEY = "test-key-123"
MODEL = "smollm2-135m-instruct"
EMBED_MODEL = "all-minilm-l6-v2"
MAX_BATCH, MAX_QUEUE = 16, 16
KV_BLOCKS = 512  # `serve --kv-blocks`: 8,192 tokens of 16-token blocks


def metric(text: str, name: str) -> float:
    """The value of an unlabelled metric in Prometheus text."""
    for line in text.splitlines():
        if line.startswith(f"lmforge_{name} "):
            return float(line.split()[1])
    raise KeyError(name)
