"""What the short default briefing shows, in a length a busy reader finishes.

The Briefing keeps every item; the default template shows the part that matters, cited: the
bottom line and key points, the claims with someone on each side, what is unconfirmed, the
principal actors with what they hold, the figures and dates, a few complete quotes. Its length is
bounded by the article's (issue 11): at most max(450, 0.4 x the article's words), never over 800
words for one article or 1,200 for several, and never over 0.8 of a short article's words (a
450-word floor would make a 435-word article's briefing as long as the article; issue 22). `fit` takes items out, least needed first, until the
rendering is within that bound; the `dossier` template shows everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from urllib.parse import quote, urlsplit

from ..core.models import Actor, Briefing, DisputedClaim, Event, Fact, Point, Position, Quote, SourceDispute
from ..core.typography import punctuate
from ..grounding import date_spans, figures_in, item_status
from ..grounding.dates import parse_published
from ..llm.costs import spending

FLOOR_WORDS = 450
SHARE_OF_ARTICLE = 0.4
#: The most of a short article's words its briefing may take, whatever the floor.
MOST_OF_SHORT_ARTICLE = 0.8
MAX_WORDS_ONE = 800
MAX_WORDS_SEVERAL = 1200
#: A quote shorter than this is a phrase, not a statement worth its own line.
QUOTE_MIN_WORDS = 5


def word_budget(briefing: Briefing) -> int:
    """The most words the short briefing may have."""
    article = sum(s.words or 0 for s in briefing.sources)
    ceiling = MAX_WORDS_ONE if len(briefing.sources) <= 1 else MAX_WORDS_SEVERAL
    bound = min(ceiling, max(FLOOR_WORDS, round(SHARE_OF_ARTICLE * article)))
    return min(bound, int(MOST_OF_SHORT_ARTICLE * article)) if article else bound


def words(text: str) -> int:
    """Words as `wc -w` counts them: what a reader sees, markup included."""
    return len(text.split())


@dataclass(frozen=True)
class Limits:
    """How many of each the short briefing shows; `fit` lowers them in `CUT_ORDER`."""

    key_points: int = 7
    contested: int = 5
    disputes: int = 4
    unconfirmed: int = 5
    principal: int = 7
    holds: int = 2
    also: int = 12
    figures: int = 6
    dates: int = 6
    quotes: int = 3


#: How `fit` shortens: round by round, each section down to that round's floor, least needed
#: first within a round, so that every section keeps something for as long as it can. Key
#: points stay at three or more.
CUT_ROUNDS: tuple[dict[str, int], ...] = (
    {"holds": 1, "also": 8, "quotes": 2, "principal": 5, "unconfirmed": 3, "dates": 4, "figures": 4},
    {"principal": 4, "dates": 3, "figures": 3, "unconfirmed": 2, "quotes": 1},
    {"principal": 3, "dates": 2, "figures": 2, "contested": 3, "disputes": 2, "unconfirmed": 1,
     "key_points": 5},
    {"quotes": 0, "also": 4, "principal": 2, "dates": 1, "figures": 1, "contested": 2, "key_points": 4},
    {"also": 0, "holds": 0, "dates": 0, "figures": 0, "unconfirmed": 0, "contested": 1, "disputes": 1,
     "key_points": 3, "principal": 0},
)


@dataclass
class WhoLine:
    actor: Actor
    holds: list[str]
    cite: list = field(default_factory=list)  # the positions, for their citations


@dataclass
class View:
    """The sections of the short briefing, in the issue's order."""

    points: list[Point]
    moved_points: list[Point]
    contested: list[DisputedClaim]
    disputes: list[SourceDispute]
    unconfirmed: list[DisputedClaim]
    principal: list[WhoLine]
    also: list[Actor]
    figures: list[Fact]
    dates: list[Event]
    quotes: list[Quote]
    left_out: int


def _kept(briefing: Briefing, items: list) -> list:
    """Under strict grounding the body shows nothing unsupported."""
    if briefing.grounding.mode == "strict":
        return [i for i in items if item_status(i) != "unsupported"]
    return list(items)


def principal_actors(briefing: Briefing) -> list[Actor]:
    """Actors by how much the briefing rests on them: named at the top, quoted, in a dispute,
    holding a position, the source of a figure."""
    top = [p.text.casefold() for p in (briefing.bottom_line, *briefing.key_points)]
    score: dict[str, int] = {a.id: 0 for a in briefing.actors}
    for a in briefing.actors:
        names = [re.escape(n.casefold()) for n in (a.name, *a.aliases) if len(n) > 2]
        if names:  # any of them, in one search a text
            named = re.compile(rf"\b(?:{'|'.join(names)})\b")
            score[a.id] += 2 * sum(named.search(text) is not None for text in top)
    for q in briefing.quotes:
        score[q.speaker_id] = score.get(q.speaker_id, 0) + 1
    for c in briefing.disputed_claims:
        for actor_id in (*c.asserted_by, *c.disputed_by):
            score[actor_id] = score.get(actor_id, 0) + 2
    for p in briefing.positions:
        score[p.actor_id] = score.get(p.actor_id, 0) + 1
    for f in briefing.facts:
        if f.attributed_to:
            score[f.attributed_to] = score.get(f.attributed_to, 0) + 1
    ranked = sorted(briefing.actors, key=lambda a: -score[a.id])  # stable: the briefing's order on ties
    return [a for a in ranked if score[a.id] > 0]


def distinct_figures(facts: list[Fact]) -> list[Fact]:
    """One line per figure: the same value and unit said twice is shown once."""
    seen: set[tuple[frozenset[float], str]] = set()
    kept = []
    for fact in facts:
        key = (figures_in(fact.figure), (fact.unit or "").casefold())
        if key[0] and key in seen:
            continue
        seen.add(key)
        kept.append(fact)
    return kept


def chronological(events: list[Event], published: dict[str, str | None] | None = None) -> list[Event]:
    """Events in true order ("2022" before "2022-12" before "2022-12-05"). An event the model
    left without an ISO date is placed where its own words put it when they can be read against
    its source's publication date ("last week", "Tuesday"); the rest follow, in the article's
    order."""
    published = published or {}

    def when(event: Event) -> tuple[bool, str]:
        if event.date:
            return False, event.date
        source = event.evidence[0].source if event.evidence else None
        base = parse_published(published.get(source or ""))
        spans = date_spans(event.date_text, base) if base else []
        return (False, min(start for start, _ in spans).isoformat()) if spans else (True, "")

    return sorted(events, key=when)


def complete_quotes(quotes: list[Quote]) -> list[Quote]:
    """Statements, not phrases; different speakers first, then the article's order."""
    full = [q for q in quotes if words(q.text) >= QUOTE_MIN_WORDS]
    first_of_each = {}
    for q in full:
        first_of_each.setdefault(q.speaker_id, q)
    rest = [q for q in full if q not in first_of_each.values()]
    return [*first_of_each.values(), *rest]


@dataclass
class _Shown:
    """What a view chooses from, whatever its limits: worked out once a briefing (`fit` builds
    a view for every step it may stop at)."""

    points: list[Point]
    moved_points: list[Point]
    contested: list[DisputedClaim]
    unconfirmed: list[DisputedClaim]
    held: dict[str, list[Position]]  # by actor id
    actors: list[Actor]
    figures: list[Fact]
    events: list[Event]
    quotes: list[Quote]
    disputes: list[SourceDispute]


def _shown(briefing: Briefing) -> _Shown:
    points, claims = _kept(briefing, briefing.key_points), _kept(briefing, briefing.disputed_claims)
    held: dict[str, list[Position]] = {}
    for position in _kept(briefing, briefing.positions):
        held.setdefault(position.actor_id, []).append(position)
    return _Shown(
        points=points,
        moved_points=[p for p in briefing.key_points if p not in points],
        contested=[c for c in claims if c.disputed_by],
        unconfirmed=[c for c in claims if not c.disputed_by],
        held=held,
        actors=principal_actors(briefing),
        figures=distinct_figures(_kept(briefing, briefing.facts)),
        events=_kept(briefing, briefing.events),
        quotes=complete_quotes(_kept(briefing, briefing.quotes)),
        disputes=_kept(briefing, briefing.source_disputes),
    )


def _chosen(briefing: Briefing, limits: Limits, parts: _Shown) -> dict[str, list]:
    """What each section shows at these limits, before it is laid out: cheap to work out for
    every step of the fit, which lays out only the views it renders."""
    principal = parts.actors[: limits.principal]
    named = {a.id for a in principal}
    return {
        "key_points": parts.points[: limits.key_points],
        "contested": parts.contested[: limits.contested],
        "disputes": parts.disputes[: limits.disputes],
        "unconfirmed": parts.unconfirmed[: limits.unconfirmed],
        "principal": principal,
        "holds": [parts.held.get(a.id, [])[: limits.holds] for a in principal],
        "also": [a for a in briefing.actors if a.id not in named][: limits.also],
        "figures": parts.figures[: limits.figures],
        "dates": parts.events[: limits.dates],
        "quotes": parts.quotes[: limits.quotes],
    }


def build(briefing: Briefing, limits: Limits, shown_items: _Shown | None = None) -> View:
    """The view at these limits."""
    parts = shown_items or _shown(briefing)
    chosen = _chosen(briefing, limits, parts)
    view = View(
        points=chosen["key_points"],
        moved_points=list(parts.moved_points),
        contested=chosen["contested"],
        disputes=chosen["disputes"],
        unconfirmed=chosen["unconfirmed"],
        principal=[WhoLine(a, [p.stance for p in held], held) for a, held in zip(chosen["principal"], chosen["holds"])],
        also=chosen["also"],
        figures=chosen["figures"],
        dates=chronological(chosen["dates"], {x.id: x.date for x in briefing.sources}),
        quotes=chosen["quotes"],
        left_out=0,
    )
    shown = (len(view.contested) + len(view.disputes) + len(view.unconfirmed) + len(view.figures)
             + len(view.dates) + len(view.quotes))
    everything = (len(parts.contested) + len(parts.unconfirmed) + len(parts.disputes) + len(parts.figures)
                  + len(parts.events) + len(parts.quotes))
    view.left_out = everything - shown + len(parts.points) - len(view.points)
    return view


def fit(briefing: Briefing, render: Callable[[View], str]) -> View:
    """The fullest view whose rendering is within the word budget: limits are lowered one step
    at a time, least needed first, until it fits (or nothing more can go). The steps do not depend
    on the renderings, only where to stop does: a binary search renders a handful of them. The
    footer's account of the run is not counted: the same briefing shows the same items whether
    it was replayed, run live or through the Batch API."""
    budget = word_budget(briefing) + words(spending(briefing.usage, briefing.cost, briefing.language))
    path, parts = _cut_path(briefing)
    views: dict[int, View] = {}

    def view(index: int) -> View:
        if index not in views:
            views[index] = build(briefing, path[index], parts)
        return views[index]

    def fits(index: int) -> bool:
        return words(render(view(index))) <= budget

    if fits(0):
        return view(0)
    low, high = 0, len(path) - 1  # low does not fit; high fits, or is the last step there is
    if not fits(high):
        return view(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return view(high)


def _cut_path(briefing: Briefing) -> tuple[list[Limits], _Shown]:
    """The limits of every view from the fullest down, one item fewer each step, least needed
    first; and what the views choose from. A cut takes one item from its own section only, but
    a principal actor's cut moves the actor to "also" (perhaps with the most holds): recount."""
    limits, parts = Limits(), _shown(briefing)
    path, counts = [limits], _counts(_chosen(briefing, limits, parts))
    for floors in CUT_ROUNDS:
        while cut := next((name for name, floor in floors.items() if counts[name] > floor), None):
            limits = Limits(**{**vars(limits), cut: counts[cut] - 1})
            path.append(limits)
            if cut == "principal":
                counts = _counts(_chosen(briefing, limits, parts))
            else:
                counts[cut] -= 1
    return path, parts


def _counts(chosen: dict[str, list]) -> dict[str, int]:
    """How many items each section shows; for `holds`, the most any principal actor shows."""
    return {name: max(map(len, items), default=0) if name == "holds" else len(items)
            for name, items in chosen.items()}


# ------------------------------------------------------------------- small readers


def human_date(iso: str | None, language: str | None = None) -> str:
    """"2024-11-15" as "15 November 2024", "2022-12" as "December 2022", "2022" as is; in the
    briefing's language ("15 novembre 2024"), whatever the machine's locale."""
    from ..core.languages import date_words

    if not iso:
        return ""
    parts = iso.split("-")
    try:
        if len(parts) in (2, 3):
            d = Date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
            return date_words(d.year, d.month, d.day if len(parts) == 3 else None, language)
    except ValueError:
        pass
    return iso


_DATE_FILLER = {"in", "on", "at", "the", "of", "by", "since", "from", "during",  # and as de, fr, es write them
                "am", "im", "vom", "seit", "le", "du", "en", "depuis", "el", "de", "del", "desde"}


def date_note(event: Event, language: str | None = None) -> str:
    """The article's wording of a date, when it says more than the date itself ("this Friday"),
    never a repeat ("1991 (1991)")."""
    said = " ".join(event.date_text.split())
    shown = human_date(event.date, language)
    if not shown:
        return ""
    shown_words = set(re.findall(r"\w+", shown.casefold())) | _DATE_FILLER
    if set(re.findall(r"\w+", said.casefold())) <= shown_words:
        return ""
    return said


def figure_phrase(fact: Fact, language: str | None = None) -> str:
    """A figure read as a phrase: the statement when it holds the figure; otherwise the
    statement with the figure beside it, never the figure and its unit glued together."""
    statement = " ".join(fact.statement.split()).rstrip(".")
    if fact.figure.casefold() in statement.casefold() or (
        figures_in(fact.figure) and figures_in(fact.figure) <= figures_in(statement)
    ):
        return statement
    return f"{statement}{punctuate(':', language)} {fact.figure}"


def names_actor(text: str, actor: Actor) -> bool:
    """Whether a text already names the actor (by name, alias or surname)."""
    folded = text.casefold()
    names = {actor.name, *actor.aliases}
    if actor.kind == "person" and len(actor.name.split()) > 1:
        names.add(actor.name.split()[-1])
    return any(re.search(rf"\b{re.escape(n.casefold())}\b", folded) for n in names if len(n) > 2)


def role_line(actor: Actor, language: str | None = None) -> str:
    """Role and affiliation, kept apart: "German Chancellor; Social Democrats"; the kind of actor
    when the article gives neither (a name alone on a line reads as a heading)."""
    role = actor.role if actor.role and actor.role.casefold() not in actor.name.casefold() else None
    parts = [p for p in (role, actor.affiliation) if p and p.casefold() not in actor.name.casefold()]
    if len(parts) == 2 and parts[1].casefold() in parts[0].casefold():
        parts = parts[:1]
    if not parts:
        from ..core.languages import kind_word

        return kind_word(actor.kind, language)
    return f"{punctuate(';', language)} ".join(" ".join(p.split()) for p in parts)


def distinct_aliases(actor: Actor) -> list[str]:
    """Aliases without the name itself and without repeats that differ only in case."""
    seen = {actor.name.casefold()}
    kept = []
    for alias in actor.aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept


_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_url(url: str | None) -> str | None:
    """A source's address as a link target: http or https only, with a host; characters that
    could end a Markdown or HTML attribute percent-encoded. Anything else is no link."""
    if not url or _UNSAFE_IN_URL.search(url.strip()):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=":/?#[]@!$&*+,;=%-._~")
