"""The article's language: detected from its text, the page's declaration when the text is short."""

from __future__ import annotations

import pytest

from briefer.ingest import document_from_bytes, read_source
from briefer.ingest.language import detect_language

from .conftest import CASSETTES, FIXTURES, SEED, Run

GERMAN = FIXTURES / "articles" / "sueddeutsche_flixtrain_2019.html"
FRENCH = ("Les citoyens sont de plus en plus invités à prendre la parole, mais pour dire quoi, et "
          "surtout pour être entendus par qui ? Le grand débat national a réuni des milliers de "
          "participants dans toutes les régions du pays.")


def test_a_german_page_a_french_text_and_the_english_seed_are_told_apart() -> None:
    assert read_source(str(GERMAN)).language == "de"
    assert document_from_bytes(FRENCH.encode(), doc_id="f", origin="f").language == "fr"
    assert read_source(str(SEED)).language == "en"


def test_a_short_text_takes_the_language_its_page_declares() -> None:
    page = ("<html lang='de-AT'><head><title>Kurz</title></head><body><article><p>Ok, gut so.</p>"
            "<p>Termin: 12. Mai, 9 Uhr.</p></article></body></html>")
    assert detect_language("Ok, gut so. Termin: 12. Mai, 9 Uhr.", "de-AT") == "de"
    assert document_from_bytes(page.encode(), doc_id="p", origin="p", html=True).language == "de"


@pytest.mark.parametrize("declared", [None, "", "x-klingon-1"])
def test_without_a_usable_declaration_a_text_too_short_to_tell_has_no_language(declared: str | None) -> None:
    assert detect_language("ok", declared) is None


def test_the_briefing_keeps_each_source_language(run: Run, tmp_path) -> None:
    import json

    out = tmp_path / "seed.json"
    assert run("brief", SEED, "--replay", CASSETTES, "-o", out, "-q").exit_code == 0
    assert json.loads(out.read_text())["sources"][0]["language"] == "en"
