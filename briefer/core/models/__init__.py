"""The domain model: what goes in (Document), what the model returns (ChunkExtraction), what
comes out (Briefing).

Two layers on purpose. The *extraction* models are the contract with the LLM: their JSON Schema
is sent as a strict `response_format`, so every field is required (nullable instead of optional)
and carries a description the model reads. The *briefing* models extend them with what only the
program knows — which source an item came from, usage, provenance — and are the canonical
artifact on disk that every rendering is made from.

The models are split by that flow: input.py (Document, Chunk), reply.py (the reply contract:
ChunkExtraction, Synthesis and their Extracted* items), briefing.py (Briefing and its parts).
Document, Paragraph and Chunk are plain dataclasses (input.py); the validated models share
base.py's Strict.

Each name is looked up in its module when first asked for (`from briefer.core.models import
Document` loads input.py alone), so that a command that only reads an article never loads the
validation library nor builds the reply and briefing models. The validated models' modules do
not postpone their annotations (no `from __future__ import annotations`): pydantic would
otherwise evaluate every field's annotation from a string when each class is made, a few
milliseconds of every briefing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

#: Each module and the names it defines.
_NAMES = {
    "base": ("Strict",),
    "input": ("Chunk", "Document", "Paragraph"),
    "reply": ("ActorKind", "ChunkExtraction", "Cited", "ClaimStatus", "ExtractedAccount", "ExtractedActor",
              "ExtractedClaim", "ExtractedEvent", "ExtractedFact", "ExtractedFinding", "ExtractedPoint",
              "ExtractedPosition", "ExtractedQuote", "ExtractedSourceDispute", "SourcedCited", "Synthesis",
              "SynthesisPoint", "paragraph_range", "reference_errors"),
    "briefing": ("BRIEFING_FORMAT", "Account", "Actor", "Attribution", "Briefing", "CheckStatus", "Cost",
                 "DisputedClaim", "Event", "Evidence", "Fact", "Finding", "GroundingMode", "GroundingReport",
                 "Located", "Point", "Position", "Quote", "Source", "SourceDispute", "StatusCounts", "Usage"),
}
__all__ = sorted(name for names in _NAMES.values() for name in names)
__getattr__ = lazy_names(__name__, _NAMES)


if TYPE_CHECKING:
    from .briefing import (  # noqa: F401
        BRIEFING_FORMAT,
        Account,
        Actor,
        Attribution,
        Briefing,
        CheckStatus,
        Cost,
        DisputedClaim,
        Event,
        Evidence,
        Fact,
        Finding,
        GroundingMode,
        GroundingReport,
        Located,
        Point,
        Position,
        Quote,
        Source,
        SourceDispute,
        StatusCounts,
        Usage,
    )
    from .base import Strict  # noqa: F401
    from .input import Chunk, Document, Paragraph  # noqa: F401
    from .reply import (  # noqa: F401
        ActorKind,
        ChunkExtraction,
        Cited,
        ClaimStatus,
        ExtractedAccount,
        ExtractedActor,
        ExtractedClaim,
        ExtractedEvent,
        ExtractedFact,
        ExtractedFinding,
        ExtractedPoint,
        ExtractedPosition,
        ExtractedQuote,
        ExtractedSourceDispute,
        SourcedCited,
        Synthesis,
        SynthesisPoint,
        paragraph_range,
        reference_errors,
    )
