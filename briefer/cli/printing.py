"""What commands show on the terminal while a run works: progress bars and notices on stderr."""

from __future__ import annotations

import sys
from typing import Any

import click


class progress_bar:  # noqa: N801 (used like a function)
    """A progress bar on stderr; `advance()` moves it one step."""

    def __init__(self, total: int, label: str):
        self._bar = click.progressbar(length=total, label=label, file=sys.stderr)

    def __enter__(self) -> Any:
        self._bar.__enter__()
        return lambda: self._bar.update(1)

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]


def notice(line: str) -> None:
    """One line for the user on stderr."""
    click.echo(f"briefer: {line}", err=True)


def terminal_safe(text: str) -> str:
    """Untrusted text (titles, outcomes) for a terminal: control characters (escape sequences,
    carriage returns, bells) become visible escapes instead of acting on the terminal."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
