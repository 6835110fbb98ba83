"""What this CPU can do fast, read from its feature flags (Linux: /proc/cpuinfo).

bf16 matmuls are the case that matters: where the CPU has AMX or AVX-512 BF16 they run
3-5x faster than fp32 (oneDNN, measured in docs/benchmarks.md); without them PyTorch
emulates bf16 and the same matmul runs up to 100x slower than fp32. So bf16 is chosen
from the flags, never assumed.
"""

import platform
from functools import cache
from pathlib import Path

NATIVE_BF16 = ("amx_bf16", "avx512_bf16")  # x86 flags of hardware bf16 dot products


@cache
def flags_line() -> str:
    """The kernel's line of feature flags ("flags" on x86, "Features" on Arm)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() + platform.machine()
    return next((line for line in info.splitlines() if line.startswith(("flags", "Features"))),
                platform.processor())


@cache
def flags() -> frozenset[str]:
    return frozenset(flags_line().partition(":")[2].split())


def native_bf16() -> bool:
    """True when this CPU computes bf16 dot products in hardware (AMX or AVX-512 BF16)."""
    return any(flag in flags() for flag in NATIVE_BF16)
