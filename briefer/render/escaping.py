"""Model text made inert for the kind of output it is printed in, by the one filter each kind
uses (briefer/render/engine.py applies it to every value a template prints): terminal controls and bidi
overrides removed, everything on one line, and no text a linker of that output would take made a
link, each in that output's own way, so that what a reader sees copies as itself:

- Markdown (`md`): every character that would make markup escaped, and a backslash before the one
  character that starts what CommonMark and GFM make links of (`<scheme:...>` autolinks, and GFM's
  extended autolinks: `www.`, `http://`/`https://`, email addresses, `mailto:`/`xmpp:`; a
  linkifying renderer's `//` and `ftp:` too). A renderer prints the escaped character as itself.
  A bare domain ("Express.co.uk") is no link there and is left as it is.
- HTML (`inert_html`: the page and the HTML email): a mail client also links bare domains, so
  every place a linker would take (`unlink`) is broken by an empty `<wbr>` element: the text
  nodes are cut there, a reader sees and copies the words as they were.
- Plain text (`inert`: the text email, digests): no markup exists to break a link with, so an
  invisible zero-width space goes where a linker would take a link (`unlink`)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

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


def escaper(kind: str):  # type: ignore[no-untyped-def]
    """The filter that makes model text inert in a kind of output: md, html or text."""
    return md if kind == "md" else inert_html if kind == "html" else inert


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


def inert_piece(text: str) -> Markup:
    """A run of article text cut at an excerpt's edge (the page marks cited words inside a
    paragraph): made inert like any text for HTML, a space at either edge kept, for the next run goes
    on with the sentence."""
    core = inert_html(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and core else ""
    return Markup(lead) + core + Markup(trail)


def plain(text: object) -> Escaped:
    """Model text for an HTML element that holds text alone (a `<title>`: markup there is shown
    as it is, and no linker reads it): one line, controls removed, autoescaped after."""
    return text if isinstance(text, Escaped) else Escaped(one_line(str(text)))


@text_once
def inert_html(text: object) -> Markup:
    """Model text for HTML, escaped: one line, terminal controls and bidi overrides removed,
    every place a linker (a mail client's, which takes bare domains too) would start or go on
    in a link broken by an empty `<wbr>` element (`unlink`), which no reader sees or copies."""
    if isinstance(text, Markup):
        return text
    return Markup(str(escape(unlink(one_line(str(text))))).replace(JOINER, "<wbr>"))


#: What CommonMark and GFM link in Markdown text (a linkifying renderer like markdown-it's too),
#: each with the one character a backslash makes plain: a link scheme's colon (`https:`,
#: `mailto:`, `xmpp:`, `ftp:`), the second slash of `//`, the dot of `www.`.
_MD_LINK = re.compile(r"(?:(?<=\bhttp)|(?<=\bhttps)|(?<=\bftp)|(?<=\bmailto)|(?<=\bxmpp))(?=:)"
                      r"|(?<=/)(?=/)|(?<=\bwww)(?=\.)", re.IGNORECASE)
_MD_LINK_HINT = re.compile(r"[:/]|www\.", re.IGNORECASE)
#: An email address is the one link GFM finds after escapes are read (cmark-gfm looks for it in
#: the paragraph's text once escaped characters are joined to it), so a backslash cannot stop it:
#: only something not in an address's local part can, here the zero-width space before its `@`.


@text_once
def md(text: object) -> Escaped:
    """Model text made inert in Markdown: one line, no emphasis, links, images or HTML. Square
    brackets stay as they are ("[Syrian]") unless they could make a link: a `]` followed by
    `(`, `[` or `:`, or a `[` that starts the text. What GFM would autolink gets a backslash
    before its `:`, `/` or `.` (`_MD_LINK`), an email address a zero-width space before its `@`;
    a bare domain reads and copies as it is."""
    if isinstance(text, Escaped):
        return text
    safe = one_line(str(text))
    if _MARKDOWN_CHAR.search(safe):
        safe = _MARKDOWN_SPECIAL.sub(r"\\\1", safe)
    if _MD_LINK_HINT.search(safe):
        safe = _MD_LINK.sub("\\\\", safe)
    return Escaped(_AT.sub(f"{JOINER}@", safe) if "@" in safe else safe)


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
