"""The stages wired together: Documents -> chunks -> extractions -> merged Briefing -> synthesis
-> grounded Briefing.

Each stage is a plain function of the previous stage's output; only extraction and synthesis
talk to the model, and only through `LLMClient`, which bounds the calls in flight. Results come
back in input order whatever order the calls finish in, so a briefing is the same run to run.
The grounding checks and the merge are imported where they are used, after the first reply:
nothing before the first call needs them, and their imports (rapidfuzz, date tables) would be
start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..core.defaults import DEFAULT_CHUNK_TOKENS
from ..core.errors import Deferred
from ..core.models import (
    Account,
    Briefing,
    Chunk,
    ChunkExtraction,
    Document,
    Evidence,
    GroundingMode,
    Point,
    SourceDispute,
    Synthesis,
    SynthesisPoint,
    Usage,
)
from ..extract.chunking import chunk_document
from ..extract.prompting import Part, extraction_request, prompt_version, synthesis_request
from ..llm import LLMClient, StructuredReply
from ..llm.budget import extraction_budget, synthesis_budget
from ..llm.costs import PriceTable

if TYPE_CHECKING:
    from .saved import SavedExtractions

T = TypeVar("T")
Progress = Callable[[], None]
#: Where a warning that does not stop the run goes (a line on stderr).
Notice = Callable[[str], None]


def plan(documents: list[Document], chunk_tokens: int, model: str,
         exact: bool = False) -> list[tuple[Document, Chunk]]:
    """Every (document, chunk) the run extracts, in order (`exact`: with exact token counts)."""
    return [(d, c) for d in documents for c in chunk_document(d, chunk_tokens, model, exact)]


def calls_for(jobs: list[tuple[Document, Chunk]]) -> int:
    """Calls a briefing of these chunks makes, re-asks aside: one a chunk, plus a synthesis
    when there is more than one."""
    return len(jobs) + (1 if len(jobs) > 1 else 0)


@dataclass
class Extraction:
    """One chunk's validated reply, and the same reply merged and grounded on its own, when the
    review already did that work (a one-chunk briefing then needs no second pass)."""

    reply: StructuredReply[ChunkExtraction]
    grounded: Briefing | None


#: A part of an article this long from which nothing at all is extracted got a hollow reply.
HOLLOW_WORDS = 150


def hollow_reading(chunk: Chunk) -> Callable[[ChunkExtraction], str | None]:
    """What is wrong with a valid reply that extracted nothing from a part of hundreds of words
    (strict structured outputs guarantee the shape, not the content: empty lists pass)."""
    words = len(chunk.text.split())

    def hollow(extraction: ChunkExtraction) -> str | None:
        found = (extraction.key_points, extraction.actors, extraction.quotes, extraction.facts,
                 extraction.events, extraction.findings, extraction.positions, extraction.disputed_claims)
        if words < HOLLOW_WORDS or any(found):
            return None
        return (f"nothing was extracted from {words:,} words of article: no key point, actor, quote, "
                "fact or event")

    return hollow


async def extract_chunk(
    llm: LLMClient, document: Document, chunk: Chunk, grounding: GroundingMode = "mark"
) -> Extraction:
    """One structured call. Paragraph numbers outside the chunk are validation errors; what
    fails the grounding checks goes back to the model once."""
    messages, response_format = extraction_request(document, chunk, llm.settings.structured_mode,
                                                   llm.settings.language)
    reviewed: list[tuple[ChunkExtraction, Briefing]] = []

    def review(extraction: ChunkExtraction) -> list[str]:
        from ..grounding import ground, grounding_problems
        from ..merge.extractions import briefing_from_extraction

        draft = briefing_from_extraction(
            document, extraction, usage=Usage(), model=llm.settings.model, prompt_version=prompt_version()
        )
        reviewed.append((extraction, ground(draft, [document], grounding)))
        # one part: actors keep their order, so each merged id maps back to the one the model wrote
        ids = {merged.id: mine.id for merged, mine in zip(draft.actors, extraction.actors)}
        return grounding_problems(reviewed[-1][1], ids)

    reply = await llm.structured(
        messages,
        ChunkExtraction,
        response_format,
        context={"paragraphs": range(chunk.first_paragraph, chunk.last_paragraph + 1)},
        review=None if grounding == "off" else review,
        budget=extraction_budget(messages[1]["content"]),
        hollow=hollow_reading(chunk),
    )
    return Extraction(reply, next((g for e, g in reviewed if e is reply.value), None))


def _point(point: SynthesisPoint) -> Point:
    return Point(text=point.text, evidence=[Evidence(**e.model_dump()) for e in point.evidence])


def with_synthesis(briefing: Briefing, synthesis: Synthesis, usage: Usage) -> Briefing:
    """The merged briefing topped by the synthesis: its title, bottom line, key points, the
    points where the sources differ, and the actors it found to be one."""
    from ..merge.extractions import same_actors

    disputes = [
        SourceDispute(subject=d.subject, accounts=[Account(**a.model_dump()) for a in d.accounts])
        for d in synthesis.source_disputes
    ]
    return same_actors(briefing, synthesis.same_actors).model_copy(update={
        "title": synthesis.title,
        "bottom_line": _point(synthesis.bottom_line),
        "key_points": [_point(p) for p in synthesis.key_points],
        "source_disputes": [*_not_found_by(disputes, briefing.source_disputes), *disputes],
        "usage": usage,
    })


def synthesis_context(merged: Briefing) -> dict[str, object]:
    """What a synthesis reply is validated against: the sources' paragraph counts, the actor ids."""
    return {"sources": {s.id: s.paragraphs for s in merged.sources}, "actors": {a.id for a in merged.actors}}


async def synthesize(
    llm: LLMClient, merged: Briefing, documents: list[Document], grounding: GroundingMode,
    parts: list[Part], notice: Notice = lambda line: None,
) -> Briefing:
    """The merged briefing with the synthesis's title, bottom line, key points and the points
    where the sources differ (whose excerpts are checked, and sent back once if unsupported).
    The synthesis sees what each part said mattered, not only the merged items."""
    from ..merge.actors import refused_same_actors, variant_candidates
    from ..merge.disputes import differing

    messages, response_format = synthesis_request(merged, parts, llm.settings.structured_mode,
                                                  llm.settings.language, variant_candidates(merged.actors))

    def review(synthesis: Synthesis) -> list[str]:
        # the synthesis's own disputes and points only, numbered as in its reply
        from ..grounding import ground, grounding_problems

        draft = with_synthesis(merged.model_copy(update={"source_disputes": []}), synthesis, merged.usage)
        return [p for p in grounding_problems(ground(draft, documents))
                if p.startswith(("source_disputes", "bottom_line", "key_points"))]

    reply = await llm.structured(
        messages,
        Synthesis,
        response_format,
        context=synthesis_context(merged),
        review=None if grounding == "off" else review,
        budget=synthesis_budget(messages[1]["content"]),
    )
    for warning in refused_same_actors(merged, reply.value.same_actors):
        notice(warning)
    briefing = with_synthesis(merged, reply.value, merged.usage + reply.usage)
    return briefing.model_copy(update={"source_disputes": differing(briefing.source_disputes, documents)})


def _not_found_by(synthesis: list[SourceDispute], merged: list[SourceDispute]) -> list[SourceDispute]:
    """The disagreements the merge kept apart that the synthesis did not already report (the
    same places cited), so that each dispute shows once."""
    seen = [{(a.source, a.paragraph) for a in d.accounts} for d in synthesis]
    return [d for d in merged if not any({(a.source, a.paragraph) for a in d.accounts} <= s for s in seen)]


async def _extraction(llm: LLMClient, document: Document, chunk: Chunk, grounding: GroundingMode,
                      saved: SavedExtractions | None) -> Extraction:
    """A part's extraction: the saved one when there is one, else the model's (then saved)."""
    if saved is None:
        return await extract_chunk(llm, document, chunk, grounding)
    key = saved.key(llm, document, chunk)
    reply = saved.get(key, chunk)
    if reply is not None:
        return Extraction(reply, None)  # merged and grounded with the rest
    extraction = await extract_chunk(llm, document, chunk, grounding)
    saved.put(key, extraction.reply)
    return extraction


async def in_order(tasks: list[Awaitable[T]], progress: Progress | None = None) -> list[T]:
    """Run concurrently (the client bounds the calls in flight); results in input order. The
    first failure cancels the rest (a deferral to the next batch lets them finish)."""

    async def run(task: Awaitable[T]) -> T:
        result = await task
        if progress:
            progress()
        return result

    running = [asyncio.ensure_future(run(t)) for t in tasks]
    try:
        return await asyncio.gather(*running)
    except Deferred:
        # Waiting for a batch costs nothing: let the other chunks note their requests too, so
        # that one follow-up batch carries them all.
        await asyncio.gather(*running, return_exceptions=True)
        raise
    except BaseException:
        for future in running:
            future.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise


async def brief_documents(
    llm: LLMClient,
    documents: list[Document],
    *,
    grounding: GroundingMode = "mark",
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    progress: Progress | None = None,
    prices: PriceTable | None = None,
    notice: Notice = lambda line: None,
    saved: SavedExtractions | None = None,
) -> Briefing:
    """One briefing of one or more documents: one call a chunk, and a synthesis call when there
    is more than one chunk or source. With a price table, the estimated cost of the run;
    `notice` hears a warning that does not stop it (a same_actors pair refused). With `saved`,
    a part extracted before is taken from there, and each new extraction kept there."""
    jobs = plan(documents, chunk_tokens, llm.settings.model)
    extractions = await in_order([_extraction(llm, d, c, grounding, saved) for d, c in jobs], progress)
    from ..grounding import ground
    from ..merge.extractions import merge

    usage = sum((e.reply.usage for e in extractions), Usage())
    if len(jobs) == 1 and extractions[0].grounded is not None:
        grounded = extractions[0].grounded.model_copy(update={"usage": usage})
    else:
        briefing = merge([(d, e.reply.value) for (d, _), e in zip(jobs, extractions)], usage=usage,
                         model=llm.settings.model, prompt_version=prompt_version())
        if len(jobs) > 1:
            parts = [(d, c, e.reply.value) for (d, c), e in zip(jobs, extractions)]
            briefing = await synthesize(llm, briefing, documents, grounding, parts, notice)
            if progress:
                progress()
        grounded = ground(briefing, documents, grounding)
    if prices is not None:
        grounded = grounded.model_copy(update={"cost": prices.cost(llm.settings.model, grounded.usage)})
    return grounded.model_copy(update={"language": llm.settings.language or "en"})

