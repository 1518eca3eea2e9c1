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


#: Larger inputs are refused: no news article is this big, and a mistaken file would be costly.
MAX_INPUT_BYTES = 5 * 1024 * 1024
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)", b"\x1f\x8b": "a gzip archive",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def read_source(source: str, stdin: BinaryIO | None = None) -> Document:
    """Read a file path, or `-` for standard input, into a Document: plain text or an HTML page
    (by extension or content), with `NAME.meta.json` beside a file for its metadata."""
    if source == STDIN:
        data = (stdin or sys.stdin.buffer).read(MAX_INPUT_BYTES + 1)
        return document_from_bytes(data, doc_id="stdin", origin=STDIN)
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a directory, not an article file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
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
        html=path.suffix.lower() in (".html", ".htm", ".xhtml") or None,
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
    html: bool | None = None,
) -> Document:
    """A Document from raw bytes; `html` None means: decide by the content."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{origin}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; "
                         "no news article is that long (split it, or brief the parts)")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{origin}: {kind}, not an article (give text or an HTML page)")
    if html or (html is None and _HTML_START.match(data[:4096])):
        text, found = extract_html(data, origin)
        title, outlet, date = title or found.get("title"), outlet or found.get("outlet"), date or found.get("date")
    else:
        text = decode(data, origin)
    paragraphs = split_paragraphs(text)
    if paragraphs and title and _same_text(paragraphs[0].text, title):
        paragraphs = renumbered(paragraphs[1:])  # the headline line is the title, not a paragraph
    if not paragraphs:
        raise InputError(f"{origin}: the article is empty")
    if not any(_is_prose(p.text) for p in paragraphs):
        raise InputError(f"{origin}: no article text, only headings or fragments")
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


def extract_html(data: bytes, origin: str) -> tuple[str, dict[str, str]]:
    """The article text of a news page (one paragraph a line) and its metadata, by trafilatura:
    navigation, ads, scripts and comments stay out."""
    import trafilatura

    result = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError(f"{origin}: no article text found in the HTML page")
    lines = [line for line in text.split("\n") if any(c.isalnum() for c in line)]
    found = {"title": result.title, "outlet": result.sitename, "date": result.date}
    return _clean("\n".join(lines)), {k: v for k, v in found.items() if v}


def decode(data: bytes, origin: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the superset of Latin-1 that Western
    newsroom files use; text that reads as neither is refused. Normalised to NFC, Unix line ends.

    (charset-normalizer was tried: on short articles it guessed cp1006 for "café" and Korean for
    random bytes. Two candidates and a plausibility check are right more often here.)
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = _windows_1252(data, origin, error.start)
    if "\x00" in text:
        raise InputError(f"{origin}: looks like a binary file, not an article")
    return _clean(text)


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


def _clean(text: str) -> str:
    """NFC, Unix line ends, no soft hyphens (invisible, and they break matching)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    return unicodedata.normalize("NFC", text)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_prose(text: str) -> bool:
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
