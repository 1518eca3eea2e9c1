"""What the short default briefing shows, in a length a busy reader finishes.

The Briefing keeps every item; the default template shows the part that matters, cited: the
bottom line and key points, the claims with someone on each side, what is unconfirmed, the
principal actors with what they hold, the figures and dates, a few complete quotes. Its length is
bounded by the article's (issue 11): at most max(450, 0.4 x the article's words), never over 800
words for one article or 1,200 for several, never over 0.8 of a short article's words (issue 22).
`fit` takes items out, least needed first, until it is within that bound; `dossier` shows all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.models import Actor, Briefing, DisputedClaim, Event, Fact, Point, Quote, SourceDispute
from ..grounding import item_status
from . import choice, once, who
from . import quotes as ranking
from .choice import chronological  # noqa: F401  (the short briefing's timeline order, re-exported)
from .who import Held

FLOOR_WORDS = 450
SHARE_OF_ARTICLE = 0.4
#: The most of a short article's words its briefing may take, whatever the floor.
MOST_OF_SHORT_ARTICLE = 0.8
MAX_WORDS_ONE = 800
MAX_WORDS_SEVERAL = 1200


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
#: first within a round, so that every section keeps something for as long as it can; each
#: section's list is ranked (briefer/render/choice.py), so a cut takes its least important item.
#: "Also mentioned" shrinks before the actors with what they hold; after the balanced rounds a
#: second quote goes before a key point; "Numbers and dates", the at-a-glance list, keeps three
#: dates and two figures until the key points are down to five. One complete quote and the news's
#: own date (`choice.news_event`) stay to the end; key points, three or more but for a very short article.
CUT_ROUNDS: tuple[dict[str, int], ...] = (
    {"holds": 1, "also": 6, "quotes": 2, "principal": 6, "unconfirmed": 3, "dates": 4, "figures": 4},
    {"also": 4, "principal": 5, "dates": 3, "figures": 3, "unconfirmed": 2, "quotes": 1},
    {"also": 2, "principal": 4, "figures": 2, "contested": 3, "disputes": 2, "unconfirmed": 1},
    {"also": 0, "principal": 3, "quotes": 1, "contested": 2, "key_points": 5},
    {"unconfirmed": 0, "contested": 1, "figures": 1, "dates": 2, "disputes": 1, "key_points": 4},
    {"figures": 0, "dates": 1, "key_points": 3,
     "principal": 0, "holds": 0},  # never a name and a role alone: the actors go before what they hold
    {"dates": 0, "contested": 0, "disputes": 0, "quotes": 0, "key_points": 1},  # a very short article's bound
)


#: With several sources, "Who's who", the figures, dates and quotes keep a line from each source
#: (as far as they have one: `choice.covering`) through the first rounds of cuts.
BALANCED_ROUNDS = 3


@dataclass
class WhoLine:
    actor: Actor
    holds: list[str]
    cite: list = field(default_factory=list)  # what the holds stand on, for their citations


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
    origins: choice.Origins = field(default_factory=dict)  # a merged line's items (the page links them)


def _kept(briefing: Briefing, items: list) -> list:
    """Under strict grounding the body shows nothing unsupported."""
    if briefing.grounding.mode == "strict":
        return [i for i in items if item_status(i) != "unsupported"]
    return list(items)


@dataclass
class _Shown:
    """What a view chooses from, whatever its limits: worked out once a briefing (`fit` builds
    a view for every step it may stop at)."""

    points: list[Point]
    moved_points: list[Point]
    contested: list[DisputedClaim]
    unconfirmed: list[DisputedClaim]
    held: dict[str, list[Held]]  # by actor id
    actors: list[Actor]
    also: list[Actor]  # every actor, the story's own first
    figures: list[Fact]
    events: list[Event]
    quotes: list[Quote]
    disputes: list[SourceDispute]
    origins: choice.Origins
    said: dict[int, int] = field(default_factory=dict)  # by id: the top line that says an item (`once.said_at`)
    named: dict[str, int] = field(default_factory=dict)  # by actor id: the first top line naming them


def _shown(briefing: Briefing) -> _Shown:
    """Every section's items, most important first (briefer/render/choice.py); no actor's line
    for a claim "Unconfirmed" shows with who says it, nor a stance the top gives with the
    actor's name; what else the top says is left out view by view (`_said`)."""
    points, raw_claims = _kept(briefing, briefing.key_points), _kept(briefing, briefing.disputed_claims)
    quotes, sources = _kept(briefing, briefing.quotes), [s.id for s in briefing.sources]
    origins: choice.Origins = {}
    above = [briefing.bottom_line.text, *(p.text for p in points)]
    claims = choice.merged_claims(raw_claims, origins)
    contested = choice.balanced([c for c in claims if c.disputed_by], sources)
    unconfirmed = choice.balanced([c for c in claims if not c.disputed_by and not (c.asserted_by and all(
        who.own_say(briefing, briefing.actor(a)) for a in c.asserted_by))], sources)
    in_sections = {id(o) for c in unconfirmed for o in (c, *origins.get(id(c), (c, []))[1])}
    scores = who.actor_scores(briefing)
    ranked_quotes = ranking.ranked_quotes(briefing, quotes, scores)
    held = who.holdings(briefing, _kept(briefing, briefing.positions),
                        [c for c in raw_claims if id(c) not in in_sections], ranked_quotes, above)
    quotes = who.not_shown_above(ranked_quotes, claims, held.values())
    actors = [a for a in who.principal_actors(briefing) if held.get(a.id) and who.voiced(briefing, a)]
    if len(sources) > 1:
        who.spread(actors, held)
        top = 2 * len(sources)  # a source's actor comes forward only from among the story's leading ones
        actors = [*choice.balanced(actors[:top], sources, lambda a: who.held_in(held, a)), *actors[top:]]
    parts = _Shown(
        points=points,
        moved_points=[p for p in briefing.key_points if p not in points],
        contested=contested,
        unconfirmed=unconfirmed,
        held=held,
        actors=actors,
        also=[a for a in (*actors, *(a for a in briefing.actors if a not in actors)) if who.named_or_one(a)],
        figures=choice.ranked_figures(briefing, _kept(briefing, briefing.facts), origins),
        events=choice.ranked_events(briefing, _kept(briefing, briefing.events), origins),
        quotes=quotes,
        disputes=_kept(briefing, briefing.source_disputes),
        origins=origins,
    )
    # a figure the top gives is not given again; the dates stay whole: the story's timeline
    parts.said = once.said_in_top(briefing, points, [*contested, *unconfirmed, *quotes, *parts.figures])
    tops = once.top_lines(briefing, points)
    parts.named = once.named_in_top(parts.also, tops)
    told = {id(e): at for e in parts.events if (at := once.said_at(e.what, tops, once.places_of(e))) is not None}
    news = choice.news_event(briefing, parts.events, told)
    parts.events.sort(key=lambda e: e is not news)  # the news's own date first: a briefing has a date
    return parts


def _chosen(limits: Limits, parts: _Shown) -> dict[str, list]:
    """What each section shows at these limits, before it is laid out: cheap to work out for
    every step of the fit, which lays out only the views it renders. An item a shown top line
    says is left out; of the quotes, one stays even so (a briefing of an article that quotes
    anyone shows a complete quote); an actor's line is not a quote "In their words" shows."""

    def new(items: list) -> list:
        return [i for i in items if parts.said.get(id(i), limits.key_points + 1) > limits.key_points]

    quotes = (new(parts.quotes) or parts.quotes[:1])[: limits.quotes]
    lines = {a.id: _new_lines(parts.held.get(a.id, []), quotes, limits.key_points) for a in parts.actors}
    principal = [a for a in parts.actors if lines[a.id]][: limits.principal]
    named, dates = {a.id for a in principal}, new(parts.events)[: limits.dates]
    timeline = [(e.what, once.places_of(e)) for e in dates]  # a figure a date line gives is not said twice
    figures = [f for f in new(parts.figures) if once.said_at(f.statement, timeline, once.places_of(f), f.figure) is None]
    return {
        "key_points": parts.points[: limits.key_points],
        "contested": new(parts.contested)[: limits.contested],
        "disputes": parts.disputes[: limits.disputes],
        "unconfirmed": new(parts.unconfirmed)[: limits.unconfirmed],
        "principal": principal,
        "holds": [lines[a.id][: limits.holds] for a in principal],
        "also": [a for a in parts.also if a.id not in named and a.id not in {q.speaker_id for q in quotes}
                 and parts.named.get(a.id, limits.key_points + 1) > limits.key_points][: limits.also],
        "figures": figures[: limits.figures],
        "dates": dates,
        "quotes": quotes,
    }


def _new_lines(held: list[Held], quotes: list[Quote], points: int) -> list[Held]:
    """An actor's lines at a view: what the shown top does not already say of them; when it says
    all they hold, their first line even so. Editors found Letwin, whose amendment the story turns
    on, Sondland, the story's subject, and the defendant absent from "Who's who" because a key
    point gave their stance: a reader looks an actor up there. A statement "In their words"
    shows is not their line again."""
    own = [h for h in held if h.quote is None or h.quote not in quotes]
    return [h for h in own if h.said is None or h.said > points] or own[:1]


def build(briefing: Briefing, limits: Limits, shown_items: _Shown | None = None) -> View:
    """The view at these limits."""
    parts = shown_items or _shown(briefing)
    chosen = _chosen(limits, parts)
    speaker = briefing.actor(chosen["quotes"][0].speaker_id) if len(chosen["quotes"]) == 1 else None
    folded = not chosen["principal"] and speaker is not None
    if folded:  # the last quote names its speaker's role: who's who
        chosen.update(principal=[speaker], holds=[[who.quote_line(chosen["quotes"][0], briefing.language)]], quotes=[])
    view = View(
        points=chosen["key_points"],
        moved_points=list(parts.moved_points),
        contested=chosen["contested"],
        disputes=chosen["disputes"],
        unconfirmed=chosen["unconfirmed"],
        principal=[WhoLine(a, [h.text for h in held], held) for a, held in zip(chosen["principal"], chosen["holds"])],
        also=chosen["also"],
        figures=chosen["figures"],
        dates=choice.chronological(chosen["dates"], {x.id: x.date for x in briefing.sources}),
        quotes=chosen["quotes"],
        left_out=0,
        origins=parts.origins,
    )
    shown = (len(view.contested) + len(view.disputes) + len(view.unconfirmed) + len(view.figures)
             + len(view.dates) + len(view.quotes) + folded)
    said = sum(at <= limits.key_points for at in parts.said.values())  # in the view, said by the top
    everything = (len(parts.contested) + len(parts.unconfirmed) + len(parts.disputes) + len(parts.figures)
                  + len(parts.events) + len(parts.quotes)) - said
    view.left_out = everything - shown + len(parts.points) - len(view.points)
    return view


def fit(briefing: Briefing, render: Callable[[View], str]) -> View:
    """The fullest view whose rendering is within the word budget: limits are lowered one step
    at a time, least needed first, until it fits (or nothing more can go). The steps do not depend
    on the renderings, only where to stop does: a binary search renders a handful of them. The
    short briefing holds no account of the run (the runner's stderr and run log do): the same
    briefing shows the same items whether it was replayed, run live or through the Batch API."""
    budget = word_budget(briefing)
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
    return _names_give_way(briefing, path[low], parts, render, budget) or view(high)


def _names_give_way(briefing: Briefing, limits: Limits, parts: _Shown, render: Callable[[View], str],
                    budget: int) -> View | None:
    """The view just over the budget with fewer names under "Also mentioned", when that fits: a
    list of names gives way before the quote, key point or line the next step cuts (a French
    briefing lost a sixty-word quote to a name three words longer than the one it replaced)."""
    for also in range(min(limits.also, len(_chosen(limits, parts)["also"])) - 1, -1, -1):
        shorter = build(briefing, Limits(**{**vars(limits), "also": also}), parts)
        if words(render(shorter)) <= budget:
            return shorter
    return None


def _cut_path(briefing: Briefing) -> tuple[list[Limits], _Shown]:
    """The limits of every view from the fullest down, one item fewer each step, least needed
    first; and what the views choose from. A cut takes one item from its own section only, but
    a principal actor's cut moves the actor to "also" (perhaps with the most holds): recount."""
    limits, parts = Limits(), _shown(briefing)
    path, counts = [limits], _counts(_chosen(limits, parts))
    full = _chosen(Limits(**{name: 1_000 for name in vars(limits)}), parts)
    cover = {"quotes": choice.covering(full["quotes"]),
             "principal": choice.covering(parts.actors, lambda a: who.held_in(parts.held, a)),
             "figures": choice.covering(full["figures"]), "dates": choice.covering(full["dates"])}
    for n, round_floors in enumerate(CUT_ROUNDS):
        floors = {name: max(floor, cover[name]) if n < BALANCED_ROUNDS and name in cover else floor
                  for name, floor in round_floors.items()}
        while cut := next((name for name, floor in floors.items() if counts[name] > floor), None):
            limits = Limits(**{**vars(limits), cut: counts[cut] - 1})
            if cut in ("principal", "key_points", "quotes", "dates"):  # these change what other sections show
                limits, counts = _recounted(limits, parts, counts)
            else:
                counts[cut] -= 1
            path.append(limits)
    return path, parts


#: The sections whose items a shown top line or date line may say: a cut that shows such a line no
#: more must not lengthen them (a key point's figures back under "Numbers and dates" made one view
#: longer than the view before it, and the fit's search passed over the view that fitted).
SAID_ELSEWHERE = ("figures", "contested", "unconfirmed", "quotes")


def _recounted(limits: Limits, parts: _Shown, before: dict[str, int]) -> tuple[Limits, dict[str, int]]:
    """The limits and counts after a cut that changes what other sections show: an item the cut
    frees takes the place of a lower one, not a place of its own."""
    counts = _counts(_chosen(limits, parts))
    grown = {name: before[name] for name in SAID_ELSEWHERE if counts[name] > before[name]}
    if not grown:
        return limits, counts
    limits = Limits(**{**vars(limits), **grown})
    return limits, _counts(_chosen(limits, parts))


def _counts(chosen: dict[str, list]) -> dict[str, int]:
    """How many items each section shows; for `holds`, the most any principal actor shows."""
    return {name: max(map(len, items), default=0) if name == "holds" else len(items)
            for name, items in chosen.items()}
