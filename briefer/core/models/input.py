"""What goes in: an article as numbered paragraphs, and the chunks that are read in one call.

These are plain dataclasses, not validated models: briefer builds them itself from text it has
already decoded and cleaned, and never reads them back from a file. So `briefer text`, which
shows a Document and nothing more, starts without loading the validation library at all. They
offer the few methods of a validated model that their users call (`model_copy`, `model_dump`,
`model_dump_json`), with the same results.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

T = TypeVar("T", bound="Carrier")


class Carrier:
    """A dataclass's copy with changes and its JSON, as a validated model writes them."""

    def model_copy(self: T, update: dict[str, Any] | None = None) -> T:
        """A shallow copy with the fields of `update` replaced."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    def model_dump(self, *, include: set[str] | None = None, exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as a dict (nested ones too), only those `include`d, none `exclude`d."""
        dump = dataclasses.asdict(self)  # type: ignore[call-overload]
        return {k: v for k, v in dump.items() if (include is None or k in include) and k not in (exclude or ())}

    def model_dump_json(self, indent: int | None = None) -> str:
        """JSON in field order, text as it is (not \\u-escaped), as the models' own dump."""
        compact = (",", ":") if indent is None else None
        return json.dumps(self.model_dump(), indent=indent, ensure_ascii=False, separators=compact)


# --------------------------------------------------------------------------- input


@dataclasses.dataclass(kw_only=True)
class Paragraph(Carrier):
    #: 1-based paragraph number, as cited with [P#].
    number: int
    text: str
    #: Character offsets of the paragraph in the document text.
    start: int
    end: int


@dataclasses.dataclass(kw_only=True)
class Document(Carrier):
    """One article, split into numbered paragraphs that every piece of evidence cites."""

    id: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    #: Who wrote it, as the page (JSON-LD author, meta author, a visible byline) or the sidecar
    #: says: in the sources list, and in the request's article header, for the model names the
    #: writer of an opinion piece ("Victor Davis Hanson argues") instead of "the columnist".
    author: str | None = None
    #: Where the text came from (path, '-', URL).
    origin: str | None = None
    #: The article's link, when it has one (given, fetched, from the metadata or the page's
    #: canonical link): the briefing links back to it.
    url: str | None = None
    #: ISO 639-1 code of the article's language, when known (detected on first use: see
    #: ingest.language.language_of).
    language: str | None = None
    #: What the page declares (<html lang>); the text decides when it is conclusive.
    declared_language: str | None = None
    #: Digest of the decoded text, to recognise the same input.
    sha256: str
    text: str
    paragraphs: list[Paragraph]

    def paragraph(self, number: int) -> Paragraph | None:
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        return None


@dataclasses.dataclass(kw_only=True)
class Chunk(Carrier):
    """A paragraph-aligned slice of one document: the unit of one extraction call."""

    document_id: str
    first_paragraph: int
    last_paragraph: int
    #: The paragraphs, each prefixed with its [P#] marker.
    text: str
    #: Tokens of article text, markers included.
    tokens: int
