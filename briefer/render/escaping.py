"""Model text made inert for the kind of output it is printed in, by the one filter each kind
uses (briefer/render/engine.py applies it to every value a template prints): terminal controls and bidi
overrides removed, everything on one line, URLs, bare domains and email addresses no link (an
invisible zero-width space where a linker would take them, `unlink`), and in Markdown every character
that would make markup escaped."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ..core.safety import one_line
from .memo import text_once

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>|]|^\[|\](?=[(\[:]))")
#: U+200B ZERO WIDTH SPACE: invisible, no width, not a character a linker takes in an address.
#: Put where an address would begin or go on, it leaves the words as they read; a narrow screen
#: may still break a long address there (a word joiner, U+2060, would forbid it and push the
#: page sideways).
JOINER = "\u200b"
#: What the linkers find, and where each is broken: a scheme before `//` or an address
#: (`https://`, `mailto:x`, `javascript:x`) at its colon; `//` between its slashes; every dot
#: inside a domain (`nj.com`, `www.x`, an address's host) on both sides, for a linker that
#: reads a Unicode letter as part of a domain (GFM's `www.` autolink does) stops at the dot.
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]{1,31}):(?=[^\s\d])", re.IGNORECASE)
_SLASHES = re.compile(r"/(?=/)")
#: A bare domain (`evil.example`, `nj.com`) or the host of an address or URL: a mail client,
#: GFM's autolinks or a linkifying Markdown renderer would make it a link.
_DOMAIN = re.compile(r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b", re.IGNORECASE)
_AT = re.compile(r"(?<=[\w.+-])@(?=\w)")
#: What each of those needs to match at all, found far faster than trying the pattern itself:
#: most model text holds no markup, no link and no domain.
_MARKDOWN_CHAR = re.compile(r"[\\`*_<>|\[\]]")
_DOMAIN_HINT = re.compile(r"[a-z0-9]\.[a-z]{2}", re.IGNORECASE)


class Escaped(str):
    """Text already made inert for the template's format: the escaping `finalize` lets it
    through instead of escaping it twice."""


def unlink(text: str) -> str:
    """Text no linker makes a link of, that reads as it was: GFM's autolinks (`www.`, `http://`,
    addresses), CommonMark's `<scheme:...>` (its `<` is escaped in Markdown), a linkifying
    renderer's bare domains and `//` and `mailto:` links, a mail client's: each is broken by a
    zero-width space where it would start or go on (`nj.com` reads "nj.com" and is no link), never
    by brackets a reader sees ("nj[.]com")."""
    if ":" in text:
        text = _SCHEME.sub(rf"\1{JOINER}:", text)
    if "//" in text:
        text = _SLASHES.sub(f"/{JOINER}", text)
    if "." in text and _DOMAIN_HINT.search(text):
        text = _DOMAIN.sub(lambda m: m.group(1).replace(".", f"{JOINER}.{JOINER}"), text)
    return _AT.sub(f"{JOINER}@", text) if "@" in text else text


@text_once
def inert(text: object) -> Escaped:
    """Model text for HTML (autoescaped afterwards) and plain text: one line, terminal controls
    and bidi overrides removed, URLs, domains and addresses no link (`unlink`)."""
    return text if isinstance(text, Escaped) else Escaped(unlink(one_line(str(text))))


def inert_piece(text: str) -> Escaped:
    """A run of article text cut at an excerpt's edge (the page marks cited words inside a
    paragraph): made inert like any text, a space at either edge kept, for the next run goes
    on with the sentence."""
    core = inert(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and core else ""
    return Escaped(lead + core + trail)


@text_once
def md(text: object) -> Escaped:
    """Model text made inert in Markdown: one line, no emphasis, links, images or HTML. Square
    brackets stay as they are ("[Syrian]") unless they could make a link: a `]` followed by
    `(`, `[` or `:`, or a `[` that starts the text."""
    if isinstance(text, Escaped):
        return text
    safe = inert(text)
    return Escaped(_MARKDOWN_SPECIAL.sub(r"\\\1", safe)) if _MARKDOWN_CHAR.search(safe) else safe


_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_url(url: str | None) -> str | None:
    """A source's address as a link target: http or https only, with a host; characters that
    could end a Markdown or HTML attribute percent-encoded. Anything else is no link."""
    if not url or _UNSAFE_IN_URL.search(url.strip()):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe=":/?#[]@!$&*+,;=%-._~")
