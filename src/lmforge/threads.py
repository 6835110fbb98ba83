"""How many threads PyTorch uses: no more than the cores this process may run on.

PyTorch's default counts the machine's cores, which in a container or under `taskset` can be
more than the process is allowed to use; the extra threads then wait on each other and every
matmul slows down. `use_available_cores` lowers the count to `os.sched_getaffinity`'s, and
leaves a smaller count (the user's `torch.set_num_threads` or OMP_NUM_THREADS) alone.
"""

import os


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows: no affinity API
        return os.cpu_count() or 1


def use_available_cores() -> int:
    """Cap torch's intra-op threads at the cores available; returns the count in use."""
    import torch

    if torch.get_num_threads() > available_cores():
        torch.set_num_threads(available_cores())
    return torch.get_num_threads()
