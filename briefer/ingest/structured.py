"""What a page states as schema.org structured data (JSON-LD) beyond its text: a fact-check's
verdict (`ClaimReview`), which pages show in a styled box the extractor drops as furniture."""

from __future__ import annotations

import html
import re
from typing import Any, Iterator

from ..core.bounded import embedded_json
from ..core.safety import one_line

#: A claim longer than this is cut: the verdict box quotes a statement, not a speech.
_MAX_CLAIM_CHARS = 1500
_WORD = re.compile(r"\w+")


def json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's `application/ld+json` scripts, nested ones included."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        data = embedded_json(script.text or "")
        if data is not None:
            yield from _objects(data)


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for item in data:
            yield from _objects(item)


def claim_reviews(tree: Any) -> list[str]:
    """Each fact-check verdict the page states, as article lines: the claim with who made it,
    then the rating ("Rating: False.")."""
    lines: list[str] = []
    for item in json_ld(tree):
        kinds = item.get("@type")
        if "ClaimReview" not in (kinds if isinstance(kinds, list) else [kinds]):
            continue
        rating = _rating(item.get("reviewRating"))
        claim = _text(item.get("claimReviewed"))[:_MAX_CLAIM_CHARS]
        if not rating or not claim:
            continue
        author = _name((item.get("itemReviewed") or {}).get("author") if isinstance(
            item.get("itemReviewed"), dict) else None)
        lines += [f"Claim reviewed{f', made by {author}' if author else ''}: {claim}", f"Rating: {rating}."]
    return lines


def with_verdicts(lines: list[str], verdicts: list[str]) -> list[str]:
    """The article with its fact-check verdicts first, unless its text already states them."""
    shown = _words(" ".join(lines))
    missing = [line for line in verdicts if _words(line) not in shown]
    return [*missing, *lines] if missing else lines


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _rating(rating: Any) -> str:
    if not isinstance(rating, dict):
        return ""
    named = _text(rating.get("alternateName") or rating.get("name"))
    if named:
        return named.rstrip(".")
    value, best, worst = (rating.get(k) for k in ("ratingValue", "bestRating", "worstRating"))
    if value is None:
        return ""
    scale = f" on a scale of {worst} to {best}" if best is not None and worst is not None else ""
    return _text(f"{value}{scale}")


def _name(author: Any) -> str:
    if isinstance(author, list):
        return ", ".join(filter(None, (_name(a) for a in author)))
    if isinstance(author, dict):
        return _text(author.get("name"))
    return _text(author)


def _text(value: Any) -> str:
    return one_line(html.unescape(str(value))) if isinstance(value, (str, int, float)) else ""
