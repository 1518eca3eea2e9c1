"""The domain model: what goes in (Document), what the model returns (ChunkExtraction), what
comes out (Briefing).

Two layers on purpose. The *extraction* models are the contract with the LLM: their JSON Schema
is sent as a strict `response_format`, so every field is required (nullable instead of optional)
and carries a description the model reads. The *briefing* models extend them with what only the
program knows — which source an item came from, usage, provenance — and are the canonical
artifact on disk that every rendering is made from.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

BRIEFING_FORMAT = 2


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


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


# ------------------------------------------------------------- what the model returns

ActorKind = Literal["person", "organization", "government", "state", "group", "other"]
ClaimStatus = Literal["contested", "denied", "unverified"]


class Cited(Strict):
    paragraph: int = Field(description="The [P#] number of the paragraph the excerpt is from.")
    excerpt: str = Field(
        description="The fewest words of that paragraph, copied exactly, that prove the item: "
        "usually 3 to 10 words, never a whole sentence when a phrase proves it."
    )


class ExtractedPoint(Strict):
    text: str = Field(description="One plain sentence.")
    evidence: list[Cited] = Field(
        description="The paragraphs the sentence rests on, each with a short verbatim excerpt."
    )


class ExtractedActor(Strict):
    id: str = Field(
        description="A stable lowercase slug for the actor, e.g. 'olaf-scholz'. Every reference "
        "to the actor elsewhere in this reply uses this id."
    )
    name: str = Field(description="Full name as the article gives it.")
    kind: ActorKind
    role: str | None = Field(description="Role or title in a few words, or null.")
    affiliation: str | None = Field(description="Country, party or organisation, or null.")
    aliases: list[str] = Field(
        description="Other names the article uses for this actor (a surname, a title); not the "
        "name itself, no two that differ only in case."
    )


class ExtractedPosition(Strict):
    actor_id: str = Field(description="Id of the actor who holds this position.")
    stance: str = Field(
        description="What the actor holds, as a short clause without the actor's name, e.g. "
        "'urges Russia to withdraw and negotiate'."
    )
    evidence: list[Cited]


class ExtractedClaim(Strict):
    claim: str = Field(description="The claim, stated neutrally in one short sentence.")
    asserted_by: list[str] = Field(description="Ids of the actors who make the claim.")
    disputed_by: list[str] = Field(
        description="Ids of the actors who contest or deny it; empty if nobody in the article does."
    )
    status: ClaimStatus = Field(
        description="contested: actors disagree; denied: the claim's subject denies it; "
        "unverified: asserted by one side, disputed by nobody, not confirmed in the article."
    )
    evidence: list[Cited] = Field(description="The asserting side's words.")
    rebuttal: list[Cited] = Field(
        description="The disputing side's words; empty when nobody disputes the claim."
    )


class ExtractedQuote(Strict):
    speaker_id: str = Field(description="Id of the actor who said it.")
    text: str = Field(
        description="A complete quoted statement exactly as printed, without the surrounding "
        "quotation marks."
    )
    paragraph: int = Field(description="The [P#] number of the paragraph holding the quote.")


class ExtractedFact(Strict):
    statement: str = Field(
        description="A short clause that reads on its own and holds the figure as written, e.g. "
        "'Germany has given Ukraine 15 billion euros'."
    )
    figure: str = Field(description="The number as the article writes it, e.g. '11,000'.")
    unit: str | None = Field(description="What is counted or measured, e.g. 'troops', or null.")
    attributed_to: str | None = Field(
        description="Id of the actor the figure comes from if the article attributes it, or null."
    )
    evidence: list[Cited]


class ExtractedEvent(Strict):
    date: str | None = Field(
        description="ISO date (YYYY-MM-DD, YYYY-MM or YYYY) when the article and its publication "
        "date allow it; null otherwise."
    )
    date_text: str = Field(description="The date as the article writes it.")
    what: str = Field(description="What happened or will happen, in a short clause.")
    evidence: list[Cited]


class ExtractedFinding(Strict):
    statement: str = Field(
        description="A central finding, result, decision or development, in one sentence."
    )
    evidence: list[Cited]


class ChunkExtraction(Strict):
    """The model's reading of one chunk. Cross-references are checked here, so that a dangling
    actor id is a validation error fed back to the model like any schema error."""

    title: str = Field(description="A neutral headline for the briefing.")
    bottom_line: ExtractedPoint = Field(
        description="What a busy reader must know, in at most about 50 words, with its evidence."
    )
    key_points: list[ExtractedPoint] = Field(
        description="Two to five key points, most important first, each with its evidence."
    )
    findings: list[ExtractedFinding] = Field(
        description="Central findings or developments that are neither a dated event nor a figure "
        "(a study's result, a decision, a conclusion); often empty in short news."
    )
    actors: list[ExtractedActor]
    positions: list[ExtractedPosition]
    disputed_claims: list[ExtractedClaim]
    quotes: list[ExtractedQuote]
    facts: list[ExtractedFact]
    events: list[ExtractedEvent]

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> ChunkExtraction:
        errors = reference_errors(self, paragraph_range(info))
        if errors:
            raise ValueError("; ".join(errors))
        return self


def paragraph_range(info: ValidationInfo) -> range | None:
    """The paragraph numbers the chunk holds, when the caller passed them as context."""
    context = info.context if isinstance(info.context, dict) else {}
    found = context.get("paragraphs")
    return found if isinstance(found, range) else None


def reference_errors(extraction: ChunkExtraction, paragraphs: range | None) -> list[str]:
    """Every id reference that names no actor, every duplicate actor id, and every paragraph
    number outside the chunk, each as a sentence the model can act on."""
    errors: list[str] = []
    ids = [actor.id for actor in extraction.actors]
    known = set(ids)
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(f"actor id '{duplicate}' is used by more than one actor")

    def check(where: str, actor_id: str | None) -> None:
        if actor_id is not None and actor_id not in known:
            errors.append(f"{where} names actor id '{actor_id}', which is not in actors")

    def check_paragraph(where: str, number: int) -> None:
        if paragraphs is not None and number not in paragraphs:
            errors.append(
                f"{where} cites paragraph {number}, but the article has paragraphs "
                f"{paragraphs.start} to {paragraphs.stop - 1}"
            )

    def check_evidence(where: str, evidence: list[Cited]) -> None:
        for cited in evidence:
            check_paragraph(where, cited.paragraph)

    check_evidence("bottom_line", extraction.bottom_line.evidence)
    for n, point in enumerate(extraction.key_points):
        check_evidence(f"key_points.{n}", point.evidence)
    for n, finding in enumerate(extraction.findings):
        check_evidence(f"findings.{n}", finding.evidence)
    for n, position in enumerate(extraction.positions):
        check(f"positions.{n}.actor_id", position.actor_id)
        check_evidence(f"positions.{n}", position.evidence)
    for n, claim in enumerate(extraction.disputed_claims):
        for actor_id in claim.asserted_by:
            check(f"disputed_claims.{n}.asserted_by", actor_id)
        for actor_id in claim.disputed_by:
            check(f"disputed_claims.{n}.disputed_by", actor_id)
        check_evidence(f"disputed_claims.{n}", claim.evidence)
        check_evidence(f"disputed_claims.{n}.rebuttal", claim.rebuttal)
    for n, quote in enumerate(extraction.quotes):
        check(f"quotes.{n}.speaker_id", quote.speaker_id)
        check_paragraph(f"quotes.{n}", quote.paragraph)
    for n, fact in enumerate(extraction.facts):
        check(f"facts.{n}.attributed_to", fact.attributed_to)
        check_evidence(f"facts.{n}", fact.evidence)
    for n, event in enumerate(extraction.events):
        check_evidence(f"events.{n}", event.evidence)
    return errors


class SourcedCited(Cited):
    source: str = Field(description="Id of the source the excerpt is from.")


class ExtractedAccount(SourcedCited):
    says: str = Field(description="What this source reports on the point, in a short clause.")


class ExtractedSourceDispute(Strict):
    subject: str = Field(description="The point on which the sources' accounts differ.")
    accounts: list[ExtractedAccount] = Field(
        description="One account per source that reports the point, each with a verbatim excerpt."
    )


class SynthesisPoint(Strict):
    text: str = Field(description="One plain sentence.")
    evidence: list[SourcedCited] = Field(
        description="Where the sentence rests: source, paragraph and a short verbatim excerpt, "
        "taken from the evidence in the input."
    )


class Synthesis(Strict):
    """The second-stage reply when a briefing has several chunks or sources: the headline parts,
    written from what each part said mattered and the merged items, and where the sources'
    accounts differ."""

    title: str = Field(description="A neutral headline for the whole briefing.")
    bottom_line: SynthesisPoint = Field(
        description="What a busy reader must know, in at most about 50 words, with its evidence."
    )
    key_points: list[SynthesisPoint] = Field(
        description="Three to seven key points across all parts and sources, most important "
        "first, each with its evidence."
    )
    source_disputes: list[ExtractedSourceDispute] = Field(
        description="Points where one source's account contradicts or differs from another's (a "
        "figure, a date, who said or did what, how something is characterised). Empty when "
        "there is one source or the sources agree."
    )
    same_actors: list[list[str]] = Field(
        description="Groups of actor ids that are the same real-world actor under different "
        "names (one source names an agency, another only describes it). Each group lists two or "
        "more ids from the extraction, the one whose name to keep first. Empty when every actor "
        "is listed once."
    )

    @model_validator(mode="after")
    def _accounts_cite_known_sources(self, info: ValidationInfo) -> Synthesis:
        context = info.context if isinstance(info.context, dict) else {}
        sources, actors = context.get("sources"), context.get("actors")
        errors = []
        grouped: list[str] = []
        for n, group in enumerate(self.same_actors):
            if len(set(group)) < 2:
                errors.append(f"same_actors.{n}: a group needs two or more different actor ids")
            for actor_id in group:
                if actors is not None and actor_id not in actors:
                    errors.append(f"same_actors.{n}: '{actor_id}' is not an actor id of the extraction")
                if actor_id in grouped:
                    errors.append(f"same_actors.{n}: '{actor_id}' is in more than one group")
                grouped.append(actor_id)
        cited: list[tuple[str, SourcedCited]] = [
            (f"bottom_line.evidence.{m}", e) for m, e in enumerate(self.bottom_line.evidence)]
        for n, point in enumerate(self.key_points):
            cited += [(f"key_points.{n}.evidence.{m}", e) for m, e in enumerate(point.evidence)]
        for n, dispute in enumerate(self.source_disputes):
            if len({a.source for a in dispute.accounts}) < 2:
                errors.append(f"source_disputes.{n}: a dispute needs accounts from at least two sources")
            cited += [(f"source_disputes.{n}.accounts.{m}", a) for m, a in enumerate(dispute.accounts)]
        for where, item in cited if sources is not None else []:
            if item.source not in sources:
                errors.append(f"{where}.source: '{item.source}' is not one of the sources ({', '.join(sources)})")
            elif not 1 <= item.paragraph <= sources[item.source]:
                errors.append(f"{where}.paragraph: {item.source} has paragraphs 1 to {sources[item.source]}")
        if errors:
            raise ValueError("; ".join(errors))
        return self


# ------------------------------------------------------------------ the briefing

#: What the program found when it checked an item against the source (see grounding.py).
CheckStatus = Literal["verified", "approximate", "unsupported", "unchecked"]
Attribution = Literal["confirmed", "flagged", "unchecked"]
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
    evidence: list[Evidence]  # type: ignore[assignment]


class DisputedClaim(ExtractedClaim):
    evidence: list[Evidence]  # type: ignore[assignment]
    rebuttal: list[Evidence] = Field(default_factory=list)  # type: ignore[assignment]


class Point(Strict):
    """A sentence at the top of the briefing (bottom line, key point) with the evidence it rests
    on, checked like any other."""

    text: str
    evidence: list[Evidence] = Field(default_factory=list)
    figure_status: CheckStatus = Field(
        "unchecked", description="Whether every number the text writes in digits is in a cited paragraph.")


class Finding(ExtractedFinding):
    evidence: list[Evidence]  # type: ignore[assignment]


class Quote(Located, ExtractedQuote):
    source: str
    attribution: Attribution = "unchecked"
    also_in: list[Evidence] = Field(default_factory=list, description="The same words in other sources.")


class Fact(ExtractedFact):
    evidence: list[Evidence]  # type: ignore[assignment]
    figure_status: CheckStatus = "unchecked"


class Event(ExtractedEvent):
    evidence: list[Evidence]  # type: ignore[assignment]
    date_status: CheckStatus = "unchecked"


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


class GroundingReport(Strict):
    """Counts over the whole briefing; the per-item status is on each item."""

    mode: GroundingMode = "off"
    excerpts: StatusCounts = StatusCounts()
    figures: StatusCounts = StatusCounts()
    dates: StatusCounts = StatusCounts()
    attributions_flagged: int = 0
    attributions_unchecked: int = 0
    uncited: int = Field(0, description="Items that cite no evidence at all (each unsupported).")
    corrected_paragraphs: int = 0

    @property
    def summary(self) -> str:
        """One line a reader can trust at a glance: every count adds up, and what could not be
        checked is named."""
        if self.mode == "off":
            return "Not checked against the source (grounding off)."
        e, f, d = self.excerpts, self.figures, self.dates
        parts = [f"{e.verified} of {e.checked} excerpts and quotes verified verbatim, "
                 f"{e.approximate} approximate, {e.unsupported} unsupported"]
        parts.append(f"{f.verified} of {f.checked} figures and {d.verified} of {d.checked} dates "
                     "found in their paragraphs")
        unchecked = [f"{n} {word}{'s' * (n != 1)}" for n, word in (
            (f.unchecked, "figure"), (d.unchecked, "date"), (e.unchecked, "excerpt"),
            (self.attributions_unchecked, "attribution")) if n]
        if unchecked:
            listed = ", ".join(unchecked[:-1]) + (" and " if len(unchecked) > 1 else "") + unchecked[-1]
            parts.append(f"{listed} could not be checked")
        if self.uncited:
            parts.append(f"{self.uncited} item{'s' * (self.uncited != 1)} cite{'s' * (self.uncited == 1)} "
                         "no evidence")
        if self.attributions_flagged:
            parts.append(f"{self.attributions_flagged} quote attribution"
                         f"{'s' * (self.attributions_flagged != 1)} flagged")
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
    origin: str | None
    url: str | None = Field(None, description="The page's address, if known (rendered as a link "
                            "only when it is http or https).")
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

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{name: getattr(self, name) + getattr(other, name) for name in Usage.model_fields})

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def made(self) -> int:
        """Calls sent to the model in this run."""
        return self.calls - self.replayed

    def replayed_part(self) -> Usage:
        """The calls answered from recordings, as a usage of their own."""
        return Usage(calls=self.replayed, replayed=self.replayed, prompt_tokens=self.replayed_prompt_tokens,
                     completion_tokens=self.replayed_completion_tokens,
                     cached_tokens=self.replayed_cached_tokens)

    def made_part(self) -> Usage:
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
    findings: list[Finding] = Field(default_factory=list)
    actors: list[Actor]
    positions: list[Position]
    disputed_claims: list[DisputedClaim]
    quotes: list[Quote]
    facts: list[Fact]
    events: list[Event]
    source_disputes: list[SourceDispute] = Field(default_factory=list)
    sources: list[Source]
    usage: Usage
    model: str
    prompt_version: str
    grounding: GroundingReport = GroundingReport()
    cost: Cost | None = None

    @model_validator(mode="before")
    @classmethod
    def _points_of_format_1(cls, data: Any) -> Any:
        """A briefing saved before points carried evidence still loads: its sentences become
        points with no evidence (so they count as unchecked, never as verified)."""
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
