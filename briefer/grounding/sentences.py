"""Where the sentences of a paragraph begin, read on its original text (a capital after the stop
tells a sentence's end from "Dec. 18" or "10 a.m. on"), once for every check that needs them:
attribution words must stand next to what they attribute, and a date is read in the tense of
its own sentence. A stop that ends an initial or an abbreviation ("Dianna E. Anderson", "the
U.S. State Department", "Sen. Warren") ends no sentence, nor does a question closed by a
quotation mark that a verb of saying follows ("…cassette?” Matiullah Matie asks")."""

from __future__ import annotations

import re
from bisect import bisect_left

from .speech import SPEECH
from .text import Source, matching_text

_END = re.compile(r"[.!?…][”\"’»)]*\s+(?=[“\"„«‘(]?[A-ZÀ-ÝА-Я])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms messrs dr prof sen rep reps gov gen lt col capt cmdr sgt maj adm st jr sr mt ft vs etc fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc corp co ltd bros dept est approx ca rev hon pres "
    "supt atty sra dra av mme mlle mm bzw nr abs art ing dipl sto sta dott avv ex".split())
_TOKEN_BEFORE = re.compile(r"[\w.]+$")
#: Words after a closed question that may hold the verb of saying that ends it.
_SPEAKER_WORDS = 6


def _ends_here(original: str, stop: re.Match[str]) -> bool:
    """Whether the stop matched really ends a sentence."""
    mark = original[stop.start()]
    if mark == ".":
        token = _TOKEN_BEFORE.search(original, 0, stop.start())
        word = token.group() if token else ""
        if len(word) == 1 and word.isalpha() or "." in word or word.lower() in _ABBREVIATIONS:
            return False
    if mark in "?!" and original[stop.start() + 1] in "”\"’»":  # the stop's match goes on past the mark
        following = " ".join(original[stop.end():].split()[:_SPEAKER_WORDS])
        if SPEECH.search(matching_text(re.split(r"[.!?]", following)[0])):
            return False
    return True


def sentence_starts(original: str) -> list[int]:
    """Where the sentences of a paragraph start, as offsets of its original text."""
    return [0, *(m.end() for m in _END.finditer(original) if _ends_here(original, m))]


def sentences(source: Source, paragraph: int) -> list[tuple[int, int]]:
    """The paragraph's sentences as spans of its matching form."""
    key = ("sentences", paragraph)
    if key not in source.memo:
        normalised, _ = source.paragraphs[paragraph]
        found = source.document.paragraph(paragraph)
        original = found.text if found else ""
        starts = sorted({bisect_left(normalised.origin, s) for s in sentence_starts(original)})
        source.memo[key] = list(zip(starts, [*starts[1:], len(normalised.text)]))
    return source.memo[key]  # type: ignore[return-value]


def sentence_around(source: Source, paragraph: int, start: int, end: int) -> tuple[int, int]:
    """The bounds (matching form) of the sentence or sentences that hold [start, end)."""
    spans = sentences(source, paragraph)  # never empty: a paragraph has a first sentence
    first = next((lo for lo, hi in spans if lo <= start < hi), spans[0][0])
    last = next((hi for lo, hi in spans if lo < end <= hi), spans[-1][1])
    return first, max(first, last)
