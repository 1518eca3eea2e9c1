"""The compact reply (briefer/core/models/compact.py): what the model writes is read into the
same items as before, so grounding, merging and rendering see no difference; what does not parse
is a finding with its item's path, which a repair patch can fix; a briefing of format 3 (the
reply contract before) still loads and checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from briefer.core.models import Briefing, ChunkExtraction
from briefer.core.models.compact import ChunkReply, expand_extraction
from briefer.llm.reading import describe_validation_error
from briefer.llm.repair import list_sections, patch_model, repairable

from .conftest import FIXTURES
from .test_schema import CONTEXT, VALID

COMPACT: dict[str, Any] = {
    "title": "Scholz calls Putin",
    "bottom_line": {"text": "Scholz spoke with Putin; Zelensky objected.", "evidence": ["2: spoke by phone"]},
    "key_points": [{"text": "They spoke.", "evidence": ["2: spoke by phone"]}],
    "findings": [],
    "actors": ["olaf-scholz | Olaf Scholz | person | Chancellor | Germany | Scholz",
               "vladimir-putin | Vladimir Putin | person |  |  | "],
    "positions": ["olaf-scholz | Russia should withdraw. | Scholz said | 2: spoke by phone"],
    "disputed_claims": [{"claim": "The call was Berlin's idea.", "status": "contested",
                         "asserted_by": ["vladimir-putin"], "attributed_by": "the Kremlin said",
                         "evidence": ["2: spoke by phone"],
                         "rebuttal": {"by": ["olaf-scholz"], "attributed_by": "Scholz denied",
                                      "evidence": ["2: spoke by phone"]}}],
    "quotes": ["olaf-scholz | 3: We talked … for an hour. | Scholz said"],
    "facts": ["Troops are deployed. | 11,000 | troops |  | 2: spoke by phone"],
    "events": ["2024-11-15 | this Friday | The call. | 1: this Friday"],
}
SEED = FIXTURES / "articles" / "scholz-putin-call.txt"
FORMAT_3 = FIXTURES / "briefings" / "scholz-putin-call.format3.json"


def test_the_compact_reply_is_valid_against_its_schema_and_reads_as_the_items_it_stands_for() -> None:
    ChunkReply.model_validate(COMPACT)
    assert ChunkExtraction.model_validate(COMPACT, context=CONTEXT) == ChunkExtraction.model_validate(VALID)


def test_an_unverified_claim_has_no_rebuttal_and_a_short_quote_may_be_given_whole() -> None:
    reply = dict(COMPACT, quotes=["olaf-scholz | 3: We talked | Scholz said"])
    reply["disputed_claims"] = [dict(COMPACT["disputed_claims"][0], status="unverified", rebuttal=None)]
    extraction = ChunkExtraction.model_validate(reply, context=CONTEXT)
    claim, quote = extraction.disputed_claims[0], extraction.quotes[0]
    assert (claim.disputed_by, claim.rebuttal_by, claim.rebuttal) == ([], None, [])
    assert (quote.paragraph, quote.begins, quote.ends) == (3, "We talked", "We talked")


@pytest.mark.parametrize(("path", "value", "finding"), [
    ("actors", ["olaf-scholz | Olaf Scholz | person", COMPACT["actors"][1]], "actors.0: 3 fields"),
    ("quotes", ["olaf-scholz | We talked … for an hour. | Scholz said"], "quotes.0: write 'speaker id | N:"),
    ("positions", ["olaf-scholz | Russia should withdraw. | Scholz said | spoke by phone"],
     "positions.0.evidence.0: 'spoke by phone' does not start with its paragraph number"),
    ("positions", ["olaf-scholz | Russia should withdraw."], "positions.0: write 'actor id | stance"),
    ("facts", ["Troops are deployed. | 11,000 | 2: spoke by phone"], "facts.0: write 'statement | figure | unit"),
    ("facts", ["Troops are deployed. | 11,000 | troops |  | spoke by phone"],
     "facts.0.evidence.0: 'spoke by phone' does not start with its paragraph number"),
    ("events", ["this Friday | The call. | 1: this Friday"], "events.0: write 'date | date as written | what"),
])
def test_a_line_that_does_not_parse_is_a_finding_on_its_item_that_a_patch_can_fix(
        path: str, value: Any, finding: str) -> None:
    broken = dict(COMPACT, **{path: value})
    with pytest.raises(ValidationError) as raised:
        ChunkExtraction.model_validate(broken, context=CONTEXT)
    errors = describe_validation_error(raised.value)
    assert any(e.startswith(finding) for e in errors), errors
    assert repairable(ChunkExtraction, broken, errors)


def test_a_position_with_several_excerpts_keeps_them_in_order() -> None:
    reply = dict(COMPACT, positions=["olaf-scholz | Russia should withdraw. | Scholz said | 2: spoke by phone | "
                                     "3: We talked"])
    position = ChunkExtraction.model_validate(reply, context=CONTEXT).positions[0]
    assert [(c.paragraph, c.excerpt) for c in position.evidence] == [(2, "spoke by phone"), (3, "We talked")]
    assert (position.actor_id, position.stance, position.attributed_by) == ("olaf-scholz", "Russia should withdraw.",
                                                                           "Scholz said")


def test_a_fact_and_an_event_are_lines_whose_empty_fields_are_null() -> None:
    """Their key names and nulls were a third of a fact's tokens: one line each, like a position."""
    reply = dict(COMPACT, facts=["Troops are deployed. | 11,000 |  | olaf-scholz | 2: spoke by phone | 3: We talked"],
                 events=[" | this Friday | The call. | 1: this Friday"])
    extraction = ChunkExtraction.model_validate(reply, context=CONTEXT)
    fact, event = extraction.facts[0], extraction.events[0]
    assert (fact.statement, fact.figure, fact.unit, fact.attributed_to) == ("Troops are deployed.", "11,000", None,
                                                                           "olaf-scholz")
    assert [(c.paragraph, c.excerpt) for c in fact.evidence] == [(2, "spoke by phone"), (3, "We talked")]
    assert (event.date, event.date_text, event.what) == (None, "this Friday", "The call.")


def test_a_patch_is_written_in_the_compact_form_too() -> None:
    sections = list_sections(ChunkExtraction)
    assert all(sections[name] is str for name in ("actors", "quotes", "positions", "facts", "events"))
    patch = patch_model(ChunkExtraction, ("actors", "quotes")).model_validate(
        {"actors": [], "quotes": [{"index": 0, "item": "olaf-scholz | 3: We talked | Scholz said"}], "remove": []})
    assert patch.quotes[0].item == "olaf-scholz | 3: We talked | Scholz said"  # type: ignore[attr-defined]


def test_every_fixture_answer_is_written_compactly() -> None:
    """The recordings hold what the model writes: the compact form, not the expanded one."""
    for path in sorted((FIXTURES / "answers").glob("*.p*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        ChunkReply.model_validate(data)
        assert expand_extraction(data)[1] == [], path.name


def test_a_briefing_of_format_3_loads_and_checks(run: Any, tmp_path: Path) -> None:
    old = Briefing.model_validate_json(FORMAT_3.read_text(encoding="utf-8"))
    assert old.format == 3 and old.prompt_version == "contract-2026-12-06" and old.quotes[0].begins
    result = run("check", FORMAT_3, SEED, "-o", tmp_path / "rechecked.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(old.grounding.summary.split(";")[0])
    rendered = run("render", tmp_path / "rechecked.json", "--template", "dossier")
    assert rendered.exit_code == 0 and "⚠" not in rendered.stdout
