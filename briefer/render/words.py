"""briefer's own words in a template, as the briefing's language writes them: counts with their
plural form, a source's language named, a sentence's one full stop, and the grounding line (or,
in a briefing meant to be forwarded, whether one plain line of provenance says enough)."""

from __future__ import annotations

from typing import Any

import jinja2

from ..core import languages, typography
from ..core.models import Briefing
from .escaping import Escaped


@jinja2.pass_context
def count_of(context: Any, count: int, one: str, other: str) -> Escaped:
    """A count and the words it takes in the briefing's language, by CLDR's plural rule: "1
    story", "0 autre élément" (French counts 0 as one)."""
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


def _report(briefing: Briefing) -> Any:
    """The grounding counts. A briefing saved before items were counted by outcome (format 2,
    not checked again) is counted from its marks as it loads."""
    report = briefing.grounding
    if report.mode != "off" and report.items.total == 0:
        from ..grounding.outcome import grounding_report

        report = grounding_report(briefing, report.mode)
    return report


def grounding_line(briefing: Briefing) -> str:
    """The grounding summary in the briefing's language."""
    return languages.grounding_line(_report(briefing), briefing.language)


def all_found(briefing: Briefing) -> bool:
    """Whether the check found every item it could check in its source: then a briefing meant
    to be forwarded says so in one plain line, and its tally ("8 not checked") and the run's
    cost stay with whoever ran it (stderr, the run log, the dossier)."""
    report = _report(briefing)
    return report.mode != "off" and report.items.unsupported == 0
