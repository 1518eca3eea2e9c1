"""Issue 22, editors' third reading of "Who's who": the actors the story turns on are there even
when a key point gives their stance; each with a short statement of what they hold, not a quote;
one stance once; a group the article only describes is no entry unless it speaks. Each builds on
the seed briefing in-process (cheap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.core.models import Actor, Briefing, DisputedClaim, Evidence, Point, Position, Quote
from briefer.render import layout, phrasing, who


@pytest.fixture
def seed(seed_json: Path) -> Briefing:
    return Briefing.model_validate_json(seed_json.read_text())


def ev(paragraph: int, source: str = "scholz-putin-call") -> Evidence:
    return Evidence(source=source, paragraph=paragraph, excerpt="words", status="verified")


def person(actor_id: str, name: str, kind: str = "person") -> Actor:
    return Actor(id=actor_id, name=name, kind=kind, role=None, affiliation=None, aliases=[])


def view(briefing: Briefing, **limits: int) -> layout.View:
    return layout.build(briefing, layout.Limits(**{**vars(layout.Limits()), "principal": 20, **limits}))


def lines_of(shown: layout.View, actor_id: str) -> list[str] | None:
    return next((w.holds for w in shown.principal if w.actor.id == actor_id), None)


def test_an_actor_whose_stance_a_key_point_gives_keeps_their_line(seed: Briefing) -> None:
    """NZZ: Letwin, whose amendment the story turns on, was only named in a key point, while a
    side figure had an entry; AP: Sondland, the subject, only "Also mentioned". The key point
    giving their stance is no reason to leave them out of "Who's who"."""
    letwin = person("letwin", "Oliver Letwin")
    stance = Position(actor_id="letwin", stance="wants the decision on the deal put off until the law is passed",
                      evidence=[ev(5)])
    point = Point(text="MPs passed Oliver Letwin's amendment: the decision on the deal is put off until the law "
                       "is passed.", evidence=[ev(5)])
    briefing = seed.model_copy(update={"actors": [letwin, *seed.actors], "positions": [stance, *seed.positions],
                                       "key_points": [point, *seed.key_points]})
    shown = view(briefing)
    assert lines_of(shown, "letwin") == [stance.stance]
    assert letwin not in shown.also


def test_a_stance_is_a_short_statement_and_the_quote_stays_in_their_words(seed: Briefing) -> None:
    """The Omar entry was a long quote with "she wrote in her letter" inside it, where her stance
    (asks for compassion) was in the answer: an actor who holds a stance is shown with it, even
    when a key point gives it, and their words go under "In their words"."""
    omar = person("omar", "Ilhan Omar")
    stance = Position(actor_id="omar", stance="asks for compassion, not a severe sentence", evidence=[ev(9)])
    letter = Quote(speaker_id="omar", paragraph=10, source=seed.sources[0].id, status="verified",
                   attributed_by="she wrote", text="But we must ask: who are we as a nation if we respond to threats "
                                                   "with retribution ourselves?")
    point = Point(text="Ilhan Omar asks for compassion, not a severe sentence.", evidence=[ev(9)])
    briefing = seed.model_copy(update={"actors": [omar, *seed.actors], "positions": [stance, *seed.positions],
                                       "quotes": [letter, *seed.quotes], "key_points": [point, *seed.key_points]})
    assert [h.text for h in who.holdings(briefing, briefing.positions, [], briefing.quotes)["omar"]] == [stance.stance]
    assert lines_of(view(briefing), "omar") == [stance.stance]


def test_a_quote_broken_by_its_attribution_stands_as_its_first_statement(seed: Briefing) -> None:
    """An actor with nothing but their words: the line is one statement, never two with the
    reporter's attribution between them (AP: '…investigation?’” Holmes testified. “Ambassador…')."""
    holmes = person("holmes", "David Holmes")
    words = ("I then heard President Trump ask, quote, ‘So he’s going to do the investigation?’” Holmes "
             "testified. “Ambassador Sondland replied that ‘He’s going to do it.’")
    said = Quote(speaker_id="holmes", paragraph=9, source=seed.sources[0].id, status="verified",
                 attributed_by="Holmes testified", text=words)
    briefing = seed.model_copy(update={"actors": [holmes, *seed.actors], "quotes": [said, *seed.quotes]})
    lines = who.holdings(briefing, [], [], [said])["holmes"]
    assert [h.text for h in lines] == ["“I then heard President Trump ask, quote, ‘So he’s going to do the "
                                       "investigation?’”"]
    plain = said.model_copy(update={"text": "He called it “a disgrace” and “a sham” in front of everyone"})
    assert who.holdings(briefing, [], [], [plain])["holmes"][0].text.count("sham")  # quoted words inside: whole


def test_one_stance_from_two_sources_is_one_line_citing_both(seed: Briefing) -> None:
    """The lawyer's entry read "never intended to harm Omar … her client did not intend harm": the
    same stance from each outlet. It is one line that cites both; a different stance stays."""
    zoghlin = person("zoghlin", "Sonya Zoghlin")
    first = Position(actor_id="zoghlin", stance="says Carlineo never intended to harm Omar and has taken "
                                                "responsibility for his language", evidence=[ev(7, "s1")])
    again = Position(actor_id="zoghlin", stance="her client did not intend harm and made no plans",
                     evidence=[ev(4, "s2")])
    other = Position(actor_id="zoghlin", stance="says the South Dakota campaign was meant to raise eyebrows",
                     evidence=[ev(8, "s2")])
    other_too = Position(actor_id="zoghlin", stance="says the attention hurts the South Dakota brand",
                         evidence=[ev(9, "s2")])
    briefing = seed.model_copy(update={"actors": [zoghlin, *seed.actors]})
    lines = who.holdings(briefing, [first, again, other, other_too], [], [])["zoghlin"]
    assert [h.text for h in lines] == [first.stance, other.stance, other_too.stance]
    assert [(e.source, e.paragraph) for e in lines[0].evidence] == [("s1", 7), ("s2", 4)]


def test_a_group_the_article_only_describes_is_an_entry_only_when_it_speaks(seed: Briefing) -> None:
    """FAZ: "Musicians (group): want a bigger slice of the pie" and "Industry experts (group)";
    Reuters: "Traders (group)": the writer's summary of a described group is filler beside the
    named actors. Such a group has no entry unless it is quoted or on a side of a claim (and is
    not listed under "Also mentioned" either: see the next test)."""
    musicians, users = person("musicians", "Musicians", "group"), person("users", "Twitter users", "group")
    stances = [Position(actor_id=a, stance=f"want a bigger slice of the pie {a}", evidence=[ev(7)])
               for a in ("musicians", "users")]
    claim = DisputedClaim(claim="the campaign is working", status="contested", asserted_by=["olaf-scholz"],
                          disputed_by=["users"], evidence=[ev(3)], rebuttal=[ev(4)])
    briefing = seed.model_copy(update={"actors": [musicians, users, *seed.actors],
                                       "positions": [*stances, *seed.positions],
                                       "disputed_claims": [*seed.disputed_claims, claim]})
    shown = view(briefing, also=40)
    assert lines_of(shown, "musicians") is None and musicians not in shown.also
    assert lines_of(shown, "users")
    assert not who.voiced(briefing, musicians) and who.voiced(briefing, users)


def test_also_mentioned_names_actors_never_a_group_the_article_only_describes(seed: Briefing) -> None:
    """Fourth reading: "Also mentioned: Russia, Sources who spoke to Reuters, Traders, Norway"
    and "…, Spotify, Musicians" list non-entities. The list names who else is in the story: a
    country, a company, a named person, one person or body however described ("The
    whistleblower"); never a group the article only describes, whatever the reply says of it."""
    groups = [person("traders", "Traders", "group"), person("sources", "Sources who spoke to Reuters", "group"),
              person("experts", "Industry experts", "group"), person("staff", "14 managers and lawyers", "group")]
    named = [person("norway", "Norway", "state"), person("spotify", "Spotify", "organization"),
             person("whistleblower", "The whistleblower"), person("mueller", "Robert Mueller")]
    stance = Position(actor_id="traders", stance="expect oil to fall further", evidence=[ev(7)])
    briefing = seed.model_copy(update={"actors": [*seed.actors, *groups, *named],
                                       "positions": [*seed.positions, stance]})
    shown = view(briefing, also=40, principal=1)
    listed = {a.id for a in shown.also}
    assert listed >= {a.id for a in named} and not listed & {a.id for a in groups}


def test_an_actor_a_sources_lead_gives_their_say_outranks_one_further_down(seed: Briefing) -> None:
    """The Spokane story opens on the ad executive Hege (¶1-3) and The Hill gives the U.S.
    Attorney's statement third; editors found both missing where voices further down had lines.
    A stance or quote in a source's first paragraphs weighs as a line of the top."""
    hege, graham = person("hege", "Michelle Hege"), person("graham", "Julie Graham")
    stances = [Position(actor_id="hege", stance="fears the campaign may just create noise", evidence=[ev(3)]),
               Position(actor_id="graham", stance="will not judge the campaign", evidence=[ev(6)]),
               Position(actor_id="graham", stance="says it could still work for its audience", evidence=[ev(7)])]
    briefing = seed.model_copy(update={"actors": [graham, hege, *seed.actors], "positions": [*stances, *seed.positions]})
    assert who.in_the_lead(briefing) >= {"hege"} and "graham" not in who.in_the_lead(briefing)
    order = [a.id for a in who.principal_actors(briefing)]
    assert order.index("hege") < order.index("graham")


def test_an_actor_shows_their_main_stance_when_the_key_point_that_gave_it_is_cut(seed: Briefing) -> None:
    """Three outlets on South Dakota's campaign: Julie Graham's stance (did not like it, will not
    judge it) was said by the sixth key point only, which the bound cut; "Who's who" then showed
    her side remark on budgets instead. A line the shown top does not say stays in its place."""
    graham = person("graham", "Julie Graham")
    main = Position(actor_id="graham", stance="does not like the campaign but will not judge it", evidence=[ev(6)])
    aside = Position(actor_id="graham", stance="says targeted ads make budgets go further", evidence=[ev(11)])
    last = Point(text="Julie Graham does not like the campaign but will not judge it.", evidence=[ev(6)])
    briefing = seed.model_copy(update={"actors": [graham, *seed.actors], "positions": [main, aside, *seed.positions],
                                       "key_points": [*seed.key_points, last]})
    everything = len(briefing.key_points)
    assert lines_of(view(briefing, key_points=everything - 1, holds=1), "graham") == [main.stance]
    assert lines_of(view(briefing, key_points=everything, holds=1), "graham") == [aside.stance]


def test_a_body_the_top_names_only_beside_others_says_ranks_below_a_witness_whose_say_it_gives(
        seed: Briefing) -> None:
    """Eighth and ninth readings (AP, Sondland): "Who's who" gave the White House, whose only say
    is a concern (¶3), where Vindman, whose testimony a key point gives, was only "Also
    mentioned": the key points named "a White House meeting" and "former White House adviser
    Fiona Hill", and each counted as much as a line that gives the White House's say. A top line
    names an actor with weight where it cites a paragraph of their say."""
    house, vindman = person("white-house", "White House", "government"), person("vindman", "Alexander Vindman")
    stances = [Position(actor_id="white-house", stance="concerned by Sondland's appearance", evidence=[ev(5)]),
               Position(actor_id="vindman", stance="calls the call improper", evidence=[ev(12)])]
    points = [Point(text="Vindman called the call improper and recalled a White House meeting on July 10.",
                    evidence=[ev(12), ev(14)]),
              Point(text="Former White House adviser Fiona Hill says Sondland claimed to be in charge.",
                    evidence=[ev(11)])]
    briefing = seed.model_copy(update={"actors": [house, vindman, *seed.actors], "positions": [*stances, *seed.positions],
                                       "key_points": [*points, *seed.key_points]})
    scores = who.actor_scores(briefing)
    assert scores["vindman"] > scores["white-house"]
    gives = points[1].model_copy(update={"text": "The White House is concerned by Sondland's appearance.",
                                         "evidence": [ev(5)]})
    again = briefing.model_copy(update={"key_points": [*points, gives, *seed.key_points]})
    assert who.actor_scores(again)["white-house"] == scores["white-house"] + 3  # a line that gives its say


def test_a_role_that_gives_the_affiliation_by_its_initials_is_not_followed_by_it() -> None:
    """Ninth reading: "Donald Trump (U.S. President; United States)" gave the country twice."""
    trump = Actor(id="t", name="Donald Trump", kind="person", role="U.S. President", affiliation="United States",
                  aliases=[])
    assert phrasing.role_line(trump) == "U.S. President"
    scholz = trump.model_copy(update={"name": "Olaf Scholz", "role": "German Chancellor",
                                      "affiliation": "Social Democrats"})
    assert phrasing.role_line(scholz) == "German Chancellor; Social Democrats"
    assert phrasing.role_line(scholz.model_copy(update={"role": "SD chair"})) == "SD chair"
    assert phrasing.role_line(scholz.model_copy(update={"role": "Chancellor (SPD)"})) == "Chancellor (SPD); Social Democrats"


def test_also_mentioned_leaves_out_whom_the_shown_top_names_and_a_bare_surname(seed: Briefing) -> None:
    """Fifteenth reading: "Also mentioned: Russia, Norway" under a bottom line giving both read
    as noise, and the witnesses who carry key points listed there as if minor. The list names
    whom the reader has not met: an actor a shown key point names is left out while that point
    is shown and listed again when the bound cuts it; a surname alone with no role ("Williams")
    tells the reader nobody."""
    germany = Actor(id="germany", name="Germany", kind="state", role=None, affiliation=None, aliases=[])
    norway = Actor(id="norway", name="Norway", kind="state", role=None, affiliation=None, aliases=[])
    bare, described = person("williams", "Williams"), person("hill", "Hill").model_copy(update={"role": "adviser"})
    briefing = seed.model_copy(update={"actors": [*seed.actors, germany, norway, bare, described]})
    assert "Germany" in briefing.key_points[2].text and "Germany" not in briefing.bottom_line.text
    listed = {a.id for a in view(briefing, also=40, principal=1, key_points=3).also}
    assert {"norway", "hill"} <= listed and not {"germany", "williams", "volodymyr-zelensky"} & listed
    assert "germany" in {a.id for a in view(briefing, also=40, principal=1, key_points=2).also}
