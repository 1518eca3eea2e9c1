"""Issue 22: "Where the sources differ" shows a difference between outlets only when they
differ: an outlet that carries both versions of a remark does not differ from one that reports
one of them (the Omar briefing's made-up split, third editors' reading C.3)."""

from __future__ import annotations

import json

from briefer.core.models import Account, SourceDispute
from briefer.ingest import read_source
from briefer.merge.disputes import differing, tells

from .conftest import FIXTURES, Run

ARTICLES = FIXTURES / "articles"


def synthesis_disputes(name: str) -> list[SourceDispute]:
    """The source disputes a recorded synthesis answer gives (as the model wrote them)."""
    answer = json.loads((FIXTURES / "answers" / f"{name}.synthesis.json").read_text(encoding="utf-8"))
    return [SourceDispute(subject=d["subject"], accounts=[Account(**a) for a in d["accounts"]])
            for d in answer["source_disputes"]]


#: The split the Omar synthesis answer gave at the third reading (its answer now gives none).
CALL = SourceDispute(subject="What Carlineo said about a bullet on the call", accounts=[
    Account(source="omar-nbcnews-guilty-plea-2019", paragraph=5, excerpt="somebody ought to put a bullet in her skull",
            says="per prosecutors, that somebody ought to put a bullet in her skull; the staff member recalled he "
                 "would do it himself"),
    Account(source="omar-thehill-guilty-plea-2019", paragraph=6, excerpt="he said he’d put a",
            says="he said he’d put a bullet in her skull himself")])


def test_an_outlet_that_tells_both_versions_does_not_differ_from_one_that_tells_one() -> None:
    nbc, hill = (read_source(str(ARTICLES / f"omar_{n}_guilty_plea_2019.txt")) for n in ("nbcnews", "thehill"))
    staff = nbc.paragraph(6).text  # "The staff member ... recalled that he said, "I'll put a bullet in her ... skull""
    assert tells(staff, CALL.accounts[1])  # The Hill's account is NBC's ¶6 too
    assert differing([CALL], [nbc, hill]) == []


def test_outlets_that_do_differ_keep_their_difference() -> None:
    sun, express = (read_source(str(ARTICLES / n)) for n in ("thesun_plague_2019.html", "express_plague_2019.html"))
    disputes = synthesis_disputes("thesun-plague-2019")
    assert disputes and differing(disputes, [sun, express]) == disputes  # a Beijing case or not; 50 or 100 million


def test_a_paragraph_with_other_figures_or_names_does_not_tell_an_account() -> None:
    account = Account(source="a", paragraph=1, excerpt="killed five people", says="the blast killed 5 people in Kabul")
    assert tells("Officials said the blast killed 5 people in Kabul on Monday.", account)
    assert not tells("Officials said the blast killed 7 people in Kabul on Monday.", account)
    assert not tells("Officials said the blast killed 5 people in Kandahar on Monday.", account)
    assert not tells("Officials said the blast did not kill 5 people in Kabul.", account)
    credible = Account(source="a", paragraph=1, excerpt="credible", says="Persson calls it credible and reliable")
    assert not tells("Persson explained that the evidence had initially been deemed credible and reliable, but "
                     "the testimony had weakened.", credible)  # the second outlet's qualification is a difference


def test_the_omar_briefing_shows_no_difference_between_its_outlets(run: Run) -> None:
    """End to end, as replayed: the synthesis's split of the call's wording is not shown."""
    from .conftest import CASSETTES

    result = run("brief", *(str(ARTICLES / f"omar_{n}_guilty_plea_2019.txt") for n in ("nbcnews", "thehill")),
                 "--replay", str(CASSETTES), "-q")
    assert result.exit_code == 0, result.stderr
    assert "Where the sources differ" not in result.stdout
    assert "he said he’d put a”" not in result.stdout
    numbers = result.stdout.split("## Numbers and dates")[1].split("\n## ")[0]  # and the dates its key points give
    assert all(day in numbers for day in ("21 March 2019", "18 November 2019", "14 February 2020")), numbers
