"""Verbs of saying are found by looking each word up in a table of forms, not by one regular
expression of every form (compiling those alternations cost most of the checker's start-up).
The lookup must find exactly what the alternations found: these tests build those patterns
from the same forms (longest form first, as the engine tried them) and compare, on every
paragraph of the fixture articles and on every form of every language in the places the
checks read it (alone, after a pronoun, before one, hyphenated, inside a longer word)."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from briefer.grounding import attributed, attribution
from briefer.grounding.speech import SPEECH, VERBS, Verbs
from briefer.grounding.text import matching_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _alternation(forms: frozenset[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The patterns the checker compiled before, written as it wrote them."""
    speech, verbs = rf"\b({_alternation(SPEECH.forms)})\b", rf"\b(?:{_alternation(VERBS.forms)})\b"
    pronoun = r"(?:he|she|they|er|sie|il|elle|ils|elles|él|ella|lui|lei)"
    return {
        "speech": re.compile(speech), "verbs": re.compile(verbs),
        "ending": re.compile(rf"{speech}\W*$"),
        "pronoun before": re.compile(rf"\b{pronoun}\s+(?:\w+\s+)?{speech}"),
        "pronoun after": re.compile(rf"{speech}\s+{pronoun}\b|\b{pronoun}\s+{speech}"),
        "pronoun word": re.compile(rf"\b{pronoun}\b"),
        "pronoun speaks": re.compile(
            rf"\b(?:he|she|they|it|we|i|who|which)\s+(?:\w+\s+)?(?:{verbs})"
            rf"|\b(?:er|sie|il|elle|ils|elles|él|ella|ellos|lui|lei|loro)\s+(?:{verbs})"
            rf"|(?:{verbs})\s+(?:he|she|they|it|we|er|sie|él|ella|lui|lei|loro)\b"
            rf"|(?:{verbs})-(?:il|elle|ils|elles|t-il|t-elle)\b"),
    }


@cache
def _paragraphs() -> tuple[str, ...]:
    """The paragraphs of the fixture articles and blind pages (tags dropped), in matching form."""
    found = []
    for path in sorted([*FIXTURES.glob("articles/*.txt"), *FIXTURES.glob("articles/*.html"),
                        *FIXTURES.glob("grounding/blind/*.html")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
            text = html.unescape(re.sub(r"<[^>]+>", "\n\n", text))
        found += [matching_text(p) for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 8]
    return tuple(dict.fromkeys(found))  # prose, each paragraph once (not menus and page furniture)


def _placed() -> list[str]:
    """Every form of every language where the checks read it."""
    return [text for form in sorted(VERBS.forms) for text in (
        form, f"he {form}", f"she later {form}", f"{form} he", f"{form}, sagte er", f"{form}-il",
        f"{form}-t-elle", f"x{form} {form}x {form}s", f"{form[:-1]} {form}", f"a {form} il. ils {form} sie",
        f"“a,” {form} lui, “b”", f"{form} – loro")]


def _spans(found) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in found]


def _pronoun(match: re.Match[str] | None) -> str | None:
    return _patterns()["pronoun word"].search(match.group()).group() if match else None  # type: ignore[union-attr]


def _agree(text: str) -> None:
    p = _patterns()
    for lookup, pattern in ((SPEECH, p["speech"]), (VERBS, p["verbs"])):
        for lo, hi in ((0, len(text)), (3, len(text) - 2), (len(text) // 3, 2 * len(text) // 3)):
            assert _spans(lookup.finditer(text, lo, hi)) == _spans(pattern.finditer(text, lo, hi)), text
        assert _spans(filter(None, [lookup.search(text)])) == _spans(filter(None, [pattern.search(text)])), text
    for at in {m.start() for m in re.finditer(r"\w+", text[:300])} | {1, len(text) // 2}:
        assert _spans(filter(None, [SPEECH.match(text, at)])) == _spans(filter(None, [p["speech"].match(text, at)]))
    end = text[-200:]  # where a verb that introduces what follows stands
    ending = p["ending"].search(end)
    assert SPEECH.ending(end) == (ending.start() if ending else None), text
    assert attribution._pronoun_saying(text) == _pronoun(p["pronoun before"].search(text)), text
    assert attribution._pronoun_saying_after(text) == _pronoun(p["pronoun after"].search(text)), text
    assert attributed._pronoun_speaks(text) == bool(p["pronoun speaks"].search(text)), text


def test_the_lookup_finds_what_the_alternations_found_in_the_fixture_paragraphs() -> None:
    paragraphs = _paragraphs()
    assert len(paragraphs) > 1000
    found = 0
    for text in paragraphs:
        _agree(text)
        found += bool(SPEECH.search(text))
    assert found > 300  # the comparison reads paragraphs that hold verbs of saying


def test_the_lookup_finds_what_the_alternations_found_for_every_form_of_every_language() -> None:
    for text in _placed():
        _agree(text)


@pytest.mark.parametrize("text, found", [
    ("the minister pointed out that", "pointed out"), ("wie er sagte", "sagte"),
    ("a déclaré le ministre", "a déclaré"), ("ha detto", "ha detto"), ("saidx said", "said")])
def test_the_longest_form_is_found_as_whole_words(text: str, found: str) -> None:
    assert SPEECH.search(text).group() == found  # type: ignore[union-attr]


def test_a_form_of_two_words_is_found_by_its_first() -> None:
    verbs = Verbs(lambda: ["point out", "point"])
    assert [m.group() for m in verbs.finditer("point outward, point out, point")] == ["point", "point out", "point"]
