"""Start-up by command: only commands that call a model (or fetch a page) load the SDK and the
HTTP client. Each command runs in a fresh interpreter, which then lists what it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASSETTES, ROOT, SEED

#: Run a command as `briefer` would, then print the heavy modules it imported.
PROBE = """
import json, sys
from briefer.cli import main
try:
    main(sys.argv[1:], prog_name="briefer")
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("openai", "httpx2", "httpx", "tenacity"))
print(json.dumps(heavy), file=sys.__stderr__)
"""


def imported(args: list[str], folder: Path) -> list[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder), "PYTHONPATH": str(ROOT),
           "BRIEFER_DATA_DIR": str(folder / "data"), "BRIEFER_CONFIG": str(folder / "config.toml")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          cwd=folder, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture
def saved(seed_json: Path) -> Path:
    return seed_json


@pytest.mark.parametrize("args", [["text", str(SEED)], ["render", "{saved}"], ["check", "{saved}"], ["log"],
                                  ["templates"], ["config", "show"], ["digest", "{saved}"], ["schema"],
                                  ["--help"]], ids=lambda a: " ".join(a[:2]).replace("{saved}", ""))
def test_commands_that_call_no_model_never_load_the_sdk(args: list[str], saved: Path, tmp_path: Path) -> None:
    assert imported([a.replace("{saved}", str(saved)) for a in args], tmp_path) == []


def test_a_replayed_brief_does_load_it(tmp_path: Path) -> None:
    """The probe sees the SDK when a command does use it."""
    assert "openai" in imported(["brief", str(SEED), "--replay", str(CASSETTES), "-q"], tmp_path)
