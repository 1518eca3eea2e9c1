"""briefer's own words in a template, as the briefing's language writes them: counts with their
plural form, a source's language named, and a sentence's one full stop."""

from __future__ import annotations

from typing import Any

import jinja2

from ..core import languages, typography
from .escaping import Escaped


@jinja2.pass_context
def count_of(context: Any, count: int, one: str, other: str) -> Escaped:
    """A count and the words it takes in the briefing's language, by CLDR's plural rule: "1 more
    item in the full inventory", "0 autre élément …" (French counts 0 as one)."""
    briefing = context.get("briefing")
    language = getattr(briefing, "language", None)
    said = languages.word(languages.plural(count, (one, other), language), language)
    return Escaped(f"{typography.number(count, language)} {said}")


@jinja2.pass_context
def language_name(context: Any, code: str) -> str:
    """A source's language named in the briefing's language: "(rédigé en anglais)"."""
    from ..core.locale_data import language_name as named

    return named(code, context["briefing"].language or languages.DEFAULT)


def stop(text: Any) -> Any:
    """A sentence's full stop, unless its last word ends in one ("F.A.S.", "Jr."): never ".."."""
    return text if str(text).rstrip().endswith((".", "!", "?", "…")) else text + "."
