"""What goes in: an article as numbered paragraphs, and the chunks that are read in one call;
and the base every model shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, not silently dropped. Each model's
    validator is built on its first use (`defer_build`), not at import: most of the Briefing's
    models are first needed after the first call has gone out."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


# --------------------------------------------------------------------------- input


class Paragraph(Strict):
    number: int = Field(description="1-based paragraph number, as cited with [P#].")
    text: str
    start: int = Field(description="Character offset of the paragraph in the document text.")
    end: int


class Document(Strict):
    """One article, split into numbered paragraphs that every piece of evidence cites."""

    id: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    origin: str | None = Field(None, description="Where the text came from (path, '-', URL).")
    url: str | None = Field(None, description="The article's link, when it has one (given, fetched, "
                            "from the metadata or the page's canonical link): the briefing links back to it.")
    language: str | None = Field(None, description="ISO 639-1 code of the article's language, when known "
                                 "(detected on first use: see ingest.language.language_of).")
    declared_language: str | None = Field(None, description="What the page declares (<html lang>); the "
                                          "text decides when it is conclusive.")
    sha256: str = Field(description="Digest of the decoded text, to recognise the same input.")
    text: str
    paragraphs: list[Paragraph]

    def paragraph(self, number: int) -> Paragraph | None:
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        return None


class Chunk(Strict):
    """A paragraph-aligned slice of one document: the unit of one extraction call."""

    document_id: str
    first_paragraph: int
    last_paragraph: int
    text: str = Field(description="The paragraphs, each prefixed with its [P#] marker.")
    tokens: int = Field(description="Tokens of article text, markers included.")
