"""Text into numbered paragraphs: decoding, normalisation, splitting.

Paragraph numbers are the spine of the whole briefing (every excerpt cites one), so splitting
is deterministic and keeps each paragraph's character offsets in the decoded text.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.errors import InputError
from ..core.models import Paragraph
from ..core.safety import warn

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def decode(data: bytes, origin: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the superset of Latin-1 that Western
    newsroom files use; text that reads as neither is refused. Normalised to NFC, Unix line ends.

    (charset-normalizer was tried: on short articles it guessed cp1006 for "café" and Korean for
    random bytes. Two candidates and a plausibility check are right more often here.)
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = _mostly_utf8(data, origin) or _windows_1252(data, origin, error.start)
    if "\x00" in text:
        raise InputError(f"{origin}: looks like a binary file, not an article")
    return clean(text)


def _mostly_utf8(data: bytes, origin: str) -> str | None:
    """UTF-8 with a few stray bytes replaced (U+FFFD), when the rest is clearly UTF-8: at
    least as many valid multi-byte characters as invalid bytes. Windows-1252 text almost never
    holds a valid multi-byte sequence, so it still goes to `_windows_1252`."""
    text = data.decode("utf-8-sig", errors="replace")
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = sum(1 for c in text if ord(c) > 0x7F and c != "\ufffd")
    if invalid <= 0 or valid < invalid:
        return None
    warn(f"{origin}: {invalid} byte{'s' * (invalid != 1)} that {'are' if invalid != 1 else 'is'} "
         "not UTF-8 replaced with U+FFFD; the rest is UTF-8")
    return text


def _windows_1252(data: bytes, origin: str, offset: int) -> str:
    refusal = InputError(f"{origin}: neither UTF-8 nor Windows-1252/Latin-1 text (undecodable "
                         f"byte at offset {offset}); convert it to UTF-8")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise refusal from None
    visible = [c for c in text if not c.isspace()]
    controls = sum(unicodedata.category(c) == "Cc" for c in visible)
    letters = sum(c.isalpha() for c in visible)
    if controls or letters < 0.6 * len(visible):
        raise refusal
    return text


def clean(text: str) -> str:
    """NFC, Unix line ends, no soft hyphens (invisible, and they break matching)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    return unicodedata.normalize("NFC", text)


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def is_headline_of(line: str, title: str) -> bool:
    """Whether a page's first line is its headline: the page title, or its start when the page
    title goes on with the site's name ("Headline - Site"); quotes and dashes aside."""
    words, title_words = _words(line), _words(title)
    if not words:
        return False
    return words == title_words or (len(words) >= 3 and title_words[: len(words)] == words
                                    and len(title_words) - len(words) <= 8)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def is_prose(text: str) -> bool:
    """A sentence, not a heading: some words and a sentence's end."""
    return len(text.split()) >= 4 and bool(re.search(r"[.!?…:;”\"')]\s*$|[.!?]\s", text))


def renumbered(paragraphs: list[Paragraph]) -> list[Paragraph]:
    return [p.model_copy(update={"number": n}) for n, p in enumerate(paragraphs, 1)]


def split_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks when the text has any, else one paragraph per line.

    Hard-wrapped text keeps its paragraphs (inner line breaks fold to spaces); text that puts
    each paragraph on one line, as most copied articles do, splits on lines.
    """
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    paragraphs: list[Paragraph] = []
    start = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[start:end]
        content = " ".join(block.split())  # each run of white space one space, none at the ends
        if content:
            offset = start + (len(block) - len(block.lstrip()))
            paragraphs.append(
                Paragraph(
                    number=len(paragraphs) + 1,
                    text=content,
                    start=offset,
                    end=start + len(block.rstrip()),
                )
            )
        start = match.end() if match else end
    return paragraphs


def slug(name: str) -> str:
    """A readable, filesystem- and id-safe form of a file name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "article"
