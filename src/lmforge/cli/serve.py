"""`lmforge serve`: the OpenAI-compatible server and the chat page (lmforge.serve)."""

import os
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Adapter, Model, Quantize, _load, app
from lmforge.cli.safety import CHAT_DEFENCES_HELP, chat_defences


@app.command()
def serve(
    model: Model = DEFAULT_MODEL,
    embedding_model: Annotated[str, typer.Option(
        help="Encoder for /v1/embeddings ('none' to serve no embeddings).")] = "all-minilm-l6-v2",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8000,
    api_key: Annotated[str | None, typer.Option(
        envvar="LMFORGE_API_KEY", help="Require 'Authorization: Bearer KEY' on /v1.")] = None,
    max_batch: Annotated[int, typer.Option(help="Most requests decoded together.")] = 16,
    kv_blocks: Annotated[int | None, typer.Option(
        help="KV-cache blocks in the pool (default: the Engine's).")] = None,
    kv_dtype: Annotated[str, typer.Option(
        help="KV-cache storage: auto (the model's dtype) or fp16 (half the memory).")] = "auto",
    quantize: Quantize = None,
    max_queue: Annotated[int, typer.Option(help="Requests waiting beyond the batch; then 429.")]
    = 64,
    max_body_mb: Annotated[float, typer.Option(help="Largest request body (MB); then 413.")]
    = 4.0,
    dtype: Annotated[str, typer.Option(help="Compute precision: fp32, bf16 or fp16.")] = "fp32",
    adapter: Adapter = None,
    defences: Annotated[str, typer.Option(help=CHAT_DEFENCES_HELP)] = "leak",
):
    """Serve MODEL over OpenAI's HTTP API, with a chat page at /. With --adapter, /v1/models
    lists the adapted model under the adapter folder's name (its base as `parent`)."""
    import torch

    from lmforge.infer import Engine
    from lmforge.serve.app import Server, ServeSettings
    from lmforge.serve.launch import run_server

    if max_batch < 1 or max_queue < 0 or port < 0 or port > 65535 or max_body_mb <= 0:
        raise typer.BadParameter("--max-batch >= 1, --max-queue >= 0, --port 0..65535 and "
                                 "--max-body-mb > 0 are required")
    if kv_blocks is not None and kv_blocks < 1:
        raise typer.BadParameter(f"--kv-blocks must be at least 1, got {kv_blocks}")
    if kv_dtype not in ("auto", "fp16"):
        raise typer.BadParameter(f"--kv-dtype must be auto or fp16, got {kv_dtype!r}")
    chat_defences(defences)  # a bad name stops here, before the model loads
    settings = ServeSettings(
        model_id=model, embedding_model_id=None if embedding_model == "none" else embedding_model,
        host=host, port=port, api_key=api_key or os.environ.get("LMFORGE_API_KEY") or None,
        max_batch=max_batch, max_queue=max_queue, max_body_bytes=int(max_body_mb * 2**20),
        adapter_id=Path(adapter).resolve().name if adapter else None, defences=defences)
    lm = _load(model, dtype, quantize, adapter)
    engine = Engine(lm.model, lm.tokenizer, max_batch_size=max_batch, num_kv_blocks=kv_blocks,
                    kv_dtype=torch.float16 if kv_dtype == "fp16" else None)
    embedder = None if settings.embedding_model_id is None else _load(embedding_model, "fp32")
    run_server(Server(lm, embedder, settings, engine), settings)
