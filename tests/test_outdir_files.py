"""Saved briefings read back from an OUTDIR (`brief --each`, `stories`) go through the one
bounded reader: a FIFO or a device named like a briefing is passed over, not waited on. Each run
is a fresh process with a deadline, so that a hang fails the test instead of stalling the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASSETTES, ROOT, SEED


def briefer(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefer", *map(str, args)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("command, planted", [("each", "scholz-putin-call.json"), ("each", "another.json"),
                                              ("stories", "story-earlier.json")])
def test_a_fifo_named_like_a_saved_briefing_in_the_outdir_is_passed_over(tmp_path: Path, command: str,
                                                                          planted: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / planted)
    args = ("brief", "--each") if command == "each" else ("stories",)
    done = briefer(*args, SEED, "--replay", CASSETTES, "-o", out, "-q")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert any(p.suffix == ".json" and p.is_file() and p.stat().st_size > 0 for p in out.iterdir())
