"""Raw bytes into a `Document`: refuse what is not an article, extract pages, number paragraphs."""

from __future__ import annotations

import hashlib
import re

from ..core.errors import InputError
from ..core.models import Document
from ..core.safety import one_line
from .text import clean, decode, is_headline_of, is_prose, renumbered, same_text, split_paragraphs

#: Larger inputs are refused: no news article is this big, and a mistaken file would be costly.
MAX_INPUT_BYTES = 5 * 1024 * 1024
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)", b"\x1f\x8b": "a gzip archive",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def decode_declared(data: bytes, charset: str) -> str:
    """Bytes in the charset a server declared; an unknown charset name falls back to UTF-8."""
    import codecs

    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return data.decode(charset, errors="replace")


#: Metadata longer than this is not a title, an outlet or a date.
MAX_METADATA_CHARS = 300


def metadata_line(value: str | None) -> str | None:
    """A title, outlet, date or URL as one clean line: no line breaks to forge prompt lines
    with, no terminal controls, no novel."""
    if value is None:
        return None
    line = one_line(value)
    return (line if len(line) <= MAX_METADATA_CHARS else line[: MAX_METADATA_CHARS - 1] + "…") or None


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:4096]))


def document_from_bytes(
    data: bytes,
    *,
    doc_id: str,
    origin: str,
    title: str | None = None,
    outlet: str | None = None,
    date: str | None = None,
    url: str | None = None,
    author: str | None = None,
    html: bool | None = None,
    charset: str | None = None,
) -> Document:
    """A Document from raw bytes; `html` None means: decide by the content. Metadata given
    here wins over what the page says about itself; `charset` is what a web server declared."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{origin}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; "
                         "no news article is that long (split it, or brief the parts)")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{origin}: {kind}, not an article (give text or an HTML page)")
    found: dict[str, str] = {}
    if html or (html is None and looks_like_html(data)):
        from .html import extract_html  # a page's reader and its tables: not loaded for plain text

        text, found = extract_html(decode_declared(data, charset) if charset else data, origin)
        outlet, date = outlet or found.get("outlet"), date or found.get("date")
        author = author or found.get("author")
        # The page's own canonical link is its claim about itself, never taken as where it came from.
    else:
        text = clean(decode_declared(data, charset)) if charset else decode(data, origin)
    paragraphs = split_paragraphs(text)
    if paragraphs and (title or found.get("title")):
        headline = paragraphs[0].text
        if title and same_text(headline, title) or not title and is_headline_of(headline, found["title"]):
            paragraphs = renumbered(paragraphs[1:])  # the headline line is the title, not a paragraph
            title = title or headline  # the page's own headline, without the site's name after it
        title = title or found.get("title")
    # Metadata is untrusted too, and printed on the prompt's header lines: one clean line each.
    title, outlet, date, url, author = (metadata_line(v) for v in (title, outlet, date, url, author))
    if not paragraphs:
        raise InputError(f"{origin}: the article is empty")
    if not any(is_prose(p.text) for p in paragraphs):
        raise InputError(f"{origin}: no article text, only headings or fragments")
    return Document(
        id=doc_id,
        declared_language=found.get("language"),
        title=title,
        outlet=outlet,
        date=date,
        url=url,
        author=author,
        origin=origin,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        paragraphs=paragraphs,
    )
