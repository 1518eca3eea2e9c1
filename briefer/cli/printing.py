"""What commands show on the terminal: notices on stderr (live progress: briefer/llm/progress.py)."""

from __future__ import annotations

import click


def notice(line: str) -> None:
    """One line for the user on stderr."""
    click.echo(f"briefer: {line}", err=True)


def terminal_safe(text: str) -> str:
    """Untrusted text (titles, outcomes) for a terminal: control characters (escape sequences,
    carriage returns, bells) become visible escapes instead of acting on the terminal."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
