"""Quotes by reference (grounding/anchors.py), case by case: the quote shown is cut out of the
source between the model's first and last words, so where the cut ends (a quotation the quote
opened is closed with it, one it did not open is left alone, an apostrophe is no closing mark)
and what the model is told when the anchors fix no one span are what a reader and the model see.
Each case stands for mutants of the module that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding.anchors import Cut, cut_quote
from briefer.grounding.text import Source
from briefer.ingest import document_from_bytes

FIRST = "First paragraph here, long enough to read."


def source_of(*paragraphs: str) -> Source:
    return Source(document_from_bytes("\n\n".join(paragraphs).encode(), doc_id="d", origin="d"))


def cut_text(paragraph: str, begins: str, ends: str) -> str | None:
    """The words cut out of the article's second paragraph."""
    cut = cut_quote(source_of(FIRST, paragraph), 2, begins, ends)
    assert cut.problem is None, cut.problem
    return cut.text


@pytest.mark.parametrize(("paragraph", "begins", "ends", "words"), [
    # a quotation the quote opened is closed with it: the mark that follows at once
    ("Il se dit «calme et déterminé» ce soir.", "Il se dit", "déterminé", "Il se dit «calme et déterminé»"),
    # ... after a French no-break space or two spaces, not three
    ("Il se dit «\u00a0calme et déterminé\u00a0» ce soir.", "Il se dit", "déterminé",
     "Il se dit «\u00a0calme et déterminé\u00a0»"),
    ("Il se dit «calme et déterminé \u00a0» ce soir.", "Il se dit", "déterminé", "Il se dit «calme et déterminé \u00a0»"),
    ("Il se dit «calme et déterminé   » ce soir.", "Il se dit", "déterminé", "Il se dit «calme et déterminé"),
    # ... and not when something else follows the last words
    ("Il se dit «calme et déterminé, prêt à tout» ce soir.", "Il se dit", "déterminé",
     "Il se dit «calme et déterminé"),
    # ... nor past the article's end
    ("Il se dit «calme et déterminé", "Il se dit", "déterminé", "Il se dit «calme et déterminé"),
    # an apostrophe between letters closes nothing, wherever it stands in the word
    ("She said “we don’t know” today.", "She said", "know", "She said “we don’t know”"),
    ("Il arrive à l’Élysée et se dit «calme et déterminé» ce soir.", "arrive à l’Élysée", "déterminé",
     "arrive à l’Élysée et se dit «calme et déterminé»"),
    # a closing mark the quote did not open (after a letter, or straight before the next word, as
    # scraped pages print it) means it runs over two passages: left as it is
    ("‘We stay calm’ he said, “and determined” today.", "calm", "determined", "calm’ he said, “and determined"),
    ("She wrote ‘Stay calm.’Then she added «and determined» today.", "calm", "determined",
     "calm.’Then she added «and determined"),
])
def test_a_quote_ends_where_its_own_quotation_closes(paragraph: str, begins: str, ends: str, words: str) -> None:
    assert cut_text(paragraph, begins, ends) == words


def test_an_ends_anchor_inside_the_begins_anchor_is_not_the_quotes_end() -> None:
    assert cut_text("We will fight and we will win.", "We will fight", "will") == "We will fight and we will"


def test_a_paragraph_the_article_does_not_have_is_corrected_to_the_one_that_holds_the_quote() -> None:
    cut = cut_quote(source_of(FIRST, "He said we will win."), 9, "we will", "win")
    assert (cut.paragraph, cut.text, cut.problem) == (2, "we will win", None)


PARAGRAPH = "He said no and then he said no again, and again."


@pytest.mark.parametrize(("begins", "ends", "problem"), [
    ("“", "no", "an anchor is empty; give the quote's first and last words"),
    ("He said", " ,", "an anchor is empty; give the quote's first and last words"),
    ("He said … then", "again", "an anchor holds an ellipsis; give contiguous words as the article prints them"),
    ("He said", "no [...] again", "an anchor holds an ellipsis; give contiguous words as the article prints them"),
    # two places it could start, or two places it could end
    ("He said", "no", "the anchors “He said” … “no” fit more than one span of paragraph 2; give more words, so "
     "that each occurs once"),
    ("He said no and", "again", "the anchors “He said no and” … “again” fit more than one span of paragraph 2; give "
     "more words, so that each occurs once"),
    ("no again", "He said", "“He said” comes before “no again” in paragraph 2; begins is the quote's first words, "
     "ends its last"),
    ("She said", "again", "begins “She said” is not in paragraph 2 (nor once in any other); copy the quote's words "
     "exactly"),
    ("He said", "yes", "ends “yes” is not in paragraph 2 (nor once in any other); copy the quote's words exactly"),
])
def test_anchors_that_fix_no_one_span_are_a_finding_sent_back(begins: str, ends: str, problem: str) -> None:
    assert cut_quote(source_of(FIRST, PARAGRAPH), 2, begins, ends) == Cut(2, problem=problem)
