"""Resident memory: hand freed heap back to the operating system.

glibc's malloc keeps memory that a program frees (after loading a checkpoint, after fusing
layers) for later use, and it keeps counting in the process's resident set. `malloc_trim(0)`
returns what is free; where there is no glibc (macOS, musl) this does nothing.
"""

import contextlib
import ctypes
import ctypes.util
import functools


def release_freed_memory() -> None:
    with contextlib.suppress(OSError, AttributeError, TypeError):
        _libc().malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"))  # find_library runs a subprocess: once
