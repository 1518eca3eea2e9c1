"""The garbage collector is paused while a command starts and back on once the first request has
gone out, or when the command ends (briefer/core/startup.py); a run leaves nothing in TMPDIR."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from briefer.core import startup

from .conftest import CASSETTES, SEED, Run


def test_the_collector_is_paused_until_the_first_request_and_then_collects_again(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    resume = startup.resume

    def resumed() -> None:
        seen.append(gc.isenabled())
        resume()

    monkeypatch.setattr("briefer.llm.client.resume_collector", resumed)
    assert gc.isenabled()
    result = run("brief", SEED, "--replay", CASSETTES, "-q")
    assert result.exit_code == 0, result.stderr
    assert seen and seen[0] is False  # paused from the start until the first request went out
    assert gc.isenabled()


@pytest.mark.parametrize(("args", "code", "said"), [(("schema",), 0, '"$defs"'),
                                                  (("brief", "no-such-file.txt"), 3, "no such file")],
                         ids=["no call", "error"])
def test_a_command_that_makes_no_call_leaves_the_collector_on(run: Run, args: tuple[str, ...], code: int,
                                                              said: str) -> None:
    result = run(*args)
    assert result.exit_code == code and said in result.output, result.output  # it ran, and ended as it should
    assert gc.isenabled()


def test_a_replayed_briefing_writes_nothing_to_the_temporary_folder(run: Run, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of a run goes to TMPDIR: with TMPDIR an empty folder of its own, a replayed
    briefing (reading, the recorded call, grounding, writing the file) leaves it empty. (The
    language detector's model, once unpacked there on every run, is test_language.py's.)"""
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    result = run("brief", SEED, "--replay", CASSETTES, "-q", "-o", tmp_path / "seed.json")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "seed.json").is_file() and list(temporary.iterdir()) == []
