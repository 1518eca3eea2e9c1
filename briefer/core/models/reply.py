"""The reply contract: what the model is asked for. The JSON Schema of these models is sent as a
strict `response_format`, so every field is required (nullable instead of optional) and carries a
description the model reads; cross-references are checked here, so a dangling actor id is a
validation error fed back to the model like any schema error."""

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from .base import Strict

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


#: What `attributed_by` asks for, said once for quotes, positions and both sides of a claim.
ATTRIBUTED_BY = (
    "The article's own words, copied exactly, that give this to its actor: the speaker or holder "
    "with the verb, as the article writes them (e.g. 'Zelensky said', 'said one Western diplomat', "
    "'a Singapore-based spokesman for Google said', 'Putin had told Scholz'), from the paragraph "
    "of {what} or the one before, in the same sentence or the sentence that introduces it."
)


class ExtractedPosition(Strict):
    actor_id: str = Field(description="Id of the actor who holds this position.")
    stance: str = Field(
        description="What the actor holds, as a short clause without the actor's name, e.g. "
        "'urges Russia to withdraw and negotiate'."
    )
    attributed_by: str = Field(description=ATTRIBUTED_BY.format(what="its first excerpt"))
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
    attributed_by: str = Field(
        description=ATTRIBUTED_BY.format(what="the first evidence excerpt") + " For the asserting side.")
    evidence: list[Cited] = Field(description="The asserting side's words.")
    rebuttal_by: str | None = Field(
        description="The same for the disputing side, near the first rebuttal excerpt; null when "
        "the rebuttal is empty."
    )
    rebuttal: list[Cited] = Field(
        description="The disputing side's words; empty when nobody disputes the claim."
    )


class ExtractedQuote(Strict):
    """A quote by reference: where it starts and ends. The program cuts the words out of the
    article, so a quote is the source's own text by construction and cannot skip a word."""

    speaker_id: str = Field(description="Id of the actor who said it.")
    paragraph: int = Field(description="The [P#] number of the paragraph holding the quote.")
    begins: str = Field(
        description="The quote's first three to six words, copied exactly, without the opening "
        "quotation mark: enough to occur once in the paragraph."
    )
    ends: str = Field(
        description="The quote's last three to six words, copied exactly with the final "
        "punctuation, without the closing quotation mark."
    )
    attributed_by: str = Field(description=ATTRIBUTED_BY.format(what="the quote"))
    translation: str | None = Field(
        None, description="The quote in the reply's language, when the article is written in another "
        "(the words shown to a reader of the briefing; the anchors cut and check the original); null "
        "when the article is in the reply's language.")


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
    """The model's reading of one chunk. The model writes it compactly (compact.py: the schema
    sent is `ChunkReply`'s); it is expanded here into these items, which grounding, merging and
    rendering read. Cross-references are checked here, so that a dangling actor id is a
    validation error fed back to the model like any schema error."""

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

    @model_validator(mode="before")
    @classmethod
    def _from_compact(cls, data: Any) -> Any:
        from .compact import expand_extraction

        expanded, errors = expand_extraction(data)
        if errors:
            raise ValueError("; ".join(errors))
        return expanded

    @classmethod
    def wire_model(cls) -> type[BaseModel]:
        """What the model writes: the compact reply (compact.py), expanded into this on validation."""
        from .compact import ChunkReply

        return ChunkReply

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> "ChunkExtraction":
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
        for anchor in ("begins", "ends"):
            if not getattr(quote, anchor).strip():
                errors.append(f"quotes.{n}.{anchor} is empty; copy the quote's first and last words")
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
    def _accounts_cite_known_sources(self, info: ValidationInfo) -> "Synthesis":
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
