"""Issue 22, editors' second reading: one fact in one place judged against the key points a view
shows; a quote that stands as its speaker's own words; the named actors before the described;
the news's own date. Each builds on the seed briefing in-process (cheap)."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta
from pathlib import Path

import pytest

from briefer.core.models import Actor, Briefing, Event, Evidence, Fact, Point, Position, Quote
from briefer.render import layout, quotes, who


@pytest.fixture
def seed(seed_json: Path) -> Briefing:
    return Briefing.model_validate_json(seed_json.read_text())


def ev(paragraph: int, source: str = "scholz-putin-call") -> Evidence:
    return Evidence(source=source, paragraph=paragraph, excerpt="words", status="verified")


def at(limits: dict[str, int], briefing: Briefing) -> layout.View:
    return layout.build(briefing, layout.Limits(**{**vars(layout.Limits()), **limits}))


def test_what_a_shown_key_point_says_is_not_said_again_below(seed: Briefing) -> None:
    """A quote that says a key point again: left out while that point is shown, even the fifth
    (Sondland's "nine witnesses"); shown again in a view that cuts the point. So is the Dow's
    fall the point gives, under "Numbers and dates" (four readings of editors found a market
    story's prices and a plea story's fine there again); the other index is shown, and so is the
    Dow's fall with its close, which the point does not give (the twelfth reading found the S&P's
    close there and the Dow's nowhere). The dates stay
    whole, the story's timeline (the third reading missed the plea's dates there), and the ones
    the top tells rank first: the vote before the exit date nobody above gives."""
    points = [Point(text=f"Filler point {n} about nothing in particular.", evidence=[ev(30 + n)]) for n in range(4)]
    dow = Point(text="The Dow fell 0.36%, and sentencing is on Feb. 14; Della says Germany committed the first "
                     "genocide, in Namibia.", evidence=[ev(9), ev(18), ev(3)])
    vote = Point(text="MPs voted to withhold approval of the deal.", evidence=[ev(5)])
    fall = Fact(statement="The Dow fell 0.36% to 27,934.02", figure="27,934.02", unit=None, attributed_to=None,
                evidence=[ev(9)])
    other = Fact(statement="The S&P 500 lost 0.06% to 3,120.18", figure="3,120.18", unit=None, attributed_to=None,
                 evidence=[ev(9)])
    drop = Fact(statement="The Dow lost 0.36% on the day", figure="0.36%", unit=None, attributed_to=None,
                evidence=[ev(9)])
    della = Quote(speaker_id="olaf-scholz", paragraph=18, source=seed.sources[0].id, status="verified",
                  text="Who committed the first genocide of the 20th century: that was Germany in Namibia")
    sentencing = Event(date="2025-02-14", date_text="Feb. 14", what="sentencing", evidence=[ev(3)])
    withheld = Event(date="2024-11-09", date_text="Saturday", what="MPs withhold approval of the deal",
                     evidence=[ev(5)])
    motion = Event(date="2024-11-02", date_text="Monday", what="MPs withhold approval of the deal again",
                   evidence=[ev(5)])
    exit_day = Event(date="2024-12-31", date_text="31 December", what="the exit date", evidence=[ev(40)])
    briefing = seed.model_copy(update={"key_points": [vote, *points, dow], "facts": [drop, fall, other],
                                       "quotes": [della, *seed.quotes],
                                       "events": [withheld, motion, sentencing, exit_day]})
    view = at({"principal": 20}, briefing)
    assert drop not in view.figures and fall in view.figures and other in view.figures
    assert della not in view.quotes and view.quotes
    assert sentencing in view.dates and withheld in view.dates
    assert exit_day not in at({"dates": 3}, briefing).dates  # the news's, then those the top tells
    cut = at({"key_points": 5}, briefing)  # the point that says it is cut: it is shown again
    assert della in cut.quotes and drop in cut.figures


def test_a_quote_is_the_speakers_own_words_on_their_own(seed: Briefing) -> None:
    """An editor read a staff member's recollection ("recalled that he said") as the caller's own
    words, and "how these two came to Beijing" without its two: such a quote goes after any
    other, even a lesser voice's; nearer the lead first at the same weight."""
    source = seed.sources[0].id
    main = "olaf-scholz"

    def quote(text: str, paragraph: int, by: str = "said") -> Quote:
        return Quote(speaker_id=main, paragraph=paragraph, source=source, status="verified", text=text,
                     attributed_by=by)

    recalled = quote("I'll put a bullet in her skull, I swear it", 2, "a staff member recalled that he said")
    these = quote("I just want to know how these two came to Beijing by train", 3)
    late = quote("We will keep talking to Moscow about the war", 20)
    early = quote("The talks were frank and they will go on", 5)
    briefing = seed.model_copy(update={"quotes": [recalled, these, late, early]})
    ranked = quotes.ranked_quotes(briefing, briefing.quotes, who.actor_scores(briefing))
    assert ranked[:2] == [early, late] and ranked[2:] in ([recalled, these], [these, recalled])
    assert quotes.hearsay(recalled) and quotes.unresolved(these) and not quotes.hearsay(early)
    lines = who.holdings(briefing, [], [], [recalled], [])
    assert main not in lines  # told by another, it is no line of theirs in Who's who either


def test_described_groups_rank_below_named_actors(seed: Briefing) -> None:
    """Editors found "Sources who spoke to Reuters", "Musicians" and "Industry experts" with lines
    where the named actors the story turns on had none: a described group goes after every named
    actor who holds something, whatever its weight."""
    musicians = Actor(id="musicians", name="Musicians", kind="group", role=None, affiliation=None, aliases=[])
    sources = Actor(id="sources", name="Sources who spoke to Reuters", kind="group", role=None, affiliation=None,
                    aliases=[])
    hege = Actor(id="hege", name="Michelle Hege", kind="person", role=None, affiliation=None, aliases=[])
    stances = [Position(actor_id=a, stance=f"holds view {a}", evidence=[ev(9)]) for a in ("musicians", "sources")]
    points = [Point(text=f"Musicians and Sources who spoke to Reuters, point {n}.", evidence=[ev(2)])
              for n in range(3)]
    said = Quote(speaker_id="hege", paragraph=3, source=seed.sources[0].id, status="verified",
                 text="Hege thinks the campaign will create noise, not change")
    briefing = seed.model_copy(update={"actors": [musicians, sources, *seed.actors, hege],
                                       "positions": [*stances, *seed.positions], "quotes": [said],
                                       "key_points": [*points, *seed.key_points]})
    order = [a.id for a in who.principal_actors(briefing)]
    assert max(order.index(n) for n in ("hege", "olaf-scholz")) < min(order.index("musicians"), order.index("sources"))
    assert who.described(musicians) and who.described(sources) and not who.described(hege)


def test_a_speaker_whose_stance_the_top_gives_keeps_a_line_and_the_last_quote_names_its_speaker(
        seed: Briefing) -> None:
    """The Al Jazeera briefing had no Who's who: each actor's one line was a stance the top
    gives or a statement "In their words" showed, and the fit dropped the section before the
    last quote. A speaker keeps a line: their stance, though the top gives it (the third reading
    found a quote standing in for a stance: Omar's letter, the Taliban's claim); and when only
    one quote is left and no actor's line, the quote stands as its speaker's line, their role
    beside it."""
    mujahid = Actor(id="mujahid", name="Zabihullah Mujahid", kind="person", role="Taliban spokesman",
                    affiliation=None, aliases=[])
    first, second = (Quote(speaker_id="mujahid", paragraph=p, source=seed.sources[0].id, status="verified",
                           text=t, attributed_by="Mujahid said")
                     for p, t in ((5, "US Chinook helicopter shot down and completely destroyed last night"),
                                  (6, "Their helicopter was shot down and all on board were killed")))
    lead = Point(text="Zabihullah Mujahid claims responsibility for the attack.", evidence=[ev(4)])
    claim = Position(actor_id="mujahid", stance="claims responsibility for the attack", evidence=[ev(4)])
    crash = seed.model_copy(update={"actors": [*seed.actors, mujahid], "quotes": [first, second],
                                    "positions": [claim, *seed.positions], "key_points": [lead, *seed.key_points]})
    view = at({"principal": 20, "quotes": 1}, crash)
    assert view.quotes == [first]
    assert [w.holds for w in view.principal if w.actor.id == "mujahid"] == [[claim.stance]]
    last = at({"principal": 0, "holds": 0, "quotes": 1}, crash)
    assert last.quotes == [] and [(w.actor.id, w.holds) for w in last.principal] == [("mujahid", [f"“{first.text}”"])]


def test_a_briefing_whose_top_gives_no_date_keeps_the_news_date(seed: Briefing) -> None:
    """The three-outlet meth briefing had no date anywhere: the news's own date (the event the
    top cites nearest the publication date) stays through every cut but a very short article's."""
    published = seed.sources[0].date
    launch = Event(date=published, date_text="Monday", what="the state launches its campaign",
                   evidence=[ev(seed.bottom_line.evidence[0].paragraph)])
    background = Event(date="2016", date_text="2016", what="a survey of young people", evidence=[ev(12)])
    briefing = seed.model_copy(update={"events": [background, launch], "key_points": seed.key_points[:3],
                                       "bottom_line": seed.bottom_line.model_copy(update={"text": "A campaign."})})
    path, _ = layout._cut_path(briefing)
    no_actors = next(limits for limits in path if limits.principal == 0)  # after Who's who has gone
    assert layout.build(briefing, no_actors).dates == [launch]


def test_the_news_date_is_the_event_the_bottom_line_tells_before_one_a_key_point_names(seed: Briefing) -> None:
    """The Sondland briefing's timeline had Hill's Thursday, whose paragraph a key point cites and
    whose name it gives, and not Sondland's Wednesday, the news the bottom line tells: the news's
    own date is the bottom line's event first."""
    published = seed.sources[0].date
    day_after = (Date.fromisoformat(published) + timedelta(days=1)).isoformat()
    top = Point(text="Ada Witness, the most anticipated witness, testifies Wednesday.", evidence=[ev(1)])
    point = Point(text="Fiona Hill says the envoy claimed he was in charge.", evidence=[ev(11)])
    ada = Event(date=published, date_text="Wednesday", what="Ada Witness testifies", evidence=[ev(3)])
    hill = Event(date=day_after, date_text="Thursday", what="Hill testifies", evidence=[ev(11)])
    briefing = seed.model_copy(update={"bottom_line": top, "key_points": [point, *seed.key_points[:2]],
                                       "events": [hill, ada]})
    assert at({"dates": 1}, briefing).dates == [ada]
    assert at({}, briefing).dates == [ada, hill]


def test_numbers_do_not_give_a_figure_a_date_line_beside_it_gives(seed: Briefing) -> None:
    """An editor read "Four officials testified Tuesday" above "19 November (Tuesday): four
    officials testify": a figure whose paragraph and number a shown date line gives goes while
    that line is shown."""
    four = Fact(statement="Four national security officials testified Tuesday", figure="four", unit=None,
                attributed_to=None, evidence=[ev(12)])
    other = Fact(statement="The deal has 585 pages", figure="585", unit=None, attributed_to=None, evidence=[ev(12)])
    tuesday = Event(date="2024-11-12", date_text="Tuesday", what="four officials testify, including Vindman",
                    evidence=[ev(12)])
    briefing = seed.model_copy(update={"facts": [four, other], "events": [tuesday]})
    assert at({}, briefing).figures == [other] and at({}, briefing).dates == [tuesday]
    assert at({"dates": 0}, briefing).figures == [four, other]


def test_a_statement_stands_for_its_speaker_only_short_whole_and_their_own(seed: Briefing) -> None:
    """Who's who lines are read on their own: a speaker with no stance gets a line from a
    statement that a reader takes in at once, not a 40-word one, one another recalls, or one
    that opens on "It"."""
    source = seed.sources[0].id
    voice = Actor(id="voice", name="Ada Voice", kind="person", role="witness", affiliation=None, aliases=[])

    def said(text: str) -> Quote:
        return Quote(speaker_id="voice", paragraph=7, source=source, status="verified", text=text,
                     attributed_by="Voice said")

    long = said(" ".join(["The talks went on for hours and nobody could agree on anything."] * 4))
    for lesser in (long, said("It was the worst call I have heard in years"),
                   said("I'll put a bullet in her skull, I swear it").model_copy(
                       update={"attributed_by": "a staff member recalled that she said"})):
        lines = who.holdings(seed.model_copy(update={"actors": [*seed.actors, voice]}), [], [], [lesser], [])
        assert "voice" not in lines, lesser.text
    good = said("The talks went on for hours and nobody agreed")
    lines = who.holdings(seed.model_copy(update={"actors": [*seed.actors, voice]}), [], [], [good], [])
    assert [h.text for h in lines["voice"]] == [f"“{good.text}”"]


def test_a_quote_the_top_reports_in_other_words_gives_way_to_one_it_does_not(seed: Briefing) -> None:
    """Eighth reading: a key point told Holmes overhearing Trump ask whether Zelenskiy would "do
    the investigation", and "In their words" gave that very quote again, where Vindman's on the
    Bidens and Burisma said something new. A top line that names the speaker, cites the quote's
    paragraph and gives a quarter of its words reports it; another statement of that paragraph,
    or the same words without the speaker named, is not reported."""
    source, main = seed.sources[0].id, "olaf-scholz"

    def quote(text: str, paragraph: int) -> Quote:
        return Quote(speaker_id=main, paragraph=paragraph, source=source, status="verified", text=text)

    heard = quote("I then heard the president ask whether Moscow would do the investigation", 9)
    other = quote("Nobody in the room thought the request was appropriate at all", 9)
    later = quote("We will keep talking to Moscow about the war until it ends", 20)
    told = Point(text="Scholz testified that he overheard a call about a Moscow investigation.", evidence=[ev(9)])
    briefing = seed.model_copy(update={"key_points": [told, *seed.key_points[:2]], "quotes": [heard, other, later]})
    view = at({"quotes": 1}, briefing)
    assert view.quotes == [other]  # ranked after `heard`, which the key point reports
    assert at({"quotes": 1, "key_points": 0}, briefing).quotes == [heard]  # the point cut: it is new again
    unnamed = told.model_copy(update={"text": "A witness testified that he overheard a call about a Moscow investigation."})
    assert at({"quotes": 1}, briefing.model_copy(update={"key_points": [unnamed]})).quotes == [heard]
