"""The FastAPI app: OpenAI's routes, the chat page, and what guards them.

    server = Server(lm, embedder, settings); app = create_app(server); run(app, settings)

Around every request (outermost first): a body-size cap (413), the API key on /v1 routes
(401, compared in constant time), one log line on stderr, and a count per route and status
for /metrics. Routes: chat.py, completions.py, embeddings.py, and below /v1/models,
/health, /metrics, /chat-defaults (the sampling a chat starts from: the page's controls)
and the page at / (static/, shipped in the package: no CDN).

Test: `pytest tests/serve/`.
"""

import asyncio
import hmac
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import FileResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from lmforge.infer import Engine
from lmforge.infer.defaults import CHAT_DEFAULTS
from lmforge.safety.chat_defences import ChatDefences
from lmforge.serve import chat, completions, embeddings, learn
from lmforge.serve.errors import APIError, error_response, install_error_handlers
from lmforge.serve.logprobs import TokenText
from lmforge.serve.metrics import Metrics
from lmforge.serve.runner import EngineRunner
from lmforge.serve.schemas import ModelList

log = logging.getLogger("lmforge.serve")


@dataclass
class ServeSettings:
    """How the server runs; the CLI's options (`lmforge serve --help`)."""

    model_id: str = "smollm2-135m-instruct"
    """The id clients send as `model` (the --model value)."""
    adapter_id: str | None = None
    """With --adapter: the id the adapted model is listed under (the adapter folder's name),
    as vLLM lists a LoRA module with its base as `parent`. The adapter is applied to the one
    set of weights, so a request naming the base id gets the adapted model too."""
    embedding_model_id: str | None = "all-minilm-l6-v2"
    """The id for /v1/embeddings; None serves no embeddings."""
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str | None = None
    """When set, every /v1 route needs `Authorization: Bearer <key>`."""
    max_batch: int = 16
    """Most requests decoded together in one step."""
    max_queue: int = 64
    """Most requests waiting for a batch slot; beyond that, 429."""
    max_body_bytes: int = 4 * 1024 * 1024
    """Request bodies larger than this get 413."""
    graceful_shutdown_s: float = 10.0
    """On SIGINT/SIGTERM, in-flight requests get this long to finish, then are aborted."""
    defences: str = "leak"
    """Prompt-attack defences for chat completions (safety/chat_defences.py): a reply that
    leaks the system prompt is withheld; canary, spotlight, detect or all add more."""


class Server:
    """What the routes share: the model, the stepping thread, metrics and settings."""

    def __init__(self, lm, embedder, settings: ServeSettings, engine: Engine | None = None
                 ) -> None:
        self.lm, self.embedder, self.settings = lm, embedder, settings
        self.model_id, self.embedding_model_id = settings.model_id, settings.embedding_model_id
        self.defences = ChatDefences.parse(settings.defences)
        self.engine = engine or Engine(lm.model, lm.tokenizer, max_batch_size=settings.max_batch)
        self.context = self.engine.max_seq_len
        self.metrics = Metrics()
        self.runner = EngineRunner(self.engine, settings.max_batch + settings.max_queue,
                                   self.metrics.count_generated)
        self.token_text = TokenText(lm.tokenizer)
        self.created = int(time.time())

    def check_model(self, model: str) -> None:
        if model not in (self.model_id, self.settings.adapter_id):
            raise APIError(404, f"model {model!r} does not exist; this server serves "
                           f"{self.served_id!r}", "model", "model_not_found")

    @property
    def served_id(self) -> str:
        """The id /v1/models lists for generation: the adapter's when there is one."""
        return self.settings.adapter_id or self.model_id

    def model_cards(self) -> list[dict]:
        """/v1/models: the generation model (an adapter names its base as `parent`), then
        the embedding model."""
        card = {"object": "model", "created": self.created, "owned_by": "lmforge"}
        cards = [{**card, "id": self.served_id, "root": self.served_id,
                  "parent": self.model_id if self.settings.adapter_id else None}]
        if self.embedder is not None:
            cards.append({**card, "id": self.embedding_model_id,
                          "root": self.embedding_model_id, "parent": None})
        return cards


def create_app(server: Server) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        server.runner.start()
        yield
        await asyncio.to_thread(server.runner.stop)  # aborts whatever is still running

    app = FastAPI(title="lmforge", version="0.1.0", lifespan=lifespan,
                  description="OpenAI-compatible API over lmforge's Engine.")
    app.state.server = server
    install_error_handlers(app)
    for module in (chat, completions, embeddings, learn):
        app.include_router(module.router)
    _add_info_routes(app, server)
    _add_middleware(app, server)
    return app


def _add_info_routes(app: FastAPI, server: Server) -> None:
    static = files("lmforge.serve") / "static"

    @app.get("/v1/models", response_model=ModelList)
    async def models():
        return {"object": "list", "data": server.model_cards()}

    @app.get("/health")
    async def health():
        if not server.runner.started:
            raise APIError(503, "the engine is not running", None, "not_ready")
        return {"status": "ok", "model": server.served_id}

    @app.get("/metrics", response_class=PlainTextResponse)
    async def metrics():
        stats = await asyncio.to_thread(server.engine.stats)
        return server.metrics.render(stats, server.runner.in_flight)

    @app.get("/chat-defaults")
    async def chat_defaults():
        """The sampling a chat starts from (lmforge/infer/defaults.py): the page's controls."""
        return CHAT_DEFAULTS.to_json()

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(str(static / "index.html"))

    app.mount("/static", StaticFiles(directory=str(static)), name="static")


def _add_middleware(app: FastAPI, server: Server) -> None:
    app.add_middleware(Guard, server=server)
    app.add_middleware(BodyLimit, limit=server.settings.max_body_bytes)  # outermost


class Guard:
    """Pure ASGI middleware (streams pass through untouched): the API key on /v1 routes,
    then one log line and one metrics count per request, with its status."""

    def __init__(self, app, server: Server) -> None:
        self.app, self.server = app, server
        self.expected = b"Bearer " + server.settings.api_key.encode() if (
            server.settings.api_key) else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), [500]

        async def send_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        path = scope["path"]
        try:
            if self.expected is not None and path.startswith("/v1"):
                given = dict(scope["headers"]).get(b"authorization", b"")
                if not hmac.compare_digest(given, self.expected):  # constant time
                    response = error_response(APIError(
                        401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                        None, "invalid_api_key"))
                    return await response(scope, receive, send_status)
            await self.app(scope, receive, send_status)
        finally:
            route = path if path.startswith(("/v1", "/health", "/metrics")) else "other"
            self.server.metrics.count_request(route, status[0])
            log.info("%s %s %d %.3fs", scope["method"], path, status[0],
                     time.perf_counter() - start)


DRAIN_FACTOR = 16  # an upload this many times the cap is cut off, not read to its end


class BodyLimit:
    """Pure ASGI middleware: read the body (at most `limit` bytes), 413 beyond it, then
    replay it to the app. Checks Content-Length first, so a huge upload is refused unread."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                return await self._refuse(scope, receive, send)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later reads: wait for the disconnect

        await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send):
        await self._drain(receive)
        response = error_response(APIError(
            413, f"the request body is larger than the limit of {self.limit} bytes",
            None, "request_too_large"))
        response.headers["connection"] = "close"
        await response(scope, receive, send)

    async def _drain(self, receive) -> None:
        """Read and drop the rest of an oversized body (up to DRAIN_FACTOR x the limit).

        Closing a connection whose upload is still unread makes the kernel send a reset,
        and the client may then lose the 413 it was already sent."""
        budget = self.limit * DRAIN_FACTOR
        while budget > 0:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            budget -= len(message.get("body", b""))
