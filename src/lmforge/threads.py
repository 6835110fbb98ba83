"""How many threads PyTorch uses: no more than the cores this process may run on.

PyTorch's default counts the machine's cores, which in a container or under `taskset` can be
more than the process is allowed to use; the extra threads then wait on each other and every
matmul slows down. `available_cores` counts the cores in the affinity mask
(`os.sched_getaffinity`), capped by a cgroup v2 CPU quota (`/sys/fs/cgroup/cpu.max`: a
container limited to 2 CPUs on a 64-core host). `use_available_cores` lowers torch's count to
that, and leaves a smaller count (the user's `torch.set_num_threads` or OMP_NUM_THREADS) alone.

Test: `pytest tests/test_threads.py`.
"""

import os

CGROUP_CPU_MAX = "/sys/fs/cgroup/cpu.max"


def available_cores(cpu_max: str = CGROUP_CPU_MAX) -> int:
    """CPU cores this process may run on: its affinity mask, capped by a cgroup quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows: no affinity API
        cores = os.cpu_count() or 1
    quota = cgroup_quota(cpu_max)
    return max(1, min(cores, quota)) if quota is not None else max(1, cores)


def cgroup_quota(cpu_max: str = CGROUP_CPU_MAX) -> int | None:
    """Whole CPUs the cgroup may use ("200000 100000" -> 2, at least 1); None: no limit."""
    try:
        with open(cpu_max) as f:
            quota, period = f.read().split()
        return None if quota == "max" else max(1, int(quota) // int(period))
    except (OSError, ValueError):  # no cgroup v2 file (macOS, cgroup v1) or an odd one
        return None


def use_available_cores() -> int:
    """Cap torch's intra-op threads at the cores available; returns the count in use."""
    import torch

    if torch.get_num_threads() > available_cores():
        torch.set_num_threads(available_cores())
    return torch.get_num_threads()


def set_cpu_threads(num_threads: int | None) -> None:
    """Use num_threads, or cap torch's thread count at the available cores (more threads
    than cores make every matmul wait on descheduled workers)."""
    import torch

    if num_threads is not None:
        torch.set_num_threads(num_threads)
    else:
        use_available_cores()
