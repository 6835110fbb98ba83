"""The sandbox: one adversarial property per test (see verify/sandbox.py)."""

import socket
from pathlib import Path

import pytest

from lmforge.errors import ConfigError
from lmforge.verify.sandbox import run_many, run_python


def test_runs_normal_code_with_its_output_and_stdin():
    result = run_python("import sys\nname = sys.stdin.read().strip()\n"
                        "print('hello', name)\nprint(sum(range(10)), file=sys.stderr)",
                        stdin="sandbox\n", timeout_s=20)
    assert result.status == "ok" and result.returncode == 0
    assert result.stdout == "hello sandbox\n"
    assert result.stderr == "45\n"


def test_an_exception_is_an_error_with_the_traceback():
    result = run_python("raise ValueError('bad value 7')", timeout_s=20)
    assert result.status == "error" and result.returncode == 1
    assert "ValueError: bad value 7" in result.stderr


def test_kills_an_infinite_loop_at_the_wall_clock_limit():
    result = run_python("while True:\n    pass", timeout_s=1.5, cpu_s=30)
    assert result.status == "timeout"  # the wall-clock limit, not the CPU one, ended it


def test_cpu_limit_kills_a_busy_loop():
    result = run_python("while True:\n    pass", timeout_s=30, cpu_s=1)
    assert result.status == "killed"  # the CPU limit, not the 30 s wall-clock one, ended it


def test_a_sleeping_child_cannot_outlive_the_run():
    # spawn is refused; a fork bomb either fails to fork or hits the pids limit
    result = run_python("import os\nwhile True:\n    os.fork()", timeout_s=5)
    assert result.status in ("error", "killed")
    assert "PermissionError" in result.stderr or result.status == "killed"
    result = run_python("import subprocess\nsubprocess.Popen(['sleep', '100'])", timeout_s=5)
    assert result.status == "error" and "not allowed" in result.stderr


def test_stops_a_memory_hog():
    result = run_python("x = bytearray(2 * 1024**3)\nprint('allocated')",
                        memory_mb=256, timeout_s=20)
    assert result.status in ("error", "killed")
    assert "allocated" not in result.stdout
    assert result.status == "killed" or "MemoryError" in result.stderr


def test_refuses_a_connection_to_a_loopback_listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    code = (f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=3)\n"
            "print('connected')")
    result = run_python(code, timeout_s=10)
    server.setblocking(False)  # a connection that got through would wait in the backlog
    with pytest.raises(BlockingIOError):
        server.accept()
    server.close()
    assert result.status == "error" and "connected" not in result.stdout


def test_cannot_write_outside_its_directory(tmp_path):
    target = tmp_path / "escape.txt"
    result = run_python(f"open({str(target)!r}, 'w').write('x')", timeout_s=10)
    assert result.status == "error" and "PermissionError" in result.stderr
    assert not target.exists()
    result = run_python("import os\nos.remove('/etc/hostname')", timeout_s=10)
    assert result.status == "error" and Path("/etc/hostname").exists()


def test_writes_inside_its_directory_and_leaves_nothing_behind():
    code = ("import os\nopen('out.txt', 'w').write('kept')\nprint(open('out.txt').read())\n"
            "print(os.getcwd())")
    result = run_python(code, timeout_s=10)
    assert result.status == "ok"
    text, workdir = result.stdout.split()
    assert text == "kept" and not Path(workdir).exists()


def test_environment_is_minimal():
    result = run_python("import os\nprint(sorted(os.environ))", timeout_s=10)
    assert result.stdout.strip() == str(sorted(
        ["HOME", "LANG", "PATH", "PYTHONIOENCODING", "TMPDIR"]))


def test_output_is_capped():
    result = run_python("print('x' * 1_000_000)", output_cap=1000, timeout_s=10)
    assert result.status == "ok" and result.stdout.startswith("x" * 1000)
    assert result.stdout.endswith("[output truncated]") and len(result.stdout) < 1100


def test_run_many_keeps_order():
    results = run_many([f"print({i} * {i})" for i in range(4)], max_workers=2, timeout_s=20)
    assert [r.stdout.strip() for r in results] == ["0", "1", "4", "9"]


@pytest.mark.parametrize("limit", ["timeout_s", "memory_mb", "cpu_s"])
@pytest.mark.parametrize("value", [0, -1, "10", True])
def test_non_positive_limit_is_a_clear_error(limit, value):
    with pytest.raises(ConfigError, match=f"sandbox {limit} must be a positive number"):
        run_python("print(1)", **{limit: value})


@pytest.mark.slow
def test_cli_prints_one_json_object(tmp_path):
    import json
    import subprocess
    import sys

    script = tmp_path / "hello.py"
    script.write_text("print(input().upper())")
    feed = tmp_path / "in.txt"
    feed.write_text("abc\n")
    run = subprocess.run([sys.executable, "-m", "lmforge.cli", "sandbox", "run", str(script),
                          "--timeout", "20", "--stdin", str(feed)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["status"] == "ok" and result["stdout"] == "ABC\n"
    assert set(result) == {"status", "returncode", "stdout", "stderr", "wall_s"}
    bad = subprocess.run([sys.executable, "-m", "lmforge.cli", "sandbox", "run", str(script),
                          "--timeout", "0"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "sandbox timeout_s must be a positive number, got 0" in bad.stderr
