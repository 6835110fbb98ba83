"""The sandbox's child side: limits and guards installed before the untrusted code runs.

`sandbox.py` starts `python -I -B sandbox_child.py LIMITS_JSON main.py` inside a fresh
temporary directory (and, where the OS allows, in new network + PID namespaces). This file
then, in order:

1. sets resource limits (CPU seconds, address space, file size, open files, processes);
2. installs an audit hook (PEP 578) that refuses, with PermissionError:
   - opening a file for writing, or creating / removing / renaming one, outside the
     working directory;
   - sockets (connect, bind, sendto, getaddrinfo): the fallback when no network namespace
     could be made, and a second wall where one was;
   - starting processes (fork, exec, spawn, system, subprocess) and signalling them;
   - loading native code through ctypes (which could step around the hook);
3. runs main.py as `__main__`.

The hook is a guard rail for model-written code, not a security boundary on its own; the
OS layers (namespaces, rlimits, a pids cgroup, the wall-clock kill) sit under it.
Test: `pytest tests/verify/test_sandbox.py`.
"""

import json
import os
import resource
import sys

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

# audit events that start or signal processes, or load native code
FORBIDDEN_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "subprocess.Popen", "os.kill", "os.killpg", "pty.spawn", "ctypes.dlopen",
    "ctypes.dlsym", "ctypes.call_function", "socket.connect", "socket.bind",
    "socket.sendto", "socket.sendmsg", "socket.getaddrinfo", "socket.gethostbyname",
})
# audit events that change the file system; the path arguments that must stay inside
MUTATING_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1),
    "os.link": (0, 1), "os.symlink": (1,), "os.chmod": (0,), "os.chown": (0,),
    "os.truncate": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "shutil.copyfile": (1,),
    "shutil.copytree": (1,), "shutil.move": (1,), "os.mkfifo": (0,), "os.mknod": (0,),
}


def set_limits(limits: dict) -> None:
    """Kernel-enforced limits; they hold even for code that gets around the audit hook."""
    cpu = max(1, int(limits["cpu_s"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU, then SIGKILL
    memory = limits["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))  # a hog gets MemoryError
    size = limits["file_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    # root is exempt from RLIMIT_NPROC; the pids cgroup and the audit hook cover that case
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["max_processes"],) * 2)


def make_hook(root: str):
    """The audit hook: a closure over the one directory the code may change."""
    root = os.path.realpath(root)
    inside_hook = False

    def inside(path) -> bool:
        if isinstance(path, int):  # an already-open file descriptor
            return True
        full = os.path.realpath(os.path.join(root, os.fsdecode(path)))
        return full == root or full.startswith(root + os.sep)

    def refuse(what: str) -> None:
        raise PermissionError(f"sandbox: {what} is not allowed")

    def hook(event: str, args: tuple) -> None:
        nonlocal inside_hook
        if inside_hook:  # realpath() below can raise audit events of its own
            return
        inside_hook = True
        try:
            if event in FORBIDDEN_EVENTS:
                refuse(event)
            elif event == "open":
                path, mode, flags = args
                writes = (flags & WRITE_FLAGS) if isinstance(flags, int) and flags >= 0 else (
                    mode is not None and any(c in str(mode) for c in "wax+"))
                if writes and path is not None and not inside(path):
                    refuse(f"writing {path!r} outside the working directory")
            elif event in MUTATING_EVENTS:
                for i in MUTATING_EVENTS[event]:
                    if i < len(args) and args[i] is not None and not inside(args[i]):
                        refuse(f"{event} on {args[i]!r} outside the working directory")
        finally:
            inside_hook = False

    return hook


def main() -> None:
    limits, script = json.loads(sys.argv[1]), sys.argv[2]
    with open(script, encoding="utf-8") as f:
        source = f.read()
    code = compile(source, os.path.basename(script), "exec")
    set_limits(limits)
    sys.addaudithook(make_hook(os.getcwd()))
    sys.argv = [os.path.basename(script)]
    sys.path.insert(0, os.getcwd())  # the code may import modules written beside it
    exec(code, {"__name__": "__main__", "__file__": script, "__builtins__": __builtins__})


if __name__ == "__main__":
    main()
