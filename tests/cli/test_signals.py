"""Real SIGINTs sent to the real CLI: exit 130, a checkpoint from pretrain, and a chat that
survives Ctrl-C (it stops the reply and returns to the prompt) (issue 13, item 2)."""

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_ctrl_c_during_generate_exits_130(live):
    run = live(["generate", "Once upon a time", "--max-tokens", "4000", "--ignore-eos"])
    run.wait_for(lambda: len(run.out) > 20)
    run.interrupt()
    assert run.finish() == 130, run.stderr
    assert "interrupted" in run.stderr


def test_ctrl_c_during_pretrain_saves_a_checkpoint_that_resumes(live, cli, tiny_run: Path):
    out = tiny_run / "run"
    run = live(["pretrain", "--config", str(tiny_run / "recipe.yaml"), "--out", str(out),
                "--max-steps", "100000", "--log-every", "1"])
    run.wait_for(lambda: "estimated time" in run.stderr)
    run.interrupt()
    assert run.finish() == 130, run.stderr
    assert "interrupted at step" in run.stderr and "--resume" in run.stderr
    latest = (out / "checkpoints" / "latest").read_text().strip()
    step = int(latest.removeprefix("step_"))
    assert step >= 4 and (out / "checkpoints" / latest / "model.safetensors").is_file()
    resumed = cli("pretrain", "--config", str(tiny_run / "recipe.yaml"), "--out", str(out),
                  "--max-steps", str(step + 2), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert (out / "checkpoints" / f"step_{step + 2:06d}").is_dir()


def test_second_ctrl_c_stops_pretrain_at_once(live, tiny_run: Path):
    run = live(["pretrain", "--config", str(tiny_run / "recipe.yaml"), "--out",
                str(tiny_run / "run"), "--max-steps", "100000"])
    run.wait_for(lambda: "estimated time" in run.stderr)
    run.interrupt()
    run.interrupt()
    assert run.finish(timeout=120) == 130, run.stderr


def test_chat_ctrl_c_stops_the_reply_and_the_chat_goes_on(live):
    """On a terminal (a pty here), Ctrl-C ends the reply; the next turn works; /exit leaves."""
    controller, terminal = os.openpty()
    run = live(["chat", "--max-tokens", "3000", "--ignore-eos", "--no-stop-loops"],
               stdin=terminal)
    os.close(terminal)
    try:
        run.wait_for(lambda: "ready" in run.stderr)
        os.write(controller, b"Tell me a very long story about a dragon.\n")
        run.wait_for(lambda: len(run.out) > 200)
        run.interrupt()
        run.wait_for(lambda: "stopped by Ctrl-C" in run.stderr)
        written = len(run.out)
        os.write(controller, b"And another one, about a knight.\n")
        run.wait_for(lambda: len(run.out) > written + 100)  # the next reply streams
        run.interrupt()
        run.wait_for(lambda: run.stderr.count("stopped by Ctrl-C") == 2)
        os.write(controller, b"/exit\n")
        assert run.finish() == 0, run.stderr
    finally:
        os.close(controller)


def test_piped_chat_ends_at_end_of_input(cli):
    out = cli("chat", "--max-tokens", "8", stdin="Hi\n")
    assert out.returncode == 0 and out.stdout.strip(), out.stderr


def test_ctrl_c_in_python_m_pretrain_exits_130(tiny_run: Path):
    """The torchrun form (python -m lmforge.cli pretrain) keeps the same convention."""
    import signal
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "lmforge.cli", "pretrain", "--config",
                             str(tiny_run / "recipe.yaml"), "--out", str(tiny_run / "run"),
                             "--max-steps", "100000"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "estimated time" in line:
            break
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(60) == 130, "".join(lines) + rest
    assert "interrupted at step" in rest
