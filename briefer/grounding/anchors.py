"""Quotes by reference: the model names a quote's paragraph and its first and last words, and
the program cuts the words in between out of the source. The quote is then the source's own
text, contiguous, marks and all: it cannot skip a "not". Anchors that are not there, come in the
wrong order, or could start or end the quote in more than one place are a finding sent back,
never a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .quotes import find_words
from .text import Source, matching_text

_TRIM = " ,;:"
_ELLIPSIS = re.compile(r"\.\.\.|…|\[\s*\.\.\.\s*\]")


@dataclass(frozen=True)
class Cut:
    """The quote cut out: its paragraph, the document offsets, the span in matching form within
    the paragraph, and the words; or, when the anchors do not fix one span, what is wrong."""

    paragraph: int
    start: int | None = None
    end: int | None = None
    local: tuple[int, int] | None = None
    text: str | None = None
    problem: str | None = None


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, at = [], find_words(haystack, needle)
    while at >= 0:
        found.append(at)
        at = find_words(haystack, needle, at + 1)
    return found


def _anchor(words: str) -> str:
    return matching_text(words).strip(_TRIM)


def _spans(text: str, begins: str, ends: str) -> tuple[list[tuple[int, int]], str]:
    """Every span of a paragraph (matching form) that starts at `begins` and ends at the first
    `ends` after it, or why there is none ("" when there is one)."""
    starts, stops = _occurrences(text, begins), _occurrences(text, ends)
    if not starts:
        return [], "begins"
    if not stops:
        return [], "ends"
    spans = []
    for start in starts:
        after = [stop for stop in stops if stop >= start and stop + len(ends) >= start + len(begins)]
        if len(after) > 1:
            return [(start, after[0] + len(ends)), (start, after[1] + len(ends))], ""
        if after:
            spans.append((start, after[0] + len(ends)))
    return spans, "" if spans else "order"


def cut_quote(source: Source, paragraph: int, begins: str, ends: str) -> Cut:
    """The one span between the anchors, in the cited paragraph, else in the one other
    paragraph that holds it (the paragraph then corrected)."""
    first, last = _anchor(begins), _anchor(ends)
    if not first or not last:
        return Cut(paragraph, problem="an anchor is empty; give the quote's first and last words")
    if _ELLIPSIS.search(first) or _ELLIPSIS.search(last):
        return Cut(paragraph, problem="an anchor holds an ellipsis; give contiguous words as the article "
                   "prints them")
    spans, why = _spans(source.text(paragraph), first, last)
    if not spans:  # the paragraph number may be off: the one other paragraph that holds it
        elsewhere = [(n, found) for n in source.paragraphs if n != paragraph
                     for found in [_spans(source.text(n), first, last)[0]] if len(found) == 1]
        if len(elsewhere) == 1:
            number, [span] = elsewhere[0]
            return _cut(source, number, span)
        return Cut(paragraph, problem=_problem(why, paragraph, begins, ends))
    if len(spans) > 1:
        return Cut(paragraph, problem=f"the anchors “{begins}” … “{ends}” fit more than one span of "
                   f"paragraph {paragraph}; give more words, so that each occurs once")
    return _cut(source, paragraph, spans[0])


def _cut(source: Source, paragraph: int, span: tuple[int, int]) -> Cut:
    normalised, base = source.paragraphs[paragraph]
    start, end = normalised.span(*span, base)
    end = _closed(source.document.text, start, end)
    return Cut(paragraph, start, end, span, source.original(start, end))


#: Each opening quotation mark and the one that closes it.
_PAIRS = {"“": "”", "‘": "’", "«": "»", "„": "“", "‚": "‘", "‹": "›", "»": "«", "《": "》", "「": "」"}
_TIGHT_SPACE = "\u00a0\u202f\u2009 "


def _closed(text: str, start: int, end: int) -> int:
    """The end of a quote whose last words sit inside a quotation it opened ("se dit ‘calme et
    déterminé’"): the anchors end at the word, so the closing marks that follow it at once (a
    French no-break space allowed before »), as many as the quote left open, are taken too. A
    quote that runs from one quoted passage to the next (“A,” she said. “B) left nothing open
    of its own: the marks around it close it, so it is left as it is."""
    open_marks: list[str] = []
    for at in range(start, end):
        char = text[at]
        if open_marks and char == _PAIRS[open_marks[-1]]:
            open_marks.pop()
        elif char in _PAIRS:
            open_marks.append(char)
        elif char in _CLOSERS and not (char == "’" and _between_letters(text, at)):
            return end  # it closed a quotation it did not open: it spans two passages
    while open_marks:
        at = end
        while at < len(text) and at - end < 2 and text[at] in _TIGHT_SPACE:
            at += 1
        if at >= len(text) or text[at] != _PAIRS[open_marks[-1]]:
            break
        end = at + 1
        open_marks.pop()
    return end


_CLOSERS = frozenset(_PAIRS.values()) | {'"'}


def _between_letters(text: str, at: int) -> bool:
    """An apostrophe (l’Élysée, don’t), not a closing mark. A mark inside a quote has characters
    on both sides: the quote's first and last are never a mark (the anchors are found where
    marks are left out)."""
    return text[at - 1].isalpha() and text[at + 1].isalpha()


def _problem(why: str, paragraph: int, begins: str, ends: str) -> str:
    if why == "order":
        return (f"“{ends}” comes before “{begins}” in paragraph {paragraph}; begins is the quote's "
                "first words, ends its last")
    anchor, words = ("begins", begins) if why == "begins" else ("ends", ends)
    return (f"{anchor} “{words}” is not in paragraph {paragraph} (nor once in any other); copy the "
            "quote's words exactly")
