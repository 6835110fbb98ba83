"""Run untrusted Python (model-written code, unit tests) with limits: the sandbox.

    result = run_python("print(sum(range(10)))", timeout_s=5)
    result.status, result.stdout        # "ok", "45\n"

Each run gets, in layers (outermost first):

- a wall-clock limit: the process group is killed with SIGKILL when it runs past timeout_s;
- where the OS allows it (root, `unshare` present): a new network namespace
  (`unshare --net`, which then execs Python, so exit codes and signals come through
  unchanged): no interface but a downed loopback, so no connection can leave;
- where the cgroup v1 pids controller is writable: a pids cgroup with `pids.max`, so a fork
  bomb hits a kernel wall, and every process in it is killed when the run ends (even one
  that left the process group);
- resource limits and an audit hook installed in the child before the code runs
  (`sandbox_child.py`): CPU seconds, address space, file size; no writes outside the
  working directory, no sockets, no new processes;
- a fresh temporary working directory, removed afterwards, and a minimal environment
  (PATH, HOME and TMPDIR pointing into that directory, LANG);
- stdout and stderr captured in threads and capped (the rest is read and dropped, so a
  chatty program cannot fill memory or block on a full pipe).

status: "ok" (exit 0), "error" (non-zero exit, e.g. an exception or MemoryError),
"timeout" (killed at the wall-clock limit), "killed" (ended by a signal: CPU limit, OOM).

Test: `pytest tests/verify/test_sandbox.py`.
"""

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from lmforge.errors import ConfigError
from lmforge.threads import available_cores

CHILD = Path(__file__).with_name("sandbox_child.py")
OUTPUT_CAP = 64 * 1024  # bytes kept of each of stdout and stderr
PIDS_CGROUP = Path("/sys/fs/cgroup/pids")
UNSHARE = ["unshare", "--net"]


@dataclass
class SandboxResult:
    status: str  # "ok" | "error" | "timeout" | "killed"
    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def check_positive(name: str, value) -> float:
    """A limit must be a positive number; anything else is a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigError(f"sandbox {name} must be a positive number, got {value!r}")
    return float(value)


@functools.cache
def namespaces_available() -> bool:
    """Whether `unshare` can give the child its own network namespace here."""
    if shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run([*UNSHARE, "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _make_pids_cgroup(max_processes: int) -> Path | None:
    """A pids cgroup for one run, or None where the controller is not writable."""
    path = PIDS_CGROUP / f"lmforge-sandbox-{uuid.uuid4().hex[:12]}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(max_processes))
    except OSError:
        if path.exists():
            _remove_cgroup(path)
        return None
    return path


def _remove_cgroup(path: Path) -> None:
    for _ in range(50):  # the killed processes may take a moment to leave
        try:
            path.rmdir()
            return
        except OSError:
            time.sleep(0.02)


def _drain(stream, cap: int, sink: list[bytes]) -> None:
    """Read a pipe to its end; keep the first `cap` bytes."""
    kept = 0
    while chunk := stream.read(65536):
        if kept < cap:
            sink.append(chunk[: cap - kept])
            kept += len(sink[-1])
    stream.close()


def _decode(parts: list[bytes], cap: int) -> str:
    data = b"".join(parts)
    text = data.decode("utf-8", errors="replace")
    return text + ("\n[output truncated]" if len(data) >= cap else "")


def _status(returncode: int, timed_out: bool) -> str:
    if timed_out:
        return "timeout"
    if returncode == 0:
        return "ok"
    # a signal: negative from Popen; 128+n when a shell or unshare reports it
    return "killed" if returncode < 0 or returncode > 128 else "error"


def run_python(
    code: str,
    *,
    timeout_s: float = 10,
    memory_mb: float = 512,
    stdin: str | None = None,
    cpu_s: float | None = None,
    max_processes: int = 64,
    file_mb: float = 16,
    output_cap: int = OUTPUT_CAP,
    python: str | None = None,
) -> SandboxResult:
    """Run `code` as a script in a fresh sandbox; never raises for what the code does."""
    timeout_s = check_positive("timeout_s", timeout_s)
    memory_mb = check_positive("memory_mb", memory_mb)
    cpu_s = check_positive("cpu_s", cpu_s if cpu_s is not None else timeout_s)
    file_mb = check_positive("file_mb", file_mb)
    max_processes = int(check_positive("max_processes", max_processes))
    limits = {"cpu_s": cpu_s, "memory_mb": int(memory_mb), "file_mb": int(file_mb),
              "max_processes": max_processes}
    workdir = Path(tempfile.mkdtemp(prefix="lmforge-sandbox-"))
    cgroup = _make_pids_cgroup(max_processes)
    try:
        (workdir / "main.py").write_text(code, encoding="utf-8")
        stdin_path = workdir.parent / f"{workdir.name}.stdin"  # outside the code's reach
        stdin_path.write_text(stdin or "", encoding="utf-8")
        command = [python or sys.executable, "-I", "-B", str(CHILD), json.dumps(limits),
                   str(workdir / "main.py")]
        if namespaces_available():
            command = [*UNSHARE, "--", *command]
        env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir),
               "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        with open(stdin_path, "rb") as stdin_file:
            return _run(command, workdir, env, stdin_file, timeout_s, output_cap, cgroup)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        (workdir.parent / f"{workdir.name}.stdin").unlink(missing_ok=True)
        if cgroup is not None:
            _remove_cgroup(cgroup)


def _run(command, workdir, env, stdin_file, timeout_s, cap, cgroup) -> SandboxResult:
    def enter_cgroup() -> None:  # runs in the child between fork and exec
        if cgroup is not None:
            fd = os.open(cgroup / "cgroup.procs", os.O_WRONLY)
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)

    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=workdir, env=env, stdin=stdin_file, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True, preexec_fn=enter_cgroup)
    out, err = [], []
    readers = [threading.Thread(target=_drain, args=(process.stdout, cap, out), daemon=True),
               threading.Thread(target=_drain, args=(process.stderr, cap, err), daemon=True)]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
    _kill_group(process.pid)  # also reaps anything the code left running
    _kill_cgroup(cgroup)
    process.wait()
    for reader in readers:
        reader.join(timeout=5)
    wall = time.perf_counter() - start
    return SandboxResult(_status(process.returncode, timed_out), process.returncode,
                         _decode(out, cap), _decode(err, cap), round(wall, 4))


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _kill_cgroup(cgroup: Path | None) -> None:
    """SIGKILL every process still in the run's cgroup (they may have left the group)."""
    if cgroup is None:
        return
    for _ in range(10):
        try:
            pids = [int(p) for p in (cgroup / "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def run_many(codes: Sequence[str], *, max_workers: int | None = None,
             stdins: Sequence[str | None] | None = None, **limits) -> list[SandboxResult]:
    """Run several programs in parallel sandboxes; results in the order of `codes`."""
    if stdins is not None and len(stdins) != len(codes):
        raise ConfigError(f"run_many: {len(codes)} programs but {len(stdins)} stdins")
    workers = max_workers or min(len(codes), available_cores()) or 1
    check_positive("max_workers", workers)
    stdins = stdins or [None] * len(codes)
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(run_python, code, stdin=stdin, **limits)
                   for code, stdin in zip(codes, stdins, strict=True)]
        return [f.result() for f in futures]


__all__ = ["SandboxResult", "namespaces_available", "run_many", "run_python"]
