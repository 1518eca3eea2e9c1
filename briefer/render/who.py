"""Who's who: the actors a story turns on, what each holds, and who said a claim's words.

Actors rank by how much the story turns on them (named at the top, quoted, on a side of a
claim, holding a position, the source of a figure, named elsewhere); each is shown with what
they hold: a position, else their side of a claim, else their own words. A claim's excerpt is
given to the one who said it, never printed after several names as if all of them had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..core.languages import word
from ..core.models import Actor, Briefing, DisputedClaim, Evidence, Position, Quote
from ..core.typography import quotation
from .choice import top_texts


@dataclass
class Held:
    """One thing an actor holds, as a line of "Who's who" shows it, with what cites it."""

    text: str
    evidence: list[Evidence] = field(default_factory=list)


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


@jinja2.pass_context
def side_filter(context: Any, actor_ids: list[str], said_by: str | None = None, words: Any = None) -> Side:
    """The `side` filter of the templates: a claim's side in the briefing being rendered."""
    return side(context["briefing"], actor_ids, said_by, words)
