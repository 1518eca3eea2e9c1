"""What commands show on the terminal: notices on stderr (live progress: briefer/llm/progress.py)."""

from __future__ import annotations

import click


def notice(line: str, single_line: bool = False) -> None:
    """A line for the user on stderr, secrets masked and terminal controls removed."""
    from ..core.safety import say

    say(f"briefer: {line}", single_line=single_line)


def terminal_safe(text: str) -> str:
    """Untrusted text (titles, outcomes, an article's lines) for one line of a terminal: controls
    and bidi overrides shown as visible escapes instead of acting on the terminal, and line
    breaks as spaces, so that no text can forge a line of output (the one mechanism)."""
    from ..core.safety import visible_line

    return visible_line(text)
