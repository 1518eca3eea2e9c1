"""The checker reads like a person (issue 21, points 4 to 6): sentences end where a reader ends
them, verbs of saying are a language's whole list, a surname that is also a word is never a
pronoun, dates and figures are read as written, and an item is read against its evidence."""

from __future__ import annotations

import pytest

from briefer.core.models import Actor
from briefer.grounding import Source
from briefer.grounding.attributed import check_attributed
from briefer.grounding.quotes import check_excerpt
from briefer.grounding.sentences import sentence_starts
from briefer.ingest import document_from_bytes


def source_of(*paragraphs: str, date: str = "2024-11-15") -> Source:
    text = "\n\n".join(paragraphs)
    return Source(document_from_bytes(text.encode(), doc_id="d", origin="d", date=date))


def person(actor_id: str, name: str, *aliases: str) -> Actor:
    return Actor(id=actor_id, name=name, kind="person", role=None, affiliation=None, aliases=list(aliases))


def attributed(src: Source, cast: list[Actor], holder: str, words: str, excerpt: str, paragraph: int = 1) -> str:
    found = check_excerpt(src, excerpt, paragraph)
    assert found.status == "verified" and found.local is not None
    return check_attributed(src, cast, [holder], found.paragraph, found.local, words)[0]


# ------------------------------------------------------------------ sentences and verbs


CASSETTE = ("“Do you want to listen to Taliban cassette?” Matiullah Matie asks as he steers his white "
            "Toyota Corolla along a narrow road. He keeps the tapes in the car for long drives.")


@pytest.mark.parametrize(("text", "starts"), [
    (CASSETTE, ["“Do you", "He keeps"]),
    ("Officials at the U.S. State Department said the talks would go on. Nobody came.",
     ["Officials", "Nobody"]),
    ("The post by Dianna E. Anderson was shared widely. Sen. Warren replied at once.",
     ["The post", "Sen. Warren"]),
    ("“Why now?” The question hung in the air. Nobody answered it.", ["“Why now", "The question", "Nobody"]),
])
def test_sentences_end_where_a_reader_ends_them(text: str, starts: list[str]) -> None:
    assert [text[s:s + len(w)] for s, w in zip(sentence_starts(text), starts)] == starts
    assert len(sentence_starts(text)) == len(starts)


def test_a_question_quote_is_attributed_to_the_speaker_named_after_its_closing_mark() -> None:
    matie = person("matie", "Matiullah Matie", "Matie")
    src = source_of(CASSETTE)
    assert attributed(src, [matie], "matie", "Matiullah Matie asks", "Do you want to listen to Taliban cassette") \
        == "verified"


def test_a_speaker_named_with_a_middle_initial_or_after_the_us_is_next_to_the_quote() -> None:
    anderson = person("anderson", "Dianna E. Anderson", "Anderson")
    src = source_of("“This is not a drug problem,” wrote Dianna E. Anderson, a writer. “It is a housing one.”",
                    "The U.S. Drug Enforcement Administration said in a statement that “meth is back.”")
    assert attributed(src, [anderson], "anderson", "wrote Dianna E. Anderson", "This is not a drug problem") \
        == "verified"
    dea = Actor(id="dea", name="Drug Enforcement Administration", kind="organization", role=None,
                affiliation=None, aliases=[])
    assert attributed(src, [anderson, dea], "dea", "The U.S. Drug Enforcement Administration said",
                      "meth is back", paragraph=2) == "verified"


@pytest.mark.parametrize("verb", ["laughs", "recalls", "complains", "admits", "admitted", "estimates", "cited",
                                  "jokes", "concedes", "points out"])
def test_every_verb_of_saying_gives_a_quote_to_its_speaker(verb: str) -> None:
    src = source_of(f"“They think I am such a pious man,” the round, bearded businessman {verb}.")
    matie = person("matie", "Matiullah Matie", "Matie")
    assert attributed(src, [matie], "matie", f"the round, bearded businessman {verb}",
                      "They think I am such a pious man") == "verified"


@pytest.mark.parametrize(("paragraph", "words"), [
    ("«Nous ne céderons pas», se souvient le ministre.", "se souvient le ministre"),
    ("„Wir geben nicht nach“, räumte der Minister ein.", "räumte der Minister ein"),
    ("«No vamos a ceder», se quejó el ministro.", "se quejó el ministro"),
    ("«Non cederemo», ha ammesso il ministro.", "ha ammesso il ministro"),
    ("«Não vamos ceder», lembrou o ministro.", "lembrou o ministro"),
])
def test_verbs_of_saying_in_the_other_briefing_languages(paragraph: str, words: str) -> None:
    minister = person("minister", "Jean Dupont", "Dupont")
    excerpt = paragraph.split("»")[0].split("“")[0].strip("«„")
    assert attributed(source_of(paragraph), [minister], "minister", words, excerpt) == "verified"


# ------------------------------------------------------------------ surnames that are words


LIU_HE = ("Liu He, China's vice premier, met Trump in Washington on Monday. Trump greeted him warmly. "
          "“We made real progress,” he said after the meeting.")


def test_a_surname_that_is_a_pronoun_never_speaks_for_he() -> None:
    liu, trump = person("liu-he", "Liu He", "He"), person("trump", "Donald Trump", "Trump")
    src = source_of(LIU_HE)
    # "he said": only a pronoun speaks, whoever the holder: not checked, never given to Liu He
    assert attributed(src, [liu, trump], "trump", "he said after the meeting", "We made real progress") == "unchecked"
    assert attributed(src, [liu, trump], "liu-he", "he said after the meeting", "We made real progress") == "unchecked"
    named = source_of("“We made real progress,” Vice Premier He said after the meeting with Trump.")
    assert attributed(named, [liu, trump], "liu-he", "Vice Premier He said", "We made real progress") == "verified"
    assert attributed(named, [liu, trump], "trump", "Vice Premier He said", "We made real progress") == "unsupported"


@pytest.mark.parametrize(("surname", "paragraph", "words"), [
    ("May", "Officials said the party may yet win the vote, Corbyn's aides said.", "Officials said the party may"),
    ("Long", "Analysts said the talks could take long, Corbyn's aides said.", "Analysts said the talks could take long"),
    ("Wang", "Analysts said the wang tax was a burden, Corbyn's aides said.", "Analysts said the wang tax"),
])
def test_a_surname_that_is_a_common_word_never_matches_the_word(surname: str, paragraph: str, words: str) -> None:
    cast = [person("namesake", f"Theresa {surname}", surname), person("corbyn", "Jeremy Corbyn", "Corbyn")]
    excerpt = words.split(" said ")[1]
    assert attributed(source_of(paragraph), cast, "corbyn", words, excerpt) != "unsupported"


# ------------------------------------------------------------------ dates and figures as written


from datetime import date  # noqa: E402

from briefer.grounding import check_date, check_figure  # noqa: E402
from briefer.grounding.reading import read_digits, read_numbers, read_words  # noqa: E402

TUESDAY = date(2024, 11, 19)


@pytest.mark.parametrize(("iso", "written", "paragraph"), [
    ("2024-11-17", "two days ago", "The strike began two days ago, union leaders said."),
    ("2024-10-29", "three weeks ago", "The factory closed three weeks ago."),
    ("2023", "a year ago", "The factory reopened a year ago."),
    ("2024-11-16", "il y a trois jours", "La grève a commencé il y a trois jours."),
    ("2024-11-16", "hace tres días", "La huelga empezó hace tres días."),
    ("2024-11-16", "vor drei Tagen", "Der Streik begann vor drei Tagen."),
    ("2024-11-11", "diez días más tarde", "El 1 de noviembre se firmó el acuerdo y diez días más tarde se rompió."),
    ("2024-11-11", "hace dos lunes", "La reunión fue hace dos lunes."),
    ("2024-11", "Nov.", "The talks began in Nov. and stalled."),
    ("2024-12-17", "late Tuesday evening", "On Dec. 18, a Wednesday, the House voted. Late Tuesday evening the "
                                           "rules committee had met."),
    ("2025-02-23", "February 23", "Elections will be held on February 23, the commission said."),
])
def test_dates_read_as_a_person_reads_them(iso: str, written: str, paragraph: str) -> None:
    assert check_date(iso, written, [paragraph], TUESDAY, "It happened.") == "verified"


@pytest.mark.parametrize(("iso", "written", "paragraph", "what"), [
    ("2024-02-23", "February 23", "Elections will be held on February 23, the commission said.", "Elections."),
    ("2024-11-26", "Tuesday", "Votes are held every week. The last one was held on Tuesday.", "A vote will be held."),
    ("2024-11-29", "diez días más tarde", "El 1 de noviembre se firmó el acuerdo y diez días más tarde se rompió.", ""),
    ("2024-11-10", "two days ago", "The strike began two days ago, union leaders said.", ""),
])
def test_a_date_the_article_does_not_name_is_contradicted(iso: str, written: str, paragraph: str, what: str) -> None:
    assert check_date(iso, written, [paragraph], TUESDAY, what) == "unsupported"


@pytest.mark.parametrize(("figure", "unit", "paragraph"), [
    ("Fifteen hundred", "troops", "Fifteen hundred troops were deployed."),
    ("1,500", "troops", "Fifteen hundred troops were deployed."),
    ("twelve thousand", None, "They hired 12,000 workers."),
    ("a year and a half", None, "He spent a year and a half in prison."),
    ("une douzaine", None, "Une douzaine de soldats sont morts."),
    ("third", None, "He was arrested for a third time."),
    ("N500m", "naira", "The company lost N500m last year."),
    ("₦500 million", None, "The company lost N500m last year."),
    ("R$ 3 bilhões", None, "O governo gastou R$ 3 bilhões."),
    ("CHF 5 million", "francs", "CHF 5 million went missing."),
    ("12,000", None, "Die Regierung plant １２ 000 neue Stellen."),
])
def test_figures_read_as_written(figure: str, unit: str | None, paragraph: str) -> None:
    assert check_figure([paragraph], figure, unit) == "verified"


def test_the_digits_of_a_name_are_no_figure() -> None:
    paragraph = "The trade deal was signed after the pandemic, officials said."
    assert read_digits("The Phase 1 deal was signed by the G7 after COVID-19.", [paragraph]) == "unchecked"
    assert read_digits("Ukraine got 15 billion euros.", [paragraph]) == "unsupported"


@pytest.mark.parametrize(("text", "paragraph", "expected"), [
    ("15 troops were deployed.", "Fifteen hundred troops were deployed.", "unsupported"),
    ("More than 1,000 people came.", "Fewer than 1,000 people came, police said.", "unsupported"),
    ("1,000 people came.", "Fewer than 1,000 people came, police said.", "unchecked"),
    ("The blast left 100 dead.", "In the blast 100 were injured and 3 dead.", "unsupported"),
    ("Germany gave 15 billion dollars.", "Germany gave 15 billion euros.", "unsupported"),
    ("Germany gave twelve thousand euros.", "Germany gave 15 billion euros.", "unchecked"),
    ("Germany gave 15 billion euros.", "Germany gave 15 billion euros.", "verified"),
    ("About 1,000 people came.", "About 1,000 people came.", "verified"),
])
def test_every_number_an_item_states_agrees_with_its_paragraphs(text: str, paragraph: str, expected: str) -> None:
    assert read_numbers(text, [paragraph]) == expected


@pytest.mark.parametrize(("text", "statement", "expected"), [
    ("unwilling to consider energy deals", False, "unsupported"),
    ("willing to consider energy deals", False, "verified"),
    ("France has given Ukraine 15 billion euros", True, "unchecked"),
    ("Scholz and Putin signed a peace treaty", True, "unchecked"),
    ("Germany has given Ukraine 15 billion euros", True, "verified"),
])
def test_an_items_words_are_read_against_its_evidence(text: str, statement: bool, expected: str) -> None:
    sentence = "Germany has given Ukraine a total of 15 billion euros. Scholz spoke with Putin, who was " \
        "willing to consider energy deals."
    assert read_words(text, [sentence], [sentence], statement=statement) == expected
