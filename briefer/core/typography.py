"""How a briefing's language prints briefer's own text and the marks around the article's words.

A German briefing quotes „so“, a French one « ainsi », whatever language the article was in:
the marks are the convention of the reader's language, while the words inside them stay as the
article printed them. French also spaces its high punctuation (« L'essentiel : … »), which is
applied to briefer's own text only (headings, labels, the grounding line, the footer), never to
the model's or the article's words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

DEFAULT = "en"


class Marks(NamedTuple):
    """A language's quotation marks, and the space it sets inside them."""

    start: str
    end: str
    inner_start: str  # a quotation inside a quotation
    inner_end: str
    inside: str = ""


#: Quotation marks by language: Unicode CLDR 45, the `delimiters` of each locale
#: (quotationStart, quotationEnd, alternateQuotationStart, alternateQuotationEnd), as published in
#: unicode-org/cldr-json, cldr-json/cldr-misc-full/main/LANG/delimiters.json. CLDR gives no spacing;
#: French sets a narrow no-break space (U+202F) inside « » (Lexique des règles typographiques en
#: usage à l'Imprimerie nationale: espace fine insécable inside guillemets).
QUOTES: dict[str, Marks] = {
    "en": Marks("“", "”", "‘", "’"), "de": Marks("„", "“", "‚", "‘"),
    "fr": Marks("«", "»", "«", "»", "\u202f"), "es": Marks("“", "”", "‘", "’"),
    "it": Marks("«", "»", "“", "”"), "pt": Marks("“", "”", "‘", "’"),
    "nl": Marks("‘", "’", "‘", "’"), "pl": Marks("„", "”", "«", "»"),
    "sv": Marks("”", "”", "’", "’"), "da": Marks("“", "”", "‘", "’"),
    "cs": Marks("„", "“", "‚", "‘"), "ru": Marks("«", "»", "„", "“"),
    "uk": Marks("«", "»", "„", "“"), "tr": Marks("“", "”", "‘", "’"),
    "ar": Marks("”", "“", "’", "‘"), "zh": Marks("“", "”", "‘", "’"),
    "ja": Marks("「", "」", "『", "』"), "ko": Marks("“", "”", "‘", "’"),
}
#: Every quotation mark an excerpt may carry (straightened or removed when it is printed bare).
QUOTE_MARKS = "\"'“”‘’„«»‚”「」『』"
#: Quotation pairs as articles print them: one of these inside an excerpt is the article's own
#: quotation and is kept as printed, unless its marks are the briefing's (then it nests).
_PAIRS = (("“", "”"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("‚", "‘"), ("‘", "’"), ("「", "」"),
          ("『", "』"))


def marks(language: str | None) -> Marks:
    """The quotation marks of the briefing's language (English for one CLDR gives none here)."""
    return QUOTES.get(language or DEFAULT, QUOTES[DEFAULT])


def quotation(words: str, language: str | None) -> tuple[str, str, str]:
    """Verbatim words to print in the language's quotation marks, as (opening, words, closing):
    an excerpt that is itself one quotation loses its own marks, and a quotation inside it in
    the same marks as the briefing's nests in the alternate ones, so nothing is quoted twice
    (““…””); every other mark, and every word, stays as the article printed it."""
    m = marks(language)
    wrapped = _wrapped(m).fullmatch(words)
    if wrapped:  # the spaces a language sets inside its own marks (« … ») go with them
        inner = wrapped.group(1) if words[0] in "“\"" else wrapped.group(1).strip(" \u00a0\u202f")
        words = inner + wrapped.group(2)
    return m.start + m.inside, _close_inner(_interrupted(words, m) or _nest(words, m), m), m.inside + m.end


def _interrupted(words: str, m: Marks) -> str | None:
    """A quote broken by its attribution ('…this issue,” said Della. “When…') as it should
    print, else None: the article's marks close and reopen the briefing's own as they stand;
    turned into inner marks they would read as a quotation inside the quote. Marks of the
    briefing's in another order, or straight ones ('…history," Della told DW. "The…'), are
    read by where they stand, as a reader reads them, and printed as the briefing's own."""
    own = [c for c in words if c in (m.start, m.end)]
    if m.start == m.end:
        return None
    if own and own == [m.end, m.start] * (len(own) // 2):
        return words
    found = [at for at, c in enumerate(words) if c in (m.start, m.end, '"')]
    if not found or len(found) % 2:
        return None
    read = [_role(words, at, m) for at in found]
    expected = [m.end, m.start] * (len(found) // 2)
    if not any(read) or any(role and role != want for role, want in zip(read, expected)):
        return None
    printed = list(words)
    for at, role in zip(found, expected):
        printed[at] = role
    return "".join(printed)


def _role(words: str, at: int, m: Marks) -> str:
    """A mark read by where it stands: closing after a word and before a space, opening after a
    space and before a word (as the briefing's marks), else neither ("": a mark with a space on
    both sides, as in '…ourselves? " she wrote', takes the role its place in the run gives it)."""
    before = words[at - 1] if at else " "
    after = words[at + 1] if at + 1 < len(words) else " "
    if after.isspace() and not before.isspace():
        return m.end
    if before.isspace() and not after.isspace():
        return m.start
    return ""


def _close_inner(words: str, m: Marks) -> str:
    """An excerpt cut inside a quotation it holds ('…will, quote, ‘do anything you ask him to.')
    closes it, as its own closing mark closes the outer one: an opening inner mark after a
    non-letter, with no closing one before a non-letter, gets one at the end."""
    if m.inner_start == m.inner_end:
        return words
    opened = sum(c == m.inner_start and (at == 0 or not words[at - 1].isalnum()) for at, c in enumerate(words))
    closed = sum(c == m.inner_end and (at + 1 == len(words) or not words[at + 1].isalnum())
                 for at, c in enumerate(words))
    return words + m.inner_end if opened == closed + 1 else words


@cache
def _wrapped(m: Marks) -> re.Pattern[str]:
    """An excerpt in “…”, "…" or the briefing's own marks, its closing punctuation outside."""
    starts, ends = re.escape("“\"" + m.start), re.escape("”\"" + m.end)
    return re.compile(rf"[{starts}]([^{starts}{ends}]*)[{ends}]([.,;:!?]?)")


def _nest(words: str, m: Marks) -> str:
    """A quotation inside the excerpt nests in the alternate marks when its marks could be read
    as the briefing's own (so an English “…” in a German „…“ becomes ‚…‘), as does a lone mark
    of the briefing's and a straight "…"; any other quotation keeps the article's marks."""
    if (m.inner_start, m.inner_end) == (m.start, m.end):
        return words  # the language nests in the same marks (French « « » »): nothing to turn
    own = {m.start, m.end}
    straight = iter(range(words.count('"')))

    def turn(found: re.Match[str]) -> str:
        text = found.group(0)
        if text == '"':
            return (m.inner_start, m.inner_end)[next(straight) % 2]
        if len(text) == 1:
            return m.inner_start if text == m.start else m.inner_end
        return m.inner_start + text[1:-1] + m.inner_end if {text[0], text[-1]} & own else text

    return _nesting(m).sub(turn, words)


@cache
def _nesting(m: Marks) -> re.Pattern[str]:
    """What `_nest` looks at: the quotation pairs, a straight mark, a lone mark of the briefing's."""
    pairs = "|".join(f"{re.escape(a)}[^{re.escape(a + b)}]*{re.escape(b)}" for a, b in ((m.start, m.end), *_PAIRS))
    return re.compile(f'{pairs}|"|[{re.escape(m.start + m.end)}]')


#: French: a narrow no-break space before ; ! ? and a no-break space before : (Lexique des
#: règles typographiques en usage à l'Imprimerie nationale: espace fine insécable before ; ! ?,
#: espace insécable before :).
_HIGH_PUNCTUATION = re.compile(r"[ \u00a0\u202f]?([;:!?])")
_SPACE_BEFORE = {"fr": {";": "\u202f", "!": "\u202f", "?": "\u202f", ":": "\u00a0"}}


def punctuate(text: str, language: str | None) -> str:
    """briefer's own text (never the model's or the article's) with the spacing its language
    sets before punctuation: "L'essentiel :" in French; unchanged in other languages."""
    spaces = _SPACE_BEFORE.get(language or DEFAULT)
    if not spaces:
        return text
    return _HIGH_PUNCTUATION.sub(lambda m: spaces[m.group(1)] + m.group(1), text)


def number(value: float, language: str | None, decimals: int = 0) -> str:
    """A number as the briefing's language writes it (CLDR): 4,434 / 4.434 / 4 434; 0.0047 / 0,0047."""
    from .locale_data import decimal

    return decimal(value, language or DEFAULT, decimals)
