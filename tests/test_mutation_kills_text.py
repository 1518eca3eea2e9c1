"""Texts in matching form (grounding/text.py), case by case: every check finds words in the
matching form and cuts the source's own words out by the offsets kept for each character, so a
character made uniform wrongly, or an offset off by one, shows the reader other words than the
ones checked. Each case stands for mutants of the module that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding import text as text_module
from briefer.grounding.text import Source, normalise
from briefer.ingest import document_from_bytes


def words_at(original: str, found: str) -> str:
    """The original's words under the first place `found` stands in the matching form."""
    normalised = normalise(original)
    at = normalised.text.index(found)
    start, end = normalised.span(at, at + len(found), 0)
    return original[start:end]


@pytest.mark.parametrize(("original", "matching"), [
    ("He waited… then left.", "he waited... then left."),
    ("Die Straße und die STRASSE", "die strasse und die strasse"),
    ("Ｂ１２ and B12", "b12 and b12"),
    # a mark standing alone as a word is dropped, and the words after it are kept
    ("Il dit « oui » ici.", "il dit oui ici."),
    ("“ Yes ” he said", "yes he said"),
])
def test_marks_ellipses_sharp_s_and_wide_forms_are_made_uniform(original: str, matching: str) -> None:
    normalised = normalise(original)
    assert normalised.text == matching
    assert len(normalised.origin) == len(matching)


@pytest.mark.parametrize(("original", "found", "words"), [
    # a word that needs care, past the text's start: its offsets are the text's, not the word's
    ("He said “no” twice.", "no", "no"),
    ("They said “Straße” twice.", "strasse", "Straße"),
    ("He waited… then left.", "waited...", "waited…"),
    ("It was Ｂ１２ again.", "b12", "Ｂ１２"),
    # a word whose lower case is longer ("İ" is two characters) keeps one offset per character
    ("In İstanbul today it rained.", "today", "today"),
    ("In İstanbul today it rained.", "i\u0307stanbul", "İstanbul"),
])
def test_a_span_in_matching_form_points_at_the_originals_own_words(original: str, found: str, words: str) -> None:
    assert words_at(original, found) == words


def test_a_span_is_offset_by_the_paragraphs_start() -> None:
    normalised = normalise("a “b” c")
    assert normalised.span(2, 3, 100) == (103, 104)


def document(number: int):  # noqa: ANN201 - a Document
    return document_from_bytes(f"Article number {number}, long enough to read.".encode(), doc_id=f"d{number}",
                               origin=f"d{number}")


def test_a_documents_source_is_made_once_and_at_most_64_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_module, "_SOURCES", {})
    first = Source.of(document(0))
    assert isinstance(first, Source) and first.document.id == "d0"
    assert Source.of(document(0)) is first
    for number in range(1, 64):
        Source.of(document(number))
    assert Source.of(document(0)) is first  # 64 kept: the first is still there
    newest = Source.of(document(64))  # the 65th drops the oldest
    assert len(text_module._SOURCES) == 64
    assert Source.of(document(64)) is newest
    assert Source.of(document(0)) is not first


def test_a_paragraph_the_article_does_not_have_reads_as_no_text() -> None:
    source = Source(document_from_bytes(b"One paragraph, long enough to read.", doc_id="d", origin="d"))
    assert source.text(1) == "one paragraph, long enough to read."
    assert source.text(7) == ""
