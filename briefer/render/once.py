"""One fact, one place: whether the top of a short briefing (its bottom line and the key points a
view shows) already says a lower line's fact, so that the view leaves that line out. Two editors
read the same fact in the bottom line, a key point, What is contested, a quote and "Numbers and
dates" as padding. A lower item the top says in full (`said_at`), or a quote it reports in other
words (`reported_at`), is left out while that top line is shown."""
from __future__ import annotations

import re

from ..core.models import Actor, Briefing, DisputedClaim, Fact, Point, Quote
from ..grounding import figures_in
from .names import name_pattern


#: A lower line is the top's fact again when this much of its words are in one top line.
SAID_ABOVE = 0.6
#: Words that carry no fact of their own: a line is not new for using them.
_GLUE = frozenset({"that", "this", "with", "from", "have", "will", "would", "says", "said", "their", "they",
                   "than", "been", "were", "which", "about", "into", "also", "there", "what", "when"})


def _stems(text: str) -> set[str]:
    """A text's content words, cut to five letters ("contacts" and "contact" are one word)."""
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in _GLUE}


def said_above(text: str, above: list[str]) -> bool:
    """Whether one of the lines above (the bottom line and key points) already says this line's
    fact: every figure it states and most of its words are in that one line (a figure written
    in digits, being exact, needs only a word of its context besides). Two editors read the same
    fact in three or four sections of a short briefing as padding: one fact, one place."""
    stems, figures = _stems(text), figures_in(text)
    exact = bool(figures) and bool(re.search(r"\d", text))
    for line in above:
        if figures and not figures <= figures_in(line):
            continue
        shared = len(stems & _stems(line))
        if (exact and (shared or not stems)) or (stems and shared / len(stems) >= SAID_ABOVE):
            return True
    return False


#: A lower line that cites a paragraph a top line cites is that line's fact again with this much
#: of its words (and a figure of theirs, when it states one).
SAID_HERE = 0.5


def top_lines(briefing: Briefing, points: list[Point] | None = None) -> list[tuple[str, frozenset[tuple[str, int]]]]:
    """The bottom line and the key points shown (all, unless given), each with the paragraphs it cites."""
    shown = briefing.key_points if points is None else points
    return [(p.text, frozenset((e.source, e.paragraph) for e in p.evidence)) for p in (briefing.bottom_line, *shown)]


def said_at(text: str, tops: list[tuple[str, frozenset[tuple[str, int]]]], places: frozenset[tuple[str, int]],
            figure: str = "") -> int | None:
    """Where the top already says a lower line's fact in full: the index of the first top line
    (0: the bottom line; n: the n-th key point) that says it, else None. A top line says it when
    it gives the line's figures and most of its words (`said_above`), or, citing one of the
    line's paragraphs, states the line's own figure or half its words with a figure of theirs
    (the Dow's fall by its level, the vote by its date). Two editors read the same fact in the
    bottom line, a key point, What is contested and a quote: one fact, one place (the
    timeline of "Numbers and dates" is the exception: briefer/render/layout.py)."""
    stems, values, own = _stems(text), figures_in(text), figures_in(figure)
    for n, (line, cited) in enumerate(tops):
        if said_above(text, [line]):
            return n
        if not places & cited:
            continue
        if own and own <= figures_in(line):
            return n
        if stems and len(stems & _stems(line)) / len(stems) >= SAID_HERE and (not values or values & figures_in(line)):
            return n
    return None


def said_in_top(briefing: Briefing, points: list[Point], items: list) -> dict[int, int]:
    """For each lower item the top already says in full, the top line that says it (by the
    item's id): a view leaves the item out while that line is shown (one fact, one place,
    judged against the key points the view shows, not against a fixed few): claims, quotes and
    figures (an editor read a market story's prices in the key points, then again under
    "Numbers and dates", while its dollar and gold had no line)."""
    tops = top_lines(briefing, points)
    said: dict[int, int] = {}
    for item in items:
        at = (figure_said_at(item, tops) if isinstance(item, Fact)
              else said_at(item.claim if isinstance(item, DisputedClaim) else item.text, tops, places_of(item)))
        if at is None and isinstance(item, Quote):
            at = reported_at(briefing, item, tops)
        if at is not None:
            said[id(item)] = at
    return said


def figure_said_at(fact: Fact, tops: list[tuple[str, frozenset[tuple[str, int]]]]) -> int | None:
    """The top line that gives a figure line in full: its fact (`said_at`) and every figure it
    states. The Dow's fall a key point gives, with the index's close, is a line of its own (an
    editor found the S&P's close under "Numbers and dates" and the Dow's and Nasdaq's nowhere)."""
    at = said_at(fact.statement, tops, places_of(fact), fact.figure)
    return at if at is not None and figures_in(fact.statement) <= figures_in(tops[at][0]) else None


REPORTED_HERE = 0.25  # the share of a quote's words that, with its speaker and paragraph, reports it


def reported_at(briefing: Briefing, quote: Quote, tops: list[tuple[str, frozenset[tuple[str, int]]]]) -> int | None:
    """The first top line that reports a quote in other words: it names the speaker, cites the
    quote's paragraph and gives a quarter of its words (editors read the Holmes call in a key
    point, then again as "In their words"); another statement of that paragraph is not it."""
    speaker = briefing.actor(quote.speaker_id)
    named, stems = name_pattern(speaker) if speaker is not None else None, _stems(quote.text)
    return next((n for n, (line, cited) in enumerate(tops) if named is not None and stems
                 and (quote.source, quote.paragraph) in cited and named.search(line.casefold())
                 and len(stems & _stems(line)) / len(stems) >= REPORTED_HERE), None)


def named_in_top(actors: list[Actor], tops: list[tuple[str, frozenset[tuple[str, int]]]]) -> dict[str, int]:
    """For each actor a top line names, the first such line: "Also mentioned" lists an actor the
    reader has not met yet, not one the bottom line or a shown key point names (an editor read
    "Also mentioned: Russia, Norway" under a bottom line giving both as noise, and another found
    the witnesses that carry key points listed there as if they were minor)."""
    named: dict[str, int] = {}
    for actor in actors:
        pattern = name_pattern(actor)
        at = next((n for n, (line, _) in enumerate(tops) if pattern is not None and pattern.search(line.casefold())), None)
        if at is not None:
            named[actor.id] = at
    return named


def places_of(item: object) -> frozenset[tuple[str, int]]:
    """The paragraphs an item stands on (a quote: its own, and the other sources' with its words)."""
    if isinstance(item, Quote):
        return frozenset({(item.source, item.paragraph), *((e.source, e.paragraph) for e in item.also_in)})
    return frozenset((e.source, e.paragraph) for e in getattr(item, "evidence", None) or [])
