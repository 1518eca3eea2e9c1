"""What commands show on the terminal: notices on stderr (live progress: briefer/llm/progress.py)."""

from __future__ import annotations

import click


def notice(line: str, single_line: bool = False) -> None:
    """A line for the user on stderr, secrets masked and terminal controls removed."""
    from ..core.safety import say

    say(f"briefer: {line}", single_line=single_line)


def terminal_safe(text: str) -> str:
    """Untrusted text (titles, outcomes, an article) for a terminal: controls and bidi
    overrides shown as visible escapes instead of acting on the terminal."""
    from ..core.safety import visible

    return visible(text)
