"""The short briefing's choices and its word bound, item by item (render/layout.py): who is a
principal actor with which positions, who is only named, what the footer says was left out, the
timeline read against the dateline, the budget for one source or several, and `fit` stopping
at the fullest view within the bound. Each test stands for mutants the golden renders alone
caught (scripts/mutation.py layout-bound)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import main
from briefer.core.models import Briefing, Event, Evidence
from briefer.render import choice, who
from briefer.render.layout import (CUT_ROUNDS, SAID_ELSEWHERE, Limits, View, _cut_path, _shown, build, chronological, fit,
                                   word_budget, words)

from .goldens import ARTICLES, CASSETTES, SETS


def replayed(folder: Path, name: str) -> Briefing:
    """A golden set's briefing as its recording gives it."""
    out = folder / f"{name}.json"
    result = CliRunner().invoke(main, ["brief", *(str(ARTICLES / a) for a in SETS[name]),
                                       "--replay", str(CASSETTES), "-q", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return Briefing.model_validate_json(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def meth(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    """The four-outlet briefing: 19 actors, 24 positions, 22 quotes."""
    return replayed(tmp_path_factory.mktemp("meth"), "meth-four-outlets")


@pytest.fixture(scope="module")
def scholz(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    """One article's briefing with few actors (11): a principal actor cut grows "also"."""
    return replayed(tmp_path_factory.mktemp("scholz"), "scholz-putin-call")


def with_words(briefing: Briefing, *counts: int | None) -> Briefing:
    """The briefing with as many sources as `counts`, of those word counts (None: unknown)."""
    source = briefing.sources[0]
    return briefing.model_copy(update={"sources": [source.model_copy(update={"id": f"s{n}", "words": count})
                                                   for n, count in enumerate(counts)]})


@pytest.fixture(scope="module")
def assange(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    return replayed(tmp_path_factory.mktemp("assange"), "assange-two-outlets")


@pytest.fixture(scope="module")
def tories(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    return replayed(tmp_path_factory.mktemp("tories"), "ap-uk-tories-factcheckuk-2019")


# ------------------------------------------------------------------------ the budget


def test_one_article_is_bounded_at_800_words_and_several_at_1200(meth: Briefing) -> None:
    assert word_budget(with_words(meth, 3000)) == 800  # 0.4 x 3,000 = 1,200, over one article's ceiling
    assert word_budget(with_words(meth, 2500, 2500)) == 1200  # two are "several"
    assert word_budget(with_words(meth, 1500, 1500)) == 1200
    assert word_budget(with_words(meth, 1000)) == 450  # the floor
    assert word_budget(with_words(meth, 1500)) == 600


def test_a_source_of_unknown_length_adds_nothing_to_the_budget(meth: Briefing) -> None:
    assert word_budget(with_words(meth, 1501, None)) == word_budget(with_words(meth, 1501, 0)) == 600  # not 601


# -------------------------------------------------------------------- what a view shows


def test_principal_actors_show_their_own_positions_and_the_rest_are_named_by_rank(meth: Briefing) -> None:
    """Issue 22: Who's who is the story's own ranking (briefer/render/who.py, tests/test_choice.py);
    each line holds the actor's own items; the rest named, the story's own first."""
    parts = _shown(meth)
    view = build(meth, Limits(), parts)
    assert [w.actor.id for w in view.principal] == [a.id for a in parts.actors[:7]]
    for line in view.principal:
        assert line.holds == [h.text for h in parts.held.get(line.actor.id, [])[:2]]
    assert any(line.holds for line in view.principal)
    named = {w.actor.id for w in view.principal}
    met = named | {q.speaker_id for q in view.quotes} | {a for a, at in parts.named.items() if at <= len(view.points)}
    assert view.also == [a for a in parts.also if a.id not in met][:12] and len(view.also) > 1
    assert not named & {a.id for a in view.also}


SECTIONS = {"points": ("points", "key_points"), "contested": ("contested", "contested"),
            "disputes": ("disputes", "disputes"), "unconfirmed": ("unconfirmed", "unconfirmed"),
            "figures": ("figures", "figures"), "dates": ("events", "dates"), "quotes": ("quotes", "quotes")}


@pytest.mark.parametrize("cut", [0, 1])
def test_the_footer_counts_every_item_the_short_briefing_leaves_out(meth: Briefing, cut: int) -> None:
    """Every section the count covers shows something here, and (with `cut`) one item fewer than
    it could: each section's share of the count is seen. (The recording's unconfirmed claims are
    a named person's say, shown as theirs, or a key point's, and all but one of its figures are a
    key point's, and it has no contested claim: what each lacks, that no line above says, is
    added.)"""
    rumours = [meth.disputed_claims[0].model_copy(update={
        "claim": claim, "asserted_by": [], "disputed_by": [], "rebuttal": []})
        for claim in ("A second agency was paid to rework the slogan.", "The billboards went up in Pierre first.")]
    figure = meth.facts[0].model_copy(update={"statement": "The slogan was registered with 17 agencies",
                                               "figure": "17"})
    asserted = meth.disputed_claims[0]
    contested = [asserted.model_copy(update={  # contested claims no point says
        "claim": claim, "status": "contested", "disputed_by": [meth.actors[-1].id], "rebuttal": asserted.evidence})
        for claim in ("The tagline was tested with focus groups before its launch.",
                      "The governor chose the slogan herself.")]
    meth = meth.model_copy(update={"disputed_claims": [*meth.disputed_claims, *rumours, *contested],
                                   "facts": [*meth.facts, figure]})
    parts = _shown(meth)

    def available_with(points: int) -> dict[str, int]:
        """What each section can show beside this many key points: not what one of them says."""
        said = {item for item, at in parts.said.items() if at <= points}
        return {name: len([i for i in getattr(parts, field) if id(i) not in said]) if name != "points"
                else len(parts.points) for name, (field, _) in SECTIONS.items()}

    available = available_with(len(parts.points) - cut)
    assert min(available.values()) >= 2, available
    limits = Limits(**{limit: available[name] - cut - (name == "quotes") for name, (_, limit) in SECTIONS.items()})
    # (a quote is always left out)
    view = build(meth, limits)
    for name in SECTIONS:
        assert len(getattr(view, name)) == getattr(limits, SECTIONS[name][1]), name
    assert view.left_out == 1 + cut * len(SECTIONS)
    full = available_with(Limits().key_points)
    assert build(meth, Limits()).left_out == sum(
        full[name] - min(full[name], getattr(Limits(), limit)) for name, (_, limit) in SECTIONS.items())


def test_the_timeline_of_a_view_reads_relative_dates_against_the_dateline(meth: Briefing) -> None:
    source = meth.sources[0].id

    def event(what: str, iso: str | None, said: str) -> Event:
        return Event(date=iso, date_text=said, what=what, evidence=[Evidence(source=source, paragraph=1, excerpt=said)])

    events = [event("call", "2019-11-19", "Tuesday"), event("talks", None, "last week"),
              event("start", "2019-11-01", "November 1")]
    briefing = meth.model_copy(update={"events": events, "sources": [meth.sources[0].model_copy(
        update={"date": "2019-11-19"})]})
    assert [e.what for e in build(briefing, Limits()).dates] == ["start", "talks", "call"]
    assert [e.what for e in chronological(events)] == ["start", "call", "talks"]  # without the dateline


# ------------------------------------------------------------------------- the fit


def items(view: View) -> int:
    """What a view shows; the last quote, shown as its speaker's line when no actor has one, is
    the one item it was (two quotes cut to that one show less, though "Who's who" comes back)."""
    folded = not view.quotes and len(view.principal) == 1 and all(h.quote for h in view.principal[0].cite)
    return (len(view.points) + len(view.contested) + len(view.disputes) + len(view.unconfirmed)
            + (0 if folded else len(view.principal)) + sum(len(w.holds) for w in view.principal) + len(view.also)
            + len(view.figures) + len(view.dates) + len(view.quotes))


def fitted(briefing: Briefing, allowed_items: int, over: int = 0) -> tuple[View, list[int]]:
    """`fit` with a rendering of 10 words an item whose budget allows exactly `allowed_items`,
    every rendering `over` words longer; and
    the items of every step of the path."""
    budget = word_budget(briefing)
    per_item = 10
    padding = budget - allowed_items * per_item  # words every rendering has, besides the items

    def render(view: View) -> str:
        return " ".join(["w"] * (padding + per_item * items(view) + over))

    path, parts = _cut_path(briefing)
    return fit(briefing, render), [items(build(briefing, limits, parts)) for limits in path]


@pytest.mark.parametrize("step", [1, 2, 9, 25])
def test_fit_stops_at_the_fullest_view_within_the_bound_and_a_rendering_of_exactly_the_bound_fits(
        meth: Briefing, step: int) -> None:
    _, counts = fitted(meth, 10**6)
    path, _ = _cut_path(meth)
    assert counts == sorted(counts, reverse=True)  # every step shows less, but a key point's cut may show
    assert all(a > b or path[n + 1].key_points < path[n].key_points  # again lower down what that point said
               for n, (a, b) in enumerate(zip(counts, counts[1:])))
    view, _ = fitted(meth, counts[step])  # that step's rendering is exactly the budget
    assert items(view) == counts[step]
    view, _ = fitted(meth, counts[step - 1], over=1)  # the step before is one word over: that step,
    assert counts[step] <= items(view) < counts[step - 1]  # or the one before with a name fewer


def test_the_full_view_is_kept_when_it_fits_and_the_shortest_when_nothing_does(meth: Briefing) -> None:
    _, counts = fitted(meth, 10**6)
    assert items(fitted(meth, counts[0])[0]) == counts[0]
    shortest, _ = fitted(meth, 0)
    assert items(shortest) == counts[-1]
    last = CUT_ROUNDS[-1]
    assert (len(shortest.points), len(shortest.principal), len(shortest.quotes)) == (
        last["key_points"], 0, last["quotes"])


def shown(view: View, limit: str) -> int:
    """How many the section that limit bounds shows (holds: the most any principal actor shows)."""
    if limit == "holds":
        return max((len(w.holds) for w in view.principal), default=0)
    return len(getattr(view, {"key_points": "points", "dates": "dates"}.get(limit, limit)))


def counted(view: View, limits: Limits, limit: str) -> int:
    """`shown`, with the last quote shown as its speaker's line once no actor has one counted
    as a quote, not an actor."""
    folded = limits.principal == 0 and len(view.principal) == 1
    return shown(view, limit) + {"quotes": folded, "principal": -folded, "holds": -folded}.get(limit, 0)


@pytest.mark.parametrize("name", ["meth", "scholz", "businessweek", "assange", "tories"])
def test_each_step_of_the_cut_shows_one_item_fewer_in_one_section_down_to_the_last_floors(
        name: str, request: pytest.FixtureRequest) -> None:
    """Fit's binary search may stop at any step: none may skip a view (two items of a section
    at once) or repeat one (a limit lowered that shows nothing less). A key point's cut may free a
    figure it gave: that takes a lower figure's place, not a place of its own (a view longer than
    the one before it made the search pass over the view that fitted: the meth briefing lost a key
    point), so the figures' limit is lowered with it, to what they showed."""
    briefing = request.getfixturevalue(name)
    path, parts = _cut_path(briefing)
    views = [build(briefing, limits, parts) for limits in path]
    for n in range(1, len(path)):
        lowered = [name for name in vars(path[n]) if getattr(path[n], name) != getattr(path[n - 1], name)]
        change = {name: counted(views[n], path[n], name) - counted(views[n - 1], path[n - 1], name)
                  for name in lowered}
        assert sorted(change.values()) == [-1, *[0] * (len(lowered) - 1)], (n, change)
        for name in SAID_ELSEWHERE:
            assert counted(views[n], path[n], name) <= counted(views[n - 1], path[n - 1], name), (n, name)
    last = views[-1]
    assert (len(last.points), len(last.contested), len(last.disputes), len(last.also), len(last.principal)) == (
        min(1, len(parts.points)), 0, 0, 0, 0)  # the last floors (a very short article's)


def test_a_french_briefing_is_bound_by_the_same_words(meth: Briefing) -> None:
    """The short briefing holds no account of the run (it goes to stderr), in any language: the
    fit's budget is the bound alone."""
    french = meth.model_copy(update={"language": "fr"})
    _, counts = fitted(french, 10**6)
    view, _ = fitted(french, counts[3])
    assert items(view) == counts[3]


def sources_shown(items: list) -> set[str]:
    return {source for item in items for source in choice.sources_of(item)}


def test_with_several_sources_the_quotes_keep_one_of_each_source_through_the_balanced_rounds_not_over_a_key_point(
        meth: Briefing) -> None:
    """Two quotes, of two outlets: the cuts keep both while "Also mentioned" still names someone
    (the balanced rounds), not one outlet's alone; after them the second quote goes before a
    key point does. An editor missed the three-outlet meth briefing's fourth key point, cut
    while a second outlet's quote stayed: a key point tells a reader more than a quote."""
    by_source = {q.source: q for q in reversed(_shown(meth).quotes)}  # each outlet's best quote shown
    two = [by_source[s] for s in sorted(by_source)[:2]]
    briefing = meth.model_copy(update={"quotes": two})
    path, parts = _cut_path(briefing)
    assert sources_shown(parts.quotes) == {q.source for q in two} and len(parts.points) > 5  # both are shown in full
    views = [build(briefing, limits, parts) for limits in path]
    assert any(len(v.points) < 5 and v.quotes for v in views)  # the path goes past five key points
    for view in views:
        if len(view.also) >= 2:
            assert sources_shown(view.quotes) == {q.source for q in two}
        if len(view.points) < 5:
            assert len(view.quotes) <= 1


def test_with_several_sources_the_figures_keep_one_of_each_source_through_the_balanced_rounds(
        meth: Briefing) -> None:
    """Four figures, one of each outlet: while "Also mentioned" still names someone (the first
    rounds), every outlet's figure is shown, not the best-ranked two."""
    fact = meth.facts[0]
    figures = [fact.model_copy(update={"statement": f"The campaign's {word} contract was worth {n} dollars",
                                       "figure": str(n), "evidence": [fact.evidence[0].model_copy(
                                           update={"source": source.id})]})
               for word, n, source in zip(("first", "second", "third", "fourth"), (11, 22, 33, 44), meth.sources)]
    briefing = meth.model_copy(update={"facts": figures})
    path, parts = _cut_path(briefing)
    assert sources_shown(parts.figures) == {s.id for s in meth.sources}
    views = [build(briefing, limits, parts) for limits in path]
    assert any(not v.also for v in views)
    for view in views:
        if view.also:
            assert sources_shown(view.figures) == {s.id for s in meth.sources}, [v.figures for v in views]


def test_with_several_sources_the_timeline_keeps_a_date_of_each_source_through_the_balanced_rounds(
        meth: Briefing) -> None:
    """Four dated events, one of each outlet: while "Also mentioned" still names someone, every
    outlet's date is on the timeline, not the best-ranked two."""
    event = meth.events[0]
    events = [event.model_copy(update={"what": f"the campaign's {word} contract was signed", "date": f"2019-0{n}-0{n}",
                                       "date_text": f"on {n} {month}", "evidence": [event.evidence[0].model_copy(
                                           update={"source": source.id})]})
              for word, n, month, source in zip(("first", "second", "third", "fourth"), (1, 2, 3, 4),
                                                ("January", "February", "March", "April"), meth.sources)]
    briefing = meth.model_copy(update={"events": events})
    path, parts = _cut_path(briefing)
    assert sources_shown(parts.events) == {s.id for s in meth.sources}
    views = [build(briefing, limits, parts) for limits in path]
    assert any(not v.also for v in views)
    for view in views:
        if view.also:
            assert sources_shown(view.dates) == {s.id for s in meth.sources}


def test_with_seven_sources_whos_who_keeps_an_actor_of_each_source_through_the_balanced_rounds(
        meth: Briefing) -> None:
    """The four outlets and three more, each cited only by what one more actor holds: five actors
    are needed to draw on all seven (the first names several outlets), one more than the third
    round's floor of four; while "Also mentioned" still names someone, each source has its actor."""
    parts = _shown(meth)
    lesser = [a.id for a in parts.actors[:10] if len(who.held_in(parts.held, a)) == 1][-3:]  # three of the lesser
    extra = [f"extra-{n}" for n in (1, 2, 3)]
    sources = [*meth.sources, *(meth.sources[0].model_copy(update={"id": e, "origin": f"{e}.txt"}) for e in extra)]
    moved = dict(zip(lesser, extra))
    positions = [p.model_copy(update={"evidence": [e.model_copy(update={"source": moved[p.actor_id]}) for e in p.evidence]})
                 if p.actor_id in moved else p for p in meth.positions]
    briefing = meth.model_copy(update={"sources": sources, "positions": positions})
    path, parts = _cut_path(briefing)
    every = {s.id for s in sources}
    assert {s for a in parts.actors for s in who.held_in(parts.held, a)} == every
    views = [build(briefing, limits, parts) for limits in path]
    assert any(not v.also for v in views)
    for view in views:
        if view.also:
            assert {s for line in view.principal for s in who.held_in(parts.held, line.actor)} == every


@pytest.mark.parametrize("left", ["all but one", "one", "none"])
def test_names_under_also_mentioned_give_way_before_the_quote_the_next_step_cuts(meth: Briefing, left: str) -> None:
    """A French golden lost a sixty-word quote because a name three words longer than the one it
    replaced put the view two words over: the step after it cut the quote. The view just over
    the budget is tried with fewer names under "Also mentioned" first, down to none."""
    path, parts = _cut_path(meth)
    cut_quote = next(n for n in range(1, len(path)) if path[n].quotes < path[n - 1].quotes)
    before = build(meth, path[cut_quote - 1], parts)
    assert len(before.also) >= 3 and before.quotes
    kept = {"all but one": len(before.also) - 1, "one": 1, "none": 0}[left]
    budget = word_budget(meth)

    def render(view: View) -> str:  # the view before the quote's cut is over by as many names as must go
        over = 2 * (len(before.also) - kept) + 2 * (len(view.also) - len(before.also)) \
            + 60 * (len(view.quotes) - len(before.quotes))
        return " ".join(["w"] * (budget + over))

    view = fit(meth, render)
    assert len(view.quotes) == len(before.quotes) and len(view.also) == kept


# ------------------------------------------------------------------ one fact once, and the last quote's speaker


@pytest.fixture(scope="module")
def businessweek(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    """One article whose top says figures, quotes and claims, and whose timeline gives two figures."""
    return replayed(tmp_path_factory.mktemp("businessweek"), "businessweek-afghanistan-new-millionaires-2014")


EVERYTHING = Limits(**{name: 1_000 for name in vars(Limits())})


def test_an_item_the_last_shown_key_point_says_is_left_out_and_shown_once_that_point_goes(businessweek: Briefing) -> None:
    parts = _shown(businessweek)
    for section in ("figures", "contested", "unconfirmed", "quotes"):
        for item in getattr(parts, section):
            at = parts.said.get(id(item))
            if not at:  # said by no top line, or by the bottom line, which always shows
                continue
            shown = {n: any(i is item for i in getattr(build(businessweek, Limits(  # no timeline: it gives figures
                **{**vars(EVERYTHING), "key_points": n, "dates": 0}), parts), section)) for n in (at, at - 1)}
            assert shown == {at: False, at - 1: True}, (section, at)


def test_an_actor_the_last_shown_key_point_names_is_not_named_again_under_also_mentioned(
        businessweek: Briefing) -> None:
    parts = _shown(businessweek)
    limits = {**vars(EVERYTHING), "principal": 0, "quotes": 0}
    checked = 0
    for actor, at in parts.named.items():
        if at:
            also = {n: actor in {a.id for a in build(businessweek, Limits(**{**limits, "key_points": n}), parts).also}
                    for n in (at, at - 1)}
            assert also == {at: False, at - 1: True}, (actor, at)
            checked += 1
    assert checked >= 3


def test_a_briefing_whose_top_says_every_quote_shows_one_even_so(meth: Briefing) -> None:
    parts = _shown(meth)
    parts.said = {**parts.said, **{id(q): 0 for q in parts.quotes}}  # the bottom line says each
    assert build(meth, EVERYTHING, parts).quotes == parts.quotes[:1]


def test_a_figure_a_shown_date_line_gives_is_not_given_again(businessweek: Briefing) -> None:
    parts = _shown(businessweek)
    given = {"10,000", "$2 million"}  # the timeline's lines that cite their paragraphs state them
    assert given <= {f.figure for f in parts.figures}
    with_dates = build(businessweek, Limits(**{**vars(EVERYTHING), "key_points": 0}), parts)
    no_dates = build(businessweek, Limits(**{**vars(EVERYTHING), "key_points": 0, "dates": 0}), parts)
    assert not given & {f.figure for f in with_dates.figures}
    assert given <= {f.figure for f in no_dates.figures}


def test_with_no_actor_left_the_last_quotes_speaker_is_who_s_who_with_those_words(meth: Briefing) -> None:
    parts = _shown(meth)
    quote = build(meth, Limits(principal=0, quotes=1), parts).principal[0].cite[0].quote
    german = meth.model_copy(update={"language": "de"})
    for briefing in (meth, german):
        folded = build(briefing, Limits(principal=0, quotes=1), parts)
        unfolded = build(briefing, Limits(principal=0, quotes=0), parts)
        line = who.quote_line(quote, briefing.language)
        assert folded.quotes == [] and [(w.actor.id, w.holds) for w in folded.principal] == [
            (quote.speaker_id, [line.text])]
        assert folded.principal[0].cite == [line]
        assert folded.left_out == unfolded.left_out - 1  # the quote shows, in Who's who
    assert who.quote_line(quote, "de").text != who.quote_line(quote, "en").text  # „…“ and “…”


def test_a_views_lines_cite_what_they_stand_on_and_merged_lines_their_items(meth: Briefing) -> None:
    parts = _shown(meth)
    view = build(meth, Limits(), parts)
    assert parts.origins and view.origins is parts.origins
    for line in view.principal:
        assert line.cite == parts.held[line.actor.id][:len(line.holds)]


def test_a_briefing_of_articles_of_unknown_length_has_the_floor_for_its_bound(meth: Briefing) -> None:
    assert word_budget(with_words(meth, None)) == word_budget(with_words(meth, None, None)) == 450
