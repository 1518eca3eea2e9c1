"""Figures the suite measures (extraction F1, grouping precision, briefings' words against their
bound, hostile runs that ended in a traceback), printed in pytest's closing summary. Under
pytest-xdist a worker prints nothing: each hands its lines and counts to the controller when it
finishes (tests/conftest.py), which prints them all."""

from __future__ import annotations

#: The lines measured so far, in the order said.
LINES: list[str] = []
#: Hostile-input runs (tests/hostile.py) and how many of them ended in a Python traceback.
RUNS = {"runs": 0, "tracebacks": 0}


def say(line: str) -> None:
    """Keep a measured figure for the closing summary."""
    LINES.append(line)


def summary() -> list[str]:
    hostile = [f"hostile inputs: {RUNS['runs']} runs, {RUNS['tracebacks']} ended in a traceback"] if RUNS["runs"] else []
    return [*LINES, *hostile]
