"""What the short briefing shows first: by importance, not by the reply's order (issue 22).

Every list here is ranked so that `layout.fit`, which cuts from the end of each section, cuts the
least important first: what the top cites (actors: who.py; quotes: quotes.py); figures the key
points use, then those of the cited paragraphs; the news's own date first, then dates near the
publication date before background. With several sources each section's first lines come from
every source in turn, and one event or figure several outlets report is one line with all their
evidence. What the top already says is left out below it (once.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as Date
from datetime import timedelta
from functools import cmp_to_key
from typing import Any

from ..core.models import Briefing, DisputedClaim, Event, Evidence, Fact, Quote
from ..grounding import date_spans, figures_in
from ..grounding.dates import parse_published
from ..grounding.meaning import disagree
from .once import figure_said_at, places_of, said_at, top_lines

#: A quote shorter than this is a phrase, not a statement worth its own line.
QUOTE_MIN_WORDS = 5
#: A quote longer than this goes after the shorter ones: it would cost the short briefing lines.
QUOTE_MAX_WORDS = 40
#: Dates this close to the publication date are the news's own; farther ones are background.
NEWS_DAYS = 45
#: Two sources' accounts of one event: the same date and this much of the wording shared.
SAME_EVENT = 1 / 3


#: A merged item's originals, by the merged item's id (the merged item held, so its id stays its
#: own): the page links a merged line to the items it stands for.
Origins = dict[int, tuple[Any, list[Any]]]


def _remember(origins: Origins | None, merged: Any, first: Any, other: Any) -> Any:
    if origins is not None:
        origins[id(merged)] = (merged, [*origins.get(id(first), (first, [first]))[1], other])
    return merged


# ------------------------------------------------------------------ what the top cites


def top_texts(briefing: Briefing) -> list[str]:
    return [p.text for p in (briefing.bottom_line, *briefing.key_points)]


def top_places(briefing: Briefing) -> set[tuple[str, int]]:
    """The paragraphs the bottom line and key points cite."""
    return {(e.source, e.paragraph) for p in (briefing.bottom_line, *briefing.key_points) for e in p.evidence}


def cited_by_top(item: object, places: set[tuple[str, int]]) -> bool:
    return any((e.source, e.paragraph) in places for e in getattr(item, "evidence", None) or [])


def sources_of(item: object) -> list[str]:
    """The sources an item stands on, in the order it cites them."""
    if isinstance(item, Quote):
        return list(dict.fromkeys([item.source, *(e.source for e in item.also_in)]))
    return list(dict.fromkeys(e.source for e in getattr(item, "evidence", None) or []))


def balanced(items: list, sources: list[str], of: Callable[[Any], list[str]] = sources_of) -> list:
    """The ranked items with the best of every source first: a section cut to a few lines
    still draws on each source that has something for it; then the rest, by rank."""
    if len(sources) < 2:
        return list(items)
    first: list = []
    covered: set[str] = set()
    for item in items:
        if set(of(item)) - covered:
            first.append(item)
            covered.update(of(item))
        if covered >= set(sources):
            break
    return [*first, *(i for i in items if i not in first)]


def covering(items: list, of: Callable[[Any], list[str]] = sources_of) -> int:
    """How many leading items each bring a source the ones before did not: the lines a
    `balanced` section needs to draw on every source it can."""
    covered: set[str] = set()
    for n, item in enumerate(items):
        if not set(of(item)) - covered:
            return n
        covered.update(of(item))
    return len(items)


# -------------------------------------------------------------- figures and dates


def _key_figures(briefing: Briefing) -> frozenset[float]:
    return frozenset().union(*(figures_in(t) for t in top_texts(briefing)))


def _merge_evidence(first: Fact | Event, other: Fact | Event, origins: Origins | None) -> Fact | Event:
    evidence = [*first.evidence, *(e for e in other.evidence if e not in first.evidence)]
    return _remember(origins, first.model_copy(update={"evidence": evidence}), first, other)


def merged_figures(facts: list[Fact], origins: Origins | None = None) -> list[Fact]:
    """One line a figure: the same value and unit said twice (by one source or several) is
    shown once, with every source's evidence."""
    kept: dict[tuple[frozenset[float], str] | int, Fact] = {}
    for n, fact in enumerate(facts):
        values = figures_in(fact.figure)
        key: tuple[frozenset[float], str] | int = (values, (fact.unit or "").casefold()) if values else n
        kept[key] = _merge_evidence(kept[key], fact, origins) if key in kept else fact  # type: ignore[assignment]
    return list(kept.values())


#: Figures the top neither uses nor cites are background: only so many as fill the section to this
#: (or to one a source).
BACKGROUND_FILL = 3


def ranked_figures(briefing: Briefing, facts: list[Fact], origins: Origins | None = None) -> list[Fact]:
    """The figures the key points use (those of the bottom line first: an editor missed the
    musicians' 80 cents, which the bottom line gives, where the subscription's price stood), then
    those of the paragraphs they cite, then as much
    background as fills the section to `BACKGROUND_FILL` figures the top does not give (an editor
    read the gold price, the euro and emerging-market stocks below a market story's headline
    figures as padding; another, with the headline figures given once, missed them)."""
    key, places = _key_figures(briefing), top_places(briefing)
    lead = figures_in(briefing.bottom_line.text)  # the figures the story leads with come first
    merged = merged_figures(facts, origins)
    rank = {id(f): (not (figures_in(f.figure) & key), not cited_by_top(f, places)) for f in merged}
    ranked = sorted(merged, key=lambda f: (*rank[id(f)], not figures_in(f.figure) & lead))
    told = [f for f in ranked if rank[id(f)] != (True, True)]
    tops = top_lines(briefing)  # a figure the top gives is not shown below it (`said_in_top`): no place
    new = [f for f in told if figure_said_at(f, tops) is None]
    sources = [s.id for s in briefing.sources]  # with several, each may bring one
    background = [f for f in ranked if rank[id(f)] == (True, True)][: max(0, max(BACKGROUND_FILL, len(sources))
                                                                          - len(new))]
    return balanced([*told, *background], sources)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{4,}", text.casefold())}


def _alike(a: str, b: str) -> bool:
    """Much the same words, and nothing one says that the other contradicts."""
    words_a, words_b = _content_words(a), _content_words(b)
    return (bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= SAME_EVENT
            and not disagree(a, b))


#: Words that put an event at a time of its day: "Monday" and "Monday night" may be two events.
_TIME_OF_DAY = re.compile(r"\b(?:morning|afternoon|evening|night|noon|midnight|tonight|a\.m\.|p\.m\.|"
                          r"morgens?|abends?|nachts?|mittags?|matin|soir|nuit|mañana|tarde|noche)\b", re.IGNORECASE)


def _same_day(a: Event, b: Event) -> bool:
    """The same date told the same way, or the same whole day told two ways ("today" in one
    outlet, "Tuesday" in the next day's), neither at a time of it ("Monday night")."""
    if not a.date or a.date != b.date:
        return False
    if " ".join(a.date_text.casefold().split()) == " ".join(b.date_text.casefold().split()):
        return True
    return len(a.date.split("-")) == 3 and not _TIME_OF_DAY.search(f"{a.date_text} {b.date_text}")


def _same_event(a: Event, b: Event) -> bool:
    """Two sources' accounts of one event: the same day (`_same_day`), much the same words, no
    contradiction."""
    return _same_day(a, b) and set(sources_of(a)).isdisjoint(sources_of(b)) and _alike(a.what, b.what)


def _same_claim(a: DisputedClaim, b: DisputedClaim) -> bool:
    if set(a.asserted_by) != set(b.asserted_by) or bool(a.disputed_by) != bool(b.disputed_by):
        return False
    return set(sources_of(a)).isdisjoint(sources_of(b)) and _alike(a.claim, b.claim)


def merged_claims(claims: list[DisputedClaim], origins: Origins | None = None) -> list[DisputedClaim]:
    """One line a claim: the same side's claim as several outlets report it (the same actors
    asserting it, much the same words) is one claim with every source's evidence and everyone
    who disputes it; the first source's wording."""
    kept: list[DisputedClaim] = []
    for claim in claims:
        same = next((i for i, k in enumerate(kept) if _same_claim(k, claim)), None)
        if same is None:
            kept.append(claim)
            continue
        first = kept[same]
        kept[same] = _remember(origins, first.model_copy(update={
            "evidence": [*first.evidence, *claim.evidence], "rebuttal": [*first.rebuttal, *claim.rebuttal],
            "disputed_by": list(dict.fromkeys([*first.disputed_by, *claim.disputed_by])),
            "rebuttal_by": first.rebuttal_by or claim.rebuttal_by}), first, claim)
    return kept


def per_source(evidence: list[Evidence]) -> list[Evidence]:
    """The first excerpt of each source: where a merged item stands, once a source."""
    firsts: dict[str, Evidence] = {}
    for e in evidence:
        firsts.setdefault(e.source, e)
    return list(firsts.values())


def merged_events(events: list[Event], origins: Origins | None = None) -> list[Event]:
    """One line an event: the same dated event reported by several sources is one event with
    every source's evidence (the first source's wording)."""
    kept: list[Event] = []
    for event in events:
        same = next((i for i, k in enumerate(kept) if _same_event(k, event)), None)
        if same is None:
            kept.append(event)
        else:
            kept[same] = _merge_evidence(kept[same], event, origins)  # type: ignore[assignment]
    return kept


def span(event: Event, published: dict[str, str | None]) -> tuple[Date, Date] | None:
    """The days an event falls in: its ISO date, else its own words read against its source's
    publication date ("last week", "Tuesday")."""
    if event.date:
        parts = [int(p) for p in event.date.split("-") if p.isdigit()]
        try:
            if len(parts) == 3:
                day = Date(*parts)
                return day, day
            if len(parts) == 2:
                start = Date(parts[0], parts[1], 1)
                return start, (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            if len(parts) == 1:
                return Date(parts[0], 1, 1), Date(parts[0], 12, 31)
        except ValueError:
            return None
    source = event.evidence[0].source if event.evidence else None
    base = parse_published(published.get(source or ""))
    spans = date_spans(event.date_text, base) if base else []
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def distance(event: Event, published: dict[str, str | None]) -> int:
    """Days between an event and its source's publication date (0: the day itself)."""
    days, base = span(event, published), parse_published(published.get(next(iter(sources_of(event)), "")))
    if days is None or base is None:
        return NEWS_DAYS + 1
    return 0 if days[0] <= base <= days[1] else min(abs((days[0] - base).days), abs((days[1] - base).days))


def ranked_events(briefing: Briefing, events: list[Event], origins: Origins | None = None) -> list[Event]:
    """Events the bottom line and key points tell first (the dates a reader of them looks up),
    then those of the paragraphs they cite, each the news's own (near the publication date)
    before background; then the rest, the news's own first; one line for an event several
    sources report."""
    published = {s.id: s.date for s in briefing.sources}
    places, tops = top_places(briefing), top_lines(briefing)
    merged = merged_events(events, origins)

    def rank(e: Event) -> tuple[bool, bool, bool]:
        return (said_at(e.what, tops, places_of(e)) is None, not cited_by_top(e, places),
                distance(e, published) > NEWS_DAYS)

    return balanced(sorted(merged, key=rank), [s.id for s in briefing.sources])


def news_event(briefing: Briefing, events: list[Event], told: dict[int, int]) -> Event | None:
    """The news's own event: of those within `NEWS_DAYS` of the publication date, one the top
    tells without its date (`told`: by id, the top line that tells it; "Noem launched the
    campaign Monday"), the bottom line's before a key point's (the Sondland briefing's timeline
    had Hill's Thursday, which a key point half named, not Sondland's Wednesday, the news), one
    it cites, on a day (not "earlier this month"), nearest that date, the article's first."""
    published, places = {s.id: s.date for s in briefing.sources}, top_places(briefing)
    near = [(told.get(id(e), len(briefing.key_points) + 1), not cited_by_top(e, places),
             (days := span(e, published)) is None or days[0] != days[1],
             distance(e, published), e.evidence[0].paragraph if e.evidence else 0, n)
            for n, e in enumerate(events) if distance(e, published) <= NEWS_DAYS]
    return events[min(near)[-1]] if near else None


def chronological(events: list[Event], published: dict[str, str | None] | None = None) -> list[Event]:
    """Events in true order. An event without an ISO date is placed where its own words put it
    against its source's publication date; one that covers a month or a year ("March 2022" for
    "ten days later") and a day inside it go in the article's order, for the article tells them
    in the order they fell; the undatable follow, in the article's order."""
    published = published or {}
    placed = {id(e): (span(e, published), e.evidence[0].source if e.evidence else "",
                      e.evidence[0].paragraph if e.evidence else 0, n) for n, e in enumerate(events)}

    def compare(a: Event, b: Event) -> int:
        """Apart in time: by time; one within the other (a month and a day in it): as one source
        tells them, else in the order given."""
        (days_a, source_a, *told_a), (days_b, source_b, *told_b) = placed[id(a)], placed[id(b)]
        if source_a != source_b or days_a == days_b:
            told_a, told_b = told_a[1:], told_b[1:]
        as_told = (told_a > told_b) - (told_a < told_b)
        if days_a is None or days_b is None:
            return (days_a is None) - (days_b is None) or as_told
        if days_a[1] < days_b[0]:
            return -1
        return 1 if days_b[1] < days_a[0] else as_told

    return sorted(events, key=cmp_to_key(compare))

