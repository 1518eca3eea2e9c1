"""Start-up by command: only commands that call a model (or fetch a page) load the SDK and the
HTTP client; a command loads the validation library, the template engine, the event loop or the
grounding checks only when it uses them. Each command runs in a fresh interpreter, which then
lists what it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASSETTES, ROOT, SEED

#: Run a command as `briefer` would, then print the modules it imported, and whether it ran the
#: tokenizer (whose patterns take milliseconds to compile) as "tokenize.run".
PROBE = """
import json, sys
from briefer.cli import main
try:
    main(sys.argv[1:], prog_name="briefer")
except SystemExit:
    pass
ran = "tokenize" in sys.modules and sys.modules["tokenize"]._compile.cache_info().misses > 0
print(json.dumps(sorted(sys.modules) + ["tokenize.run"] * ran), file=sys.__stderr__)
"""


#: The SDK and its HTTP client and retry library.
SDK = ("openai", "httpx2", "httpx", "tenacity")


def imported(args: list[str], folder: Path, heavy: tuple[str, ...] = SDK) -> list[str]:
    """The modules of the packages `heavy` that `briefer ARGS` imported."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder), "PYTHONPATH": str(ROOT),
           "BRIEFER_DATA_DIR": str(folder / "data"), "BRIEFER_CONFIG": str(folder / "config.toml")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          cwd=folder, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return sorted({m for m in modules if m.split(".")[0] in heavy or m in heavy})


@pytest.fixture
def saved(seed_json: Path) -> Path:
    return seed_json


@pytest.mark.parametrize("args", [["text", str(SEED)], ["render", "{saved}"], ["check", "{saved}"], ["log"],
                                  ["templates"], ["config", "show"], ["digest", "{saved}"], ["schema"],
                                  ["--help"]], ids=lambda a: " ".join(a[:2]).replace("{saved}", ""))
def test_commands_that_call_no_model_never_load_the_sdk(args: list[str], saved: Path, tmp_path: Path) -> None:
    assert imported([a.replace("{saved}", str(saved)) for a in args], tmp_path) == []


def test_a_replayed_brief_does_load_it_but_no_retry_library_nor_the_tokenizer(tmp_path: Path) -> None:
    """The probe sees the SDK when a command does use it. A call that succeeds at once runs no
    retry machinery (llm/retries.py), and building the briefing's validators reads no built-in
    function's signature (core/models/base.py `empty_list`)."""
    loaded = imported(["brief", str(SEED), "--replay", str(CASSETTES), "-q"], tmp_path, (*SDK, "tokenize"))
    assert "openai" in loaded
    assert not [m for m in loaded if m.startswith("tenacity") or m == "tokenize.run"], loaded


#: What each command that shows what it read, or what was saved, never needs: pydantic (an
#: article is a plain dataclass; a log row is checked by plain code), jinja2 (nothing rendered),
#: asyncio (no event loop runs), and the grounding checks with their fuzzy matcher.
NOT_NEEDED = ("pydantic", "pydantic_core", "jinja2", "asyncio", "rapidfuzz", "briefer.grounding.check")


@pytest.mark.parametrize("args", [["text", str(SEED)], ["log"], ["--help"]], ids=lambda a: a[0])
def test_text_and_log_load_no_validation_templates_event_loop_or_checks(args: list[str], saved: Path,
                                                                        tmp_path: Path) -> None:
    assert imported(args, tmp_path, NOT_NEEDED) == []


def test_rendering_a_saved_briefing_runs_no_event_loop_and_no_checks(saved: Path, tmp_path: Path) -> None:
    """`render` validates the briefing and renders it: pydantic and jinja2, nothing else heavy."""
    loaded = imported(["render", str(saved)], tmp_path, NOT_NEEDED)
    assert {m.split(".")[0] for m in loaded} == {"pydantic", "pydantic_core", "jinja2"}
