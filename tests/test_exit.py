"""How a `briefer` process ends: what an exit owes is done (exit functions, streams flushed, the
status kept) without freeing every module one by one (briefer/core/startup.py `leave`); and a
standard output that cannot take what a command prints is one line and exit 16, with a paid
briefing kept elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASSETTES, SEED

_LEAVING = """
import atexit, sys, threading, time
from briefer.core.startup import leave

class Teardown:
    def __del__(self):
        print("torn down", flush=True)

kept = Teardown()
atexit.register(lambda: print("exit function ran", end=" "))
print("printed,", end=" ")  # left in the buffer: the exit must flush it
if sys.argv[1] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.2), print("thread finished", end=" "))).start()
leave(int(sys.argv[2]) if sys.argv[2].isdigit() else sys.argv[2])
"""


def _leave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _LEAVING, *args], capture_output=True, text=True, timeout=60)


def test_leaving_runs_the_exit_functions_flushes_and_keeps_the_status_without_tearing_down() -> None:
    done = _leave("alone", "3")
    assert done.returncode == 3, done.stderr
    assert done.stdout == "printed, exit function ran "  # no "torn down": the modules were not freed
    assert done.stderr == ""


def test_a_message_as_exit_code_is_printed_and_exits_1_as_python_does() -> None:
    done = _leave("alone", "no way")
    assert (done.returncode, done.stderr) == (1, "no way\n")


def test_with_another_thread_running_the_exit_waits_for_it_as_python_does() -> None:
    done = _leave("thread", "0")
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout and "torn down" in done.stdout  # Python's own exit, in full


def _briefer_to_full_disk(*args: object, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    with open("/dev/full", "w") as full:
        return subprocess.run([sys.executable, "-m", "briefer", *map(str, args)], stdout=full, stderr=subprocess.PIPE,
                              text=True, env=env, timeout=120)


@pytest.mark.parametrize("args", [("text", SEED), ("--help",)], ids=["text", "help"])
def test_a_full_disk_under_standard_output_is_one_line_and_exit_16(args: tuple[object, ...], tmp_path: Path) -> None:
    done = _briefer_to_full_disk(*args, tmp_path=tmp_path)
    assert done.returncode == 16
    assert done.stderr == "briefer: error: cannot write the output: No space left on device\n"


def test_a_briefing_that_standard_output_cannot_take_is_kept_and_the_error_says_where(tmp_path: Path) -> None:
    done = _briefer_to_full_disk("brief", SEED, "--replay", CASSETTES, "-q", tmp_path=tmp_path)
    assert done.returncode == 16
    line, = done.stderr.splitlines()
    assert line.startswith("briefer: error: cannot write to standard output: No space left on device; "
                           "the briefing is kept in ")
    kept = Path(line.rsplit(" ", 1)[1])
    assert kept.parent == tmp_path
    assert json.loads(kept.read_text())["sources"][0]["id"] == "scholz-putin-call"
