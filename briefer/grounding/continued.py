"""A quotation that runs over several paragraphs, as news prints one: each paragraph of it opens
with a quotation mark and only the last one closes it. Its speaker is named where it opened,
maybe paragraphs back, so the words that attribute its last paragraph stand there, next to
where the quotation opened, not in the paragraph before."""

from __future__ import annotations

from bisect import bisect_left

from .text import Source

_OPENS = frozenset("“„«")
_CLOSES = frozenset("”»")
#: Paragraphs a quotation is followed back through: a speech printed whole is not a quote.
_LONGEST = 6


def open_at_end(text: str) -> int | None:
    """Where a quotation opens that the text leaves open at its end (the earliest such mark),
    or None: a straight mark opens or closes by turns, "“" closes a German "„"."""
    straight: int | None = None
    curly: int | None = None
    german = False
    for at, char in enumerate(text):
        if char == '"':
            straight = at if straight is None else None
        elif char == "“" and german:
            curly, german = None, False
        elif char in _OPENS:
            curly = at if curly is None else curly
            german = char == "„"
        elif char in _CLOSES:
            curly, german = None, False
    found = [at for at in (straight, curly) if at is not None]
    return min(found) if found else None


def _opens_continuing(text: str) -> bool:
    """Whether a paragraph opens with a quotation mark (a quotation's next paragraph does); its
    text is never empty and has no white space at its ends (ingest/text.py)."""
    return text[0] in _OPENS or text[0] == '"'


def quotation_opened(source: Source, paragraph: int) -> tuple[int, tuple[int, int]] | None:
    """For a paragraph that continues a quotation opened in an earlier one: that paragraph and
    the quotation's span in it (matching form, to the paragraph's end); else None."""
    number = paragraph
    while number > paragraph - _LONGEST:
        found = source.document.paragraph(number)
        before = source.document.paragraph(number - 1)
        if found is None or before is None or not _opens_continuing(found.text):
            break
        opened = open_at_end(before.text)
        if opened is None:
            break
        number -= 1
        if before.text[:opened].strip():  # it opened inside that paragraph: there it began
            normalised, _ = source.paragraphs[number]
            return number, (bisect_left(normalised.origin, opened), len(normalised.text))
    if number == paragraph or number <= paragraph - _LONGEST:
        return None
    normalised, _ = source.paragraphs[number]
    return number, (0, len(normalised.text))
