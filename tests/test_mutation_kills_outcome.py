"""Every item's one outcome and the report's counts (grounding/outcome.py), case by case: each
check made on a fact, a claim and its rebuttal counts toward its outcome; a quote whose
speaker was contradicted, or not checked, is counted so; a point at the top whose number its
paragraphs lack is a failed figure; a corrected paragraph is counted; a dispute between the
sources with accounts cites something. Each case stands for mutants of the outcome's rule that the
grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.core.models import Briefing, ChunkExtraction, SourceDispute, Usage
from briefer.grounding import ground, not_checked, outcome
from briefer.grounding.outcome import grounding_report, uncited
from briefer.ingest import read_source
from briefer.merge.extractions import briefing_from_extraction

from .conftest import SEED, seed_reading


@pytest.fixture(scope="module")
def seed() -> Briefing:
    """The seed article's briefing, checked: every item verified but one not checked."""
    document = read_source(str(SEED))
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(seed_reading()), usage=Usage(),
                                     model="m", prompt_version="v")
    return ground(draft, [document])


# ------------------------------------------------------------------ each check counts


def test_a_fact_whose_figure_its_paragraphs_contradict_is_contradicted_though_its_excerpts_stand(
        seed: Briefing) -> None:
    fact = seed.facts[0]
    assert outcome(fact) == "verified"
    assert outcome(fact.model_copy(update={"figure_status": "unsupported"})) == "unsupported"


def test_a_point_at_the_top_whose_number_its_paragraphs_lack_is_contradicted_though_its_excerpts_stand(
        seed: Briefing) -> None:
    point = seed.key_points[0]
    assert outcome(point) == "verified" and point.figure_status == "unchecked"  # no number in digits
    assert outcome(point.model_copy(update={"figure_status": "unsupported"})) == "unsupported"


def test_a_claim_is_contradicted_by_its_own_excerpt_whatever_its_rebuttal_and_its_speaker(seed: Briefing) -> None:
    claim = seed.disputed_claims[0]  # attributed, with a rebuttal: everything verified
    assert claim.attributed_by and claim.rebuttal and outcome(claim) == "verified"
    wrong = claim.evidence[0].model_copy(update={"status": "unsupported"})
    assert outcome(claim.model_copy(update={"evidence": [wrong, *claim.evidence[1:]]})) == "unsupported"
    # and by its rebuttal's excerpt, or either side's speaker
    bad_rebuttal = claim.rebuttal[0].model_copy(update={"status": "unsupported"})
    assert outcome(claim.model_copy(update={"rebuttal": [bad_rebuttal]})) == "unsupported"
    assert outcome(claim.model_copy(update={"rebuttal_attribution": "unsupported"})) == "unsupported"


def test_whether_an_item_is_not_checked_is_its_outcome(seed: Briefing) -> None:
    fact = seed.facts[0]
    assert not not_checked(fact)
    assert not_checked(fact.model_copy(update={"figure_status": "unchecked"}))
    assert not not_checked(fact.model_copy(update={"figure_status": "unsupported"}))  # contradicted, not "not checked"


# ------------------------------------------------------------------ the report's counts


def test_the_report_counts_contradicted_and_unchecked_speakers_failed_figures_at_the_top_and_corrected_paragraphs(
        seed: Briefing) -> None:
    quotes = list(seed.quotes)
    quotes[0] = quotes[0].model_copy(update={"attribution": "unsupported"})
    quotes[1] = quotes[1].model_copy(update={"attribution": "unchecked"})
    quotes[3] = quotes[3].model_copy(update={"attribution": "unchecked"})
    # words that were not cut out have no speaker to check: not counted as a speaker not checked
    quotes[2] = quotes[2].model_copy(update={"status": "unsupported", "attribution": "unchecked"})
    points = list(seed.key_points)
    points[0] = points[0].model_copy(update={"figure_status": "unsupported"})
    points[1] = points[1].model_copy(update={"figure_status": "verified"})  # counted where it is stated
    moved = seed.facts[0].evidence[0].model_copy(update={"cited_paragraph": 99})
    facts = [seed.facts[0].model_copy(update={"evidence": [moved]}), *seed.facts[1:]]
    changed = seed.model_copy(update={"quotes": quotes, "key_points": points, "facts": facts})
    report = grounding_report(changed, "mark")
    before = grounding_report(seed, "mark")
    assert (report.attributions_flagged, report.attributions_unchecked) == (1, 2)
    assert (before.attributions_flagged, before.attributions_unchecked) == (0, 0)
    assert report.figures.unsupported == 1 and report.figures.verified == before.figures.verified
    assert report.corrected_paragraphs == 1


def test_a_dispute_between_the_sources_is_uncited_only_without_accounts(seed: Briefing) -> None:
    evidence = seed.facts[0].evidence[0]
    account = {**evidence.model_dump(), "says": "one account"}
    disputes = [SourceDispute.model_validate({"subject": "cited", "accounts": [account]}),
                SourceDispute(subject="uncited", accounts=[])]
    assert uncited(seed) == []
    assert [d.subject for d in uncited(seed.model_copy(update={"source_disputes": disputes}))] == ["uncited"]
