"""The stages wired together: Document -> chunks -> extraction -> Briefing.

Each stage is a plain function of the previous stage's output; only extraction talks to the
model, and only through `LLMClient`.
"""

from __future__ import annotations

from .chunking import chunk_document
from .llm import LLMClient, StructuredReply
from .merge import briefing_from_extraction
from .models import Briefing, Chunk, ChunkExtraction, Document
from .prompting import extraction_request, prompt_version


async def extract_chunk(
    llm: LLMClient, document: Document, chunk: Chunk
) -> StructuredReply[ChunkExtraction]:
    """One structured call; paragraph numbers outside the chunk are validation errors."""
    messages, response_format = extraction_request(document, chunk, llm.settings.structured_mode)
    return await llm.structured(
        messages,
        ChunkExtraction,
        response_format,
        context={"paragraphs": range(chunk.first_paragraph, chunk.last_paragraph + 1)},
    )


async def brief_document(llm: LLMClient, document: Document) -> Briefing:
    (chunk,) = chunk_document(document)  # one chunk a document, until long-article support
    reply = await extract_chunk(llm, document, chunk)
    return briefing_from_extraction(
        document,
        reply.value,
        usage=reply.usage,
        model=llm.settings.model,
        prompt_version=prompt_version(),
    )
