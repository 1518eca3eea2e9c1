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

from .models import Chunk, ChunkExtraction, Document
from .resources import resource_dir
from .schema import response_format, strict_json_schema

Message = dict[str, str]
StructuredMode = Literal["json_schema", "json_object"]
EXTRACTION_SCHEMA_NAME = "chunk_extraction"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("prompts")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


@cache
def prompt_version() -> str:
    """The version of the prompts, recorded in every briefing (prompts/VERSION)."""
    return (resource_dir("prompts") / "VERSION").read_text(encoding="utf-8").strip()


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context).strip()


def article_marker(chunk: Chunk) -> str:
    """A delimiter code the article's own text cannot contain: a digest of that text."""
    return hashlib.sha256(chunk.text.encode("utf-8")).hexdigest()[:16]


def extraction_request(
    document: Document, chunk: Chunk, mode: StructuredMode = "json_schema"
) -> tuple[list[Message], dict[str, Any]]:
    """The messages and `response_format` of one extraction call.

    `json_schema` (strict structured outputs) is the default; `json_object` is the fallback for
    servers without it: plain JSON mode, with the schema given in the instructions instead, and
    the reply validated just the same.
    """
    schema = None
    if mode == "json_object":
        schema = json.dumps(strict_json_schema(ChunkExtraction), ensure_ascii=False)
    messages = [
        {"role": "system", "content": _render("extract.system.j2", schema=schema)},
        {
            "role": "user",
            "content": _render(
                "extract.user.j2", document=document, chunk=chunk, marker=article_marker(chunk)
            ),
        },
    ]
    if mode == "json_object":
        return messages, {"type": "json_object"}
    return messages, extraction_response_format()


def reask_message(errors: list[str], *, cut_off: bool = False) -> Message:
    """The follow-up that tells the model what was wrong with its reply."""
    return {"role": "user", "content": _render("reask.user.j2", errors=errors, cut_off=cut_off)}


@cache
def extraction_response_format() -> dict[str, Any]:
    return response_format(ChunkExtraction, EXTRACTION_SCHEMA_NAME)
