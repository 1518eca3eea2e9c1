"""`briefer check` for the command line: a saved briefing read, checked again against its
sources (briefer.grounding.audit) and, if asked, written back out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .outputs import load_briefing

if TYPE_CHECKING:
    from ..core.models import Briefing


def check_briefing(path: Path, sources: list[str], output: Path | None) -> tuple[Briefing, list[str]]:
    """The re-checked briefing (written to `output` first, so nothing is lost when the check
    fails) and the paths of its unsupported items."""
    from ..core.files import write_atomically
    from ..grounding.audit import recheck, unsupported_items

    checked = recheck(load_briefing(path), sources, path.parent)
    if output is not None:
        write_atomically(output, checked.model_dump_json(indent=2) + "\n")
    return checked, unsupported_items(checked)
