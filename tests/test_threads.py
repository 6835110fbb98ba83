"""One count of usable cores: the affinity mask, capped by a cgroup v2 CPU quota."""

import os

import pytest

from lmforge.threads import available_cores, cgroup_quota


@pytest.mark.parametrize(("text", "quota"), [
    ("max 100000\n", None),            # no limit
    ("200000 100000\n", 2),            # 2 CPUs
    ("150000 100000\n", 1),            # 1.5 CPUs: whole ones only
    ("50000 100000\n", 1),             # half a CPU still gets one thread
    ("garbage\n", None),
])
def test_cgroup_quota_reads_cpu_max(tmp_path, text, quota):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(text)
    assert cgroup_quota(str(cpu_max)) == quota


def test_available_cores_is_the_affinity_capped_by_the_quota(tmp_path):
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    assert available_cores(str(tmp_path / "missing")) == affinity
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("100000 100000\n")
    assert available_cores(str(cpu_max)) == 1
    cpu_max.write_text(f"{(affinity + 8) * 100000} 100000\n")
    assert available_cores(str(cpu_max)) == affinity


def test_the_engine_and_the_loader_share_one_count():
    from lmforge import threads
    from lmforge.infer import model_runner

    assert model_runner.set_cpu_threads is threads.set_cpu_threads
