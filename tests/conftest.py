"""Shared fixtures: the seed article, its recording, and a CLI runner with a clean environment.

The machine's settings are cleared and HOME points into a temporary folder here, at import,
before anything from briefer is imported (tests/isolation.py says what and why)."""

from __future__ import annotations

from .isolation import ROOT, cleared, isolate, point_home_at

SESSION_HOME = isolate()

import json  # noqa: E402  (everything below runs in the isolated environment)
import os  # noqa: E402
import tempfile  # noqa: E402
from typing import Any  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner, Result  # noqa: E402

from briefer.cli import main  # noqa: E402

from . import measured  # noqa: E402

FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "articles" / "scholz-putin-call.txt"
CASSETTES = FIXTURES / "cassettes"
SEED_ANSWER = FIXTURES / "answers" / "scholz-putin-call.p1-21.json"
#: A key that must never appear, whole or in part, in anything briefer prints or writes. Random
#: like a real key, so that any 8-character piece of it found in an output is a leak.
SENTINEL_KEY = "sk-proj-Q7fX3a9cTb41W8d6kPm2Rv0Lh5NyJe"  # a made-up secret for the tests, never a real key


#: One cache folder of briefer's kept files (compiled templates, the token bound's vocabulary) for
#: the whole run, in the session's own temporary folder: a `python -m briefer` started by a test
#: then starts from what earlier tests compiled, not from nothing. Safe in any order and for a
#: file run alone: a kept file is read only when its seal matches what it was made from (the
#: template's source and name, Jinja's and Python's versions and the environment's options; the
#: vocabulary file's path, size and time of change), so a test reads an entry exactly when it
#: would have made the same one. Tests about the cache itself are marked `own_cache` and keep the
#: folder under their own HOME, empty at their start.
SHARED_CACHE = SESSION_HOME / "cache"

# Hypothesis keeps its examples and the constants it collects in `.hypothesis` under the working
# folder, the checkout: the session's HOME keeps them instead (tests/test_first_use.py watches the
# checkout while the other worker's fuzz tests run).
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

set_hypothesis_home_dir(str(SESSION_HOME / "hypothesis"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "own_cache: the test's cache folder is its own (under its HOME), "
                                       "not the run's shared one")


def key_pieces(text: str, key: str = SENTINEL_KEY, width: int = 8) -> list[str]:
    """Every `width`-character piece of `key` that occurs in `text`."""
    return [key[i : i + width] for i in range(len(key) - width + 1) if key[i : i + width] in text]


def seed_recording() -> Path:
    """The recording of the seed article's one extraction call."""
    return next(p for p in sorted(CASSETTES.glob("*.json"))
                if "Source id: scholz-putin-call\n" in p.read_text(encoding="utf-8").replace("\\n", "\n"))


def seed_answer() -> str:
    """The seed article's hand-written answer, as one line of JSON like a model sends it."""
    return json.dumps(json.loads(SEED_ANSWER.read_text(encoding="utf-8")), ensure_ascii=False)


def seed_reading() -> dict[str, Any]:
    """The seed answer as briefer reads it (the compact reply expanded: excerpts, actors and
    quotes with named fields), for tests that change one field of one item; a reply in this
    shape is read just the same."""
    from briefer.core.models.compact import expand_extraction

    return expand_extraction(json.loads(seed_answer()))[0]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from the isolated environment with its own HOME, config file and data
    folder in tmp_path, so files a run writes (the run log too) land there, and the run's shared
    cache folder (SHARED_CACHE; its own unless marked `own_cache`); whatever a test (or code it
    runs in-process) put into os.environ is gone after it."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if cleared(n)]:
        del os.environ[name]
    point_home_at(tmp_path)
    if request.node.get_closest_marker("own_cache") is None:
        os.environ["BRIEFER_CACHE_DIR"] = str(SHARED_CACHE)
    system_tmp = tmp_path / "system-tmp"  # where a briefing that could not be written is kept
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    monkeypatch.chdir(tmp_path)
    yield
    for name in [n for n in os.environ if n not in saved]:
        del os.environ[name]
    os.environ.update(saved)


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the CLI in-process: run("brief", path, "--replay", dir, env={...})."""

    def invoke(*args: object, env: dict[str, str] | None = None, input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input)

    return invoke


@pytest.fixture
def seed_json(run: Run, tmp_path: Path) -> Path:
    """The seed briefing, saved as JSON from its recording."""
    path = tmp_path / "seed.json"
    result = run("brief", SEED, "--replay", CASSETTES, "-o", path, "-q")
    assert result.exit_code == 0, result.stderr
    return path


def assert_clean_failure(result: Result, exit_code: int) -> str:
    """A failure is one line on stderr, its own exit code, and no traceback."""
    assert result.exit_code == exit_code, (result.exit_code, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefer: error: ")
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The figures the suite measured (tests/measured.py), and the random order's seed, even
    under -q (which hides pytest-randomly's header line)."""
    for line in measured.summary():
        terminalreporter.write_line(line)
    seed = getattr(config.option, "randomly_seed", None) if config.pluginmanager.has_plugin("randomly") else None
    if isinstance(seed, int):
        terminalreporter.write_line(f"random order: rerun it with --randomly-seed={seed}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands what it measured to the controller, which alone prints."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["briefer_measured"] = {"lines": measured.LINES, "runs": measured.RUNS}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller: a finished worker's figures join the summary."""
    handed = getattr(node, "workeroutput", {}).get("briefer_measured")
    if handed:
        measured.LINES.extend(handed["lines"])
        for key, count in handed["runs"].items():
            measured.RUNS[key] += count
