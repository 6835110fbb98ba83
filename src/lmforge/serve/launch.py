"""Load the models, bind the socket, run uvicorn, print one `listening on` line.

The socket is bound before uvicorn starts, so `--port 0` can print the port the OS chose.
The line `listening on http://HOST:PORT` is the only thing written to stdout, once the
server accepts connections (scripts and tests wait for it); logs go to stderr.
SIGINT/SIGTERM stop accepting, give in-flight requests `graceful_shutdown_s` to finish,
then abort the rest.

Test: `pytest tests/serve/test_cli.py`.
"""

import logging
import signal
import socket
import sys
import threading

import uvicorn

from lmforge.serve.app import Server, ServeSettings, create_app


class _Uvicorn(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            sys.stdout.write(f"listening on {self.url}\n")
            sys.stdout.flush()


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # sockets that say they are TCP. With it on, a response's second small write (the body
    # after the headers, each SSE chunk) waited for the client's delayed ACK: ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {e.strerror}") from e
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run_server(server: Server, settings: ServeSettings) -> None:
    """Serve until interrupted."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    config = uvicorn.Config(create_app(server), log_config=None, access_log=False,
                            timeout_graceful_shutdown=int(settings.graceful_shutdown_s),
                            log_level="warning")
    web = _Uvicorn(config, f"http://{host}:{port}")
    # the Engine steps on this (main) thread, the event loop runs in another
    # (serve/runner.py says why); SIGINT/SIGTERM ask uvicorn for its graceful shutdown,
    # whose end stops the stepping loop once in-flight requests are done: exit status 0
    signal.signal(signal.SIGINT, lambda *_: _shut_down(web))
    signal.signal(signal.SIGTERM, lambda *_: _shut_down(web))
    http = threading.Thread(target=_serve_then_stop, args=(web, sock, server),
                            name="lmforge-http")
    http.start()
    server.runner.step_here()
    http.join()


def _serve_then_stop(web: uvicorn.Server, sock: socket.socket, server: Server) -> None:
    """Run uvicorn; however it ends (a shutdown, a failed startup), end the stepping loop."""
    try:
        web.run(sockets=[sock])
    finally:
        server.runner.stop()


def _shut_down(web: uvicorn.Server) -> None:
    """First signal: graceful shutdown; a second one: stop waiting for open requests."""
    web.force_exit = web.should_exit
    web.should_exit = True
