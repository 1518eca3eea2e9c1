"""Documents into chunks: the unit of one extraction call.

Each paragraph keeps its [P#] marker, so evidence cites the paragraph of the original article
whatever chunk it was read in. For now a document is one chunk; splitting under a token budget
comes with long-article support, behind this same function.
"""

from __future__ import annotations

from .models import Chunk, Document

#: Rough characters per token for English prose; an estimate for budgets, never for billing.
CHARS_PER_TOKEN = 4


def chunk_document(document: Document) -> list[Chunk]:
    """The chunks of a document, in paragraph order."""
    paragraphs = document.paragraphs
    text = "\n\n".join(f"[P{p.number}] {p.text}" for p in paragraphs)
    return [
        Chunk(
            document_id=document.id,
            first_paragraph=paragraphs[0].number,
            last_paragraph=paragraphs[-1].number,
            text=text,
            token_estimate=estimate_tokens(text),
        )
    ]


def estimate_tokens(text: str) -> int:
    return max(1, round(len(text) / CHARS_PER_TOKEN))
