"""Extractions into the items of a Briefing.

The model cites paragraphs; only the program knows which document a chunk came from, so this is
where every item gets its source. Merging several chunks or sources into one set of actors and
items grows here, as a plain function from extractions to briefing items.
"""

from __future__ import annotations

from .models import (
    Actor,
    Briefing,
    ChunkExtraction,
    Cited,
    DisputedClaim,
    Document,
    Event,
    Evidence,
    Fact,
    Position,
    Quote,
    Source,
    Usage,
)


def source_of(document: Document) -> Source:
    return Source(
        id=document.id,
        title=document.title,
        outlet=document.outlet,
        date=document.date,
        origin=document.origin,
        sha256=document.sha256,
        paragraphs=len(document.paragraphs),
    )


def briefing_from_extraction(
    document: Document,
    extraction: ChunkExtraction,
    *,
    usage: Usage,
    model: str,
    prompt_version: str,
) -> Briefing:
    """The briefing of a document read in one extraction."""
    source = document.id

    def evidence(cited: list[Cited]) -> list[Evidence]:
        return [Evidence(source=source, **c.model_dump()) for c in cited]

    def with_evidence(item: object) -> dict[str, object]:
        fields = item.model_dump(exclude={"evidence"})  # type: ignore[attr-defined]
        return {**fields, "evidence": evidence(item.evidence)}  # type: ignore[attr-defined]

    return Briefing(
        title=extraction.title,
        bottom_line=extraction.bottom_line,
        key_points=extraction.key_points,
        actors=[Actor(**a.model_dump()) for a in extraction.actors],
        positions=[Position(**with_evidence(p)) for p in extraction.positions],
        disputed_claims=[DisputedClaim(**with_evidence(c)) for c in extraction.disputed_claims],
        quotes=[Quote(source=source, **q.model_dump()) for q in extraction.quotes],
        facts=[Fact(**with_evidence(f)) for f in extraction.facts],
        events=[Event(**with_evidence(e)) for e in extraction.events],
        sources=[source_of(document)],
        usage=usage,
        model=model,
        prompt_version=prompt_version,
    )
