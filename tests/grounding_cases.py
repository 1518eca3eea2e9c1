"""What the labelled sets of grounding cases share (tests/test_labelled.py, tests/test_blind.py):
their articles, a one-item reply built the way the model sends it, and that item's outcome after
briefer's own merge and checks. Kept here so that every set runs an item through the same path."""

from __future__ import annotations

from typing import Any

from briefer.core.models import Briefing, ChunkExtraction, Document, Usage
from briefer.grounding import ground, outcome
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction

from .conftest import ROOT

#: The reply's list for each kind of item, and the briefing's.
LISTS = {"position": "positions", "claim": "disputed_claims", "event": "events", "fact": "facts", "quote": "quotes"}
#: briefer's outcomes in the words of issue 21.
OUTCOMES = {"verified": "verified", "unsupported": "contradicted", "unchecked": "not checked",
            "approximate": "approximate"}


def load_document(spec: dict[str, Any], name: str) -> Document:
    """A case set's article: a real page or text under fixtures/ (`path`), or a short
    constructed one (`text` and `date`)."""
    if "path" in spec:
        return read_source(str(ROOT / spec["path"]))
    return document_from_bytes(spec["text"].encode(), doc_id=name, origin=name, date=spec["date"])


def one_item_reply(kind: str, item: dict[str, Any], actors: list[dict[str, Any]],
                   paragraphs: range | None = None) -> ChunkExtraction:
    """A reply holding one item and its cast, validated as the pipeline validates a reply."""
    answer: dict[str, Any] = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [],
                              "findings": [], "actors": actors, **{name: [] for name in LISTS.values()}}
    answer[LISTS[kind]] = [item]
    return ChunkExtraction.model_validate(answer, context={"paragraphs": paragraphs} if paragraphs else None)


def grounded_item(document: Document, kind: str, item: dict[str, Any],
                  actors: list[dict[str, Any]]) -> tuple[Briefing, Any]:
    """The briefing of a one-item reply, merged and checked as `briefer brief` does, and the item
    as it stands in it (None when the merge dropped it)."""
    paragraphs = range(1, len(document.paragraphs) + 1)
    draft = briefing_from_extraction(document, one_item_reply(kind, item, actors, paragraphs), usage=Usage(),
                                     model="m", prompt_version="v")
    briefing = ground(draft, [document])
    found = getattr(briefing, LISTS[kind])
    return briefing, found[0] if found else None


def item_outcome(document: Document, kind: str, item: dict[str, Any], actors: list[dict[str, Any]]) -> str:
    """The item's one outcome, in issue 21's words: verified, contradicted, not checked (or
    approximate; 'missing' when the merge dropped it)."""
    _, checked = grounded_item(document, kind, item, actors)
    return "missing" if checked is None else OUTCOMES[outcome(checked)]
