"""What commands show on the terminal: notices on stderr (live progress: briefer/llm/progress.py)."""

from __future__ import annotations

import click


def notice(line: str, single_line: bool = False) -> None:
    """A line for the user on stderr, secrets masked and terminal controls removed."""
    from ..safety import say

    say(f"briefer: {line}", single_line=single_line)


def terminal_safe(text: str) -> str:
    """Untrusted text (titles, outcomes) for a terminal, through the one cleaning every output
    gets: escape sequences, other controls and bidi overrides removed."""
    from ..safety import clean

    return clean(text)
