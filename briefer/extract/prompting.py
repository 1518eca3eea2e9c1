"""The messages sent to the model, built from the Jinja templates in prompts/.

Static instructions come first and are byte-identical for every chunk and article (a provider's
prompt cache can reuse them); the article comes last, between markers derived from its own text,
so it stays data: an article cannot close a marker it cannot predict.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any, Literal

import jinja2
from pydantic import BaseModel

from ..core.models import Briefing, Chunk, ChunkExtraction, Document, Synthesis
from ..core.resources import resource_dir
from .schema import response_format, strict_json_schema

Message = dict[str, str]
StructuredMode = Literal["json_schema", "json_object"]
EXTRACTION_SCHEMA_NAME = "chunk_extraction"
SYNTHESIS_SCHEMA_NAME = "synthesis"
#: What the synthesis sees of each evidence: where it is and what it says, not the checks.
_EVIDENCE_FIELDS = {"source", "paragraph", "excerpt"}


@cache
def _environment() -> jinja2.Environment:
    from ..core.templating import environment

    return environment([str(resource_dir("prompts"))], {"keep_trailing_newline": False, "trim_blocks": True,
                                                        "lstrip_blocks": True, "autoescape": False},
                       "prompts", undefined=jinja2.StrictUndefined)


@cache
def prompt_version() -> str:
    """The version of the prompts, recorded in every briefing (prompts/VERSION)."""
    return (resource_dir("prompts") / "VERSION").read_text(encoding="utf-8").strip()


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context).strip()


def marker_for(text: str) -> str:
    """A delimiter code the delimited text cannot contain: a digest of that text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def extraction_request(
    document: Document, chunk: Chunk, mode: StructuredMode = "json_schema", language: str | None = None
) -> tuple[list[Message], dict[str, Any]]:
    """The messages and `response_format` of one extraction call; `language` is the reply's."""
    user = _render("extract.user.j2", document=document, chunk=chunk, marker=marker_for(chunk.text),
                   language=_language_line(language))
    return _request("extract.system.j2", user, ChunkExtraction, EXTRACTION_SCHEMA_NAME, mode)


def _language_line(language: str | None) -> str | None:
    """What the user message says about the reply's language; nothing for English, so the
    default request is the one every recording was made with."""
    if not language or language == "en":
        return None
    from ..core.languages import name

    return (f"Reply language: {name(language)}. Write every field in {name(language).split(' (')[0]}, "
            "except excerpts and quotes: those stay exactly as printed, in the article's language.")


def _request(
    system_template: str, user: str, output: type[BaseModel], name: str, mode: StructuredMode
) -> tuple[list[Message], dict[str, Any]]:
    """`json_schema` (strict structured outputs) is the default; `json_object` is the fallback for
    servers without it: plain JSON mode, with the schema given in the instructions instead, and
    the reply validated just the same."""
    schema = json.dumps(strict_json_schema(output), ensure_ascii=False) if mode == "json_object" else None
    messages = [
        {"role": "system", "content": _render(system_template, schema=schema)},
        {"role": "user", "content": user},
    ]
    if mode == "json_object":
        return messages, {"type": "json_object"}
    return messages, response_format(output, name)


def reask_message(errors: list[str]) -> Message:
    """The follow-up that tells the model what was wrong with its reply."""
    return {"role": "user", "content": _render("reask.user.j2", errors=errors)}


def cutoff_message(tokens: int, cuts: int, target: int, *, looping: bool) -> Message:
    """The follow-up after a cut-off reply (briefer/llm/cutoff.py): the cut noted, a more
    compact reply asked for."""
    return {"role": "user", "content": _render("cutoff.user.j2", tokens=f"{tokens:,}", cuts=cuts,
                                               target=f"{target:,}", looping=looping)}


def repair_message(items: list[dict[str, Any]], schema: str | None = None) -> Message:
    """The follow-up asking for a patch of the faulty items only (briefer/llm/repair.py)."""
    return {"role": "user", "content": _render("repair.user.j2", items=items, schema=schema)}


#: One part of a briefing as the synthesis sees it: the source, the chunk and its reading.
Part = tuple[Document, Chunk, ChunkExtraction]


def _part_summary(document: Document, chunk: Chunk, extraction: ChunkExtraction) -> dict[str, Any]:
    """What one chunk said mattered, with its citations given their source: so a central finding
    stated only in a late chunk of a long article reaches the synthesis as such."""

    def point(p: Any) -> dict[str, Any]:
        return {"text": p.text, "evidence": [{"source": document.id, **c.model_dump()} for c in p.evidence]}

    return {
        "source": document.id,
        "paragraphs": f"{chunk.first_paragraph}-{chunk.last_paragraph}",
        "bottom_line": point(extraction.bottom_line),
        "key_points": [point(p) for p in extraction.key_points],
    }


def synthesis_request(
    merged: Briefing, parts: list[Part], mode: StructuredMode = "json_schema", language: str | None = None,
    candidates: list[list[str]] | None = None,
) -> tuple[list[Message], dict[str, Any]]:
    """The messages and `response_format` of the synthesis call: what each part said mattered,
    then the merged items; `candidates`, pairs of actor ids whose names look like one name spelt
    two ways, are offered for `same_actors` (the request is unchanged when there are none)."""

    def items(objects: list[Any], fields: set[str]) -> list[dict[str, Any]]:
        def cites(evidence: list[Any]) -> list[dict[str, Any]]:
            return [e.model_dump(include=_EVIDENCE_FIELDS) for e in evidence]

        return [
            {**o.model_dump(include=fields),
             **({"evidence": cites(o.evidence)} if hasattr(o, "evidence") else {}),
             **({"rebuttal": cites(o.rebuttal)} if getattr(o, "rebuttal", None) else {})}
            for o in objects
        ]

    payload = {
        "parts": [_part_summary(*part) for part in parts],
        "findings": items(merged.findings, {"statement"}),
        "actors": [a.model_dump() for a in merged.actors],
        "positions": items(merged.positions, {"actor_id", "stance"}),
        "disputed_claims": items(merged.disputed_claims,
                                 {"claim", "asserted_by", "disputed_by", "status"}),
        "quotes": items(merged.quotes, {"speaker_id", "text", "source", "paragraph"}),
        "facts": items(merged.facts, {"statement", "figure", "unit", "attributed_to"}),
        "events": items(merged.events, {"date", "date_text", "what"}),
    }
    extraction = json.dumps(payload, ensure_ascii=False, indent=1)
    user = _render("synthesize.user.j2", sources=merged.sources, extraction=extraction,
                   marker=marker_for(extraction), language=_language_line(language),
                   candidates=json.dumps(candidates, ensure_ascii=False) if candidates else None)
    return _request("synthesize.system.j2", user, Synthesis, SYNTHESIS_SCHEMA_NAME, mode)
