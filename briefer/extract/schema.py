"""The JSON Schema sent to the model, made to pass OpenAI's strict structured outputs.

pydantic's schema is close but not acceptable as is: strict mode wants every property listed in
`required`, `additionalProperties: false` on every object and only a subset of keywords. The
rewrite is done here once, on pydantic's output, rather than by hand-written schemas that would
drift from the models that validate the reply.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from ..core.models.compact import wire_of

#: The keywords strict mode accepts and that this schema needs. Anything else pydantic emits
#: (title, default, format, numeric bounds, ...) is dropped.
ALLOWED_KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "enum", "const",
     "anyOf", "$ref", "$defs", "description"}
)


@cache
def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema rewritten for strict structured outputs: of the compact form the
    model writes, when the model reads one (core/models/compact.py)."""
    return _strict(wire_of(model).model_json_schema())


def response_format(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The Chat Completions `response_format` asking for `model` as strict JSON."""
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "strict": True, "schema": strict_json_schema(model)},
    }


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in ALLOWED_KEYWORDS:
            continue
        if key in ("properties", "$defs"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if out.get("type") == "object" or "properties" in out:
        out["required"] = list(out.get("properties", {}))
        out["additionalProperties"] = False
    if "$ref" in out and len(out) > 1:
        # Strict mode wants a bare $ref; pydantic adds the field's description beside it.
        out = {"$ref": out["$ref"]}
    return out
