"""Texts in matching form: what does not change meaning (case, quotation marks, dashes, white
space, ellipses) made uniform, with the offset in the original of every character, so that a
match found in matching form points back at the source's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.models import Document

_QUOTE_MARKS = frozenset("\"'`´“”„‟″‘’‚‛′«»‹›")
_DASHES = frozenset("‐‑‒–—―−")
_WORD = re.compile(r"\S+")
#: Fullwidth forms ("１２", "Ｂ") as their ASCII letters and digits; "ß" and "ẞ" as "ss" (the
#: article's "STRASSE" is an excerpt's "Straße").
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_SHARP = {"ß": "ss", "ẞ": "ss"}
_NEEDS_CARE = re.compile("[" + re.escape("".join(_QUOTE_MARKS | _DASHES | set(_WIDE) | set(_SHARP))) + "…]")
_MATCHING_FORM = str.maketrans({**{q: None for q in _QUOTE_MARKS}, **{d: "-" for d in _DASHES}, "…": "...",
                                **_WIDE, **_SHARP})


@dataclass(frozen=True)
class Normalised:
    """A text in matching form, with the offset in the original of every character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int, base: int) -> tuple[int, int]:
        """Original offsets (plus base, the paragraph's start) of the normalised span [start, end)."""
        return base + self.origin[start], base + self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Case, quotation marks, dashes, ellipses and white space made uniform, keeping for every
    character its offset in the original. Word by word: most words need no care at all."""
    pieces: list[str] = []
    origin: list[int] = []
    kept_end = 0
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        lowered = word.lower()
        if len(lowered) == len(word) and not _NEEDS_CARE.search(word):
            piece, offsets = lowered, range(start, start + len(word))
        else:
            piece, offsets = _careful(word, start)
        if not piece:
            continue
        if pieces:
            pieces.append(" ")
            origin.append(kept_end)
        pieces.append(piece)
        origin.extend(offsets)
        kept_end = match.end()
    return Normalised("".join(pieces), tuple(origin))


def _careful(word: str, start: int) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(word, start):
        if char in _QUOTE_MARKS:
            continue
        replacement = "..." if char == "…" else "-" if char in _DASHES else _SHARP.get(char) or _WIDE.get(char, char).lower()
        chars.append(replacement)
        offsets.extend([index] * len(replacement))
    return "".join(chars), offsets


def matching_text(text: str) -> str:
    """`normalise(text).text`, fast, for texts whose offsets nobody needs (excerpts, names)."""
    return " ".join(text.translate(_MATCHING_FORM).lower().split())


class Source:
    """A document's paragraphs in matching form, normalised once however many checks run."""

    def __init__(self, document: Document):
        self.document = document
        self.paragraphs = {
            p.number: (normalise(document.text[p.start : p.end]), p.start) for p in document.paragraphs
        }
        #: What the checkers work out once per paragraph (quotations, who speaks): it lives as
        #: long as the Source, so a long --each run keeps no article it is done with.
        self.memo: dict[tuple[object, ...], object] = {}

    @classmethod
    def of(cls, document: Document) -> Source:
        """The Source of a document, reused across the checks of a run (review and final)."""
        key = (document.id, document.sha256)
        if key not in _SOURCES:
            if len(_SOURCES) >= 64:
                _SOURCES.pop(next(iter(_SOURCES)))
            _SOURCES[key] = cls(document)
        return _SOURCES[key]

    def text(self, number: int) -> str:
        """A paragraph in matching form ("" for a paragraph the article does not have)."""
        found = self.paragraphs.get(number)
        return found[0].text if found else ""

    def original(self, start: int, end: int) -> str:
        """The source's own words between two offsets of the document text."""
        return self.document.text[start:end]


_SOURCES: dict[tuple[str, str], Source] = {}
