"""`lmforge serve` refuses bad options at once (before loading a model), with one line on
stderr (run in-process through the CLI's `main`, as the shell would, minus the start-up
cost); the happy path (one `listening on` line, --port 0, clean exit on SIGINT) is the
session server in conftest.py."""

import pytest

from lmforge.cli import main

BAD = [(["--quantize", "int3"], ["--quantize"]), (["--port", "70000"], ["--port"]),
       (["--max-batch", "0"], ["--max-batch"]), (["--kv-blocks", "0"], ["--kv-blocks"]),
       (["--kv-dtype", "int3"], ["--kv-dtype", "int3"])]


@pytest.mark.parametrize("args, words", BAD)
def test_bad_options_fail_fast_with_one_line(args, words, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["lmforge", "serve", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code != 0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1 and lines[0].startswith("lmforge: error"), err
    for word in words:
        assert word in lines[0]


def test_accepted_connections_send_small_writes_at_once():
    """The listening socket says it is TCP, so asyncio turns Nagle's algorithm off on each
    accepted connection: a response's body (or an SSE chunk) does not wait ~40 ms for the
    client's delayed ACK of the headers before it."""
    import asyncio
    import socket

    from lmforge.serve.launch import bind

    async def nodelay_of_an_accepted_connection() -> int:
        accepted = asyncio.get_running_loop().create_future()

        def on_connect(reader, writer):
            sock = writer.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listener = bind("127.0.0.1", 0)
        server = await asyncio.start_server(on_connect, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        value = await accepted
        writer.close()
        server.close()
        return value

    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0
