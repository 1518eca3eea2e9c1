"""The whole briefing checked: every excerpt, quote, figure, date and attribution against its
source, each item marked, and a report that counts all four answers (verified, approximate,
unsupported, not checkable). Nothing is dropped; `strict` only changes where renderings put
what failed. An attribution already checked (before actors were folded together) is never
upgraded by a later check."""

from __future__ import annotations

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
from .anchors import cut_quote
from .attributed import check_attributed, local_span
from .attribution import check_attribution
from .dates import check_date, parse_published
from .outcome import grounding_report
from .figures import check_figure
from .quotes import Match, check_excerpt
from .reading import combined, read_digits, read_numbers, read_words
from .sentences import sentence_around
from .text import Source, matching_text

T = TypeVar("T", Point, Finding, Position, DisputedClaim, Fact, Event)
_RANK = {"unchecked": 0, "verified": 0, "approximate": 1, "unsupported": 2}


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


#: Words an excerpt needs to prove anything ("a" proves nothing, though it is in the paragraph;
#: a figure, "$10,109", proves itself).
MIN_EXCERPT_WORDS = 2


def checked_evidence(sources: dict[str, Source], evidence: list[Evidence]) -> list[Evidence]:
    checked = []
    for item in evidence:
        source = sources.get(item.source)
        if source is None:
            checked.append(item.model_copy(update={"status": "unchecked"}))
            continue
        found = check_excerpt(source, item.excerpt, item.paragraph)
        update = _located(source, found, item.paragraph)
        if found.status == "verified" and len(matching_text(item.excerpt).split()) < MIN_EXCERPT_WORDS \
                and not any(c.isdigit() for c in item.excerpt):
            update["status"] = "unchecked"  # there, but too short to prove anything
        checked.append(item.model_copy(update=update))
    return checked


def reading(sources: dict[str, Source], text: str, evidence: list[Evidence], *, statement: bool = False) -> CheckStatus:
    """The item's own words read against its cited paragraphs and the sentences of its
    excerpts (reading.py)."""
    paragraphs: list[str] = []
    sentences: list[str] = []
    for e in evidence:
        source = sources.get(e.source)
        found = source.document.paragraph(e.paragraph) if source else None
        if source is None or found is None:
            continue
        paragraphs.append(found.text)
        if e.start is not None and e.end is not None and e.status != "unsupported":
            normalised, base = source.paragraphs[e.paragraph]
            lo, hi = sentence_around(source, e.paragraph, *local_span(source, e.paragraph, e.start, e.end))
            if hi > lo:
                sentences.append(source.original(*normalised.span(lo, hi, base)))
    if not paragraphs:
        return "unchecked"
    return combined([read_numbers(text, paragraphs),
                     read_words(text, sentences or paragraphs, paragraphs, statement=statement,
                                excerpts=[e.excerpt for e in evidence if e.status != "unsupported"])])


def checked_quote(sources: dict[str, Source], actors: list[Actor], quote: Quote, *, fresh: bool = False) -> Quote:
    """A quote cut out between its anchors (or, in a briefing of format 2, located) and its
    speaker checked. An attribution checked earlier, against the actors as the model named them
    before any fold, stands; `fresh` checks it again (a briefing edited by hand)."""
    source = sources.get(quote.source)
    if source is None:
        return quote.model_copy(update={"status": "unchecked", "attribution": "unchecked"})
    if quote.begins is None or quote.ends is None:
        return _located_quote(source, actors, quote, fresh)
    cut = cut_quote(source, quote.paragraph, quote.begins, quote.ends)
    if fresh and cut.text is not None and quote.status != "unsupported" and \
            matching_text(quote.text) != matching_text(cut.text):
        return _located_quote(source, actors, quote, fresh)  # its words edited since: check them as they stand
    if cut.problem is not None or cut.local is None:
        return quote.model_copy(update={"status": "unsupported", "anchors": cut.problem, "start": None, "end": None,
                                        "attribution": "unchecked", "notes": []})
    attribution, notes = quote.attribution, quote.notes
    if fresh or attribution == "unchecked":
        attribution, note = check_attributed(source, actors, [quote.speaker_id], cut.paragraph, cut.local,
                                             quote.attributed_by)
        notes = [note] if note else []
    return quote.model_copy(update={
        "status": "verified", "text": cut.text, "anchors": None, "paragraph": cut.paragraph,
        "cited_paragraph": quote.cited_paragraph or (quote.paragraph if cut.paragraph != quote.paragraph else None),
        "start": cut.start, "end": cut.end, "source_words": None, "attribution": attribution, "notes": notes,
        "also_in": checked_evidence(sources, quote.also_in),
    })


def _located_quote(source: Source, actors: list[Actor], quote: Quote, fresh: bool) -> Quote:
    """A quote of format 2 (its text as the model wrote it): located like an excerpt, its
    speaker read from the paragraph."""
    found = check_excerpt(source, quote.text, quote.paragraph)
    speaker = next((a for a in actors if a.id == quote.speaker_id), None)
    if fresh or quote.attribution == "unchecked":
        attribution = check_attribution(source, speaker, actors, found.paragraph, found.local)
    else:  # checked before actors were folded together: a fold never changes it
        attribution = quote.attribution
    return quote.model_copy(update={
        **_located(source, found, quote.paragraph),
        "attribution": attribution,
    })


def attribution_of(sources: dict[str, Source], actors: list[Actor], holders: list[str], words: str | None,
                   evidence: list[Evidence]) -> tuple[Attribution, list[str]]:
    """The outcome of a position's or a claim side's attribution words, read next to its located
    excerpts: the most favourable over them (the words need be next to one)."""
    if words is None:  # a briefing of format 2: nothing to read
        return "unchecked", []
    found: list[tuple[Attribution, str | None]] = []
    for e in evidence:
        source = sources.get(e.source)
        if source is None or e.start is None or e.end is None or e.status == "unsupported":
            continue
        found.append(check_attributed(source, actors, holders, e.paragraph,
                                      local_span(source, e.paragraph, e.start, e.end), words))
    if not found:
        return "unchecked", []
    order = {"verified": 0, "unchecked": 1, "approximate": 1, "unsupported": 2}
    status, note = min(found, key=lambda f: order[f[0]])
    return status, [note] if note else []


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
    return _best([check_date(event.date, event.date_text, _texts(source, ps), parse_published(source.document.date),
                             event.what, _before(source, ps)) for source, ps in places])


def _before(source: Source, paragraphs: list[int]) -> str:
    """The article's text before the first of the paragraphs (where an anchor date may stand)."""
    first = min((p.start for n in paragraphs if (p := source.document.paragraph(n))), default=0)
    return source.document.text[max(0, first - 3000):first]


def point_figure_status(sources: dict[str, Source], point: Point) -> CheckStatus:
    """A sentence at the top (bottom line, key point) states its numbers only where it cites
    them: every number it writes in digits (an amount, a year, a day) must be in a cited
    paragraph, or the point is unsupported. A point with no such number is not checked this way."""
    paragraphs = [text for source_id, numbers in _places(point.evidence).items() if source_id in sources
                  for text in _texts(sources[source_id], numbers)]
    return read_digits(point.text, paragraphs)


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
        return point.model_copy(update={"figure_status": point_figure_status(sources, point),
                                        "reading": reading(sources, point.text, point.evidence)})

    def read(item: T, text: str, statement: bool = False) -> T:
        return item.model_copy(update={"reading": reading(sources, text, item.evidence, statement=statement)})  # type: ignore[attr-defined]

    facts = [read(f, f.statement, True) for f in map(with_evidence, briefing.facts)]
    events = [read(e, e.what, True) for e in map(with_evidence, briefing.events)]
    grounded = briefing.model_copy(update={
        "bottom_line": with_figures(with_evidence(briefing.bottom_line)),
        "key_points": [with_figures(with_evidence(p)) for p in briefing.key_points],
        "findings": [read(f, f.statement) for f in map(with_evidence, briefing.findings)],
        "positions": [_attributed_position(sources, briefing.actors, read(p, p.stance))
                      for p in map(with_evidence, briefing.positions)],
        "disputed_claims": [_attributed_claim(sources, briefing.actors, read(c, c.claim).model_copy(
            update={"rebuttal": checked_evidence(sources, c.rebuttal)})) for c in map(with_evidence, briefing.disputed_claims)],
        "quotes": [checked_quote(sources, briefing.actors, q, fresh=fresh) for q in briefing.quotes],
        "source_disputes": [d.model_copy(update={"accounts": checked_evidence(sources, d.accounts)})
                            for d in briefing.source_disputes],
        "facts": [f.model_copy(update={"figure_status": figure_status(sources, f)}) for f in facts],
        "events": [e.model_copy(update={"date_status": date_status(sources, e)}) for e in events],
    })
    return grounded.model_copy(update={"grounding": grounding_report(grounded, mode)})


def _attributed_position(sources: dict[str, Source], actors: list[Actor], position: Position) -> Position:
    attribution, notes = attribution_of(sources, actors, [position.actor_id], position.attributed_by,
                                        position.evidence)
    return position.model_copy(update={"attribution": attribution, "notes": notes})


def _attributed_claim(sources: dict[str, Source], actors: list[Actor], claim: DisputedClaim) -> DisputedClaim:
    """Each side's words read next to that side's excerpts. A claim of format 3 that has a
    rebuttal but no words for it is told so."""
    asserted, notes = attribution_of(sources, actors, claim.asserted_by, claim.attributed_by, claim.evidence)
    words = claim.rebuttal_by
    if claim.rebuttal and words is None and claim.attributed_by is not None:
        rebutted, more = "unsupported", ["rebuttal_by: give the article's words that give the "
                                         "rebuttal to its side (e.g. 'the Kremlin denied')"]
    elif claim.rebuttal:
        rebutted, more = attribution_of(sources, actors, claim.disputed_by, words, claim.rebuttal)
        more = [m.replace("attributed_by:", "rebuttal_by:", 1) for m in more]
    else:
        rebutted, more = "unchecked", []
    return claim.model_copy(update={"attribution": asserted, "rebuttal_attribution": rebutted,
                                    "notes": [*notes, *more]})
