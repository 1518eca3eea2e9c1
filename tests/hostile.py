"""What every "hostile inputs" run of the suite shares: how its failure must look, and a count
of the runs that ended in a Python traceback (printed at the end of each module that uses it;
it must be zero).

A run may print warnings (`briefer: warning: ...`) before its outcome; every line it prints on
stderr is briefer's own, and a failure is one `briefer: error:` line with a documented code.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import Result

from . import measured

#: The exit codes the README documents.
DOCUMENTED = frozenset({0, *range(2, 17), 130, 143})
RUNS = measured.RUNS  # printed in the closing summary (tests/measured.py)


def counted(result: Result) -> Result:
    """Count a run, and whether it ended in a traceback (an exception other than SystemExit)."""
    RUNS["runs"] += 1
    if "Traceback" in result.output + result.stderr or (
            result.exception is not None and not isinstance(result.exception, SystemExit)):
        RUNS["tracebacks"] += 1
    return result


def clean_outcome(result: Result, codes: frozenset[int] | set[int] = DOCUMENTED) -> int:
    """The run ended as briefer means every run to end: a documented exit code, no traceback,
    only briefer's own lines on stderr, and a failure said in one `briefer: error:` line."""
    counted(result)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in codes, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.output + result.stderr
    assert all(line.startswith("briefer") for line in lines), result.stderr
    if result.exit_code != 0:
        errors = [line for line in lines if line.startswith("briefer: error: ")]
        assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    return result.exit_code


def one_line_failure(result: Result, code: int) -> str:
    """A failure with exactly this code, said in one line (and nothing else on stderr)."""
    clean_outcome(result, {code})
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def deep_json(levels: int = 100_000) -> str:
    return "[" * levels + "]" * levels


def deep_toml(levels: int = 100_000) -> str:
    return "model = " + "[" * levels + "]" * levels + "\n"


@pytest.fixture(scope="module", autouse=True)
def traceback_count(request: pytest.FixtureRequest) -> Iterator[None]:
    """Count the hostile runs of every module that uses this (the summary prints the total);
    a module's runs that ended in a traceback fail it at its end."""
    before = RUNS["tracebacks"]
    yield
    assert RUNS["tracebacks"] == before, f"{RUNS['tracebacks'] - before} hostile runs ended in a traceback"
