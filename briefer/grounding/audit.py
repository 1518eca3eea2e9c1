"""Checking a saved briefing again: for a briefing edited by hand, or audited later. Its
sources are found from the Briefing's own record of them (where each came from, and its digest,
so that a changed article is refused rather than checked against the wrong text), or given."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from ..core.models import Briefing, Document, Quote, Source
from ..ingest import read_source
from .check import ground
from .outcome import item_status


def _matching(source: Source, documents: list[Document]) -> Document | None:
    """The given document that is this source: the same text, else the same id."""
    return next((d for d in documents if d.sha256 == source.sha256), None) or \
        next((d for d in documents if d.id == source.id), None)


#: How a command is given the sources it could not find (`briefer check` takes them after the briefing).
GIVE_SOURCES = "briefer check BRIEFING.json SOURCE..."


def _found(source: Source, near: Path, give: str = GIVE_SOURCES) -> Document:
    """A source read again from where the briefing says it came from (as given then, or beside
    the briefing file)."""
    origin = source.origin
    if not origin or origin == "-":
        raise InputError(f"source {source.id} came from standard input; give it: {give}")
    for candidate in (Path(origin), near / origin, near / Path(origin).name):
        if candidate.is_file():
            return read_source(str(candidate))
    raise InputError(f"source {source.id} ({origin}) is not there any more; give the sources: {give}")


def documents_for(briefing: Briefing, given: list[str], near: Path, give: str = GIVE_SOURCES) -> list[Document]:
    """The documents the briefing cites, each under the id the briefing uses, unchanged: a given
    file is matched by its text, else its name, else (as many files as sources) its place."""
    read = [read_source(s) for s in given]
    documents = []
    in_order = len(read) == len(briefing.sources)
    for n, source in enumerate(briefing.sources):
        document = (_matching(source, read) or (read[n] if in_order else None)) if read else _found(source, near, give)
        if document is None:
            raise InputError(f"none of the given files is source {source.id} ({source.origin or 'unknown origin'})")
        if document.sha256 != source.sha256:
            raise InputError(f"{document.origin}: the text has changed since the briefing was made "
                             f"(source {source.id}); check it against the text it was made from")
        documents.append(document.model_copy(update={"id": source.id}))
    unused = [d.origin for d in read if not any(d.sha256 == s.sha256 or d.id == s.id for s in briefing.sources)]
    if unused and not in_order:
        raise InputError(f"{unused[0]} is not one of the briefing's sources")
    return documents


def recheck(briefing: Briefing, given: list[str], near: Path) -> Briefing:
    """Every check run again from scratch: marks, attributions and the report, as of now."""
    mode = briefing.grounding.mode if briefing.grounding.mode != "off" else "mark"
    return ground(briefing, documents_for(briefing, given, near), mode, fresh=True)


def unsupported_items(briefing: Briefing) -> list[str]:
    """The paths of every item `--strict` fails on: unsupported (the bottom line and the key
    points too, and an item citing nothing), or citing a source the briefing does not have, so
    that it could never be checked. A briefing with no sources supports nothing."""
    known = {source.id for source in briefing.sources}
    items = [("bottom_line", briefing.bottom_line), *(
        (f"{name}.{n}", item) for name in ("key_points", "findings", "positions", "disputed_claims", "facts",
                                           "events", "quotes", "source_disputes")
        for n, item in enumerate(getattr(briefing, name)))]
    failed = [path for path, item in items if item_status(item) == "unsupported" or _cited_sources(item) - known]
    return failed if known else ["sources (the briefing names none)", *failed]


def _cited_sources(item: object) -> set[str]:
    """The source ids an item cites: its evidence, rebuttal, accounts, or (a quote) its own."""
    cited = [*getattr(item, "evidence", []), *getattr(item, "rebuttal", []), *getattr(item, "accounts", []),
             *getattr(item, "also_in", [])]
    return {e.source for e in cited} | ({item.source} if isinstance(item, Quote) else set())
