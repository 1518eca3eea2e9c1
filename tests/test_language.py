"""The article's language: detected from its text, the page's declaration when the text is short."""

from __future__ import annotations

import re

import pytest

from briefer.core.models import Briefing
from briefer.ingest import document_from_bytes, read_source
from briefer.ingest.language import detect_language, language_of

from .conftest import CASSETTES, FIXTURES, SEED, Run
from .goldens import FOREIGN, FRENCH_PAGE, GERMAN_PAGE, foreign_golden

GERMAN = FIXTURES / "articles" / "sueddeutsche_flixtrain_2019.html"
FRENCH = ("Les citoyens sont de plus en plus invités à prendre la parole, mais pour dire quoi, et "
          "surtout pour être entendus par qui ? Le grand débat national a réuni des milliers de "
          "participants dans toutes les régions du pays.")


def test_a_german_page_a_french_text_and_the_english_seed_are_told_apart() -> None:
    assert language_of(read_source(str(GERMAN))) == "de"
    assert language_of(document_from_bytes(FRENCH.encode(), doc_id="f", origin="f")) == "fr"
    assert language_of(read_source(str(SEED))) == "en"


def test_reading_an_article_leaves_the_detector_unloaded_until_its_language_is_asked() -> None:
    """Loading the detector's model takes about half a second: a run reads its articles and sends
    its first call before anything asks for their language."""
    from briefer.ingest.language import _identifier

    _identifier.cache_clear()
    document = document_from_bytes(FRENCH.encode(), doc_id="f", origin="f")  # too short for the common words
    assert document.language is None and _identifier.cache_info().currsize == 0
    assert language_of(document) == "fr" == document.language
    assert _identifier.cache_info().currsize == 1


def test_a_text_plainly_in_one_language_is_told_without_loading_the_model() -> None:
    """Issue 24, finding 5: the model costs half a second and 70 MB unpacked; an article full of
    one language's commonest words (most news) does not need it."""
    from briefer.ingest.language import _identifier

    _identifier.cache_clear()
    assert language_of(read_source(str(SEED))) == "en" and language_of(read_source(str(GERMAN))) == "de"
    assert _identifier.cache_info().currsize == 0


def test_the_common_words_never_contradict_the_model_on_any_fixture_article() -> None:
    from briefer.ingest.language import _identifier, common_words_language

    articles = sorted(p for p in (FIXTURES / "articles").iterdir() if p.suffix in (".txt", ".html"))
    decided = 0
    for path in articles:
        sample = read_source(str(path)).text[:4000]
        quick = common_words_language(sample)
        decided += quick is not None
        assert quick in (None, _identifier().classify(sample)[0]), path.name
    assert decided >= len(articles) - 2


def test_the_model_is_loaded_without_writing_to_the_temporary_folder(tmp_path, monkeypatch) -> None:
    """Finding 5: py3langid's own loader unpacks its model into TMPDIR on every load; a full (or
    missing) temporary folder then cost a run its paid answer with a traceback."""
    import tempfile

    from briefer.ingest.language import _identifier, detect_language

    not_a_folder = tmp_path / "full"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    _identifier.cache_clear()
    assert detect_language(FRENCH) == "fr"


def test_a_short_text_takes_the_language_its_page_declares() -> None:
    page = ("<html lang='de-AT'><head><title>Kurz</title></head><body><article><p>Ok, gut so.</p>"
            "<p>Termin: 12. Mai, 9 Uhr.</p></article></body></html>")
    assert detect_language("Ok, gut so. Termin: 12. Mai, 9 Uhr.", "de-AT") == "de"
    assert language_of(document_from_bytes(page.encode(), doc_id="p", origin="p", html=True)) == "de"


@pytest.mark.parametrize("declared", [None, "", "x-klingon-1"])
def test_without_a_usable_declaration_a_text_too_short_to_tell_has_no_language(declared: str | None) -> None:
    assert detect_language("ok", declared) is None


def test_the_briefing_keeps_each_source_language(run: Run, tmp_path) -> None:
    import json

    out = tmp_path / "seed.json"
    assert run("brief", SEED, "--replay", CASSETTES, "-o", out, "-q").exit_code == 0
    assert json.loads(out.read_text())["sources"][0]["language"] == "en"


# ------------------------------------------------------------ --language: the reader's language



def briefed(run: Run, tmp_path, *options: str, page=GERMAN_PAGE) -> dict:
    import json

    out = tmp_path / f"{page.stem}{'-'.join(options)}.json"
    result = run("brief", page, "--replay", CASSETTES, "-o", out, "-q", *options)
    assert result.exit_code == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def source_text(page, number: int) -> str:
    """Paragraph `number` of the article as written (its no-break spaces kept): a quote is cut
    out of the source's own text, so it is compared with that, not with a normalised copy."""
    article = read_source(str(page))
    paragraph = article.paragraph(number)
    return article.text[paragraph.start:paragraph.end]


def test_a_german_page_in_german_and_by_default_keeps_the_same_verbatim_quotes(run: Run, tmp_path) -> None:
    english, german = briefed(run, tmp_path), briefed(run, tmp_path, "--language", "de")
    assert (english["language"], german["language"]) == ("en", "de")
    assert english["sources"][0]["language"] == german["sources"][0]["language"] == "de"
    quotes = [q["text"] for q in german["quotes"]]
    assert quotes == [q["text"] for q in english["quotes"]] and quotes
    assert all(q["text"] in source_text(GERMAN_PAGE, q["paragraph"]) for q in german["quotes"])  # verbatim
    assert german["grounding"]["excerpts"]["unsupported"] == 0
    assert english["title"].startswith("Flixbus warns") and german["title"].startswith("Flixbus warnt")
    assert "Deutschlandtakt" in german["key_points"][0]["text"] and " the " not in german["bottom_line"]["text"]


def test_a_french_page_in_french_and_by_default_keeps_the_same_verbatim_quotes(run: Run, tmp_path) -> None:
    english, french = briefed(run, tmp_path, page=FRENCH_PAGE), briefed(run, tmp_path, "--language", "fr", page=FRENCH_PAGE)
    assert (english["language"], french["language"]) == ("en", "fr")
    assert english["sources"][0]["language"] == french["sources"][0]["language"] == "fr"
    quotes = [q["text"] for q in french["quotes"]]
    assert quotes == [q["text"] for q in english["quotes"]] and len(quotes) >= 3
    assert all(q["text"] in source_text(FRENCH_PAGE, q["paragraph"]) for q in french["quotes"])  # verbatim
    assert any("«" in q and "’" in q for q in quotes)  # the article's typography, not straightened
    for briefing in (english, french):
        counts = briefing["grounding"]
        assert counts["excerpts"]["unsupported"] == counts["excerpts"]["approximate"] == 0
        assert counts["figures"]["unsupported"] == counts["figures"]["approximate"] == 0
        assert counts["dates"]["verified"] == 3 and counts["dates"]["unsupported"] == counts["dates"]["approximate"] == 0
        assert counts["attributions_flagged"] == 0
        # "Le 5 décembre" and "Le 18 décembre", read against 2020-01-14, are in 2019
        assert {"2019-12-05", "2019-12-18"} <= {e["date"] for e in briefing["events"]}
        # given by their own words, or (a pronoun speaks) honestly not checked: never contradicted
        assert all(q["attribution"] in ("verified", "unchecked") for q in briefing["quotes"])
        assert any(q["attribution"] == "verified" for q in briefing["quotes"])
    assert "political language" in english["title"] and "langage politique" in french["title"]
    assert " the " not in french["bottom_line"]["text"] and "guillemets" in french["bottom_line"]["text"]


#: What a reader of each render must see: its headings, the line of provenance, what the source was written in.
READS = {
    "": ["## Key points", "## Sources", "*Written by a language model from the sources above", "(written in {})"],
    "de": ["## Kernpunkte", "## Quellen", "*Von einem Sprachmodell aus den obigen Quellen verfasst"],
    "fr": ["## Points clés", "## Sources", "*Rédigé par un modèle de langage", "## Dans leurs mots", "5 décembre 2019",
           "14 janvier 2020"],
}


@pytest.mark.parametrize(("page", "language"), FOREIGN, ids=[FOREIGN[k] for k in FOREIGN])
def test_each_foreign_page_matches_its_golden_render_in_each_language(run: Run, page, language: str) -> None:
    """fixtures/expected/sueddeutsche-flixtrain-2019[.de].md and franceculture-idees-2020[.fr].md,
    never rewritten by a test (`python scripts/update_goldens.py` does that)."""
    from pymarkdown.api import PyMarkdownApi

    golden, args = foreign_golden(page, language)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == golden.read_text(encoding="utf-8")
    assert PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(result.stdout).scan_failures == []
    written_in = "German" if page == GERMAN_PAGE else "French"
    for words in READS[language]:
        assert words.format(written_in) in result.stdout, words
    if language:
        assert "written in" not in result.stdout and "Key points" not in result.stdout
        assert not any(month in result.stdout for month in ("January", "May", "December"))  # dates read in it too


@pytest.mark.parametrize(("language", "day", "month", "kind"), [
    (None, "5 December 2019", "May 2019", "organization"),
    ("fr", "5 décembre 2019", "mai 2019", "organisation"),
    ("de", "5. Dezember 2019", "Mai 2019", "Organisation"),
    ("es", "5 de diciembre de 2019", "mayo de 2019", "organización"),
    ("ja", "2019年12月5日", "2019年5月", "organization"),  # CLDR's Japanese dates; no catalogue, so English kinds
])
def test_dates_and_kinds_of_actor_read_in_the_briefings_language(language, day, month, kind) -> None:
    from briefer.core.models import Actor
    from briefer.render.phrasing import human_date, role_line

    assert (human_date("2019-12-05", language), human_date("2019-05", language)) == (day, month)
    assert human_date("2008", language) == "2008"
    assert role_line(Actor(id="x", name="X", kind="organization", role=None, affiliation=None, aliases=[]), language) == kind


def test_a_french_first_of_the_month_is_the_premier() -> None:
    from briefer.render.phrasing import human_date

    assert human_date("2022-03-01", "fr") == "1er mars 2022" and human_date("2022-03-01") == "1 March 2022"


def test_the_default_request_has_no_language_line_and_another_language_says_so() -> None:
    from briefer.extract.chunking import chunk_document
    from briefer.extract.prompting import extraction_request

    document = read_source(str(GERMAN_PAGE))
    chunk = chunk_document(document)[0]
    default = extraction_request(document, chunk)[0][1]["content"]
    french = extraction_request(document, chunk, language="fr")[0][1]["content"]
    assert "Reply language" not in default and default == extraction_request(document, chunk, language="en")[0][1]["content"]
    assert "Reply language: French (français). Write every field in French, except excerpts and quotes" in french


def test_every_word_of_the_templates_is_translated_into_german_french_and_spanish() -> None:
    import re
    from typing import get_args

    from briefer.core.languages import WORDS
    from briefer.core.models.reply import ClaimStatus
    from briefer.core.resources import resource_dir

    used = set()
    for template in resource_dir("templates").glob("*.j2"):
        used |= set(re.findall(r'"([^"]+)"\s*\|\s*t\b', template.read_text(encoding="utf-8")))
        used |= {m for pair in re.findall(r'\("([^"]+)" if several else "([^"]+)"\)\s*\|\s*t', template.read_text(encoding="utf-8")) for m in pair}
    used = {w.rstrip(":;!?") for w in used} - {""}  # "Bottom line:" is "Bottom line" and its colon
    assert {"Key points", "Sources", "Checked against the source", "Bottom line", "Model"} <= used
    # printed through `t` from the data: a claim's status, the grounding labels, the appendix's kinds
    used |= {*get_args(ClaimStatus), "approximate", "not checked", "unsupported", "attribution unconfirmed",
             "Key point", "Finding", "Position", "Disputed claim", "Figure", "Event", "Quote"}
    for language in ("de", "fr", "es"):
        assert used <= set(WORDS[language]), (language, used - set(WORDS[language]))


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_grounding_line_is_translated(language: str) -> None:
    from briefer.core.languages import grounding_line
    from briefer.core.models import GroundingReport, StatusCounts

    report = GroundingReport(mode="mark", excerpts=StatusCounts(verified=30, unsupported=1),
                             figures=StatusCounts(verified=7), dates=StatusCounts(verified=4, unchecked=1))
    line = grounding_line(report, language)
    assert "30" in line and "31" in line and "excerpts" not in line
    assert grounding_line(report, "en") == report.summary


def test_an_unknown_language_is_refused(run: Run) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "--language", "xx")
    assert result.exit_code == 2 and "not a language briefer knows" in result.stderr


@pytest.mark.parametrize(("template", "words"), [
    ("email.txt", ["KERNPUNKTE", "QUELLEN", "Von einem Sprachmodell aus den obigen Quellen verfasst"]),
    ("email.html", ['<html lang="de">', ">Kernpunkte</h2>", ">Quellen</h2>",
                    "Von einem Sprachmodell aus den obigen Quellen verfasst"]),
    ("dossier.email.txt", ["QUELLEN", "Mit der Quelle abgeglichen: {verified} von {total}"]),
])
def test_the_email_of_a_german_briefing_speaks_german_too(run: Run, tmp_path, template: str, words: list[str]) -> None:
    saved = tmp_path / "de.json"
    assert run("brief", GERMAN_PAGE, "--replay", CASSETTES, "--language", "de", "-o", saved, "-q").exit_code == 0
    result = run("render", saved, "--template", template)
    assert result.exit_code == 0, result.stderr
    summary = Briefing.model_validate_json(saved.read_text(encoding="utf-8")).grounding.summary
    counts = re.search(r"(\d+) of (\d+) items verified", summary)
    assert counts, "the briefing's own summary line counts its items"
    said = [w.format(verified=counts[1], total=counts[2]) for w in words]
    assert all(word in result.stdout for word in said), result.stdout[:600]
    assert "Key points" not in result.stdout and "KEY POINTS" not in result.stdout
