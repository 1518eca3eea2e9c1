"""The whole briefing checked: every excerpt, quote, figure, date and attribution against its
source, each item marked, and a report that counts all four answers (verified, approximate,
unsupported, not checkable). Nothing is dropped; `strict` only changes where renderings put
what failed. An attribution already checked (before actors were folded together) is never
upgraded by a later check."""

from __future__ import annotations

import re
from typing import TypeVar

from ..core.models import (
    Actor,
    Attribution,
    Briefing,
    CheckStatus,
    DisputedClaim,
    Document,
    Event,
    Evidence,
    Fact,
    Finding,
    GroundingMode,
    GroundingReport,
    Point,
    Position,
    Quote,
    SourceDispute,
    StatusCounts,
)
from .attribution import check_attribution
from .dates import check_date, parse_published
from .figures import SCALE_WORDS, _alternation, check_figure, figures_in
from .quotes import Match, check_excerpt
from .text import Source

T = TypeVar("T", Point, Finding, Position, DisputedClaim, Fact, Event)
_RANK = {"unchecked": 0, "verified": 0, "approximate": 1, "unsupported": 2}


def worst(*statuses: CheckStatus) -> CheckStatus:
    return max(statuses, key=_RANK.__getitem__, default="unchecked")


def _best(statuses: list[CheckStatus]) -> CheckStatus:
    """Stated in any of its sources is stated."""
    return min(statuses, key=lambda s: (s != "verified", _RANK[s]), default="unchecked")


def _located(source: Source, match: Match, cited: int) -> dict[str, object]:
    """The fields of a Located item from a match: where, and the source's own words when the
    model's are not verbatim (renderings show those instead)."""
    shown = match.status != "verified" and match.start is not None
    return {
        "status": match.status,
        "paragraph": match.paragraph,
        "cited_paragraph": cited if match.paragraph != cited else None,
        "start": match.start,
        "end": match.end,
        "source_words": source.original(match.start, match.end) if shown else None,  # type: ignore[arg-type]
    }


def checked_evidence(sources: dict[str, Source], evidence: list[Evidence]) -> list[Evidence]:
    checked = []
    for item in evidence:
        source = sources.get(item.source)
        if source is None:
            checked.append(item.model_copy(update={"status": "unchecked"}))
            continue
        found = check_excerpt(source, item.excerpt, item.paragraph)
        checked.append(item.model_copy(update=_located(source, found, item.paragraph)))
    return checked


def checked_quote(sources: dict[str, Source], actors: list[Actor], quote: Quote, *, fresh: bool = False) -> Quote:
    """A quote located and its speaker checked. An attribution checked earlier, against the
    actors as the model named them before any fold, stands; `fresh` checks it again (a briefing
    edited by hand)."""
    source = sources.get(quote.source)
    if source is None:
        return quote.model_copy(update={"status": "unchecked", "attribution": "unchecked"})
    found = check_excerpt(source, quote.text, quote.paragraph)
    speaker = next((a for a in actors if a.id == quote.speaker_id), None)
    if fresh or quote.attribution == "unchecked":
        attribution = check_attribution(source, speaker, actors, found.paragraph, found.local)
    else:  # checked before actors were folded together: a fold never changes it
        attribution = quote.attribution
    return quote.model_copy(update={
        **_located(source, found, quote.paragraph),
        "attribution": attribution,
        "also_in": checked_evidence(sources, quote.also_in),
    })


def _places(evidence: list[Evidence]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for item in evidence:
        grouped.setdefault(item.source, []).append(item.paragraph)
    return grouped


def _texts(source: Source, paragraphs: list[int]) -> list[str]:
    return [p.text for n in paragraphs if (p := source.document.paragraph(n))]


def figure_status(sources: dict[str, Source], fact: Fact) -> CheckStatus:
    places = [(sources[s], ps) for s, ps in _places(fact.evidence).items() if s in sources]
    if not places:
        return "unchecked" if fact.evidence else "unsupported"
    return _best([check_figure(_texts(source, ps), fact.figure, fact.unit) for source, ps in places])


def date_status(sources: dict[str, Source], event: Event) -> CheckStatus:
    if event.date is None:
        return "unchecked"
    places = [(sources[s], ps) for s, ps in _places(event.evidence).items() if s in sources]
    if not places:
        return "unchecked" if event.evidence else "unsupported"
    return _best([check_date(event.date, event.date_text, _texts(source, ps),
                             parse_published(source.document.date), event.what) for source, ps in places])


#: A number written in digits, with the scale word after it in any language the figures know
#: ("400 million", "400 Millionen", "2 Mrd"): the scale is part of the number.
_DIGIT_FIGURE = re.compile(rf"(?<![\w.])\d[\d,.\u00a0\u202f]*(?:\s*(?:{_alternation(SCALE_WORDS)})\b)?",
                           re.IGNORECASE)


def point_figure_status(sources: dict[str, Source], point: Point) -> CheckStatus:
    """A sentence at the top (bottom line, key point) states its numbers only where it cites
    them: every number it writes in digits (an amount, a year, a day) must be in a cited
    paragraph, or the point is unsupported. A point with no such number is not checked this way."""
    wanted = {v for m in _DIGIT_FIGURE.finditer(point.text) for v in figures_in(m.group(0).rstrip(".,"))}
    if not wanted:
        return "unchecked"
    stated: set[float] = set()
    for source_id, paragraphs in _places(point.evidence).items():
        if source_id in sources:
            stated |= set().union(*(figures_in(text) for text in _texts(sources[source_id], paragraphs)))
    return "verified" if wanted <= stated else "unsupported"


def ground(briefing: Briefing, documents: list[Document], mode: GroundingMode = "mark", *,
           fresh: bool = False) -> Briefing:
    """The briefing with every excerpt, quote, figure, date and attribution checked, and its
    grounding report."""
    if mode == "off":  # nothing checked: no attribution a merge checked either
        quotes = [q.model_copy(update={"attribution": "unchecked"}) for q in briefing.quotes]
        return briefing.model_copy(update={"quotes": quotes, "grounding": GroundingReport(mode="off")})
    sources = {d.id: Source.of(d) for d in documents}

    def with_evidence(item: T) -> T:
        return item.model_copy(update={"evidence": checked_evidence(sources, item.evidence)})  # type: ignore[attr-defined]

    def with_figures(point: Point) -> Point:
        return point.model_copy(update={"figure_status": point_figure_status(sources, point)})

    facts = [with_evidence(f) for f in briefing.facts]
    events = [with_evidence(e) for e in briefing.events]
    grounded = briefing.model_copy(update={
        "bottom_line": with_figures(with_evidence(briefing.bottom_line)),
        "key_points": [with_figures(with_evidence(p)) for p in briefing.key_points],
        "findings": [with_evidence(f) for f in briefing.findings],
        "positions": [with_evidence(p) for p in briefing.positions],
        "disputed_claims": [with_evidence(c).model_copy(update={"rebuttal": checked_evidence(sources, c.rebuttal)})
                            for c in briefing.disputed_claims],
        "quotes": [checked_quote(sources, briefing.actors, q, fresh=fresh) for q in briefing.quotes],
        "source_disputes": [d.model_copy(update={"accounts": checked_evidence(sources, d.accounts)})
                            for d in briefing.source_disputes],
        "facts": [f.model_copy(update={"figure_status": figure_status(sources, f)}) for f in facts],
        "events": [e.model_copy(update={"date_status": date_status(sources, e)}) for e in events],
    })
    return grounded.model_copy(update={"grounding": grounding_report(grounded, mode)})


def all_evidence(briefing: Briefing) -> list[Evidence]:
    """Every excerpt that cites a paragraph: items' evidence, accounts of the sources' disputes,
    and the places a quote appears besides its own."""
    items = [briefing.bottom_line, *briefing.key_points, *briefing.findings, *briefing.positions,
             *briefing.disputed_claims, *briefing.facts, *briefing.events]
    return [
        *(e for item in items for e in item.evidence),
        *(e for c in briefing.disputed_claims for e in c.rebuttal),
        *(a for d in briefing.source_disputes for a in d.accounts),
        *(e for q in briefing.quotes for e in q.also_in),
    ]


def uncited(briefing: Briefing) -> list[Point | Finding | Position | DisputedClaim | Fact | Event | SourceDispute]:
    """Items that cite nothing: unsupported, whatever they say (a point at the top included)."""
    items = [briefing.bottom_line, *briefing.key_points, *briefing.findings, *briefing.positions,
             *briefing.disputed_claims, *briefing.facts, *briefing.events]
    return [*(i for i in items if not i.evidence), *(d for d in briefing.source_disputes if not d.accounts)]


def grounding_report(briefing: Briefing, mode: GroundingMode) -> GroundingReport:
    def count(statuses: list[CheckStatus]) -> StatusCounts:
        return StatusCounts(**{s: statuses.count(s) for s in ("verified", "approximate", "unsupported", "unchecked")})

    located = [*all_evidence(briefing), *briefing.quotes]
    attributions: list[Attribution] = [q.attribution for q in briefing.quotes]
    return GroundingReport(
        mode=mode,
        excerpts=count([item.status for item in located]),
        # A point at the top whose number is not in what it cites is a failed figure too (its
        # verified numbers are counted where they are stated, as facts).
        figures=count([f.figure_status for f in briefing.facts] + [
            p.figure_status for p in (briefing.bottom_line, *briefing.key_points) if p.figure_status == "unsupported"]),
        dates=count([e.date_status for e in briefing.events if e.date is not None]),
        attributions_flagged=attributions.count("flagged"),
        attributions_unchecked=sum(q.attribution == "unchecked" and q.status != "unsupported" for q in briefing.quotes),
        uncited=len(uncited(briefing)),
        corrected_paragraphs=sum(item.cited_paragraph is not None for item in located),
    )


def item_status(item: Point | Finding | Position | DisputedClaim | Fact | Event | Quote | SourceDispute | Evidence,
                ) -> CheckStatus:
    """An item's standing: the worst of its evidence and of its own figure, date or quote; an
    item that cites nothing is unsupported."""
    if isinstance(item, Evidence):
        return item.status
    cited = getattr(item, "evidence", getattr(item, "accounts", None))
    if cited is not None and not cited:
        return "unsupported"
    own: list[CheckStatus] = [e.status for e in cited or []]
    own += [e.status for e in getattr(item, "rebuttal", [])]
    if isinstance(item, Point):
        own.append(item.figure_status)
    if isinstance(item, Quote):
        own += [item.status, "unsupported" if item.attribution == "flagged" else "verified"]
    if isinstance(item, Fact):
        own.append(item.figure_status)
    if isinstance(item, Event) and item.date is not None:
        own.append(item.date_status)
    return worst(*own)


def not_checked(item: object) -> bool:
    """Whether a part of the item could not be checked (a figure with no number, a date or an
    excerpt whose source is not at hand), so renderings mark it."""
    if isinstance(item, Fact):
        return item.figure_status == "unchecked" or any(e.status == "unchecked" for e in item.evidence)
    if isinstance(item, Event):
        return (item.date is not None and item.date_status == "unchecked") or \
            any(e.status == "unchecked" for e in item.evidence)
    if isinstance(item, Quote):  # words not found have no speaker to check: unsupported says it
        return item.status == "unchecked" or (item.attribution == "unchecked" and item.status != "unsupported")
    status = getattr(item, "status", None)
    if status is not None:
        return status == "unchecked"
    return any(e.status == "unchecked" for e in getattr(item, "evidence", getattr(item, "accounts", [])))
