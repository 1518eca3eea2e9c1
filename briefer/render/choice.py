"""What the short briefing shows first: by importance, not by the reply's order (issue 22).

Every list here is ranked so that `layout.fit`, which cuts from the end of each section, cuts
the least important first: what the bottom line and key points cite; actors by how much the
story turns on them, each with what they hold (a position, their side of a claim, their own
words); figures the key points use, then those of the cited paragraphs; the news's own dates
(near the publication date) before background; complete quotes from the people who matter
first. With several sources each section's first lines come from every source in turn, and one
event or figure several outlets report is one line with all their evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from functools import cmp_to_key
from typing import Any

from ..core.languages import word
from ..core.models import Actor, Briefing, DisputedClaim, Event, Evidence, Fact, Position, Quote
from ..core.typography import quotation
from ..grounding import date_spans, figures_in
from ..grounding.dates import parse_published

#: A quote shorter than this is a phrase, not a statement worth its own line.
QUOTE_MIN_WORDS = 5
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


@dataclass
class Held:
    """One thing an actor holds, as a line of "Who's who" shows it, with what cites it."""

    text: str
    evidence: list[Evidence] = field(default_factory=list)


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


# ------------------------------------------------------------------------- actors


def _named(actor: Actor) -> re.Pattern[str] | None:
    names = {actor.name, *actor.aliases}
    if actor.kind == "person" and len(actor.name.split()) > 1:
        names.add(actor.name.split()[-1])
    kept = [re.escape(n.casefold()) for n in names if len(n) > 2]
    return re.compile(rf"\b(?:{'|'.join(kept)})\b") if kept else None


def actor_scores(briefing: Briefing) -> dict[str, int]:
    """How much the story turns on each actor: named at the top (most), quoted, on a side of a
    claim, holding a position, the source of a figure, and named anywhere else the reply
    speaks (its claims, figures, events)."""
    top = [t.casefold() for t in top_texts(briefing)]
    elsewhere = [t.casefold() for t in (*(c.claim for c in briefing.disputed_claims),
                                        *(f.statement for f in briefing.facts), *(e.what for e in briefing.events))]
    score = {a.id: 0 for a in briefing.actors}
    for a in briefing.actors:
        if (named := _named(a)) is not None:
            score[a.id] += 3 * sum(named.search(t) is not None for t in top)
            score[a.id] += sum(named.search(t) is not None for t in elsewhere)
    for actor_id in [q.speaker_id for q in briefing.quotes] * 2 + [p.actor_id for p in briefing.positions]:
        score[actor_id] = score.get(actor_id, 0) + 1
    for c in briefing.disputed_claims:
        for actor_id in {*c.asserted_by, *c.disputed_by}:
            score[actor_id] = score.get(actor_id, 0) + 2
    for f in briefing.facts:
        if f.attributed_to:
            score[f.attributed_to] = score.get(f.attributed_to, 0) + 1
    return score


def principal_actors(briefing: Briefing) -> list[Actor]:
    """Actors the story turns on, most first (the reply's order on ties); an actor something
    is held for comes before one with nothing to show at the same score."""
    score = actor_scores(briefing)
    ranked = sorted(briefing.actors, key=lambda a: -score[a.id])
    return [a for a in ranked if score[a.id] > 0]


def _lower_start(text: str, common: set[str]) -> str:
    """A sentence's first word in lower case when the briefing writes that word in lower case
    elsewhere ("The rename ..." -> "the rename ..."), so it reads inside a clause; a name keeps
    its capital."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first.lower() in common and first[:1].isupper() else text


def holdings(briefing: Briefing, positions: list[Position], claims: list[DisputedClaim],
             quotes: list[Quote]) -> dict[str, list[Held]]:
    """What each actor holds, most telling first: their positions; else their side of a claim
    (asserting it, or disputing it); else their own words, quoted. Never just a role when the
    reply says somewhere what they hold."""
    language = briefing.language
    common = {w for t in (*top_texts(briefing), *(p.stance for p in positions)) for w in t.split() if w.islower()}
    held: dict[str, list[Held]] = {}
    for p in positions:
        held.setdefault(p.actor_id, []).append(Held(p.stance, list(p.evidence)))
    sided: dict[str, list[Held]] = {}
    for c in claims:
        claim = _lower_start(" ".join(c.claim.split()).rstrip("."), common)
        for actor_id in c.asserted_by:
            sided.setdefault(actor_id, []).append(Held(f"{word('says', language)} {claim}", list(c.evidence)))
        for actor_id in c.disputed_by:
            sided.setdefault(actor_id, []).append(
                Held(f"{word('disputes that', language)} {claim}", list(c.rebuttal or c.evidence)))
    for actor_id, lines in sided.items():
        held.setdefault(actor_id, []).extend(lines)
    for q in quotes:
        if q.speaker_id not in held and q.status in ("verified", "unchecked"):
            start, words, end = quotation(" ".join(q.text.split()), language)
            held[q.speaker_id] = [Held(f"{start}{words}{end}", [Evidence(source=q.source, paragraph=q.paragraph,
                                                                           excerpt=q.text, status=q.status)])]
    return held


def spread(actors: list[Actor], held: dict[str, list[Held]]) -> None:
    """With several sources, each actor in turn shows first what they hold in a source the
    actors before them did not draw on, when they hold something there: "Who's who" then draws
    on every source it can without bringing lesser actors forward."""
    covered: set[str] = set()
    for actor in actors:
        lines = held.get(actor.id, [])
        fresh = next((h for h in lines if {e.source for e in h.evidence} - covered), None)
        if fresh is not None and lines[0] is not fresh:
            lines.remove(fresh)
            lines.insert(0, fresh)
        covered.update(e.source for h in lines[:1] for e in h.evidence)


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


def ranked_figures(briefing: Briefing, facts: list[Fact], origins: Origins | None = None) -> list[Fact]:
    """The figures the key points use, then those of the paragraphs they cite, then the rest."""
    key, places = _key_figures(briefing), top_places(briefing)
    merged = merged_figures(facts, origins)
    ranked = sorted(merged, key=lambda f: (not (figures_in(f.figure) & key), not cited_by_top(f, places)))
    return balanced(ranked, [s.id for s in briefing.sources])


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{4,}", text.casefold())}


def _same_event(a: Event, b: Event) -> bool:
    if not a.date or a.date != b.date or not set(sources_of(a)).isdisjoint(sources_of(b)):
        return False
    words_a, words_b = _content_words(a.what), _content_words(b.what)
    return bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= SAME_EVENT


def _same_claim(a: DisputedClaim, b: DisputedClaim) -> bool:
    if set(a.asserted_by) != set(b.asserted_by) or bool(a.disputed_by) != bool(b.disputed_by):
        return False
    if not set(sources_of(a)).isdisjoint(sources_of(b)):
        return False
    words_a, words_b = _content_words(a.claim), _content_words(b.claim)
    return bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= SAME_EVENT


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


def ranked_events(briefing: Briefing, events: list[Event], origins: Origins | None = None) -> list[Event]:
    """Events the key points cite first, then the news's own (near its publication date), then
    background; one line for an event several sources report."""
    published = {s.id: s.date for s in briefing.sources}
    places = top_places(briefing)

    def distance(event: Event) -> int:
        days, base = span(event, published), parse_published(published.get(next(iter(sources_of(event)), "")))
        if days is None or base is None:
            return NEWS_DAYS + 1
        return 0 if days[0] <= base <= days[1] else min(abs((days[0] - base).days), abs((days[1] - base).days))

    merged = merged_events(events, origins)
    ranked = sorted(merged, key=lambda e: (not cited_by_top(e, places), distance(e) > NEWS_DAYS))
    return balanced(ranked, [s.id for s in briefing.sources])


def chronological(events: list[Event], published: dict[str, str | None] | None = None) -> list[Event]:
    """Events in true order. An event without an ISO date is placed where its own words put it
    against its source's publication date; one that covers a month or a year ("March 2022" for
    "ten days later") and a day inside it go in the article's order, for the article tells them
    in the order they fell; the undatable follow, in the article's order."""
    published = published or {}
    placed = {id(e): (span(e, published), e.evidence[0].paragraph if e.evidence else 0, n)
              for n, e in enumerate(events)}

    def compare(a: Event, b: Event) -> int:
        """Apart in time: by time; one within the other (a month and a day in it): as told."""
        (days_a, *told_a), (days_b, *told_b) = placed[id(a)], placed[id(b)]
        as_told = (told_a > told_b) - (told_a < told_b)
        if days_a is None or days_b is None:
            return (days_a is None) - (days_b is None) or as_told
        if days_a[1] < days_b[0]:
            return -1
        return 1 if days_b[1] < days_a[0] else as_told

    return sorted(events, key=cmp_to_key(compare))


# ------------------------------------------------------------------------- quotes


def ranked_quotes(briefing: Briefing, quotes: list[Quote], scores: dict[str, int]) -> list[Quote]:
    """Statements, not phrases: whole sentences first, the best of each speaker before a
    second one (with several sources, a speaker from each first), speakers the story turns on
    first, then the article's order."""
    full = [q for q in quotes if len(q.text.split()) >= QUOTE_MIN_WORDS]
    places = top_places(briefing)

    def whole(q: Quote) -> bool:
        text = q.text.strip().rstrip("”’\"'»")
        return text[:1].isupper() and text[-1:] in ".!?"

    ranked = sorted(full, key=lambda q: (not whole(q), -scores.get(q.speaker_id, 0),
                                         (q.source, q.paragraph) not in places))
    first_of_each: dict[str, Quote] = {}
    for q in ranked:
        first_of_each.setdefault(q.speaker_id, q)
    rest = [q for q in ranked if q not in first_of_each.values()]
    return [*balanced(list(first_of_each.values()), [s.id for s in briefing.sources]), *rest]


# ------------------------------------------------------------------ who said it


@dataclass
class Side:
    """One side of a claim as a line shows it: the actors on it, and which of them said the
    words shown (`speaker`), so that an excerpt is never printed after four names as if all
    four said it. With no speaker known among several, the words are the source's."""

    others: list[str]
    speaker: str | None


def side(briefing: Briefing, actor_ids: list[str], said_by: str | None, words: list[Evidence] | None = None) -> Side:
    """The side's names, the one its words are attributed to apart: the actor the article's
    own attribution names ("Hege said"), or the one whose quote holds the words shown."""
    actors = [a for a in (briefing.actor(i) for i in actor_ids) if a is not None]
    if len(actors) == 1:
        return Side([], actors[0].name)
    speaker = next((a for a in actors if said_by and (named := _named(a)) and named.search(said_by.casefold())), None)
    if speaker is None and words:
        shown = " ".join(words[0].excerpt.split()).casefold()
        quoted_by = {q.speaker_id for q in briefing.quotes
                     if q.source == words[0].source and shown in " ".join(q.text.split()).casefold()}
        speaker = next((a for a in actors if a.id in quoted_by), None) if len(quoted_by) == 1 else None
    return Side([a.name for a in actors if a is not speaker], speaker.name if speaker else None)
