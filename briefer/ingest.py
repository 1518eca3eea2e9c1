"""Articles in, `Document`s out: decoding, paragraph numbering, metadata.

Paragraph numbers are the spine of the whole briefing (every excerpt cites one), so splitting
is deterministic and keeps each paragraph's character offsets in the decoded text.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .models import Document, Paragraph

STDIN = "-"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")


def read_source(source: str, stdin: BinaryIO | None = None) -> Document:
    """Read a file path, or `-` for standard input, into a Document."""
    if source == STDIN:
        data = (stdin or sys.stdin.buffer).read()
        return document_from_bytes(data, doc_id="stdin", origin=STDIN)
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a directory, not an article file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except OSError as error:
        raise InputError(f"{source}: cannot read it ({error.strerror or error})") from None
    meta = read_sidecar(path)
    return document_from_bytes(
        data,
        doc_id=slug(path.stem),
        origin=str(source),
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        date=meta.get("date"),
    )


def read_sidecar(path: Path) -> dict[str, str]:
    """Title, outlet and date from `NAME.meta.json` beside `NAME.txt`, when there is one.

    Plain text carries no metadata, and a briefing's sources section and the dating of relative
    dates ("this Friday") need it.
    """
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{sidecar}: not a readable metadata file ({error})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{sidecar}: metadata must be a JSON object")
    return {key: str(meta[key]) for key in ("title", "outlet", "date") if meta.get(key)}


def document_from_bytes(
    data: bytes,
    *,
    doc_id: str,
    origin: str,
    title: str | None = None,
    outlet: str | None = None,
    date: str | None = None,
) -> Document:
    text = decode(data, origin)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise InputError(f"{origin}: the article is empty")
    return Document(
        id=doc_id,
        title=title,
        outlet=outlet,
        date=date,
        origin=origin,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        paragraphs=paragraphs,
    )


def decode(data: bytes, origin: str) -> str:
    """UTF-8 (with or without BOM), normalised to NFC with Unix line ends."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{origin}: not UTF-8 text (undecodable byte at offset {error.start})"
        ) from None
    if "\x00" in text:
        raise InputError(f"{origin}: looks like a binary file, not an article")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


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
        content = _SPACE.sub(" ", block).strip()
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
