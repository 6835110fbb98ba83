"""Run a folder written by `lmforge export onnx` with onnxruntime: logits, and greedy decoding.

    decoder = OnnxDecoder("smollm2-onnx/")
    logits, present = decoder.forward(ids)               # ids (B, T) int64 numpy
    decoder.greedy(prompt_ids, max_tokens=12)            # with a KV graph: one token a step

The loop shows how a runtime drives the KV-cache graph: the first call passes empty past
tensors (P = 0) and the prompt; each later call passes the one new token, its position, and
the previous call's `present` tensors as `past`. Without a KV graph every step runs the
whole sequence again. onnxruntime is an optional dependency (`pip install lmforge[onnx]`).

Test: pytest tests/io/test_onnx_export.py
"""

import json
from pathlib import Path

import numpy as np

from lmforge.errors import ModelFileError
from lmforge.io.onnx_export import GRAPH_FILE


class OnnxDecoder:
    """An exported decoder in an onnxruntime session (CPU)."""

    def __init__(self, folder: str | Path, threads: int | None = None) -> None:
        import onnxruntime as ort

        folder = Path(folder)
        if not (folder / GRAPH_FILE).is_file():
            raise ModelFileError(f"{folder} has no {GRAPH_FILE}: not an `lmforge export onnx` "
                                 "folder")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(folder / GRAPH_FILE), options,
                                            providers=["CPUExecutionProvider"])
        self.config = json.loads((folder / "lmforge_config.json").read_text(encoding="utf-8"))
        self.past_names = [i.name for i in self.session.get_inputs()
                           if i.name.startswith("past_")]

    @property
    def has_kv_cache(self) -> bool:
        return bool(self.past_names)

    def empty_past(self, batch: int) -> list[np.ndarray]:
        """past_key_0, past_value_0, ... with no positions yet: (B, n_kv_head, 0, head_dim)."""
        shape = (batch, self.config["num_key_value_heads"], 0, self.config["head_dim"])
        return [np.zeros(shape, dtype=np.float32) for _ in self.past_names]

    def forward(self, ids: np.ndarray, positions: np.ndarray | None = None,
                past: list[np.ndarray] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """ids (B, T) -> logits (B, T, V) and the `present` keys/values (empty without a KV
        graph). positions default to P..P+T-1, P the past's length."""
        ids = np.asarray(ids, dtype=np.int64)
        feeds = {"input_ids": ids}
        if self.has_kv_cache:
            past = self.empty_past(ids.shape[0]) if past is None else past
            feeds.update(zip(self.past_names, past, strict=True))
        start = past[0].shape[2] if past else 0
        if positions is None:
            positions = np.broadcast_to(np.arange(start, start + ids.shape[1]), ids.shape)
        feeds["positions"] = np.ascontiguousarray(positions, dtype=np.int64)
        logits, *present = self.session.run(None, feeds)
        return logits, present

    def greedy(self, prompt_ids: list[int], max_tokens: int) -> list[int]:
        """The argmax continuation of one prompt, `max_tokens` long (no stop tokens)."""
        ids, new, past = list(prompt_ids), [], None
        step = np.array([ids])
        for _ in range(max_tokens):
            logits, present = self.forward(step, past=past)
            new.append(int(logits[0, -1].argmax()))
            ids.append(new[-1])
            if self.has_kv_cache:  # next call: the one new token, the cache so far
                step, past = np.array([[new[-1]]]), present
            else:  # no cache: the whole sequence again
                step = np.array([ids])
        return new
