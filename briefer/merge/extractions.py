"""Extractions into the items of one Briefing: deterministic, whatever order the calls finished in.

The model cites paragraphs; only the program knows which document a chunk came from, so this is
where every item gets its source. Across chunks and sources, one actor per real-world actor
(actors.py), and positions, claims, quotes, figures and events that say the same thing are one
item with their evidence combined. Items that disagree (a negation, opposite stances, different
figures, a different outcome on one date) are never one item: they stay apart and, across
sources, become a dispute between the sources. Quote attributions are checked here, against the
actors as each reply named them, before anything folds actors together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from ..core.models import (
    Account,
    Actor,
    Briefing,
    ChunkExtraction,
    Cited,
    DisputedClaim,
    Document,
    Event,
    Evidence,
    ExtractedPoint,
    ExtractedQuote,
    Fact,
    Finding,
    Point,
    Position,
    Quote,
    Source,
    SourceDispute,
    Usage,
)
from ..grounding.check import checked_quote
from ..grounding.figures import figures_in
from ..grounding.meaning import disagree, same_statement
from ..grounding.text import Source as Text
from ..ingest.language import language_of
from .disputes import differing
from .actors import ActorResolver, name_key, same_actors, unique  # noqa: F401  (name_key, same_actors: re-exported)

#: rapidfuzz token_set_ratio from which two statements count as the same item.
SAME_ITEM_AT = 88.0
#: ... and from which two stances of one actor are about the same point (merged if they agree).
SAME_POINT_AT = 70.0
_STATUS_WEIGHT = {"contested": 0, "denied": 1, "unverified": 2}
_ATTRIBUTION = ["unchecked", "verified", "unsupported"]


def source_of(document: Document) -> Source:
    return Source(
        id=document.id,
        title=document.title,
        outlet=document.outlet,
        date=document.date,
        author=document.author,
        origin=document.origin,
        url=document.url,
        language=language_of(document),
        sha256=document.sha256,
        paragraphs=len(document.paragraphs),
        words=sum(len(p.text.split()) for p in document.paragraphs),
    )


def _token_set_ratio(a: str, b: str) -> float:
    """rapidfuzz's token set ratio, the library loaded only when two items are compared (a
    one-chunk briefing with nothing to fold never needs it)."""
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a, b)


def _similar(a: str, b: str) -> bool:
    """Two statements about one thing, close in words: they fold when `same_statement` says
    one says all the other does, become a dispute when they `disagree`, and else both stay."""
    return _token_set_ratio(a.casefold(), b.casefold()) >= SAME_ITEM_AT


def _combined(first: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    seen = {(e.source, e.paragraph, e.excerpt) for e in first}
    return [*first, *(e for e in more if (e.source, e.paragraph, e.excerpt) not in seen)]


def _cited(document: Document, items: list[Cited]) -> list[Evidence]:
    return [Evidence(source=document.id, **c.model_dump()) for c in items]


def _whole(parts: list[tuple[Document, ChunkExtraction]]) -> dict[str, Any]:
    """What the briefing takes from its parts as a whole: title, bottom line and key points from
    the first part (a synthesis replaces them when there are several), and every source once."""
    document, first = parts[0]

    def point(p: ExtractedPoint) -> Point:
        return Point(text=p.text, evidence=_cited(document, p.evidence))

    return {"title": first.title, "bottom_line": point(first.bottom_line),
            "key_points": [point(p) for p in first.key_points],
            "sources": [source_of(d) for d in dict((d.id, d) for d, _ in parts).values()]}


def merge(
    parts: list[tuple[Document, ChunkExtraction]],
    *,
    usage: Usage,
    model: str,
    prompt_version: str,
) -> Briefing:
    """One briefing from the extractions of every chunk of every source, in the order given.
    Title, bottom line and key points come from the first part; the synthesis replaces them
    when there is more than one part."""
    actors, actor_id = _resolved(parts)
    positions: list[tuple[Position, int]] = []
    claims: list[tuple[DisputedClaim, int]] = []
    quotes: list[tuple[Quote, int]] = []
    facts: list[tuple[Fact, int]] = []
    events: list[tuple[Event, int]] = []
    disputes: list[SourceDispute] = []
    findings: list[tuple[Finding, int]] = []
    names = {a.id: a.name for a in actors}
    for n, (document, extraction) in enumerate(parts):
        local_actors = [Actor(**a.model_dump()) for a in extraction.actors]
        cited = partial(_cited, document)
        for p in extraction.positions:
            holder = actor_id(n, p.actor_id)
            _add_position(positions, n, Position(**{**p.model_dump(), "actor_id": holder,
                                                    "evidence": cited(p.evidence)}), disputes,
                          f"What {names.get(holder or '', holder)} holds")
        for finding in extraction.findings:
            _add_finding(findings, n, Finding(statement=finding.statement, evidence=cited(finding.evidence)))
        for c in extraction.disputed_claims:
            _add_claim(claims, n, DisputedClaim(**{
                **c.model_dump(), "evidence": cited(c.evidence), "rebuttal": cited(c.rebuttal),
                "asserted_by": unique([actor_id(n, a) for a in c.asserted_by]),  # type: ignore[misc]
                "disputed_by": unique([actor_id(n, a) for a in c.disputed_by]),  # type: ignore[misc]
            }), disputes)
        for q in extraction.quotes:
            # the words cut out of the source, and the speaker checked now, as this reply named
            # the actors (before anything folds actors together)
            quote = _attributed(document, local_actors, q)
            _add_quote(quotes, n, quote.model_copy(update={"speaker_id": actor_id(n, q.speaker_id)}))
        for f in extraction.facts:
            _add_fact(facts, n, Fact(**{**f.model_dump(), "attributed_to": actor_id(n, f.attributed_to),
                                        "evidence": cited(f.evidence)}), disputes)
        for e in extraction.events:
            _add_event(events, n, Event(**{**e.model_dump(), "evidence": cited(e.evidence)}), disputes)

    return Briefing(
        **_whole(parts),
        findings=[f for f, _ in findings],
        actors=actors,
        positions=[p for p, _ in positions],
        disputed_claims=[c for c, _ in claims],
        quotes=[q for q, _ in quotes],
        facts=[f for f, _ in facts],
        events=[e for e, _ in events],
        source_disputes=differing(disputes, [d for d, _ in parts]),
        usage=usage,
        model=model,
        prompt_version=prompt_version,
    )


def _resolved(parts: list[tuple[Document, ChunkExtraction]]) -> tuple[list[Actor], Callable[[int, str | None], str | None]]:
    """The merged actors, and the global id of a (part, local actor id)."""
    resolver = ActorResolver()
    for n, (_, extraction) in enumerate(parts):
        for actor in extraction.actors:
            resolver.add(n, actor)
    actors = resolver.actors()

    def actor_id(n: int, local: str | None) -> str | None:
        if local is None:
            return None
        cluster = resolver.mapping.get((n, local))
        return cluster.id if cluster else local

    return actors, actor_id


def _attributed(document: Document, actors: list[Actor], quote: ExtractedQuote) -> Quote:
    """A quote cut out of the source between its anchors, with its speaker checked as this
    reply named the actors, before any fold. Anchors that fix no span leave the quote as its
    two anchors, unsupported (grounding says why)."""
    said = Quote(**quote.model_dump(), text=f"{quote.begins} … {quote.ends}", source=document.id)
    return checked_quote({document.id: Text.of(document)}, actors, said)


def _same_in_other_part(items: list[tuple[Any, int]], part: int, same: Any) -> int | None:
    """Index of an item from another part that says the same, if any. Items of one part are
    the model's own choices and are never merged with each other."""
    return next((i for i, (item, n) in enumerate(items) if n != part and same(item)), None)


def _disputed(disputes: list[SourceDispute], old: Any, new: Any, subject: str, said: Any) -> None:
    """Two items on one point that disagree stay two items; from different sources, the
    disagreement is also a dispute between the sources, each account with its own evidence."""
    accounts = [Account(**e.model_dump(include=set(Evidence.model_fields) - {"status", "start", "end",
                                                                           "cited_paragraph", "source_words"}),
                        says=said(item))
                for item in (old, new) for e in item.evidence[:1]]
    if len({a.source for a in accounts}) > 1:
        disputes.append(SourceDispute(subject=subject, accounts=accounts))


def _add_position(items: list[tuple[Position, int]], part: int, new: Position, disputes: list[SourceDispute],
                  subject: str) -> None:
    # One actor's stances on one point share most of their words ("supports more military aid",
    # "opposes any more military aid"): on the same point they merge when they say the same,
    # and stay apart as a dispute when they disagree.
    def on_point(old: Position) -> bool:
        return old.actor_id == new.actor_id and \
            _token_set_ratio(old.stance.casefold(), new.stance.casefold()) >= SAME_POINT_AT

    i = _same_in_other_part(items, part, on_point)
    if i is not None and disagree(items[i][0].stance, new.stance):
        _disputed(disputes, items[i][0], new, subject, lambda p: p.stance)
        i = None
    elif i is not None and not (_similar(items[i][0].stance, new.stance) and same_statement(items[i][0].stance, new.stance)):
        i = None  # another point the same actor holds, or one the words cannot tell: both stay
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={"evidence": _combined(old.evidence, new.evidence)}), n)


def _add_claim(items: list[tuple[DisputedClaim, int]], part: int, new: DisputedClaim,
               disputes: list[SourceDispute]) -> None:
    i = _same_in_other_part(items, part, lambda old: _similar(old.claim, new.claim))
    if i is not None and disagree(items[i][0].claim, new.claim):
        _disputed(disputes, items[i][0], new, new.claim, lambda c: c.claim)
        i = None
    elif i is not None and not same_statement(items[i][0].claim, new.claim):
        i = None
    if i is None:
        items.append((new, part))
        return
    old, n = items[i]
    items[i] = (old.model_copy(update={
        "asserted_by": unique([*old.asserted_by, *new.asserted_by]),
        "disputed_by": unique([*old.disputed_by, *new.disputed_by]),
        "status": min(old.status, new.status, key=_STATUS_WEIGHT.__getitem__),
        "evidence": _combined(old.evidence, new.evidence),
        "rebuttal": _combined(old.rebuttal, new.rebuttal),
    }), n)


def _add_finding(items: list[tuple[Finding, int]], part: int, new: Finding) -> None:
    i = _same_in_other_part(items, part, lambda old: _similar(old.statement, new.statement))
    if i is not None and not same_statement(items[i][0].statement, new.statement):
        i = None  # findings that contradict or differ stay two
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={"evidence": _combined(old.evidence, new.evidence)}), n)


def _add_quote(items: list[tuple[Quote, int]], part: int, new: Quote) -> None:
    def words(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())

    i = _same_in_other_part(items, part, lambda old: old.speaker_id == new.speaker_id
                            and (words(new.text) in words(old.text) or words(old.text) in words(new.text)))
    if i is None:
        items.append((new, part))
        return
    old, n = items[i]
    also = Evidence(source=new.source, paragraph=new.paragraph, excerpt=new.text)
    items[i] = (old.model_copy(update={"also_in": _combined(old.also_in, [also]),
                                       "attribution": max(old.attribution, new.attribution, key=_ATTRIBUTION.index)}), n)


def _add_fact(items: list[tuple[Fact, int]], part: int, new: Fact, disputes: list[SourceDispute]) -> None:
    values = figures_in(new.figure)

    def on_point(old: Fact) -> bool:
        return bool(values) and (old.unit or "").casefold() == (new.unit or "").casefold() \
            and _similar(old.statement, new.statement)

    i = _same_in_other_part(items, part, on_point)
    if i is not None and (figures_in(items[i][0].figure) != values
                          or disagree(items[i][0].statement, new.statement)):
        _disputed(disputes, items[i][0], new, new.statement, lambda f: f"{f.figure}: {f.statement}")
        i = None
    elif i is not None and not same_statement(items[i][0].statement, new.statement):
        i = None
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={
            "evidence": _combined(old.evidence, new.evidence),
            "attributed_to": old.attributed_to or new.attributed_to,
        }), n)


def _add_event(items: list[tuple[Event, int]], part: int, new: Event, disputes: list[SourceDispute]) -> None:
    def same(old: Event) -> bool:
        if old.date != new.date:
            return False
        return _token_set_ratio(old.what.casefold(), new.what.casefold()) >= (70 if new.date else SAME_ITEM_AT)

    i = _same_in_other_part(items, part, same)
    if i is not None and disagree(items[i][0].what, new.what):
        _disputed(disputes, items[i][0], new, f"{new.date_text}: {new.what}", lambda e: e.what)
        i = None
    elif i is not None and not same_statement(items[i][0].what, new.what):
        i = None  # another event on that date, or one the words cannot tell: both stay
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={"evidence": _combined(old.evidence, new.evidence)}), n)


def briefing_from_extraction(
    document: Document,
    extraction: ChunkExtraction,
    *,
    usage: Usage,
    model: str,
    prompt_version: str,
) -> Briefing:
    """The briefing of a document read in one extraction."""
    return merge([(document, extraction)], usage=usage, model=model, prompt_version=prompt_version)



