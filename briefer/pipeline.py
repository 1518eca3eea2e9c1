"""The stages wired together: Document -> chunks -> extraction -> Briefing -> grounded Briefing.

Each stage is a plain function of the previous stage's output; only extraction talks to the
model, and only through `LLMClient`.
"""

from __future__ import annotations

from .chunking import chunk_document
from .grounding import ground, grounding_problems
from .llm import LLMClient, StructuredReply
from .merge import briefing_from_extraction
from .models import Briefing, Chunk, ChunkExtraction, Document, GroundingMode, Usage
from .prompting import extraction_request, prompt_version


async def extract_chunk(
    llm: LLMClient, document: Document, chunk: Chunk, grounding: GroundingMode = "mark"
) -> StructuredReply[ChunkExtraction]:
    """One structured call. Paragraph numbers outside the chunk are validation errors; what
    fails the grounding checks goes back to the model once."""
    messages, response_format = extraction_request(document, chunk, llm.settings.structured_mode)

    def review(extraction: ChunkExtraction) -> list[str]:
        draft = briefing_from_extraction(
            document, extraction, usage=Usage(), model=llm.settings.model, prompt_version=""
        )
        return grounding_problems(ground(draft, [document]))

    return await llm.structured(
        messages,
        ChunkExtraction,
        response_format,
        context={"paragraphs": range(chunk.first_paragraph, chunk.last_paragraph + 1)},
        review=None if grounding == "off" else review,
    )


async def brief_document(
    llm: LLMClient, document: Document, grounding: GroundingMode = "mark"
) -> Briefing:
    (chunk,) = chunk_document(document)  # one chunk a document, until long-article support
    reply = await extract_chunk(llm, document, chunk, grounding)
    briefing = briefing_from_extraction(
        document,
        reply.value,
        usage=reply.usage,
        model=llm.settings.model,
        prompt_version=prompt_version(),
    )
    return ground(briefing, [document], grounding)
