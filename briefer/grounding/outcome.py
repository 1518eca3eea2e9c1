"""Three outcomes, one rule. Every item of a briefing ends in one outcome, worked out here and
nowhere else: *unsupported* (contradicted: some check found positive evidence of an error; the
only outcome marked ⚠, counted unsupported and sent back to the model), *approximate* (wording
close to the source's, shown with its words), *unchecked* (not checked: some check could not
decide; counted quietly, never sent back) or *verified*. Renderings mark each item by this
outcome and the report counts items by it, so the summary line and the marks always agree."""

from __future__ import annotations

from ..core.models import (
    Briefing,
    CheckStatus,
    DisputedClaim,
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

Item = Point | Finding | Position | DisputedClaim | Fact | Event | Quote | SourceDispute | Evidence
#: Which outcome an item with several findings takes: the first of these it has.
_PRECEDENCE: tuple[CheckStatus, ...] = ("unsupported", "approximate", "unchecked")


def parts(item: Item) -> list[CheckStatus]:
    """The outcome of every check made on the item; an item that cites nothing is unsupported."""
    if isinstance(item, Evidence):
        return [item.status]
    if isinstance(item, Quote):  # words not cut out have no speaker to check
        return [item.status] if item.status == "unsupported" else [item.status, item.attribution]
    cited = item.accounts if isinstance(item, SourceDispute) else item.evidence
    if not cited:
        return ["unsupported"]
    found = [e.status for e in cited]
    if getattr(item, "reading", None) is not None:
        found.append(item.reading)  # type: ignore[union-attr]
    if isinstance(item, Point) and item.figure_status != "unchecked":  # unchecked: no number in digits
        found.append(item.figure_status)
    if isinstance(item, Fact):
        found.append(item.figure_status)
    if isinstance(item, Event) and item.date is not None:
        found.append(item.date_status)
    if isinstance(item, Position) and item.attributed_by is not None:
        found.append(item.attribution)
    if isinstance(item, DisputedClaim):
        found += [e.status for e in item.rebuttal]
        if item.attributed_by is not None:
            found += [item.attribution, *([item.rebuttal_attribution] if item.rebuttal else [])]
    return found


def outcome(item: Item) -> CheckStatus:
    """The item's one outcome (see the module's rule)."""
    found = parts(item)
    return next((status for status in _PRECEDENCE if status in found), "verified")


def items(briefing: Briefing) -> list[Item]:
    """Every item a rendering marks: the top, findings, positions, claims, disputes between the
    sources, figures, events and quotes."""
    return [briefing.bottom_line, *briefing.key_points, *briefing.findings, *briefing.positions,
            *briefing.disputed_claims, *briefing.source_disputes, *briefing.facts, *briefing.events,
            *briefing.quotes]


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


def _count(statuses: list[CheckStatus]) -> StatusCounts:
    return StatusCounts(**{s: statuses.count(s) for s in ("verified", "approximate", "unsupported", "unchecked")})


def grounding_report(briefing: Briefing, mode: GroundingMode) -> GroundingReport:
    """Items counted by their outcome; excerpts, figures and dates counted apart, as detail."""
    located = [*all_evidence(briefing), *briefing.quotes]
    return GroundingReport(
        mode=mode,
        items=_count([outcome(i) for i in items(briefing)]),
        excerpts=_count([item.status for item in located]),
        # A point at the top whose number is not in what it cites is a failed figure too (its
        # verified numbers are counted where they are stated, as facts).
        figures=_count([f.figure_status for f in briefing.facts] + [
            p.figure_status for p in (briefing.bottom_line, *briefing.key_points) if p.figure_status == "unsupported"]),
        dates=_count([e.date_status for e in briefing.events if e.date is not None]),
        attributions_flagged=sum(q.attribution == "unsupported" for q in briefing.quotes),
        attributions_unchecked=sum(q.attribution == "unchecked" and q.status != "unsupported" for q in briefing.quotes),
        uncited=len(uncited(briefing)),
        corrected_paragraphs=sum(item.cited_paragraph is not None for item in located),
    )


def item_status(item: Item) -> CheckStatus:
    """An item's standing: its outcome."""
    return outcome(item)


def not_checked(item: Item) -> bool:
    """Whether the item's outcome is *not checked*."""
    return outcome(item) == "unchecked"
