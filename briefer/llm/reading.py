"""A reply read into the value it stands for: parsed as JSON, a patch applied to the reply it
repairs, validated against the reply's model, or what is wrong with it, in sentences the model
can act on (briefer/llm/client.py sends them back)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import repair
from .stream import Completion, unfenced

T = TypeVar("T", bound=BaseModel)
MAX_ERRORS_IN_REASK = 20


def validated(ask: Any, completion: Completion, output: type[T],
               context: dict[str, Any] | None) -> tuple[str, Any, T | None, list[str], bool]:
    """A reply read: its text, the JSON (a patch applied), the validated value or what is wrong
    with it, and whether it was cut off."""
    content, errors, cut_off = completion.read()
    reply = None if errors else _parsed(content)
    if reply is not None and ask.patch is not None:
        reply, errors = _patched(ask, reply)
    value = None
    if not errors:
        try:
            value = output.model_validate(reply, context=context)
        except ValidationError as error:
            errors = describe_validation_error(error)
    return content, reply, value, errors, cut_off


def _parsed(content: str) -> Any:
    try:
        return json.loads(unfenced(content))
    except (ValueError, RecursionError):  # not JSON, or nested past what a parser can follow
        return None


def _patched(ask: Any, reply: Any) -> tuple[Any, list[str]]:
    """The reply a patch makes of the one it repairs, or what is wrong with the patch."""
    assert ask.patch is not None and ask.base is not None
    try:
        patch = ask.patch.model_validate(reply)
    except ValidationError as error:
        return None, [f"the patch: {e}" for e in describe_validation_error(error)]
    return repair.apply_patch(ask.base, patch), []


def describe_validation_error(error: ValidationError) -> list[str]:
    """pydantic's errors as short sentences the model can act on; a model-level check's
    several findings one by one, each with its own item path."""
    described: list[str] = []
    for item in error.errors(include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        if item["loc"]:
            described.append(f"{'.'.join(str(part) for part in item['loc'])}: {message}")
        else:
            described += [m if repair.item_of(m) else f"reply: {m}" for m in message.split("; ")]
    return described[:MAX_ERRORS_IN_REASK]
