"""Reading one article the way a run would, for commands that show it without briefing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.models import Document


def read_article(source: str, meta: dict[str, str], replay: Path | None = None, record: Path | None = None,
                 cache: Path | None = None) -> Document:
    """SOURCE (a file, a URL or -) as a Document, a URL through the recording store if one is
    given: exactly what `brief` would send to the model."""
    from ..ingest import read_source
    from ..ingest.language import language_of
    from ..llm import transport as config

    document = read_source(source, meta=meta, store=config.page_store(replay, record, cache))
    language_of(document)  # shown by `briefer text`; a run detects it only after its first call
    return document
