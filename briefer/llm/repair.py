"""Repairs, not re-runs: what is wrong goes back as the faulty items only, and the model answers
with a patch (corrected items by index, paths to remove) that the program applies to its first
reply. The request re-sends the instructions and the article (a provider's prompt cache serves
them), never the whole first reply.

A patch is a JSON object typed by the reply's own models, so strict structured outputs
constrain it like the first reply:

    {"quotes": [{"index": 2, "item": {...the whole corrected quote...}}], "remove": ["facts.4"]}
"""

from __future__ import annotations

import copy
import json
import re
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..core.models.compact import wire_of

#: An error or finding about one item starts with its path: "quotes.2.text: ...".
_ITEM_PATH = re.compile(r"^([a-z_]+)\.(\d+)\b")
PATCH_SCHEMA_SUFFIX = "_patch"


def item_of(error: str) -> tuple[str, int] | None:
    match = _ITEM_PATH.match(error)
    return (match.group(1), int(match.group(2))) if match else None


def list_sections(output: type[BaseModel]) -> dict[str, Any]:
    """The reply's list fields and the type of their items, as the model writes them: what a
    patch can change."""
    sections = {}
    for name, info in wire_of(output).model_fields.items():
        if typing.get_origin(info.annotation) is list:
            sections[name] = typing.get_args(info.annotation)[0]
    return sections


def repairable(output: type[BaseModel], reply: Any, errors: list[str]) -> bool:
    """A patch can fix these errors: the reply is a JSON object and every error names an item of
    one of its lists that the reply has."""
    if not isinstance(reply, dict) or not errors:
        return False
    sections = list_sections(output)
    for error in errors:
        where = item_of(error)
        if where is None or where[0] not in sections:
            return False
        items = reply.get(where[0])
        if not isinstance(items, list) or where[1] >= len(items):
            return False
    return True


@cache
def patch_model(output: type[BaseModel], sections: tuple[str, ...]) -> type[BaseModel]:
    """The patch's model for these sections of `output` (and "remove")."""
    item_types = list_sections(output)
    forbid = ConfigDict(extra="forbid")
    fields: dict[str, Any] = {}
    for name in sections:
        fix = create_model(
            f"{name}_fix", __config__=forbid,
            index=(int, Field(description=f"The item's index in {name} as shown; -1 adds a new item.")),
            item=(item_types[name], Field(description="The whole corrected item.")),
        )
        fields[name] = (list[fix], Field(description=f"Corrected or new items of {name}."))  # type: ignore[valid-type]
    fields["remove"] = (list[str], Field(description='Paths of items to drop, e.g. "quotes.2".'))
    return create_model(f"{output.__name__}{PATCH_SCHEMA_SUFFIX}", __config__=forbid, **fields)


def sections_for(output: type[BaseModel], errors: list[str]) -> tuple[str, ...]:
    """The sections the errors name, plus the actors when the reply has them (a correction may
    need an actor the first reply left out)."""
    named = {where[0] for e in errors if (where := item_of(e))}
    if "actors" in list_sections(output):
        named.add("actors")
    return tuple(sorted(named))


def faulty_items(reply: dict[str, Any], errors: list[str]) -> list[dict[str, Any]]:
    """Each faulty item once, as the reply gave it, with everything found wrong with it."""
    found: dict[tuple[str, int], list[str]] = {}
    for error in errors:
        where = item_of(error)
        assert where is not None
        found.setdefault(where, []).append(error)
    return [
        {"path": f"{section}.{index}",
         "item": json.dumps(reply[section][index], ensure_ascii=False, separators=(",", ":")),
         "problems": problems}
        for (section, index), problems in found.items()
    ]


def apply_patch(reply: dict[str, Any], patch: BaseModel) -> dict[str, Any]:
    """The reply with the patch applied: replacements by index, additions, then removals (from
    the highest index down, so that the indices the model saw stay right)."""
    patched = copy.deepcopy(reply)
    for section in type(patch).model_fields:
        if section == "remove":
            continue
        items = patched.setdefault(section, [])
        for fix in getattr(patch, section):
            value = fix.item.model_dump(mode="json") if isinstance(fix.item, BaseModel) else fix.item
            if 0 <= fix.index < len(items):
                items[fix.index] = value
            else:
                items.append(value)
    removals = sorted({where for path in patch.remove if (where := item_of(path))}, reverse=True)
    for section, index in removals:
        items = patched.get(section)
        if isinstance(items, list) and index < len(items):
            del items[index]
    return patched
