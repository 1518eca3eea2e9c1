"""Where the prompts/ and templates/ folders are: inside the installed package, or at the top of
a source checkout. Both are found the same way, so an installed briefer and a checkout behave
alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # briefer/, from briefer/core/


def resource_dir(name: str) -> Path:
    """The folder `name` ("prompts" or "templates") that ships with briefer."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefer is installed without its {name}/ folder")
