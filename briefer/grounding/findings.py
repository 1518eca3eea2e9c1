"""What failed the checks, said to the model so that it can act: one finding per line, by the
path of the item in the model's own reply and with the actor ids the model used (the merge
renames ids after names). Only what is contradicted (status "unsupported") is said: approximate
wording is close, marked and shown with the source's own words, and what could not be checked
("unchecked") is counted quietly; neither is ever sent back."""

from __future__ import annotations

from ..core.models import Briefing, Evidence
from .dates import parse_published


def grounding_problems(briefing: Briefing, ids: dict[str, str] | None = None) -> list[str]:
    """Findings as lines the model can act on; `ids` maps the briefing's actor ids back to the
    ones the model wrote."""
    ids = ids or {}
    problems: list[str] = []

    def excerpts(path: str, evidence: list[Evidence]) -> None:
        if not evidence:
            problems.append(f"{path}.evidence: cites nothing; give a verbatim excerpt of the paragraph "
                            "that supports it, or leave the item out")
        for n, e in enumerate(evidence):
            if e.status == "unsupported":
                problems.append(f"{path}.evidence.{n}.excerpt: {_why(e.source_words, e.paragraph)}")

    for name in ("positions", "disputed_claims", "facts", "events"):
        for n, item in enumerate(getattr(briefing, name)):
            excerpts(f"{name}.{n}", item.evidence)
            problems += [f"{name}.{n}.{note}" for note in getattr(item, "notes", [])]
    problems += _reading_problems(briefing)
    # The top: what it cites must be verbatim, and the numbers it states in its cited paragraphs.
    # (A point that cites nothing is marked unsupported, not sent back.)
    tops = [("bottom_line", briefing.bottom_line), *((f"key_points.{n}", p) for n, p in enumerate(briefing.key_points)),
            *((f"findings.{n}", f) for n, f in enumerate(briefing.findings))]
    for path, item in tops:
        if item.evidence:
            excerpts(path, item.evidence)
        if getattr(item, "figure_status", None) == "unsupported":
            problems.append(f"{path}.text: a number it states is in none of its cited paragraphs; "
                            "cite the paragraph that gives it")
    for n, claim in enumerate(briefing.disputed_claims):
        for m, e in enumerate(claim.rebuttal):
            if e.status == "unsupported":
                problems.append(f"disputed_claims.{n}.rebuttal.{m}.excerpt: {_why(e.source_words, e.paragraph)}")
    for n, dispute in enumerate(briefing.source_disputes):
        for m, account in enumerate(dispute.accounts):
            if account.status == "unsupported":
                problems.append(f"source_disputes.{n}.accounts.{m}.excerpt: not in paragraph {account.paragraph} "
                                f"of {account.source}; copy excerpts verbatim")
    problems += _quote_problems(briefing, ids)
    for n, fact in enumerate(briefing.facts):
        if fact.figure_status == "unsupported" and fact.evidence:
            cited = ", ".join(str(e.paragraph) for e in fact.evidence)
            stated = f"'{fact.figure}'" + (f" {fact.unit}" if fact.unit else "")
            problems.append(f"facts.{n}.figure: {stated} is not stated, with that unit or currency, in its "
                            f"cited paragraphs ({cited}); give the number as the article writes it")
    published = {s.id: s.date for s in briefing.sources}
    for n, event in enumerate(briefing.events):
        if event.date_status == "unsupported" and event.evidence:
            when = published.get(event.evidence[0].source)
            base = f" (published {when})" if when and parse_published(when) else ""
            problems.append(f"events.{n}.date: {event.date} is not what '{event.date_text}' names in its "
                            f"paragraphs, read against the publication date{base}; give the ISO date it "
                            "names (a month or a year for a span), or null")
    return problems


#: The field that holds an item's own words, by the list it is in.
_WORDS = {"key_points": "text", "findings": "statement", "positions": "stance", "disputed_claims": "claim",
          "facts": "statement", "events": "what"}


def _reading_problems(briefing: Briefing) -> list[str]:
    """Items whose own words say what their cited paragraphs contradict (reading.py)."""
    found = [("bottom_line", briefing.bottom_line)] if briefing.bottom_line.reading == "unsupported" else []
    found += [(f"{name}.{n}", item) for name in _WORDS for n, item in enumerate(getattr(briefing, name))
              if item.reading == "unsupported"]
    return [f"{path}.{_WORDS.get(path.split('.')[0], 'text')}: a number (its currency, unit, qualifier or what it "
            "counts) or a stance word it states is not what its cited paragraphs say; state it as they do"
            for path, _ in found]


def _quote_problems(briefing: Briefing, ids: dict[str, str]) -> list[str]:
    """A quote's anchors that cut nothing out, its attribution words, or (format 2) its words."""
    problems: list[str] = []
    for n, quote in enumerate(briefing.quotes):
        if quote.anchors is not None:
            problems.append(f"quotes.{n}.begins: {quote.anchors}")
        elif quote.notes:
            problems += [f"quotes.{n}.{note}" for note in quote.notes]
        elif quote.status == "unsupported":
            problems.append(f"quotes.{n}.text: {_why(quote.source_words, quote.paragraph)}")
        elif quote.attribution == "unsupported" and quote.begins is None:
            speaker = ids.get(quote.speaker_id, quote.speaker_id)
            problems.append(f"quotes.{n}.speaker_id: paragraph {quote.paragraph} does not give these words to "
                            f"'{speaker}'; name the actor the article attributes them to")
    return problems


def _why(source_words: str | None, paragraph: int) -> str:
    if source_words:
        flat = " ".join(source_words.split())
        return f"not verbatim: paragraph {paragraph} says “{flat}”, which means something else; copy the words exactly"
    return f"not found in paragraph {paragraph} or anywhere in the article; copy the words exactly, or leave it out"
