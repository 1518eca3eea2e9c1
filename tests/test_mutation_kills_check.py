"""The whole briefing checked (grounding/check.py) and an item's own words read against its
paragraphs (grounding/reading.py), case by case: a quote of format 2 located and its speaker read
(or its earlier reading kept), a claim side's rebuttal given no words, attribution words read next
to the excerpts the article bears out, a figure's unit and paragraphs, a number after a
capitalised word that opens a sentence, a figure, not part of a name, a statement's negation,
subject and own words read in its paragraphs' language, and each problem sent back under its path
(and a quote's speaker under the id the model wrote). Each case stands for mutants of the checker
that the grounding tests let through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from briefer.core.models import Actor, Briefing, ChunkExtraction, Evidence, Quote, Usage
from briefer.grounding import ground, grounding_problems, outcome
from briefer.grounding.check import checked_quote, reading
from briefer.grounding.reading import read_digits, read_numbers, read_words
from briefer.grounding.text import Source
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction

from .conftest import FIXTURES, SEED, seed_reading

FORMAT_2 = FIXTURES / "briefings" / "scholz-putin-call.format2.json"


def format_2(**quote_changes: object) -> Briefing:
    """The seed article's briefing as format 2 saved it, every quote changed alike."""
    old = Briefing.model_validate_json(FORMAT_2.read_text(encoding="utf-8"))
    return old.model_copy(update={"quotes": [q.model_copy(update=quote_changes) for q in old.quotes]})


def seed_checked(change: Callable[[dict[str, Any]], object]) -> Briefing:
    """The seed article's briefing, its hand-written answer changed, checked."""
    answer = seed_reading()
    change(answer)
    document = read_source(str(SEED))
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    return ground(draft, [document])


# ------------------------------------------------------------------ quotes of format 2


def test_a_format_2_quote_not_yet_checked_has_its_speaker_read_from_its_paragraph() -> None:
    old = format_2(attribution="unchecked")
    given_to_putin = old.quotes[0].model_copy(update={"speaker_id": "vladimir-putin"})  # "Zelensky said"
    old = old.model_copy(update={"quotes": [given_to_putin, *old.quotes[1:]]})
    checked = ground(old, [read_source(str(SEED))])
    assert [q.attribution for q in checked.quotes] == ["unsupported", "verified", "verified"]
    assert [outcome(q) for q in checked.quotes] == ["unsupported", "verified", "verified"]


def test_a_format_2_quote_checked_before_actors_were_folded_keeps_its_attribution_unless_checked_afresh() -> None:
    # its attribution was read against the actors as the model named them: a fold never changes it
    old = format_2()
    given_to_putin = old.quotes[0].model_copy(update={"speaker_id": "vladimir-putin"})
    old = old.model_copy(update={"quotes": [given_to_putin, *old.quotes[1:]]})
    document = read_source(str(SEED))
    assert [q.attribution for q in ground(old, [document]).quotes] == ["verified"] * 3
    assert [q.attribution for q in ground(old, [document], fresh=True).quotes] == ["unsupported", "verified", "verified"]


def test_a_format_2_quote_given_to_no_actor_of_the_cast_is_contradicted() -> None:
    old = format_2(attribution="unchecked", speaker_id="someone-else")
    checked = ground(old, [read_source(str(SEED))])
    assert [(q.status, q.attribution) for q in checked.quotes] == [("verified", "unsupported")] * 3


SPOKESMAN = Actor(id="hebestreit", name="Steffen Hebestreit", kind="person", role="spokesman", affiliation=None,
                  aliases=["Hebestreit"])
REPEATED = Source(document_from_bytes("\n\n".join([
    "Scholz called the hour-long talks “detailed and frank”, his spokesman Steffen Hebestreit said.",
    "The call was the first between the two leaders since December 2022.",
    "Moscow gave no account of its own for several hours.",
    "“Detailed and frank” was how Hebestreit put it again on Saturday, adding that no date was set for "
    "another call.",
]).encode(), doc_id="call", origin="call", date="2024-11-16"))


@pytest.mark.parametrize(("cited", "paragraph", "corrected"), [(4, 4, None), (1, 1, None), (2, 1, 2)])
def test_a_format_2_quote_is_found_in_the_paragraph_it_cites_first_and_a_wrong_one_is_corrected(
        cited: int, paragraph: int, corrected: int | None) -> None:
    # the words stand in paragraphs 1 and 4: the one cited is the one meant
    quote = Quote(speaker_id="hebestreit", paragraph=cited, text="detailed and frank", source="call")
    checked = checked_quote({"call": REPEATED}, [SPOKESMAN], quote)
    assert (checked.status, checked.paragraph, checked.cited_paragraph) == ("verified", paragraph, corrected)
    assert REPEATED.original(checked.start, checked.end).lower() == "detailed and frank"  # type: ignore[arg-type]


# ------------------------------------------------------------------ quotes cut out by their anchors

CAST = [Actor(id="scholz", name="Olaf Scholz", kind="person", role=None, affiliation=None, aliases=[]),
        Actor(id="putin", name="Vladimir Putin", kind="person", role=None, affiliation=None, aliases=[])]
WAR = {"war": Source(document_from_bytes("\n\n".join([
    "“We will win this war,” Scholz said on Monday in Berlin, before the talks.",
    "“Nobody will win it,” Putin replied from Moscow on Tuesday, after the talks.",
]).encode(), doc_id="war", origin="war", date="2024-11-16"))}


def cut_out(**fields: Any) -> Quote:
    """Scholz's quote of the first paragraph, its anchors and words as given, checked."""
    quote = Quote(**{"speaker_id": "scholz", "paragraph": 1, "text": "", "source": "war", **fields})
    return checked_quote(WAR, CAST, quote)


@pytest.mark.parametrize("anchor", [{"begins": "We will"}, {"ends": "war"}])
def test_a_quote_with_one_anchor_is_located_by_its_words(anchor: dict[str, str]) -> None:
    # a briefing edited by hand may lose one anchor: its words still say where it stands
    checked = checked_quote(WAR, CAST, Quote(speaker_id="scholz", paragraph=1, text="We will win this war",
                                             source="war", **anchor))
    assert (checked.status, checked.paragraph, checked.start, checked.end, checked.attribution) == \
        ("verified", 1, 1, 21, "verified")


@pytest.mark.parametrize("fresh", [False, True])
def test_a_quote_whose_anchors_no_longer_fit_loses_its_place_its_speaker_and_its_notes(fresh: bool) -> None:
    told = cut_out(begins="We will", ends="war", attributed_by="Putin replied")
    assert (told.status, told.start, told.end, told.attribution) == ("verified", 1, 21, "unsupported")
    assert told.notes
    broken = checked_quote(WAR, CAST, told.model_copy(update={"begins": "They will", "ends": "lose"}), fresh=fresh)
    assert (broken.status, broken.start, broken.end, broken.attribution, broken.notes) == \
        ("unsupported", None, None, "unchecked", [])
    assert broken.anchors is not None and "“They will” is not in paragraph 1" in broken.anchors


def test_a_contradicted_quote_whose_anchors_are_mended_is_cut_by_them_and_its_old_problem_cleared() -> None:
    # the model's own words were wrong, and so was its first anchor; mended by hand, the anchors cut
    # out the article's words, which replace the model's
    wrong = cut_out(begins="We shall", ends="war", text="We shall win the war", attributed_by="Scholz said")
    assert (wrong.status, wrong.anchors is not None) == ("unsupported", True)
    mended = checked_quote(WAR, CAST, wrong.model_copy(update={"begins": "We will"}), fresh=True)
    assert (mended.status, mended.text, mended.anchors, mended.start, mended.end, mended.attribution) == \
        ("verified", "We will win this war", None, 1, 21, "verified")


def test_a_quote_whose_words_were_edited_by_hand_is_located_again_and_its_speaker_read_again() -> None:
    scholz = cut_out(begins="We will", ends="war", attributed_by="Scholz said")
    assert (scholz.status, scholz.attribution) == ("verified", "verified")
    edited = checked_quote(WAR, CAST, scholz.model_copy(update={"text": "Nobody will win it"}), fresh=True)
    assert (edited.status, edited.paragraph, edited.cited_paragraph, edited.attribution) == \
        ("verified", 2, 1, "unsupported")


def test_a_quote_cut_out_shows_its_own_words_and_checks_the_same_words_in_its_other_sources() -> None:
    # located approximately before (its words edited by hand), it showed the article's closest words;
    # cut out by its anchors, it shows its own; the same words elsewhere are checked there
    other = Source(document_from_bytes("Scholz repeated it in Munich: “We will win this war.”".encode(),
                                       doc_id="munich", origin="munich", date="2024-11-17"))
    before = Quote(speaker_id="scholz", paragraph=1, text="We will win this war", begins="We will", ends="war",
                   source="war", attributed_by="Scholz said", status="approximate",
                   source_words="We will win the war", also_in=[{"source": "munich", "paragraph": 1,
                                                                  "excerpt": "We will win this war"}])
    checked = checked_quote({**WAR, "munich": other}, CAST, before)
    assert (checked.status, checked.source_words) == ("verified", None)
    [also] = checked.also_in
    assert also.start is not None and also.end is not None
    assert (also.status, other.original(also.start, also.end)) == ("verified", "We will win this war")


def test_evidence_shows_the_articles_own_words_only_where_the_models_are_not_verbatim() -> None:
    from briefer.core.models import Evidence
    from briefer.grounding.check import checked_evidence

    said = [Evidence(source="war", paragraph=1, excerpt=excerpt)
            for excerpt in ("Scholz said on Monday in Berlin", "Scholz says on Monday in Berlin", "Merkel left")]
    assert [(e.status, e.source_words) for e in checked_evidence(WAR, said)] == [
        ("verified", None), ("approximate", "Scholz said on Monday in Berlin"), ("unsupported", None)]

# ------------------------------------------------------------------ a claim's rebuttal


def with_rebuttal_by(words: str | None) -> Briefing:
    """The seed briefing checked, its first claim's rebuttal (Ukraine's, in paragraph 8) given
    these words."""
    return seed_checked(lambda answer: answer["disputed_claims"][0].update(rebuttal_by=words))


def test_a_rebuttal_given_no_words_of_its_own_is_contradicted_and_the_model_told_what_to_give() -> None:
    checked = with_rebuttal_by(None)
    claim = checked.disputed_claims[0]
    assert (claim.attribution, claim.rebuttal_attribution) == ("verified", "unsupported")
    assert outcome(claim) == "unsupported"
    assert "disputed_claims.0.rebuttal_by: give the article's words that give the rebuttal to its side " \
           "(e.g. 'the Kremlin denied')" in grounding_problems(checked)


@pytest.mark.parametrize("words", ["The Kremlin said", "attributed_by: Ukraine said"])
def test_a_rebuttals_words_found_elsewhere_are_contradicted_and_the_model_told_of_its_rebuttal_by(words: str) -> None:
    # the words of the Kremlin's claim, in paragraph 3, given to Ukraine's rebuttal in paragraph 8;
    # or words that repeat a field's name, quoted back as the model wrote them
    checked = with_rebuttal_by(words)
    claim = checked.disputed_claims[0]
    assert (claim.attribution, claim.rebuttal_attribution) == ("verified", "unsupported")
    note = f"rebuttal_by: “{words}” is not in paragraph 8 or 7; copy the article's words exactly"
    assert claim.notes == [note]
    assert f"disputed_claims.0.{note}" in grounding_problems(checked)
    assert with_rebuttal_by("Ukraine said").disputed_claims[0].rebuttal_attribution == "verified"


def test_a_rebuttal_of_format_2_which_had_no_words_to_give_is_not_checked_and_not_sent_back() -> None:
    old = format_2()
    assert old.disputed_claims[0].rebuttal and old.disputed_claims[0].attributed_by is None
    claim = ground(old, [read_source(str(SEED))]).disputed_claims[0]
    assert (claim.attribution, claim.rebuttal_attribution, claim.notes) == ("unchecked", "unchecked", [])


# ------------------------------------------------------------------ a number after a capitalised word


@pytest.mark.parametrize("paragraph", [
    "The talks ended without a deal. Roughly 300 troops will stay, the general said.",
    "The talks ended without a deal. “Roughly 300 troops will stay,” the general said.",
    "The talks ended without a deal: Roughly 300 troops will stay, the general said.",
    "Roughly 300 troops will stay, the general said.",
])
def test_a_number_after_the_capitalised_word_that_opens_a_sentence_is_a_figure_not_part_of_a_name(
        paragraph: str) -> None:
    # "Roughly 300" is no "Phase 1": the paragraph states 300, and the item's 300 agrees with it
    assert read_numbers("Roughly 300 troops will stay.", [paragraph]) == "verified"
    assert read_numbers("Roughly 400 troops will stay.", [paragraph]) == "unsupported"


def test_a_number_after_a_name_that_follows_a_lone_capital_x_is_part_of_that_name() -> None:
    # "X Games 2024" names an event, as "Phase 1" does: the year is no figure the paragraph must state
    paragraph = "The event in Aspen drew 300 athletes."
    assert read_numbers("X Games 2024 drew 300 athletes.", [paragraph]) == "verified"
    assert read_numbers("The X Games 2024 drew 300 athletes.", [paragraph]) == "verified"


# ------------------------------------------------------------------ attribution words next to excerpts


def with_position(evidence: list[dict[str, object]]) -> Briefing:
    """The seed briefing checked, Ukraine's position ("Ukraine said", paragraph 8) citing this."""
    return seed_checked(lambda answer: answer["positions"][4].update(evidence=evidence))


MISQUOTED = {"paragraph": 8, "excerpt": "do provide added value"}  # the paragraph says "do not provide"
QUOTED = {"paragraph": 8, "excerpt": "only help him break"}


@pytest.mark.parametrize(("evidence", "attribution"), [([MISQUOTED], "unchecked"), ([MISQUOTED, QUOTED], "verified")])
def test_attribution_words_are_read_only_next_to_the_excerpts_the_article_bears_out(
        evidence: list[dict[str, object]], attribution: str) -> None:
    # a misquote is found where it stands (and shown), but proves nothing of who holds the position
    position = with_position(evidence).positions[4]
    assert [e.status for e in position.evidence] == ["unsupported", "verified"][:len(evidence)]
    assert position.evidence[0].start is not None
    assert (position.attribution, outcome(position)) == (attribution, "unsupported")


def test_a_position_citing_a_source_the_check_was_not_given_has_its_attribution_not_checked() -> None:
    # a briefing edited by hand: its excerpt keeps the offsets of an earlier check in another source
    checked = with_position([QUOTED])
    moved = checked.positions[4].evidence[0].model_copy(update={"source": "another-article"})
    edited = checked.model_copy(update={"positions": [
        *checked.positions[:4], checked.positions[4].model_copy(update={"evidence": [moved]}), *checked.positions[5:]]})
    position = ground(edited, [read_source(str(SEED))], fresh=True).positions[4]
    assert (position.evidence[0].status, position.evidence[0].start) == ("unchecked", moved.start)
    assert position.attribution == "unchecked"


NEGOTIATION = document_from_bytes("\n\n".join([
    "“We will not sign. “Not this week,” said Morrison, the chief negotiator, on Thursday.",
    "The ministry gave no date for the next round.",
    "A deal before the summit in May is now unlikely, officials in both capitals conceded.",
]).encode(), doc_id="d", origin="d", date="2019-10-31")
MORRISON = Actor(id="morrison", name="Timothy Morrison", kind="person", role=None, affiliation=None,
                 aliases=["Morrison"])


@pytest.mark.parametrize(("excerpts", "attribution"), [
    # next to the first sentence "said Morrison" cannot tell (the article's marks open again
    # before it: his, or a reply), next to the second it names him, two paragraphs on it is not
    # there: the most favourable reading over the excerpts stands, whatever their order
    ([(1, "We will not sign"), (1, "Not this week")], "verified"),
    ([(1, "Not this week"), (1, "We will not sign")], "verified"),
    ([(1, "We will not sign")], "unchecked"),
    ([(3, "A deal before the summit"), (1, "We will not sign")], "unchecked"),
    ([(3, "A deal before the summit")], "unsupported"),
])
def test_attribution_words_are_read_next_to_each_excerpt_and_the_most_favourable_reading_stands(
        excerpts: list[tuple[int, str]], attribution: str) -> None:
    answer = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [], "findings": [],
              "actors": [MORRISON.model_dump()], "disputed_claims": [], "quotes": [], "facts": [], "events": [],
              "positions": [{"actor_id": "morrison", "stance": "will not sign a deal this week",
                             "attributed_by": "said Morrison",
                             "evidence": [{"paragraph": n, "excerpt": e} for n, e in excerpts]}]}
    draft = briefing_from_extraction(NEGOTIATION, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    position = ground(draft, [NEGOTIATION]).positions[0]
    assert all(e.status == "verified" for e in position.evidence)
    assert position.attribution == attribution


# ------------------------------------------------------------------ what the model is told


def test_each_excerpt_the_article_does_not_bear_out_and_a_number_at_the_top_are_sent_back_by_path() -> None:
    # by the path of the field to mend, with what to do: the model's next reply mends that field
    def changed(answer: dict[str, Any]) -> None:
        answer["bottom_line"]["text"] = answer["bottom_line"]["text"].replace("almost two years", "23 months")
        answer["key_points"][0]["evidence"][0]["excerpt"] = "undermining efforts to isolate the Chinese leader"
        answer["positions"][3]["evidence"] = []
        answer["positions"][4]["evidence"] = [MISQUOTED]
        answer["disputed_claims"][0]["rebuttal"] = [MISQUOTED]

    misquoted = "not verbatim: paragraph 8 says “not provide added value”, which means something else; " \
                "copy the words exactly"
    assert grounding_problems(seed_checked(changed)) == [
        "positions.3.evidence: cites nothing; give a verbatim excerpt of the paragraph that supports it, "
        "or leave the item out",
        f"positions.4.evidence.0.excerpt: {misquoted}",
        "bottom_line.text: a number it states is in none of its cited paragraphs; cite the paragraph that gives it",
        "key_points.0.evidence.0.excerpt: not found in paragraph 4 or anywhere in the article; copy the words "
        "exactly, or leave it out",
        f"disputed_claims.0.rebuttal.0.excerpt: {misquoted}"]


def test_a_reading_a_figure_and_a_date_the_paragraphs_contradict_are_sent_back_with_what_they_cite() -> None:
    def changed(answer: dict[str, Any]) -> None:
        answer["bottom_line"]["text"] = answer["bottom_line"]["text"].replace("almost two years", "almost three years")
        answer["facts"][0].update(statement="North Korea has 12,000 troops in Russia, Zelensky says",
                                  figure="12,000", evidence=[  # North Korea's 11,000 troops
            {"paragraph": 17, "excerpt": "deployment of North Korean troops to Russia"},
            {"paragraph": 18, "excerpt": "11,000 troops in Russia"}])
        answer["facts"][1].update(figure="16 billion", unit=None)  # Germany's 15 billion euros
        answer["events"][0]["date"] = "2024-11-22"  # "this Friday", published on Friday 2024-11-15

    assert grounding_problems(seed_checked(changed)) == [
        "bottom_line.text: a number (its currency, unit, qualifier or what it counts) or a stance word it states is "
        "not what its cited paragraphs say; state it as they do",
        "facts.0.statement: a number (its currency, unit, qualifier or what it counts) or a stance word it states "
        "is not what its cited paragraphs say; state it as they do",
        "facts.0.figure: '12,000' troops is not stated, with that unit or currency, in its cited paragraphs (17, 18); "
        "give the number as the article writes it",
        "facts.1.figure: '16 billion' is not stated, with that unit or currency, in its cited paragraphs (19); "
        "give the number as the article writes it",
        "events.0.date: 2024-11-22 is not what 'this Friday' names in its paragraphs, read against the publication "
        "date (published 2024-11-15); give the ISO date it names (a month or a year for a span), or null"]


@pytest.mark.parametrize("published", ["2024-11", None])
def test_a_date_is_sent_back_with_its_articles_publication_date_only_when_that_is_a_whole_date(
        published: str | None) -> None:
    answer = seed_reading()
    answer["events"][2]["date"] = "2022-11"  # "December 2022"
    document = read_source(str(SEED)).model_copy(update={"date": published})
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    assert grounding_problems(ground(draft, [document])) == [
        "events.2.date: 2022-11 is not what 'December 2022' names in its paragraphs, read against the publication "
        "date; give the ISO date it names (a month or a year for a span), or null"]


def test_an_account_of_a_source_dispute_its_article_does_not_bear_out_is_sent_back_by_its_path() -> None:
    from briefer.core.models.briefing import Account, SourceDispute

    seed, other = read_source(str(SEED)), document_from_bytes(
        "Kyiv welcomed the call as a chance to press for a just peace, an aide said.".encode(), doc_id="other",
        origin="other.txt")
    dispute = SourceDispute(subject="What Kyiv made of the call", accounts=[
        Account(source=seed.id, paragraph=8, excerpt="do not provide added value", says="it brings nothing"),
        Account(source="other", paragraph=1, excerpt="Kyiv praised the call", says="a chance for peace")])
    checked = ground(seed_checked(lambda answer: None).model_copy(update={"source_disputes": [dispute]}), [seed, other])
    assert [a.status for a in checked.source_disputes[0].accounts] == ["verified", "unsupported"]
    assert grounding_problems(checked) == [
        "source_disputes.0.accounts.1.excerpt: not in paragraph 1 of other; copy excerpts verbatim"]


def test_a_quote_given_to_the_wrong_speaker_is_sent_back_under_the_id_the_model_wrote() -> None:
    # the briefing's actor ids may have been folded since: the model is told of the one it gave
    old = format_2(attribution="unchecked")
    given_to_putin = old.quotes[0].model_copy(update={"speaker_id": "vladimir-putin"})  # "Zelensky said"
    checked = ground(old.model_copy(update={"quotes": [given_to_putin, *old.quotes[1:]]}), [read_source(str(SEED))])
    told = "quotes.0.speaker_id: paragraph 9 does not give these words to '{}'; name the actor the article " \
           "attributes them to"
    assert grounding_problems(checked, {"vladimir-putin": "putin"}) == [told.format("putin")]
    assert grounding_problems(checked) == [told.format("vladimir-putin")]


# ------------------------------------------------------------------ a figure's and a date's paragraphs


def test_a_figure_or_a_date_that_cites_nothing_is_contradicted_and_one_citing_an_absent_source_not_checked() -> None:
    def uncited(answer: dict[str, Any]) -> None:
        answer["facts"][0]["evidence"] = []  # North Korea's 11,000 troops
        answer["events"][0]["evidence"] = []  # the call "this Friday"

    checked = seed_checked(uncited)
    assert (checked.facts[0].figure_status, checked.events[0].date_status) == ("unsupported", "unsupported")
    grounded = seed_checked(lambda answer: None)
    assert (grounded.facts[0].figure_status, grounded.events[0].date_status) == ("verified", "verified")
    # a briefing edited by hand cites an article the check was not given
    elsewhere = [e.model_copy(update={"source": "another-article"}) for e in grounded.facts[0].evidence]
    edited = grounded.model_copy(update={
        "facts": [grounded.facts[0].model_copy(update={"evidence": elsewhere}), *grounded.facts[1:]],
        "events": [grounded.events[0].model_copy(update={"evidence": [
            e.model_copy(update={"source": "another-article"}) for e in grounded.events[0].evidence]}),
            *grounded.events[1:]]})
    rechecked = ground(edited, [read_source(str(SEED))], fresh=True)
    assert (rechecked.facts[0].figure_status, rechecked.events[0].date_status) == ("unchecked", "unchecked")


def test_a_figure_is_read_with_its_unit_and_a_date_citing_a_paragraph_the_article_lacks_is_contradicted() -> None:
    def changed(answer: dict[str, Any]) -> None:
        answer["facts"][1]["unit"] = "dollars"  # the paragraph says "15 billion euros"
        answer["events"][0]["evidence"] = [{"paragraph": 99, "excerpt": "spoke on Saturday"}]  # 21 paragraphs

    checked = seed_checked(changed)
    assert (checked.facts[1].figure, checked.facts[1].figure_status) == ("15 billion", "unsupported")
    assert checked.events[0].date_status == "unsupported"


def test_a_count_of_days_is_read_from_the_whole_date_the_article_opens_with() -> None:
    # "Two days later" counts from 12 March, named in the paragraph before the one cited (not from
    # "2 March", nor from the publication date)
    document = document_from_bytes("\n\n".join([
        "12 March 2024 – The ceasefire talks opened in Doha with both delegations present.",
        "Two days later, the negotiators walked out.",
        "No new round has been set.",
    ]).encode(), doc_id="d", origin="d", date="2024-03-20")
    statuses = []
    for iso in ("2024-03-14", "2024-03-04", "2024-03-22"):
        answer = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [], "findings": [],
                  "actors": [], "positions": [], "disputed_claims": [], "quotes": [], "facts": [],
                  "events": [{"date": iso, "date_text": "Two days later", "what": "The negotiators walk out",
                              "evidence": [{"paragraph": 2, "excerpt": "the negotiators walked out"}]}]}
        draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                         model="m", prompt_version="v")
        statuses.append(ground(draft, [document]).events[0].date_status)
    assert statuses == ["verified", "unsupported", "unsupported"]


def test_a_weekday_the_paragraph_does_not_say_lies_ahead_is_read_by_the_events_own_words() -> None:
    # published on Friday 15 November; "on Tuesday" is the 19th for a meeting that "will" happen
    document = document_from_bytes(b"Scholz meets Macron in Paris on Tuesday, a spokesman said.", doc_id="d",
                                   origin="d", date="2024-11-15")
    statuses = []
    for what in ("Scholz will meet Macron in Paris", "Scholz meets Macron in Paris"):
        answer = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [], "findings": [],
                  "actors": [], "positions": [], "disputed_claims": [], "quotes": [], "facts": [],
                  "events": [{"date": "2024-11-19", "date_text": "Tuesday, November 19", "what": what,
                              "evidence": [{"paragraph": 1, "excerpt": "meets Macron in Paris"}]}]}
        draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                         model="m", prompt_version="v")
        statuses.append(ground(draft, [document]).events[0].date_status)
    assert statuses == ["verified", "unsupported"]


# ------------------------------------------------------------------ a statement's subject


def test_a_statement_opening_with_a_capitalised_common_word_is_not_about_someone_else() -> None:
    # "Since" is no name: the statement is not held to be about another than Novak's sentence
    paragraph = "Novak said Gazprom's exports have halved from their level before the war."
    assert read_words("Since the war began, Gazprom's exports have halved.", [paragraph], [paragraph],
                      statement=True) == "verified"
    assert read_words("Rosneft's exports have halved since the war began.", [paragraph], [paragraph],
                      statement=True) == "unchecked"


def test_a_statement_whose_paragraph_calls_its_subject_by_a_common_word_is_borne_out() -> None:
    # "The company" is no other name: Gazprom, named in an earlier paragraph, is who it means
    paragraph = "The company's exports have halved since the war began, Novak said."
    assert read_words("Gazprom's exports have halved.", [paragraph], [paragraph], statement=True) == "verified"


# ------------------------------------------------------------------ a statement's own words


HEALTH = "The ministry of health publishes its figures on the first day of each month."


@pytest.mark.parametrize(("statement", "paragraph", "status"), [
    ("The ministry of health doesn’t publish its figures.", HEALTH, "unchecked"),  # a typographic apostrophe
    ("The ministry of health does not publish its figures.", HEALTH, "unchecked"),
    ("The ministry of health needn't publish its figures.", HEALTH, "unchecked"),  # "n't" beyond the list
    ("The ministry of health doesn't publish its figures.",
     "The ministry of health doesn’t publish its figures any more, a spokesman said.", "verified"),
    ("The ministry of health does not publish its figures.",
     "The ministry of health does not publish its figures any more, a spokesman said.", "verified"),
    ("The ministry of health does not have to publish its figures.",
     "The ministry of health needn't publish its figures any more, a spokesman said.", "verified"),
])
def test_a_statements_negation_is_read_in_it_and_in_its_evidence_however_it_is_written(
        statement: str, paragraph: str, status: str) -> None:
    # "not" the paragraph does not say is not checked; said in any spelling on both sides, it agrees
    assert read_words(statement, [paragraph], [paragraph], statement=True) == status


@pytest.mark.parametrize(("text", "sentence"), [("…", HEALTH), ("The ministry publishes its figures.", "…")])
def test_an_item_or_evidence_with_no_words_is_not_checked(text: str, sentence: str) -> None:
    # nothing to read on one side: no reading, even for a summary, which is otherwise not held to its words
    assert read_words(text, [sentence], [HEALTH]) == "unchecked"
    assert read_words(text, [sentence], [HEALTH], statement=True) == "unchecked"


FLOOD = "Heavy rain flooded the valley after the river rose, officials said."
RESCUE = "A 7-year-old boy was rescued from the river on Sunday, police said."


@pytest.mark.parametrize(("statement", "paragraph", "status"), [
    ("The dams burst.", FLOOD, "unchecked"),  # two words of its own, of four letters and more: neither there
    ("The dams burst after midnight.", FLOOD, "unchecked"),  # "after" says nothing of its own
    ("A 7-year-old drowned in the lake.", RESCUE, "unchecked"),  # a number (read apart) is no word of it
    ("The valley flooded after heavy rain.", FLOOD, "verified"),
])
def test_a_statement_none_of_whose_own_words_its_paragraph_has_is_not_checked(
        statement: str, paragraph: str, status: str) -> None:
    assert read_words(statement, [paragraph], [paragraph], statement=True) == status


def test_a_statement_is_read_in_the_language_of_its_paragraphs_taken_together() -> None:
    # neither short paragraph alone has two function words of English ("in", "The"); together they have
    paragraphs = ["Monthly figures ended in March.", "The ministry stopped publishing them."]
    assert read_words("The ministry of health never published its figures.", paragraphs, paragraphs,
                      statement=True) == "unchecked"  # read, in English: its "never" is not in them


def test_a_figure_stated_in_any_of_the_articles_it_cites_is_stated() -> None:
    from briefer.core.models import Fact
    from briefer.grounding.check import figure_status

    sources = {name: Source(document_from_bytes(f"The plan cost {amount} dollars in all.".encode(), doc_id=name,
                                                origin=f"{name}.txt"))
               for name, amount in (("short", "500"), ("right", "5,000"))}

    def cited_in(*names: str) -> Fact:
        return Fact(statement="The plan cost 5,000 dollars.", figure="5,000", unit="dollars", attributed_to=None,
                    evidence=[{"source": n, "paragraph": 1, "excerpt": "The plan cost"} for n in names])

    assert figure_status(sources, cited_in("short")) == "unsupported"
    assert figure_status(sources, cited_in("short", "right")) == "verified"
    assert figure_status(sources, cited_in("right", "short")) == "verified"


@pytest.mark.parametrize(("text", "paragraph", "status"), [
    ("1,000 people", "1,000 people came.", "verified"),
    ("about 1,000 people", "1,000 people came.", "verified"),  # "about" says what no qualifier says
    ("more than 1,000 people", "More than 1,000 people came.", "verified"),
    ("more than 1,000 people", "1,000 people came.", "unchecked"),  # "more than" added
    ("fewer than 1,000 people", "More than 1,000 people came.", "unsupported"),  # the other way
    ("$100 million", "€100 million was pledged.", "unsupported"),  # another currency
    ("100 km", "100 miles were walked.", "unsupported"),  # another unit
])
def test_a_number_is_read_with_its_qualifier_currency_and_unit(text: str, paragraph: str, status: str) -> None:
    assert read_numbers(text, [paragraph]) == status


def test_a_number_in_digits_its_paragraphs_do_not_state_is_not_checked() -> None:
    # neither the same number nor the same thing counted: nothing to compare it with, no verdict
    assert read_numbers("1,500 troops were sent.", ["1,000 people came to the rally."]) == "unchecked"
    assert read_numbers("1,500 troops were sent.", ["1,000 people came, and 1,500 troops were sent."]) == "verified"


@pytest.mark.parametrize(("text", "found"), [
    ("The minister said that the talks were over.", "en"),
    ("Le ministre a dit que les négociations sont terminées et que l’accord est conclu.", "fr"),
    ("the talks of Berlin", "en"),  # two function words are enough
    ("the talks", None), ("Berlin", None),  # one, or none: too short to tell
    ("der the und and", None), ("the and of der und die", None),  # as many of two languages
])
def test_a_texts_language_is_that_of_most_of_its_function_words(text: str, found: str | None) -> None:
    from briefer.grounding.reading import language

    assert language(text) == found


def test_an_items_words_are_in_its_articles_language_only_with_its_function_words() -> None:
    from briefer.grounding.reading import same_language

    article = "The minister said that the talks in Berlin were over and that a deal was near."
    assert not same_language("Der Minister sagte, dass die Gespräche in Berlin vorbei sind.", article)
    assert not same_language("Berlin talks", article)
    assert same_language("talks in Berlin", article)


def test_a_quote_citing_an_article_the_check_was_not_given_is_not_checked() -> None:
    quote = format_2().quotes[0].model_copy(update={"status": "verified", "attribution": "verified"})
    checked = checked_quote({}, [], quote)
    assert (checked.status, checked.attribution) == ("unchecked", "unchecked")


def test_a_date_verified_in_one_article_it_cites_is_verified_whichever_is_cited_first() -> None:
    from briefer.core.models import Event
    from briefer.grounding.check import date_status

    texts = {"plain": "The museum opens to the public on Friday, its director says.",  # either way: unchecked
             "ahead": "The museum will open to the public on Friday, its director says."}
    sources = {name: Source(document_from_bytes(text.encode(), doc_id=name, origin=f"{name}.txt", date="2024-03-13"))
               for name, text in texts.items()}

    def cited_in(*names: str) -> Event:
        return Event(date="2024-03-15", date_text="on Friday", what="The museum opens",
                     evidence=[{"source": n, "paragraph": 1, "excerpt": "opens"} for n in names])

    assert date_status(sources, cited_in("plain")) == "unchecked"
    assert date_status(sources, cited_in("plain", "ahead")) == "verified"
    assert date_status(sources, cited_in("ahead", "plain")) == "verified"


# ------------------------------------------------------------------ an item's words against the sentences it cites


MINISTRY = document_from_bytes(b"The ministry publishes its figures every month. It did not say why they are late.",
                               doc_id="m", origin="m.txt")


def cited(words: str, status: str = "verified", *, placed: bool = True) -> Evidence:
    """Evidence of MINISTRY's paragraph: `words` where they stand (or, not `placed`, not located)."""
    start = MINISTRY.text.index(words)
    span = {"start": start, "end": start + len(words)} if placed else {}
    return Evidence(source="m", paragraph=1, excerpt=words, status=status, **span)  # type: ignore[arg-type]


NOT_PUBLISHED = "The ministry does not publish its figures."


def test_a_statement_is_read_against_the_sentence_its_excerpt_stands_in_not_the_paragraphs_other_sentences() -> None:
    # its "not" is in the paragraph's second sentence, not in the one its excerpt cites
    sources = {"m": Source(MINISTRY)}
    assert reading(sources, NOT_PUBLISHED, [cited("publishes its figures")], statement=True) == "unchecked"
    assert reading(sources, NOT_PUBLISHED, [cited("did not say why")], statement=True) == "verified"
    # an excerpt not located gives its whole paragraph
    assert reading(sources, NOT_PUBLISHED, [cited("publishes its figures", "unchecked", placed=False)],
                   statement=True) == "verified"


def test_an_excerpt_the_article_does_not_bear_out_gives_neither_its_sentence_nor_its_words() -> None:
    sources = {"m": Source(MINISTRY)}
    misquoted = cited("did not say why", "unsupported")  # as if its words said something else
    assert reading(sources, NOT_PUBLISHED, [cited("publishes its figures"), misquoted], statement=True) == "unchecked"
    # nor the words the model wrote for it: "unwilling" read against an excerpt that says "willing"
    willing = misquoted.model_copy(update={"excerpt": "was willing to publish"})
    assert reading(sources, "The ministry is unwilling to publish its figures.", [cited("publishes its figures")],
                   statement=True) == "verified"
    assert reading(sources, "The ministry is unwilling to publish its figures.",
                   [cited("publishes its figures"), willing], statement=True) == "verified"
    assert reading(sources, "The ministry is unwilling to publish its figures.",
                   [cited("publishes its figures"), willing.model_copy(update={"status": "verified"})],
                   statement=True) == "unsupported"


def test_a_summary_is_not_held_to_its_sentences_words_and_evidence_of_an_absent_source_is_passed_over() -> None:
    sources = {"m": Source(MINISTRY)}
    # a summary says things in its own words (a statement would not be checked: none of its words are there)
    assert reading(sources, "The officials withheld the quarterly statistics.", [cited("publishes its figures")]) == "verified"
    assert reading(sources, "The officials withheld the quarterly statistics.", [cited("publishes its figures")],
                   statement=True) == "unchecked"
    absent = cited("publishes its figures").model_copy(update={"source": "another-article"})
    assert reading(sources, NOT_PUBLISHED, [absent], statement=True) == "unchecked"  # nothing read at all
    assert reading(sources, NOT_PUBLISHED, [absent, cited("did not say why")], statement=True) == "verified"


# ------------------------------------------------------------------ which numbers an item states


@pytest.mark.parametrize(("text", "paragraph", "status"), [
    # an ordinal or a small number written in words is prose, wherever it stands, and what follows is read
    ("the third debate", "the debate", "verified"),
    ("Third debate held", "The debate was held.", "verified"),
    ("the fourth debate had twelve candidates", "the debate had ten candidates", "unsupported"),
    ("one of the 500 troops", "one of the 600 troops", "unsupported"),
    # "over 10 years" is a span, not "more than": read as the years counted, at the text's start too
    ("He served over 10 years in office.", "He served 10 years in office.", "verified"),
    ("He served over 2 decades.", "He served 2 decades.", "verified"),
    ("Over 10 years, he served.", "He served for 10 years.", "verified"),
    ("He served over 10 years in office.", "He served more than 10 years in office.", "unchecked"),
    ("He served over 10 years.", "He served 11 years.", "unsupported"),  # the years counted otherwise
])
def test_an_items_numbers_leave_out_prose_and_read_over_a_count_of_years_as_a_span(
        text: str, paragraph: str, status: str) -> None:
    assert read_numbers(text, [paragraph]) == status


@pytest.mark.parametrize(("text", "paragraph", "status"), [
    ("He served over 10 years.", "He served 11 years.", "unsupported"),
    ("He served over ten years.", "He served 11 years.", "unchecked"),  # in words: not a number in digits
    # after a name ("Bavaria"), a number with a unit is a figure, not part of the name
    ("In Bavaria 62 percent voted", "In Bavaria 52 percent voted", "unsupported"),
    ("In Bavaria 62 km were built", "In Bavaria 52 km were built", "unsupported"),
])
def test_a_number_in_digits_is_held_to_its_paragraphs_unless_written_in_words_or_part_of_a_name(
        text: str, paragraph: str, status: str) -> None:
    assert read_digits(text, [paragraph]) == status


# ------------------------------------------------------------------ grounding off, and findings


def test_grounding_off_checks_nothing_and_leaves_no_speaker_checked_by_a_merge() -> None:
    checked = seed_checked(lambda answer: None)
    assert {q.attribution for q in checked.quotes} == {"verified"}
    off = ground(checked, [read_source(str(SEED))], "off")
    assert {q.attribution for q in off.quotes} == {"unchecked"}
    assert off.grounding.mode == "off" and off.grounding.items.verified == 0


def test_a_finding_is_checked_like_any_item() -> None:
    from briefer.core.models import Finding

    checked = seed_checked(lambda answer: None)
    evidence = checked.key_points[0].evidence[0]
    findings = [Finding(statement="Scholz spoke with Putin.", evidence=[evidence.model_copy(update={"status": "unchecked"})]),
                Finding(statement="Scholz spoke with Putin.", evidence=[evidence.model_copy(
                    update={"status": "unchecked", "excerpt": "Scholz flew to Moscow to meet Putin"})])]
    grounded = ground(checked.model_copy(update={"findings": findings}), [read_source(str(SEED))])
    assert [f.evidence[0].status for f in grounded.findings] == ["verified", "unsupported"]
    assert grounded.findings[0].reading is not None


def test_evidence_citing_an_article_the_check_was_not_given_is_not_checked_and_the_next_is_still_checked() -> None:
    from briefer.grounding.check import checked_evidence

    sources = {"m": Source(MINISTRY)}
    absent = cited("publishes its figures").model_copy(update={"source": "another-article"})
    checked = checked_evidence(sources, [absent, cited("publishes its figures", "unchecked", placed=False)])
    assert [(e.source, e.status) for e in checked] == [("another-article", "unchecked"), ("m", "verified")]


def test_a_statements_words_are_found_in_their_paragraph_in_any_of_their_forms() -> None:
    # a word's first five letters: "denied" is what "denies" says, "claims" what "claiming" does
    paragraph = "The ministry denies claiming the funds."
    assert read_words("It denied claims.", [paragraph], [paragraph], statement=True) == "verified"
    assert read_words("It denied payments.", [paragraph], [paragraph], statement=True) == "verified"
    assert read_words("It approved payments.", [paragraph], [paragraph], statement=True) == "unchecked"
