"""Who's who: the actors a story turns on, and what each holds.

Actors rank by how much the story turns on them (named at the top, quoted, on a side of a
claim, holding a position, the source of a figure, named elsewhere); each is shown with what
they hold: a position, else their side of a claim, else their own words (who said a claim's
words is `sides`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.languages import word
from ..core.models import Actor, Briefing, DisputedClaim, Evidence, Position, Quote
from ..core.typography import quotation
from .choice import QUOTE_MAX_WORDS, QUOTE_MIN_WORDS, SAME_EVENT, top_texts
from .once import said_above, top_lines
from .names import lower_start, name_pattern, named_person
from .quotes import hearsay, shown, statement, unresolved, whole
from .sides import side


@dataclass
class Held:
    """One thing an actor holds, as a line of "Who's who" shows it, with what cites it."""

    text: str
    evidence: list[Evidence] = field(default_factory=list)
    quote: Quote | None = None  # the quote this line is, when it is one
    said: int | None = None  # the top line that already says it (0: the bottom line), if one does


# ------------------------------------------------------------------------- actors


def actor_scores(briefing: Briefing) -> dict[str, int]:
    """How much the story turns on each actor: named at the top where it gives their say (most),
    given their say in a source's lead, quoted, on a side of a claim, holding a position, the
    source of a figure, and named anywhere else the reply speaks (its claims, figures, events,
    and top lines that cite none of their say: "a White House meeting", "former White House
    adviser Fiona Hill" put the White House above the witnesses a story turns on)."""
    says = say_places(briefing)
    top = [(t.casefold(), cited) for t, cited in top_lines(briefing)]
    elsewhere = [t.casefold() for t in (*(c.claim for c in briefing.disputed_claims),
                                        *(f.statement for f in briefing.facts), *(e.what for e in briefing.events))]
    score = {a.id: 0 for a in briefing.actors}
    for a in briefing.actors:
        if (named := name_pattern(a)) is not None:
            say = says.get(a.id, set())
            score[a.id] += sum((3 if cited & say or not say else 1) for t, cited in top if named.search(t))
            score[a.id] += sum(named.search(t) is not None for t in elsewhere)
    quoted: dict[str, int] = {}
    for q in briefing.quotes:  # being quoted counts, not how many lines the reply lifted (at most two)
        quoted[q.speaker_id] = min(QUOTES_COUNTED, quoted.get(q.speaker_id, 0) + 1)
    for actor_id in [*(a for a, n in quoted.items() for _ in range(2 * n)), *(p.actor_id for p in briefing.positions)]:
        score[actor_id] = score.get(actor_id, 0) + 1
    for c in briefing.disputed_claims:
        for actor_id in {*c.asserted_by, *c.disputed_by}:
            score[actor_id] = score.get(actor_id, 0) + 2
    for f in briefing.facts:
        if f.attributed_to:
            score[f.attributed_to] = score.get(f.attributed_to, 0) + 1
    for actor_id in in_the_lead(briefing):
        score[actor_id] = score.get(actor_id, 0) + 3
    return score


#: How many of one speaker's quotes count towards how much the story turns on them.
QUOTES_COUNTED = 2
#: A source's first paragraphs: its lead, where a news story puts what it turns on.
LEAD_PARAGRAPHS = 3


def say_places(briefing: Briefing) -> dict[str, set[tuple[str, int]]]:
    """Where each actor has their say: the paragraphs of their positions, quotes and sides of claims."""
    said: list[tuple[str, Iterable[Evidence | Quote]]] = [
        *((p.actor_id, p.evidence) for p in briefing.positions), *((q.speaker_id, [q]) for q in briefing.quotes),
        *((a, c.evidence) for c in briefing.disputed_claims for a in c.asserted_by),
        *((a, c.rebuttal) for c in briefing.disputed_claims for a in c.disputed_by)]
    places: dict[str, set[tuple[str, int]]] = {}
    for actor_id, items in said:
        places.setdefault(actor_id, set()).update((i.source, i.paragraph) for i in items)
    return places


def in_the_lead(briefing: Briefing) -> set[str]:
    """The actors whose say a source's lead gives (a stance, a quote, their side of a claim in
    its first paragraphs): the lead is a source's own bottom line, and weighs as one line of the
    top. Editors missed the ad executive the Spokane story opens on, and the U.S. Attorney whose
    statement The Hill gives third, where lesser voices had lines."""
    return {a for a, places in say_places(briefing).items() if any(n <= LEAD_PARAGRAPHS for _, n in places)}


def own_say(briefing: Briefing, actor: Actor | None) -> bool:
    """Whether what an actor asserts and nobody disputes is their say, plainly attributed, not an
    unconfirmed report: a person the article names, unless they wrote it (a source's byline). A
    column's claims rest on its writer's word alone ("Biden leveraged U.S. aid", the column says):
    named by the byline, they stay under "Unconfirmed", as editors read them there."""
    if actor is None or not named_person(actor):
        return False
    return not any(s.author and actor.name.casefold() in s.author.casefold() for s in briefing.sources)


def named_or_one(actor: Actor) -> bool:
    """Whether "Also mentioned" may list an actor: one it names, or one person or body however
    described ("The whistleblower"), never a group the article only describes ("Musicians",
    "Traders", "Sources who spoke to Reuters"): that names nobody a reader could look up, and
    where such a group speaks, its words say who it is (editors' fourth reading); nor a person
    the briefing knows by a surname alone, with no role ("Williams"): a reader cannot tell who."""
    lone = actor.kind == "person" and len(actor.name.split()) == 1 and not (actor.role or actor.affiliation)
    return not lone and (actor.kind != "group" or not described(actor))


def described(actor: Actor) -> bool:
    """A group or person the article only describes, never names ("Musicians", "Industry
    experts", "Sources who spoke to Reuters", "one user"): a word of the name in lower case, or
    a one-word plural ("Traders"). Institutions (a government, an organization) are named."""
    if actor.kind not in ("group", "person") or named_person(actor):
        return False
    words = [w for w in actor.name.split() if w.casefold() not in _FUNCTION_WORDS]
    return any(w[:1].islower() for w in words) or actor.kind == "group" and len(words) == 1 and (
        words[0].endswith("s") and not words[0].isupper())


_FUNCTION_WORDS = {"of", "for", "and", "the", "in", "on", "at", "de", "du", "der", "die", "des", "für", "und"}


def principal_actors(briefing: Briefing) -> list[Actor]:
    """Actors the story turns on, most first; a group or person the article only describes
    after the named (editors found "Musicians", "Industry experts" and "Sources who spoke to
    Reuters" with lines where the story's named actors had none); at the same score a person the
    article names before a description ("Jeremy Corbyn" before "Government spokesman"), then
    the reply's order."""
    score = actor_scores(briefing)
    ranked = sorted(briefing.actors, key=lambda a: (described(a), -score[a.id], not named_person(a)))
    return [a for a in ranked if score[a.id] > 0]


def voiced(briefing: Briefing, actor: Actor) -> bool:
    """Whether an actor may have a line in "Who's who": a group the article only describes
    ("Musicians", "Traders", "Trump's supporters", "14 managers and lawyers") has one only when
    it speaks, quoted or on a side of a claim; what the article says of it otherwise is the
    writer's summary (editors read such lines as filler, beside named actors the story turns
    on); nor is it listed under "Also mentioned" (`named_or_one`)."""
    if actor.kind != "group" or not described(actor):
        return True
    return any(q.speaker_id == actor.id for q in briefing.quotes) or any(
        actor.id in (*c.asserted_by, *c.disputed_by) for c in briefing.disputed_claims)


def _said_of(briefing: Briefing, actor_id: str, text: str, above: list[str]) -> int | None:
    """Where the bottom line or a key point already gives this actor this stance: the index of
    the first top line that names them and says it. (A stance the top gives unnamed, "a regional
    official says ...", is still worth its actor's line.)"""
    actor = briefing.actor(actor_id)
    named = name_pattern(actor) if actor is not None else None
    return next((n for n, t in enumerate(above) if named is not None and named.search(t.casefold())
                 and said_above(text, [t])), None)


def holdings(briefing: Briefing, positions: list[Position], claims: list[DisputedClaim],
             quotes: list[Quote], above: list[str] | None = None) -> dict[str, list[Held]]:
    """What each actor holds, most telling first: their positions; else their side of a claim
    (asserting it, or disputing it); else their own words, quoted, when they make a statement. Never
    just a role; a line the bottom line or a key point already says of them is marked with where
    (`Held.said`): a view leaves it out while that line is shown (one fact, one place), and
    shows it in its place while that line is cut (an editor found a side remark on budgets shown
    for an officer whose stance only a key point the bound cut gave)."""
    language, above = briefing.language, top_texts(briefing) if above is None else above
    common = {w for t in (*top_texts(briefing), *(p.stance for p in positions)) for w in t.split() if w.islower()}
    held: dict[str, list[Held]] = {}
    for p in positions:
        _add(held.setdefault(p.actor_id, []), Held(p.stance, list(p.evidence),
                                                   said=_said_of(briefing, p.actor_id, p.stance, above)), language)
    sided: dict[str, list[Held]] = {}
    for c in claims:
        claim = lower_start(" ".join(c.claim.split()).rstrip("."), common)
        for actor_id in c.asserted_by:
            sided.setdefault(actor_id, []).append(Held(f"{word('says', language)} {claim}", list(c.evidence),
                                                       said=_said_of(briefing, actor_id, c.claim, above)))
        for actor_id in _rebutters(briefing, c):
            sided.setdefault(actor_id, []).append(Held(f"{word('disputes that', language)} {claim}", list(c.rebuttal),
                                                       said=_said_of(briefing, actor_id, c.claim, above)))
    for actor_id, lines in sided.items():  # a side that only says again a stance of theirs is left out
        mine = held.setdefault(actor_id, [])
        for h in lines:
            if not said_above(h.text, [m.text for m in mine]):
                _add(mine, h, language)
    stated = {a for a, lines in held.items() if lines}
    for q in quotes:  # a phrase ("always fatal") does not say what its speaker holds; a statement does
        mine = held.setdefault(q.speaker_id, [])
        said = sum(h.quote is not None for h in mine)  # short statements of their own; a second one whole
        words = statement(shown(q))
        if (q.speaker_id not in stated and said < QUOTE_LINES and q.status in ("verified", "unchecked")
                and QUOTE_MIN_WORDS <= len(words.split()) <= QUOTE_MAX_WORDS and not hearsay(q)
                and not unresolved(q) and (whole(q) or not said)):
            mine.append(quote_line(q, language))
    return {a: lines for a, lines in held.items() if lines}


#: Two lines of one actor say one thing when they share at least this many words ...
SAME_STANCE_WORDS = 2
#: ... and more than this share of the shorter line's words (as two accounts of one event do).
SAME_STANCE = SAME_EVENT


def _stance_words(text: str, language: str | None = None) -> set[str]:
    """A line's own words, cut to five letters, without the names in it ("South Dakota" in two
    lines of one actor does not make them one stance) and without the words every side of a
    claim begins with ("says", "disputes that")."""
    def stems(words: str) -> set[str]:
        return {w.casefold()[:5] for w in re.findall(r"[^\W\d_]{4,}", words) if w[:1].islower()}
    return stems(text) - _LINE_WORDS - stems(f"{word('says', language)} {word('disputes that', language)}")


_LINE_WORDS = {"says", "said", "dispu", "that", "this", "with", "from", "have", "will", "would", "their", "they",
               "about", "into", "also", "there", "what", "when", "been", "were", "which", "than"}


def same_stance(a: str, b: str, language: str | None = None) -> bool:
    """Whether two lines of one actor say one thing in other words: an editor read the lawyer's
    "never intended to harm Omar … her client did not intend harm" as one stance said twice, once
    from each outlet."""
    mine, theirs = _stance_words(a, language), _stance_words(b, language)
    shared = len(mine & theirs)
    return shared >= SAME_STANCE_WORDS and shared > SAME_STANCE * min(len(mine), len(theirs))


def _add(lines: list[Held], line: Held, language: str | None = None) -> None:
    """An actor's line, unless it says again one of theirs: then that one stands on both
    excerpts (each source's), and is new to the reader if either was."""
    same = next((h for h in lines if h.quote is None and same_stance(h.text, line.text, language)), None)
    if same is None:
        lines.append(line)
        return
    same.evidence.extend(e for e in line.evidence if e not in same.evidence)
    if line.said is None or (same.said is not None and line.said > same.said):
        same.said = line.said


def quote_line(q: Quote, language: str | None) -> Held:
    """A speaker's statement as their line in "Who's who", in the briefing's quotation marks."""
    start, words, end = quotation(statement(" ".join(shown(q).split())), language)
    return Held(f"{start}{words}{end}", [Evidence(source=q.source, paragraph=q.paragraph, excerpt=q.text,
                                                  status=q.status)], q)


#: How many of a speaker's statements stand for them when they hold nothing else: the next, when
#: "In their words" shows the first.
QUOTE_LINES = 2


def _rebutters(briefing: Briefing, claim: DisputedClaim) -> list[str]:
    """Who a claim's rebuttal stands for: among several disputers, the one its words are
    attributed to when that is known, else all of them. A disputer's line cites the rebuttal,
    never the assertion's paragraph, nor words known to be another disputer's (an editor found
    the Afghan government's denial cited to the US military's statement)."""
    if not claim.rebuttal:
        return []
    speaker = side(briefing, claim.disputed_by, claim.rebuttal_by, claim.rebuttal, claim.rebuttal_attribution).speaker
    return [a for a in claim.disputed_by
            if speaker is None or (actor := briefing.actor(a)) is not None and actor.name == speaker]


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


def held_in(held: dict[str, list[Held]], actor: Actor) -> list[str]:
    """The sources an actor holds something in: the actor's line can draw on any of them (an
    actor the story turns on in two sources is not passed over for a lesser one in the second)."""
    return list(dict.fromkeys(e.source for h in held.get(actor.id, []) for e in h.evidence))


#: A claim's excerpt this long found in a quote makes the quote that claim's words again.
QUOTE_EXCERPT_WORDS = 4


def not_shown_above(quotes: list[Quote], claims: list[DisputedClaim], holds: Iterable[list[Held]]) -> list[Quote]:
    """The quotes whose words no line above already gives, nor hold an actor's line entire: an
    actor's line (an editor read one analyst's sentence three times in one briefing), or a claim's, whose excerpt is that
    claim's side, shown with it or, when the top says the claim, not again out of its context."""
    stances = [h.text for lines in holds for h in lines if h.quote is None and h.said is None]
    said = [*(c.claim for c in claims), *stances]
    excerpts = [" ".join(e.excerpt.split()) for c in claims for e in (*c.evidence[:1], *c.rebuttal[:1])]
    return [q for q in quotes if not said_above(shown(q), said) and not any(said_above(s, [shown(q)]) for s in stances)
            and not any(len(e.split()) >= QUOTE_EXCERPT_WORDS and e in " ".join(q.text.split()) for e in excerpts)]


