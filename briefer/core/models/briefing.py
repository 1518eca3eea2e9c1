"""What comes out: the Briefing, the canonical artifact every rendering is made from. It extends
the reply's items with what only the program knows: which source an item came from, what the
checks found, usage and provenance."""

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import Strict, empty_list
from .reply import (
    Cited,
    ExtractedActor,
    ExtractedClaim,
    ExtractedEvent,
    ExtractedFact,
    ExtractedFinding,
    ExtractedPosition,
    ExtractedQuote,
)

#: 3: quotes by reference (begins, ends) and attribution words on quotes, positions and claim
#: sides, one status enum for every check. 4: read from the compact reply (core/models/compact.py);
#: the briefing's own shape is that of format 3. Files of formats 1, 2 and 3 still load.
BRIEFING_FORMAT = 4


# ------------------------------------------------------------------ the briefing

#: The one set of outcomes of every check (grounding/): "verified"; "approximate" (near-verbatim
#: wording that says the same, shown with the source's own words); "unsupported", which is
#: *contradicted*: positive evidence of an error, the only outcome marked ⚠, counted unsupported
#: and sent back to the model; "unchecked", which is *not checked*: briefer could not decide,
#: counted quietly and never sent back.
CheckStatus = Literal["verified", "approximate", "unsupported", "unchecked"]
#: Who an item is given to, checked: the same outcomes (an attribution is never approximate).
Attribution = CheckStatus
#: The attribution values of formats 1 and 2, read as today's outcomes.
_OLD_ATTRIBUTION = {"confirmed": "verified", "flagged": "unsupported"}
#: mark: keep and mark what fails; strict: renderings move it to an appendix; off: no checks.
GroundingMode = Literal["mark", "strict", "off"]


class Located(Strict):
    """Where a verbatim span was found: the paragraph (corrected if the model cited another
    one, which is kept in cited_paragraph) and character offsets in the source's text."""

    status: CheckStatus = "unchecked"
    start: int | None = None
    end: int | None = None
    cited_paragraph: int | None = None
    source_words: str | None = Field(
        None, description="The source's own words closest to a non-verbatim excerpt: what renderings quote.")


class Evidence(Located, Cited):
    source: str = Field(description="Id of the source document.")


class Actor(ExtractedActor):
    pass


class Position(ExtractedPosition):
    attributed_by: str | None = None  # type: ignore[assignment]  # None: a briefing of format 2
    evidence: list[Evidence]  # type: ignore[assignment]
    attribution: Attribution = "unchecked"
    notes: list[str] = Field(default_factory=empty_list, description="What contradicted the item, as told to the model.")
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class DisputedClaim(ExtractedClaim):
    attributed_by: str | None = None  # type: ignore[assignment]
    evidence: list[Evidence]  # type: ignore[assignment]
    rebuttal_by: str | None = None
    rebuttal: list[Evidence] = Field(default_factory=empty_list)  # type: ignore[assignment]
    attribution: Attribution = "unchecked"
    rebuttal_attribution: Attribution = "unchecked"
    notes: list[str] = Field(default_factory=empty_list, description="What contradicted the item, as told to the model.")
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class Point(Strict):
    """A sentence at the top of the briefing (bottom line, key point) with the evidence it rests
    on, checked like any other."""

    text: str
    evidence: list[Evidence] = Field(default_factory=empty_list)
    figure_status: CheckStatus = Field(
        "unchecked", description="Whether every number the text writes in digits is in a cited paragraph.")
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class Finding(ExtractedFinding):
    evidence: list[Evidence]  # type: ignore[assignment]
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class Quote(Located, ExtractedQuote):
    """A quote: `text` is the source's own words, cut out between the reply's anchors (`begins`,
    `ends`); a briefing of format 2 has the text the model wrote and no anchors."""

    text: str = Field(description="The quote as the article prints it.")
    begins: str | None = None  # type: ignore[assignment]
    ends: str | None = None  # type: ignore[assignment]
    attributed_by: str | None = None  # type: ignore[assignment]
    anchors: str | None = Field(None, description="What was wrong with the anchors, when the words could not be cut out.")
    source: str
    attribution: Attribution = "unchecked"
    notes: list[str] = Field(default_factory=empty_list, description="What contradicted the item, as told to the model.")
    also_in: list[Evidence] = Field(default_factory=empty_list, description="The same words in other sources.")


class Fact(ExtractedFact):
    evidence: list[Evidence]  # type: ignore[assignment]
    figure_status: CheckStatus = "unchecked"
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class Event(ExtractedEvent):
    evidence: list[Evidence]  # type: ignore[assignment]
    date_status: CheckStatus = "unchecked"
    reading: CheckStatus | None = Field(
        None, description="The item's own words read against its cited paragraphs (numbers, currencies, "
        "qualifiers, negation, stance words, names); None: not read (a briefing made before).")


class Account(Evidence):
    says: str


class SourceDispute(Strict):
    """Where the sources' accounts of one point differ: found by the synthesis, checked like any
    evidence."""

    subject: str
    accounts: list[Account]


class StatusCounts(Strict):
    verified: int = 0
    approximate: int = 0
    unsupported: int = 0
    unchecked: int = 0

    @property
    def checked(self) -> int:
        return self.verified + self.approximate + self.unsupported

    @property
    def total(self) -> int:
        return self.checked + self.unchecked


class GroundingReport(Strict):
    """Counts over the whole briefing; the per-item status is on each item. `items` counts each
    marked unit (an item, a claim's or a dispute's cited line) by its one outcome, the very one
    renderings mark it with, so that the summary line and the marks agree."""

    mode: GroundingMode = "off"
    items: StatusCounts = StatusCounts()
    excerpts: StatusCounts = StatusCounts()
    figures: StatusCounts = StatusCounts()
    dates: StatusCounts = StatusCounts()
    attributions_flagged: int = 0
    attributions_unchecked: int = 0
    uncited: int = Field(0, description="Items that cite no evidence at all (each unsupported).")
    corrected_paragraphs: int = 0

    @property
    def summary(self) -> str:
        """One line a reader can trust at a glance: every marked item counted once by the outcome
        it is marked with (⚠ unsupported, ≈ approximate, not checked), then the detail."""
        if self.mode == "off":
            return "Not checked against the source (grounding off)."
        i, e, f, d = self.items, self.excerpts, self.figures, self.dates
        parts = [f"{i.verified} of {i.total} items verified, "
                 f"{i.approximate} approximate, {i.unsupported} unsupported, {i.unchecked} not checked",
                 f"{e.verified} of {e.checked} excerpts and quotes verbatim",
                 f"{f.verified} of {f.checked} figures and {d.verified} of {d.checked} dates "
                 "found in their paragraphs"]
        if self.corrected_paragraphs:
            parts.append(f"{self.corrected_paragraphs} paragraph reference"
                         f"{'s' * (self.corrected_paragraphs != 1)} corrected")
        return "; ".join(parts) + "."


class Source(Strict):
    """A document as the briefing cites it: enough to name it, not its text."""

    id: str
    title: str | None
    outlet: str | None
    date: str | None
    author: str | None = Field(None, description="Who wrote the article (the byline), when the page "
                               "or its metadata says.")
    origin: str | None
    url: str | None = Field(None, description="The page's address, if known (rendered as a link "
                            "only when it is http or https).")
    language: str | None = Field(None, description="ISO 639-1 code of the article's language, when known.")
    sha256: str
    paragraphs: int
    words: int | None = Field(None, description="The article's length, which bounds the briefing's.")


class Usage(Strict):
    """What the run took, summed over every attempt, re-asks included. Calls answered from
    recordings (--replay, a --cache hit) are counted in `calls` and again in `replayed`, with
    their tokens, so that what was spent is told apart from what was replayed."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasks: int = 0
    retries: int = 0
    replayed: int = 0
    replayed_prompt_tokens: int = 0
    replayed_completion_tokens: int = 0
    replayed_cached_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(**{name: getattr(self, name) + getattr(other, name) for name in Usage.model_fields})

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def made(self) -> int:
        """Calls sent to the model in this run."""
        return self.calls - self.replayed

    def replayed_part(self) -> "Usage":
        """The calls answered from recordings, as a usage of their own."""
        return Usage(calls=self.replayed, replayed=self.replayed, prompt_tokens=self.replayed_prompt_tokens,
                     completion_tokens=self.replayed_completion_tokens,
                     cached_tokens=self.replayed_cached_tokens)

    def made_part(self) -> "Usage":
        """The calls sent to the model in this run, as a usage of their own."""
        return Usage(calls=self.made, prompt_tokens=self.prompt_tokens - self.replayed_prompt_tokens,
                     completion_tokens=self.completion_tokens - self.replayed_completion_tokens,
                     cached_tokens=self.cached_tokens - self.replayed_cached_tokens,
                     reasks=self.reasks, retries=self.retries)


class Cost(Strict):
    """An estimate from the run's usage and a dated price table, kept as it was then: what the
    calls made cost, and apart from it what the replayed calls would have cost."""

    amount: float
    replayed_amount: float = 0.0
    currency: str
    prices_of: str = Field(description="The date of the prices used.")


class Briefing(Strict):
    """The canonical artifact: JSON on disk; Markdown, email and the rest are rendered from it."""

    format: int = BRIEFING_FORMAT
    title: str
    bottom_line: Point
    key_points: list[Point]
    findings: list[Finding] = Field(default_factory=empty_list)
    actors: list[Actor]
    positions: list[Position]
    disputed_claims: list[DisputedClaim]
    quotes: list[Quote]
    facts: list[Fact]
    events: list[Event]
    source_disputes: list[SourceDispute] = Field(default_factory=empty_list)
    sources: list[Source]
    usage: Usage
    model: str
    prompt_version: str
    grounding: GroundingReport = GroundingReport()
    cost: Cost | None = None
    language: str = Field("en", description="ISO 639-1 code of the language the briefing is written in.")

    @model_validator(mode="before")
    @classmethod
    def _points_of_format_1(cls, data: Any) -> Any:
        """A briefing saved before points carried evidence still loads: its sentences become
        points with no evidence (so they count as unchecked, never as verified)."""
        if isinstance(data, dict):
            data = _attributions_of_format_2(data)
        if isinstance(data, dict) and isinstance(data.get("bottom_line"), str):
            data = dict(data, format=BRIEFING_FORMAT, bottom_line={"text": data["bottom_line"]})
            data["key_points"] = [{"text": p} if isinstance(p, str) else p
                                  for p in data.get("key_points", [])]
            for name, gone in (("disputed_claims", "dispute"), ("quotes", "context"), ("positions", "issue")):
                data[name] = [{k: v for k, v in item.items() if k != gone} if isinstance(item, dict) else item
                              for item in data.get(name, [])]
        return data

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)


def _attributions_of_format_2(data: dict[str, Any]) -> dict[str, Any]:
    """A quote's attribution as formats 1 and 2 wrote it ("confirmed", "flagged"), read as
    today's outcome."""
    quotes = data.get("quotes")
    if not isinstance(quotes, list) or not any(isinstance(q, dict) and q.get("attribution") in _OLD_ATTRIBUTION
                                               for q in quotes):
        return data
    return dict(data, quotes=[dict(q, attribution=_OLD_ATTRIBUTION.get(q.get("attribution"), q.get("attribution")))
                              if isinstance(q, dict) else q for q in quotes])
