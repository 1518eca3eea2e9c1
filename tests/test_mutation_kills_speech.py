"""The verbs the attribution checks read (grounding/speech.py) and a saved briefing checked again
(grounding/audit.py), case by case: a stance verb in every form a reporter writes it and never
as a noun or an adjective, the verbs after which the speaker may follow, the sources of a
briefing found again by their text, their name or their place, and what `--strict` fails on.
Each case stands for mutants of the checker that the grounding tests let through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefer.core.errors import InputError
from briefer.core.models import Account, Briefing, ChunkExtraction, Evidence, SourceDispute, Usage
from briefer.grounding import ground
from briefer.grounding.audit import documents_for, recheck, unsupported_items
from briefer.grounding.continued import open_at_end, quotation_opened
from briefer.grounding.speech import SPEAKER_AFTER, SPEECH, VERBS
from briefer.grounding.tense import clause_of, sentence_of, tense, year_tense
from briefer.grounding.text import Source, matching_text
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction, source_of

from .conftest import FIXTURES, SEED, seed_reading

STANCES = ("Officials in Berlin reject the plan. Scholz rejected it, criticised Moscow and accused the Kremlin "
           "of stalling; he denied any deal, thought the offer a trap, dismisses it and backs Kyiv, though he "
           "played a supporting role and public support is thin.")


def test_a_stance_verb_is_found_in_every_form_a_reporter_writes_and_never_as_a_noun_or_an_adjective() -> None:
    # "support" is a noun here, "supporting" an adjective: a stance verb counts only as a verb
    assert [m.group() for m in VERBS.finditer(STANCES)] == [
        "reject", "rejected", "criticised", "accused", "denied", "thought", "dismisses", "backs"]


@pytest.mark.parametrize(("verb", "speaker_after"), [
    ("said", True), ("added", True), ("according to", True),  # “…,” said Hill; according to Reuters
    ("sagte", True), ("dijo", True), ("déclaré", True), ("disse", True),  # "sagte Scholz", "dijo Petro"
    ("warned", False), ("urged", False), ("saying", False), ("telling", False), ("denied", False),
    ("spoke of", False),  # "…, spoke of Hill" names whom he spoke of
])
def test_the_speaker_may_follow_said_according_to_and_the_other_languages_verbs_only(
        verb: str, speaker_after: bool) -> None:
    # "…, saying Hill" is no English: a name after it is not who speaks
    assert SPEAKER_AFTER.match(verb) is speaker_after


@pytest.mark.parametrize("verb", ["noting", "warning", "adding", "insisting"])
def test_a_speaker_never_follows_the_ing_form_of_an_english_verb_of_saying(verb: str) -> None:
    # "…, noting Hill" names no speaker: only "said Hill", "added Hill", "according to Hill" do
    assert SPEAKER_AFTER.match(verb) is False
    text = f"the minister went on, {verb} that talks would resume"
    assert SPEECH.match(text, text.index(verb)) is not None  # a verb of saying all the same


def test_a_verb_of_saying_matched_at_a_point_is_the_articles_own_words() -> None:
    text = matching_text("“We will not sign,” said Morrison, the chief negotiator.")
    found = SPEECH.match(text, text.index("said"))
    assert found is not None and found.group() == "said" and text[found.start():found.end()] == "said"
    assert SPEECH.match(text, text.index("said") + 1) is None  # inside a word: no verb starts there


# ------------------------------------------------------------------ a saved briefing checked again


SWEDEN = FIXTURES / "articles" / "bbc_sweden_drops_assange_investigation_2019.txt"


def two_sources() -> Briefing:
    """The seed article's briefing, checked, with a second article among its sources."""
    document = read_source(str(SEED))
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(seed_reading()), usage=Usage(),
                                     model="m", prompt_version="v")
    checked = ground(draft, [document])
    return checked.model_copy(update={"sources": [*checked.sources, source_of(read_source(str(SWEDEN)))]})


def renamed(tmp_path: Path, article: Path, name: str, change: str = "") -> str:
    """The article copied under another name (its id follows the name), its text changed or not."""
    copy = tmp_path / name
    copy.write_text(article.read_text(encoding="utf-8") + change, encoding="utf-8")
    return str(copy)


def test_given_files_are_matched_to_the_sources_by_their_text_whatever_their_names_and_order(tmp_path: Path) -> None:
    briefing = two_sources()
    given = [renamed(tmp_path, SWEDEN, "b.txt"), renamed(tmp_path, SEED, "a.txt")]
    found = documents_for(briefing, given, tmp_path)
    assert [(d.id, d.sha256) for d in found] == [(s.id, s.sha256) for s in briefing.sources]
    assert [d.origin for d in found] == [given[1], given[0]]


def test_a_given_file_named_as_a_source_whose_text_changed_is_refused_by_its_name(tmp_path: Path) -> None:
    briefing = two_sources()
    changed = renamed(tmp_path, SEED, "scholz-putin-call.txt", change="\n\nA paragraph added later.")
    with pytest.raises(InputError) as refused:
        documents_for(briefing, [renamed(tmp_path, SWEDEN, "b.txt"), changed], tmp_path)
    assert str(refused.value) == (f"{changed}: the text has changed since the briefing was made (source "
                                  "scholz-putin-call); check it against the text it was made from")


@pytest.mark.parametrize("origin", ["fixtures/articles/scholz-putin-call.txt", None])
def test_a_source_none_of_the_given_files_is_named_with_its_origin(tmp_path: Path, origin: str | None) -> None:
    briefing = two_sources()
    briefing = briefing.model_copy(update={"sources": [briefing.sources[0].model_copy(update={"origin": origin}),
                                                       briefing.sources[1]]})
    with pytest.raises(InputError) as refused:  # one file for two sources: not matched by place
        documents_for(briefing, [renamed(tmp_path, SWEDEN, "b.txt", change="\n\nA correction.")], tmp_path)
    assert str(refused.value) == ("none of the given files is source scholz-putin-call "
                                  f"({origin or 'unknown origin'})")


def test_a_given_file_that_is_none_of_the_sources_is_named(tmp_path: Path) -> None:
    briefing = two_sources()
    briefing = briefing.model_copy(update={"sources": briefing.sources[:1]})
    stray = renamed(tmp_path, SWEDEN, "b.txt")
    with pytest.raises(InputError) as refused:
        documents_for(briefing, [renamed(tmp_path, SEED, "a.txt"), stray], tmp_path)
    assert str(refused.value) == f"{stray} is not one of the briefing's sources"


def test_a_source_read_from_standard_input_must_be_given_and_the_command_says_how(tmp_path: Path) -> None:
    briefing = two_sources()
    briefing = briefing.model_copy(update={"sources": [briefing.sources[0].model_copy(update={"origin": "-"})]})
    with pytest.raises(InputError) as refused:
        documents_for(briefing, [], tmp_path, "briefer page BRIEFING.json SOURCE...")
    assert str(refused.value) == ("source scholz-putin-call came from standard input; give it: "
                                  "briefer page BRIEFING.json SOURCE...")


@pytest.mark.parametrize(("mode", "again"), [("strict", "strict"), ("mark", "mark"), ("off", "mark")])
def test_a_briefing_checked_again_keeps_its_grounding_mode_and_one_made_without_checks_is_marked(
        tmp_path: Path, mode: str, again: str) -> None:
    briefing = two_sources()
    briefing = briefing.model_copy(update={"sources": briefing.sources[:1],
                                           "grounding": briefing.grounding.model_copy(update={"mode": mode})})
    assert recheck(briefing, [str(SEED)], tmp_path).grounding.mode == again


def cite_elsewhere(briefing: Briefing, name: str) -> Briefing:
    """The briefing with one item citing an article it does not name among its sources."""
    def moved(evidence: list[Any]) -> list[Any]:
        return [e.model_copy(update={"source": "another-article"}) for e in evidence]

    if name == "rebuttal":
        claim = briefing.disputed_claims[0]
        return briefing.model_copy(update={"disputed_claims": [claim.model_copy(update={
            "rebuttal": moved(claim.rebuttal)}), *briefing.disputed_claims[1:]]})
    if name == "accounts":
        account = Account(source="another-article", paragraph=1, excerpt="Scholz spoke", says="they spoke")
        return briefing.model_copy(update={"source_disputes": [SourceDispute(subject="the call", accounts=[account])]})
    quote = briefing.quotes[0]
    if name == "also_in":
        also = Evidence(source="another-article", paragraph=3, excerpt="a just and lasting peace")
        return briefing.model_copy(update={"quotes": [quote.model_copy(update={"also_in": [also]}), *briefing.quotes[1:]]})
    if name == "quote":
        return briefing.model_copy(update={"quotes": [quote.model_copy(update={"source": "another-article"}),
                                                      *briefing.quotes[1:]]})
    fact = briefing.facts[0]
    return briefing.model_copy(update={"facts": [fact.model_copy(update={"evidence": moved(fact.evidence)}),
                                                 *briefing.facts[1:]]})


@pytest.mark.parametrize(("name", "path"), [("evidence", "facts.0"), ("rebuttal", "disputed_claims.0"),
                                            ("accounts", "source_disputes.0"), ("also_in", "quotes.0"),
                                            ("quote", "quotes.0")])
def test_strict_fails_on_an_item_citing_an_article_the_briefing_does_not_have(name: str, path: str) -> None:
    briefing = two_sources()
    assert unsupported_items(briefing) == []
    assert unsupported_items(cite_elsewhere(briefing, name)) == [path]


def test_strict_fails_on_a_bottom_line_that_cites_nothing_and_on_a_briefing_without_sources() -> None:
    briefing = two_sources()
    uncited = briefing.model_copy(update={"bottom_line": briefing.bottom_line.model_copy(update={"evidence": []})})
    assert unsupported_items(uncited) == ["bottom_line"]
    assert unsupported_items(briefing.model_copy(update={"sources": []}))[0] == "sources (the briefing names none)"


# ------------------------------------------------------------------ a quotation over several paragraphs


@pytest.mark.parametrize(("text", "opened"), [
    # a quotation quoted and closed before the one left open: the open one is where it began
    ("Zelensky called the call “a mistake” and went on: “We will not accept talks about us without us.",
     "“We will not"),
    # the article's marks open again inside it: it began at the first
    ("“Now there may be other conversations, other calls. “They are just words", "“Now there"),
    ("Scholz sagte: „Wir werden die Ukraine unterstützen“, und fügte hinzu: „Solange es nötig ist.", "„Solange"),
    # a German quotation closed with its “, then an English one opened with the same mark
    ("Merz sagte: „Wir stehen zu Kyjiw“, und zitierte dann Biden auf Englisch: “We will stand with Ukraine",
     "“We will"),
])
def test_the_quotation_a_paragraph_leaves_open_is_found_where_it_began(text: str, opened: str) -> None:
    at = open_at_end(text)
    assert at is not None and text[at:].startswith(opened)


def test_a_quotation_closed_within_its_paragraph_leaves_nothing_open() -> None:
    assert open_at_end("Zelensky called the call “a mistake” and said “talks are just words”.") is None


def test_a_quotation_is_followed_back_six_paragraphs_at_most() -> None:
    # a speech printed whole is not a quote: its seventh paragraph on is not given to who opened it
    speech = Source(document_from_bytes("\n\n".join([
        "The president spoke to the nation on Friday evening. “We have come through a hard year together.",
        *(f"“In the {n} months ahead we will rebuild what was lost, town by town." for n in
          ("first", "second", "third", "fourth", "fifth", "sixth")),
        "“Nobody will decide our future for us,” he said.",
    ]).encode(), doc_id="speech", origin="speech", date="2024-11-15"))
    opened = quotation_opened(speech, 7)
    assert opened is not None and opened[0] == 1
    assert speech.paragraphs[1][0].text[opened[1][0]:].startswith("we have come through")
    assert quotation_opened(speech, 8) is None


def test_only_a_paragraph_opening_with_a_quotation_mark_after_one_left_open_continues_a_quotation() -> None:
    # the article left a mark open (a slip): the next paragraph, in the reporter's words, is no quote;
    # and the article's first paragraph continues nothing, whatever it opens with
    source = Source(document_from_bytes("\n\n".join([
        "“We will not give up an inch of our land,” the minister said. “Not now, not ever.",
        "The talks resumed on Monday in Istanbul, officials said.",
        "“Nobody can decide for Ukraine without Ukraine,” Zelensky said.",
    ]).encode(), doc_id="talks", origin="talks", date="2024-11-15"))
    assert [quotation_opened(source, n) for n in (1, 2, 3)] == [None, None, None]


@pytest.mark.parametrize(("paragraphs", "opened"), [
    (["“We will not give up an inch of our land, not now and not in any talks.",
      "“Nobody can decide for Ukraine without Ukraine,” Zelensky said on Friday."], 1),
    (["Zelensky spoke in Kyiv on Friday, a day after the call.",
      "“Nobody can decide for Ukraine without Ukraine.",
      "“The war must end, and it must end with justice,” he said."], 2),
])
def test_a_quotation_that_opens_a_paragraph_is_followed_back_to_it_the_articles_first_included(
        paragraphs: list[str], opened: int) -> None:
    source = Source(document_from_bytes("\n\n".join(paragraphs).encode(), doc_id="speech", origin="speech",
                                        date="2024-11-15"))
    assert quotation_opened(source, len(paragraphs)) == (opened, (0, len(source.paragraphs[opened][0].text)))


# ------------------------------------------------------------------ the clause that holds a date


@pytest.mark.parametrize(("sentence", "part", "clause"), [
    ("the commission said on monday, after a long meeting, that elections will be held on february 23",
     "february 23", " that elections will be held on february 23"),
    ("“elections will be held on february 23,” the commission said", "february 23",
     "elections will be held on february 23"),
    ("the vote (will be held on february 23) was announced late", "february 23", "will be held on february 23"),
    ("the court met on friday, and it will meet again on friday", "friday", "the court met on friday"),
    ("elections will be held on february 23, the commission said, after a long meeting", "february 23",
     "elections will be held on february 23"),
    ("the vote is set for monday, february 23, the commission said", "february 23", " february 23"),
])
def test_the_clause_read_for_a_dates_tense_is_the_one_that_holds_it(sentence: str, part: str, clause: str) -> None:
    # article text in matching form (lower case), as the date check reads it
    assert clause_of(sentence, part) == clause


@pytest.mark.parametrize(("clause", "either", "year"), [
    ("the talks were held in doha on friday", "past", "past"),
    ("elections will be held on february 23", "future", "future"),
    # "scheduled" may be a past verb: the sentence says either, but the year lies ahead beyond doubt
    ("the summit is scheduled for february 23", None, "future"),
    ("elections on february 23", None, None),
])
def test_a_clause_says_its_tense_by_its_own_words_and_the_year_only_beyond_doubt(
        clause: str, either: str | None, year: str | None) -> None:
    assert (tense(clause), year_tense(clause)) == (either, year)


@pytest.mark.parametrize("text", [
    "the court met on friday. it will meet again on friday. no date was given.",
    "will they meet? nobody knows. the court met on friday! it will meet again on friday.",
    "no talks are planned. will they meet? the court met on friday? it will meet again on friday.",
    "no talks are planned. nobody knows! the court met on friday. it will meet again on friday.",
    "no talks are planned. nobody knows. the court met on friday. it will meet again on friday.",
    # the last stop before the words, not the first: a question two sentences back is not this one's
    "will they meet? who knows? the court met on friday. it will meet again on friday.",
    "will they meet! nobody knows! the court met on friday. it will meet again on friday.",
    "will they meet. nobody knows. the court met on friday. it will meet again on friday.",
    # and the first stop after them: the next sentence, which says "will", is not this one's
    "the court met on friday? it will meet again on friday? no date was given.",
    "the court met on friday! it will meet again on friday! no date was given.",
])
def test_the_sentence_read_is_the_first_that_holds_the_words_between_its_stops(text: str) -> None:
    assert sentence_of(text, "friday").strip() == "the court met on friday"
