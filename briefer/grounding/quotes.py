"""Quotes and excerpts: verified only when a reader holding the paragraph would agree these are
the source's words, whole words in order. An ellipsis may skip words, but never a negation, a
number or a name, and each piece around it must be long enough to mean something. Near-verbatim
wording is approximate, with the closest span of the source kept to show instead; a difference
that changes meaning (negation, number, name, polarity) is unsupported."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.models import CheckStatus
from .meaning import meaning_changes, skipped_changes
from .text import Normalised, Source, matching_text

#: rapidfuzz partial_ratio (0-100) from which a non-verbatim excerpt counts as "approximate".
APPROXIMATE_AT = 90.0
#: Words each piece around an ellipsis needs to mean something on its own.
MIN_PIECE_WORDS = 2
_TRIM = " .,;:!?"
_ELLIPSIS = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…")


@dataclass(frozen=True)
class Match:
    """Where an excerpt stands: status, paragraph, offsets in the document (the closest span for
    an approximate or distorted one) and, in matching form, the span within the paragraph."""

    status: CheckStatus
    paragraph: int
    start: int | None = None
    end: int | None = None
    local: tuple[int, int] | None = None


def needle_parts(excerpt: str) -> list[str]:
    """An excerpt as the pieces that must appear in order: an ellipsis marks an omission."""
    return [p for part in _ELLIPSIS.split(excerpt) if (p := matching_text(part).strip(_TRIM))]


def _alnum(char: str) -> bool:
    return char.isalnum()


def find_words(haystack: str, needle: str, start: int = 0) -> int:
    """The first place at or after `start` where the needle stands as whole words (-1 if none):
    "possible" is not in "impossible", nor "sian" in "russian"."""
    found = haystack.find(needle, start)
    while found >= 0:
        end = found + len(needle)
        before_ok = found == 0 or not (_alnum(needle[0]) and _alnum(haystack[found - 1]))
        after_ok = end == len(haystack) or not (_alnum(needle[-1]) and _alnum(haystack[end]))
        if before_ok and after_ok:
            return found
        found = haystack.find(needle, found + 1)
    return -1


def locate(parts: list[str], haystack: str) -> list[tuple[int, int]] | None:
    """Where the parts stand in order, as whole words, each as a (start, end) in the haystack."""
    position, spans = 0, []
    for part in parts:
        found = find_words(haystack, part, position)
        if found < 0:
            return None
        spans.append((found, found + len(part)))
        position = found + len(part)
    return spans or None


def check_excerpt(source: Source, excerpt: str, cited: int) -> Match:
    """Verified where it stands, as whole words, in the cited paragraph or another one (the
    paragraph then corrected); approximate where a near-verbatim span says the same; unsupported
    where nothing close stands, or where what differs changes the meaning."""
    parts = needle_parts(excerpt)
    if not parts:
        return Match("unsupported", cited)
    order = _search_order(source, cited)
    for number in order:
        normalised, base = source.paragraphs[number]
        spans = locate(parts, normalised.text)
        if spans:
            return _exact(source, normalised, base, number, parts, spans)
    return _closest(source, order, " ".join(parts), excerpt, cited)


def _search_order(source: Source, cited: int) -> list[int]:
    """The paragraphs to look in: the cited one first, then the others in order (worked out once
    per source and cited paragraph; a briefing cites the same ones many times)."""
    key = ("search order", cited)
    if key not in source.memo:
        source.memo[key] = list(dict.fromkeys(n for n in (cited, *source.paragraphs) if n in source.paragraphs))
    return source.memo[key]  # type: ignore[return-value]


def _exact(source: Source, normalised: Normalised, base: int, number: int, parts: list[str],
           spans: list[tuple[int, int]]) -> Match:
    """A match of every piece: verified unless an ellipsis skipped what the reader relies on."""
    start, end = normalised.span(spans[0][0], spans[-1][1], base)
    status: CheckStatus = "verified"
    if len(parts) > 1:
        short = any(len(part.split()) < MIN_PIECE_WORDS for part in parts)
        skipped = " ".join(
            source.original(*normalised.span(a_end, b_start, base)) if b_start > a_end else ""
            for (_, a_end), (b_start, _) in zip(spans, spans[1:])
        )
        if skipped_changes(skipped):
            status = "unsupported"
        elif short:
            status = "approximate"
    return Match(status, number, start, end, (spans[0][0], spans[-1][1]))


def _closest(source: Source, order: list[int], needle: str, excerpt: str, cited: int) -> Match:
    """The closest whole-word span of the source, if near enough: approximate, or unsupported
    when the difference changes the meaning."""
    from rapidfuzz import fuzz  # here: most briefings have no excerpt that is not verbatim

    for number in order:
        normalised, base = source.paragraphs[number]
        aligned = fuzz.partial_ratio_alignment(needle, normalised.text, score_cutoff=APPROXIMATE_AT)
        if aligned is None or aligned.dest_end <= aligned.dest_start:
            continue
        lo, hi = _widen(normalised.text, aligned.dest_start, aligned.dest_end)
        start, end = normalised.span(lo, hi, base)
        said = _ELLIPSIS.sub(" ", excerpt)
        status: CheckStatus = "unsupported" if meaning_changes(said, source.original(start, end)) else "approximate"
        return Match(status, number, start, end, (lo, hi))
    return Match("unsupported", cited)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """A span grown to whole words: a cut inside a word shows the whole word."""
    while start > 0 and _alnum(text[start - 1]) and _alnum(text[start]):
        start -= 1
    while end < len(text) and _alnum(text[end - 1]) and _alnum(text[end]):
        end += 1
    return start, end
