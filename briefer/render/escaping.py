"""Model text made inert for the kind of output it is printed in, by the one filter each kind
uses (briefer/render/engine.py applies it to every value a template prints): terminal controls and bidi
overrides removed, everything on one line, URLs, bare domains and email addresses defanged, and
in Markdown every character that would make markup escaped."""

from __future__ import annotations

import re

from ..core.safety import one_line
from .memo import text_once

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>|]|^\[|\](?=[(\[:]))")
_URL_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*):(?=//)", re.IGNORECASE)
_WWW = re.compile(r"\bwww\.", re.IGNORECASE)
#: A bare domain (`evil.example`, `nj.com`) or the domain of an email address: a mail client
#: or a Markdown renderer would make it a link.
_DOMAIN = re.compile(r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b", re.IGNORECASE)
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=[a-z0-9-]+(?:\[\.\]|\.))", re.IGNORECASE)
#: What each of those needs to match at all, found far faster than trying the pattern itself:
#: most model text holds no markup, no link and no domain.
_MARKDOWN_CHAR = re.compile(r"[\\`*_<>|\[\]]")
_DOMAIN_HINT = re.compile(r"[a-z0-9]\.[a-z]{2}", re.IGNORECASE)


class Escaped(str):
    """Text already made inert for the template's format: the escaping `finalize` lets it
    through instead of escaping it twice."""


def defang(text: str) -> str:
    """`https://x` as `https[:]//x`, `www.x` as `www[.]x`, `evil.example` as `evil[.]example`
    and `a@b.org` as `a[@]b[.]org`: readable, never a live link or a mail link."""
    if "." not in text and "//" not in text:
        return text
    if "//" in text:
        text = _URL_SCHEME.sub(r"\1[:]", text)
    text = _WWW.sub("www[.]", text)
    if _DOMAIN_HINT.search(text):
        text = _DOMAIN.sub(lambda m: m.group(1).replace(".", "[.]"), text)
    return _EMAIL_AT.sub("[@]", text) if "@" in text else text


@text_once
def inert(text: object) -> Escaped:
    """Model text for HTML (autoescaped afterwards) and plain text: one line, terminal controls
    and bidi overrides removed, URLs, domains and addresses defanged."""
    return text if isinstance(text, Escaped) else Escaped(defang(one_line(str(text))))


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
