"""Minimal replies in the reply contract's shape, for tests whose server answers anything valid.

One place to follow the contract (briefer/core/models.py: ChunkExtraction, Synthesis), so a change to
it is one edit here, not one in every test.
"""

from __future__ import annotations

from typing import Any


def point(text: str, *evidence: tuple[int, str]) -> dict[str, Any]:
    return {"text": text, "evidence": [{"paragraph": p, "excerpt": e} for p, e in evidence]}


def extraction(title: str = "t", **fields: Any) -> dict[str, Any]:
    """A valid extraction with one uncited key point and what `fields` give (a reply with nothing
    at all from an article of hundreds of words is hollow: asked again, then failed)."""
    return {"title": title, "bottom_line": point("b"), "key_points": [point("k")], "findings": [], "actors": [],
            "positions": [], "disputed_claims": [], "quotes": [], "facts": [], "events": [], **fields}


def synthesis(title: str = "T", **fields: Any) -> dict[str, Any]:
    """A valid synthesis with nothing in it, but what `fields` give."""
    return {"title": title, "bottom_line": {"text": "B", "evidence": []}, "key_points": [],
            "source_disputes": [], "same_actors": [], **fields}
