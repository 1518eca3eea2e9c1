"""Specification of `briefer.extract.schema` and of the reference checks in `ChunkExtraction`.

The strict-mode checker below is written from OpenAI's documented rules for strict structured
outputs, independently of `briefer.extract.schema`, so that the two cannot share a mistake.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import briefer.cli
from briefer.core.models import ChunkExtraction
from briefer.extract.schema import response_format, strict_json_schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# ------------------------------------------------------------- an independent checker

STRICT_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "$defs", "description",
}
MAX_OBJECT_DEPTH = 10
MAX_PROPERTIES = 5000
MAX_ENUM_VALUES = 1000
DEFS_PREFIX = "#/$defs/"


def is_object(node: dict[str, Any]) -> bool:
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    return "object" in types or "properties" in node


def strict_violations(schema: dict[str, Any]) -> list[str]:
    """Every way `schema` breaks OpenAI's strict structured outputs, one sentence each."""
    problems: list[str] = []
    defs = schema.get("$defs", {})
    properties = 0

    if schema.get("type") != "object" or "anyOf" in schema:
        problems.append("root: must be type object, not anyOf")

    def walk(node: Any, where: str) -> None:
        nonlocal properties
        if not isinstance(node, dict):
            problems.append(f"{where}: a schema must be an object")
            return
        for key in node:
            if key not in STRICT_KEYWORDS:
                problems.append(f"{where}: keyword {key!r} is not allowed")
        if "$ref" in node:
            ref = node["$ref"]
            if not (isinstance(ref, str) and ref.startswith(DEFS_PREFIX)
                    and ref[len(DEFS_PREFIX):] in defs):
                problems.append(f"{where}: $ref {ref!r} does not resolve to a $defs entry")
            if len(node) > 1:
                problems.append(f"{where}: $ref has sibling keywords {sorted(set(node) - {'$ref'})}")
        if is_object(node):
            names = list(node.get("properties", {}))
            properties += len(names)
            if node.get("additionalProperties") is not False:
                problems.append(f"{where}: additionalProperties must be false")
            required = node.get("required")
            if not isinstance(required, list) or sorted(required) != sorted(names):
                problems.append(f"{where}: required {required} must list exactly {names}")
        if "enum" in node:
            values = node["enum"]
            if len(values) > MAX_ENUM_VALUES:
                problems.append(f"{where}: enum has {len(values)} values")
            if not all(isinstance(v, str) for v in values):
                problems.append(f"{where}: enum values must all be strings")
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.properties.{name}")
        if "items" in node:
            walk(node["items"], f"{where}.items")
        for n, sub in enumerate(node.get("anyOf", [])):
            walk(sub, f"{where}.anyOf[{n}]")
        for name, sub in node.get("$defs", {}).items():
            walk(sub, f"$defs.{name}")

    walk(schema, "root")
    if properties > MAX_PROPERTIES:
        problems.append(f"{properties} properties in all, more than {MAX_PROPERTIES}")
    depth = object_depth(schema, defs, ())
    if depth > MAX_OBJECT_DEPTH:
        problems.append(f"objects nest {depth} deep, more than {MAX_OBJECT_DEPTH}")
    return problems


def object_depth(node: Any, defs: dict[str, Any], refs: tuple[str, ...]) -> int:
    """How many objects deep the schema nests, following $refs (a recursive one counts once)."""
    if not isinstance(node, dict):
        return 0
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
        name = ref[len(DEFS_PREFIX):]
        if name in refs or name not in defs:
            return 0
        return object_depth(defs[name], defs, (*refs, name))
    children = [*node.get("properties", {}).values(), *node.get("anyOf", [])]
    if "items" in node:
        children.append(node["items"])
    deepest = max((object_depth(child, defs, refs) for child in children), default=0)
    return deepest + (1 if is_object(node) else 0)


def obj(**properties: Any) -> dict[str, Any]:
    """A strict-valid object node with these properties."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


STRING = {"type": "string"}


# ------------------------------------------------------------- the checker itself


def test_checker_accepts_a_small_valid_schema():
    schema = obj(name=STRING, tags={"type": "array", "items": STRING}, child={"$ref": "#/$defs/C"})
    schema["$defs"] = {"C": obj(kind={"type": "string", "enum": ["a", "b"]})}
    assert strict_violations(schema) == []


def test_checker_reports_a_missing_additional_properties():
    schema = obj(name=STRING)
    del schema["additionalProperties"]
    assert any("additionalProperties" in p for p in strict_violations(schema))


def test_checker_reports_an_optional_property_missing_from_required():
    schema = obj(name=STRING, nickname=STRING)
    schema["required"] = ["name"]
    assert any("required" in p for p in strict_violations(schema))


@pytest.mark.parametrize("keyword, value", [("default", "x"), ("minLength", 1), ("format", "date")])
def test_checker_reports_a_keyword_strict_mode_does_not_allow(keyword, value):
    schema = obj(name={"type": "string", keyword: value})
    assert any(repr(keyword) in p for p in strict_violations(schema))


def test_checker_reports_a_dangling_ref():
    schema = obj(child={"$ref": "#/$defs/Missing"})
    schema["$defs"] = {}
    assert any("Missing" in p for p in strict_violations(schema))


def test_checker_reports_a_ref_with_sibling_keywords():
    schema = obj(child={"$ref": "#/$defs/C", "description": "a child"})
    schema["$defs"] = {"C": obj()}
    assert any("sibling" in p for p in strict_violations(schema))


def test_checker_reports_a_root_that_is_not_an_object():
    assert any("root" in p for p in strict_violations({"anyOf": [obj(), obj(a=STRING)]}))


def test_checker_reports_objects_nested_too_deep():
    schema = obj()
    for _ in range(MAX_OBJECT_DEPTH):
        schema = obj(inner=schema)
    assert any("deep" in p for p in strict_violations(schema))


def test_checker_reports_a_non_string_enum():
    assert any("enum" in p for p in strict_violations(obj(n={"enum": [1, 2]})))


# ------------------------------------------------------------- briefer's schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return strict_json_schema(ChunkExtraction)


def test_chunk_extraction_schema_meets_strict_structured_outputs(schema):
    assert strict_violations(schema) == []


def test_response_format_asks_for_the_strict_schema_by_name(schema):
    fmt = response_format(ChunkExtraction, "chunk_extraction")
    assert fmt == {
        "type": "json_schema",
        "json_schema": {"name": "chunk_extraction", "strict": True, "schema": schema},
    }


def test_nullable_fields_are_string_or_null_and_still_required(schema):
    claim = schema["$defs"]["CompactClaim"]
    assert {b.get("type", b.get("$ref")) for b in claim["properties"]["rebuttal"]["anyOf"]} == {
        "#/$defs/CompactRebuttal", "null"}
    assert "rebuttal" in claim["required"]


def test_the_schema_sent_is_the_compact_reply_with_every_field_described(schema):
    """The model writes the compact form (excerpts as 'N: words', actors and quotes as lines),
    and reads what each field means from the schema alone."""
    assert schema["properties"]["actors"]["items"] == {"type": "string"}
    assert schema["properties"]["quotes"]["items"] == {"type": "string"}
    assert schema["properties"]["facts"]["items"] == schema["properties"]["events"]["items"] == {"type": "string"}
    assert schema["$defs"]["CompactPoint"]["properties"]["evidence"]["items"] == {"type": "string"}

    def undescribed(node: Any, where: str) -> list[str]:
        found = []
        for name, prop in node.get("properties", {}).items():
            if "description" not in prop and "$ref" not in prop and name != "disputed_claims":
                found.append(f"{where}.{name}")
        return found

    missing = undescribed(schema, "reply")
    for name, node in schema["$defs"].items():
        missing += undescribed(node, name)
    assert missing == []


def test_briefer_schema_command_prints_the_strict_schema(schema):
    result = CliRunner().invoke(briefer.cli.main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == schema


def test_the_seed_recording_sent_the_schema_briefer_prints(schema):
    from .conftest import seed_recording

    recording = json.loads(seed_recording().read_text(encoding="utf-8"))
    sent = recording["request"]["body"]["response_format"]["json_schema"]["schema"]
    assert sent == schema


# ------------------------------------------------------------- reference validation

CITE = {"paragraph": 2, "excerpt": "spoke by phone"}
VALID: dict[str, Any] = {
    "title": "Scholz calls Putin",
    "bottom_line": {"text": "Scholz spoke with Putin; Zelensky objected.", "evidence": [CITE]},
    "key_points": [{"text": "They spoke.", "evidence": [CITE]}],
    "findings": [],
    "actors": [
        {"id": "olaf-scholz", "name": "Olaf Scholz", "kind": "person",
         "role": "Chancellor", "affiliation": "Germany", "aliases": ["Scholz"]},
        {"id": "vladimir-putin", "name": "Vladimir Putin", "kind": "person",
         "role": None, "affiliation": None, "aliases": []},
    ],
    "positions": [
        {"actor_id": "olaf-scholz", "stance": "Russia should withdraw.", "attributed_by": "Scholz said",
         "evidence": [CITE]},
    ],
    "disputed_claims": [
        {"claim": "The call was Berlin's idea.", "asserted_by": ["vladimir-putin"],
         "disputed_by": ["olaf-scholz"], "status": "contested", "attributed_by": "the Kremlin said",
         "evidence": [CITE], "rebuttal_by": "Scholz denied", "rebuttal": [CITE]},
    ],
    "quotes": [
        {"speaker_id": "olaf-scholz", "paragraph": 3, "begins": "We talked", "ends": "for an hour.",
         "attributed_by": "Scholz said"},
    ],
    "facts": [
        {"statement": "Troops are deployed.", "figure": "11,000", "unit": "troops",
         "attributed_to": None, "evidence": [CITE]},
    ],
    "events": [
        {"date": "2024-11-15", "date_text": "this Friday", "what": "The call.",
         "evidence": [{"paragraph": 1, "excerpt": "this Friday"}]},
    ],
}
CONTEXT = {"paragraphs": range(1, 4)}


def changed(path: str, value: Any) -> dict[str, Any]:
    """VALID with the item at a dotted path (list indexes as numbers) replaced by value."""
    data = copy.deepcopy(VALID)
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    target: Any = data
    for key in parents:
        target = target[key]
    target[last] = value
    return data


def test_the_valid_extraction_validates():
    ChunkExtraction.model_validate(VALID, context=CONTEXT)


@pytest.mark.parametrize(
    "path, value, named",
    [
        ("positions.0.actor_id", "nobody", "'nobody'"),
        ("disputed_claims.0.disputed_by", ["kremlin"], "'kremlin'"),
        ("quotes.0.speaker_id", "ghost", "'ghost'"),
        ("actors.1.id", "olaf-scholz", "'olaf-scholz'"),
        ("positions.0.evidence", [{"paragraph": 7, "excerpt": "x"}], "paragraph 7"),
    ],
    ids=[
        "position actor_id names no actor",
        "claim disputed_by names no actor",
        "quote speaker_id is unknown",
        "duplicate actor id",
        "evidence cites a paragraph outside the chunk",
    ],
)
def test_a_broken_reference_is_a_validation_error_naming_it(path, value, named):
    with pytest.raises(ValidationError) as excinfo:
        ChunkExtraction.model_validate(changed(path, value), context=CONTEXT)
    assert named in str(excinfo.value)


def test_without_context_paragraph_numbers_are_not_range_checked():
    ChunkExtraction.model_validate(changed("positions.0.evidence", [{"paragraph": 99, "excerpt": "x"}]))


def test_the_seed_answer_validates_against_the_seed_article_paragraphs():
    answer = json.loads((FIXTURES / "answers" / "scholz-putin-call.p1-21.json").read_text(encoding="utf-8"))
    ChunkExtraction.model_validate(answer, context={"paragraphs": range(1, 22)})
