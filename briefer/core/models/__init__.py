"""The domain model: what goes in (Document), what the model returns (ChunkExtraction), what
comes out (Briefing).

Two layers on purpose. The *extraction* models are the contract with the LLM: their JSON Schema
is sent as a strict `response_format`, so every field is required (nullable instead of optional)
and carries a description the model reads. The *briefing* models extend them with what only the
program knows — which source an item came from, usage, provenance — and are the canonical
artifact on disk that every rendering is made from.

The models are split by that flow: input.py (Document, Chunk), reply.py (the reply contract:
ChunkExtraction, Synthesis and their Extracted* items), briefing.py (Briefing and its parts).
"""

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
from .input import Chunk, Document, Paragraph, Strict  # noqa: F401
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
