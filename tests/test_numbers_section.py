"""Issue 22, editors' third reading: "Numbers and dates" is the at-a-glance list of the story's
figures and dates. It shows those the key points use (a key point is free to state them: the
Omar briefing listed only the plea date while the call, the sentencing date and the fine were
in the key points), the news's own before background, and it keeps its lines while the bound
cuts quieter sections. The briefing meant to be forwarded ends with one plain line of
provenance: the CLI hint, the check's tally and the run's cost go to stderr. Each builds on the
seed briefing in-process (cheap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.core.models import Briefing, Event, Evidence, Fact, Point
from briefer.render import choice, layout

from .conftest import Run


@pytest.fixture
def seed(seed_json: Path) -> Briefing:
    return Briefing.model_validate_json(seed_json.read_text())


def ev(paragraph: int, source: str = "scholz-putin-call") -> Evidence:
    return Evidence(source=source, paragraph=paragraph, excerpt="words", status="verified")


def at(limits: dict[str, int], briefing: Briefing) -> layout.View:
    return layout.build(briefing, layout.Limits(**{**vars(layout.Limits()), **limits}))


def story(seed: Briefing) -> tuple[Briefing, dict[str, Fact | Event]]:
    """A plea story whose key points give the fine, the call and the sentencing date; its
    timeline starts with background from long before."""
    point = Point(text="He faces a $250,000 fine; the call was on March 21 and sentencing is on Feb. 14.",
                  evidence=[ev(3), ev(4)])
    items: dict[str, Fact | Event] = {
        "age": Fact(statement="Carlineo is 55", figure="55", unit=None, attributed_to=None, evidence=[ev(2)]),
        "fine": Fact(statement="He faces a fine of up to $250,000", figure="$250,000", unit=None,
                     attributed_to=None, evidence=[ev(3)]),
        "conviction": Event(date="1998", date_text="1998", what="an earlier conviction", evidence=[ev(9)]),
        "call": Event(date="2024-03-21", date_text="March 21", what="the call to the office", evidence=[ev(4)]),
        "sentencing": Event(date="2025-02-14", date_text="Feb. 14", what="sentencing", evidence=[ev(3)]),
    }
    facts = [i for i in items.values() if isinstance(i, Fact)]
    events = [i for i in items.values() if isinstance(i, Event)]
    return seed.model_copy(update={"key_points": [point, *seed.key_points], "facts": facts, "events": events}), items


def test_the_dates_the_key_points_state_are_listed_first_and_their_figures_once(seed: Briefing) -> None:
    """The dates are the story's timeline: a reader looks them up there (the third reading missed
    the plea's call and sentencing dates, which the key points gave). A figure is said once: four
    readings of editors found the fine, the prices and the payouts a key point gave listed again
    below it. It comes back, and first, in a view that cuts the point that gives it."""
    briefing, items = story(seed)
    view = at({"principal": 20}, briefing)
    assert items["call"] in view.dates and items["sentencing"] in view.dates
    assert view.figures == [items["age"]]
    assert at({"principal": 20, "key_points": 0}, briefing).figures == [items["fine"], items["age"]]
    few = at({"principal": 20, "dates": 2}, briefing)
    assert items["conviction"] not in few.dates and {id(items["call"]), id(items["sentencing"])} == {
        id(e) for e in few.dates}


def test_the_events_the_top_tells_rank_first_then_the_news_own_then_background(seed: Briefing) -> None:
    """An event a key point tells ranks first even where it cites another paragraph than the
    point (the Brexit briefing's Monday motion and Tuesday bill); then the news's own date,
    then background."""
    briefing, items = story(seed)
    published = seed.sources[0].date
    told = Event(date="2025-02-14", date_text="Feb. 14", what="sentencing", evidence=[ev(40)])
    launch = Event(date=published, date_text="Monday", what="a statement nobody above gives", evidence=[ev(30)])
    events = [items["conviction"], launch, told]
    ranked = choice.ranked_events(briefing.model_copy(update={"events": events}), events)
    assert ranked == [told, launch, items["conviction"]]


def test_the_section_keeps_three_dates_and_two_figures_until_the_key_points_go_below_five() -> None:
    """The section's size against the bound: its short lines outlast "Also mentioned", extra
    actors, claims and a second quote; they go only once a key point has gone."""
    seen = {"dates": 99, "figures": 99}
    for floors in layout.CUT_ROUNDS:
        seen.update({k: v for k, v in floors.items() if k in seen})
        if floors.get("key_points", 7) >= 5:
            assert seen["dates"] >= 3 and seen["figures"] >= 2, floors


def test_the_forwarded_briefing_ends_with_one_line_of_provenance_and_stderr_has_the_rest(run: Run) -> None:
    """Editors would strip the CLI hint, the check's tally ("8 not checked") and the model, token
    and cost footer before forwarding: the short briefing and its emails end with one plain line
    of provenance; the runner's stderr (and the run log, and the dossier) keep the rest."""
    from .conftest import CASSETTES, SEED

    result = run("brief", SEED, "--replay", CASSETTES)
    assert result.exit_code == 0, result.stderr
    tail = result.stdout.split("\n## Sources\n")[1]
    assert tail.rstrip().endswith("*Written by a language model from the sources above and checked against them by "
                                  "briefer.*")
    for tool in ("--template dossier", "full inventory", "not checked", "calls made", "tokens", "USD", "Model "):
        assert tool not in result.stdout, tool
    assert "0 calls made, 1 replayed" in result.stderr and "not checked" in result.stderr
    assert "--template dossier" in result.stderr
    for template in ("email.txt", "email.html"):
        mailed = run("brief", SEED, "--replay", CASSETTES, "-q", "--template", template).stdout
        assert "calls made" not in mailed and "not checked" not in mailed and "full inventory" not in mailed


def test_background_figures_only_fill_a_thin_section(seed: Briefing) -> None:
    """An editor read gold, the euro and emerging-market stocks below a market story's headline
    figures as padding: a figure the top neither uses nor cites only fills the section to three.
    A figure the top gives is not shown below it, so it takes none of the three (another editor,
    with the oil prices said once, missed the rest of the markets)."""
    def fact(statement: str, figure: str, paragraph: int) -> Fact:
        return Fact(statement=statement, figure=figure, unit=None, attributed_to=None, evidence=[ev(paragraph)])

    point = Point(text="Brent fell to $60.73 a barrel.", evidence=[ev(8), ev(9)])
    brent = fact("Brent was at $60.73", "$60.73", 8)
    cited = [fact("The Dow fell 0.36%", "0.36%", 9), fact("The Nasdaq added 0.24%", "0.24%", 9),
             fact("The S&P 500 lost 0.06%", "0.06%", 9)]
    trivia = [fact("Spot gold added 0.1%", "0.1%", 41), fact("The euro was up 0.05%", "0.05%", 42)]
    briefing = seed.model_copy(update={"key_points": [point, *seed.key_points], "facts": [*trivia, brent, *cited]})
    assert choice.ranked_figures(briefing, briefing.facts) == [brent, *cited]
    thin = briefing.model_copy(update={"facts": [*trivia, brent, cited[0]]})
    assert choice.ranked_figures(thin, thin.facts) == [brent, cited[0], *trivia]
    assert at({"principal": 20}, thin).figures == [cited[0], *trivia]


def test_one_day_two_outlets_tell_two_ways_is_one_line(seed: Briefing) -> None:
    """"today" in the BBC and "Tuesday" in the next day's wire copy are one day: one line citing
    both; "Monday" and "Monday night" may be two events and stay two."""
    today = Event(date="2019-11-19", date_text="today", what="Swedish prosecutors drop the investigation",
                  evidence=[ev(18, "s1")])
    tuesday = Event(date="2019-11-19", date_text="Tuesday", what="Sweden drops the investigation",
                    evidence=[ev(2, "s2")])
    night = Event(date="2019-11-19", date_text="Tuesday night", what="Sweden drops the investigation",
                  evidence=[ev(3, "s2")])
    [merged] = choice.merged_events([today, tuesday])
    assert choice.sources_of(merged) == ["s1", "s2"]
    assert len(choice.merged_events([today, night])) == 2
