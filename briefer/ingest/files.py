"""Articles from files and standard input, with `NAME.meta.json` beside a file for metadata."""

from __future__ import annotations

import re

import sys
from pathlib import Path
from typing import BinaryIO

from ..core.bounded import SMALL_FILE, parse_json, read_bytes, read_text
from ..core.errors import InputError
from ..core.models import Document
from .documents import MAX_INPUT_BYTES, document_from_bytes
from .text import slug
from .web import document_id

STDIN = "-"
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def read_file(source: str, stdin: BinaryIO | None = None, meta: dict[str, str] | None = None,
              doc_id: str | None = None) -> Document:
    """A file path, or `-` for standard input, as a Document: plain text or an HTML page (by
    extension or content). `meta` (title, outlet, date, url) wins over the sidecar."""
    given = {k: v for k, v in (meta or {}).items() if v}
    if source == STDIN:
        data = (stdin or sys.stdin.buffer).read(MAX_INPUT_BYTES + 1)
        doc_id = doc_id or (document_id(given["url"]) if given.get("url") else "stdin")
        return document_from_bytes(data, doc_id=doc_id, origin=STDIN, **given)
    path = Path(source)
    data = read_bytes(path, limit=MAX_INPUT_BYTES, error=InputError) or b""
    return document_from_bytes(
        data,
        doc_id=doc_id or slug(path.stem),
        origin=str(source),
        html=path.suffix.lower() in _HTML_SUFFIXES or None,
        **{**read_sidecar(path), **given},
    )


def read_sidecar(path: Path) -> dict[str, str]:
    """Title, outlet, date, author and url (or an `origin` that is an address) from `NAME.meta.json`
    beside `NAME.txt`, when there is one.

    Plain text carries no metadata, and a briefing's sources section and the dating of relative
    dates ("this Friday") need it.
    """
    sidecar = path.with_name(path.stem + ".meta.json")
    text = read_text(sidecar, limit=SMALL_FILE, error=InputError, what="metadata file", missing_ok=True)
    if text is None:
        return {}
    meta = parse_json(text, where=f"metadata file {sidecar}", error=InputError)
    if not isinstance(meta, dict):
        raise InputError(f"{sidecar}: metadata must be a JSON object")
    found = {key: str(meta[key]) for key in ("title", "outlet", "date", "url") if meta.get(key)}
    if byline := _byline(meta.get("author") or meta.get("authors")):
        found["author"] = byline
    if "url" not in found and (address := _origin_address(str(meta.get("origin") or ""))):
        found["url"] = address  # the corpus's sidecars name the page they came from so
    return found


def _byline(value: object) -> str | None:
    """Who wrote the article, as a sidecar gives it: a name, or a list of names."""
    names = value if isinstance(value, list) else [value]
    return ", ".join(str(n) for n in names if isinstance(n, str) and n.strip()) or None


_CANONICAL = re.compile(r"\(canonical:\s*(\S+?)\)")


def _origin_address(origin: str) -> str | None:
    """The address an `origin` names: the page's canonical address when the note gives one
    ("https://a/b (canonical: https://a/c)"), else its first word, when that is an address. A
    note after the address must not cost the briefing its link (an editor missed it)."""
    canonical = _CANONICAL.search(origin)
    address = canonical.group(1) if canonical else (origin.split() or [""])[0]
    return address if address.startswith(("http://", "https://")) else None
