"""How one item reads in a line of a briefing: a date in words and the article's own wording of it,
a figure as a phrase, an actor's role and aliases, whether a text names an actor already. Shared
by the short briefing's sections and the templates' filters (briefer/render/engine.py)."""

from __future__ import annotations

import re
from datetime import date as Date

from ..core.models import Actor, Event, Fact
from ..core.typography import punctuate
from ..grounding import figures_in
from . import names


def human_date(iso: str | None, language: str | None = None) -> str:
    """"2024-11-15" as "15 November 2024", "2022-12" as "December 2022", "2022" as is; in the
    briefing's language ("15 novembre 2024"), whatever the machine's locale."""
    from ..core.languages import date_words

    if not iso:
        return ""
    parts = iso.split("-")
    try:
        if len(parts) in (2, 3):
            d = Date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
            return date_words(d.year, d.month, d.day if len(parts) == 3 else None, language)
    except ValueError:
        pass
    return iso


_DATE_FILLER = {"in", "on", "at", "the", "of", "by", "since", "from", "during",  # and as de, fr, es write them
                "am", "im", "vom", "seit", "le", "du", "en", "depuis", "el", "de", "del", "desde"}


def date_note(event: Event, language: str | None = None) -> str:
    """The article's wording of a date when it says more ("this Friday"), never a repeat ("1991
    (1991)", "25 July 2019 (July 25th)", "14 February 2020 (Feb. 14)")."""
    said, shown = " ".join(event.date_text.split()), human_date(event.date, language)
    if not shown:
        return ""
    shown_words = set(re.findall(r"\w+", shown.casefold())) | _DATE_FILLER

    repeats = [re.sub(r"^(\d+)(?:st|nd|rd|th|er|e)$", r"\1", w) in shown_words  # a day's ordinal, a month cut short
               or len(w) >= 3 and any(s.startswith(w) for s in shown_words if s.isalpha())
               for w in re.findall(r"\w+", said.casefold())]
    return "" if all(repeats) else said


def figure_phrase(fact: Fact, language: str | None = None) -> str:
    """A figure read as a phrase: the statement when it holds the figure; otherwise the
    statement with the figure beside it, never the figure and its unit glued together."""
    statement = " ".join(fact.statement.split()).rstrip(".")
    if fact.figure.casefold() in statement.casefold() or (
        figures_in(fact.figure) and figures_in(fact.figure) <= figures_in(statement)
    ):
        return statement
    return f"{statement}{punctuate(':', language)} {fact.figure}"


def names_actor(text: str, actor: Actor) -> bool:
    """Whether a text already names the actor (by name, alias or surname, or the name without
    its title: "Trump's advisers" names "President Trump's advisers"), so that no line says
    "X suggested ..., according to X"."""
    folded = text.casefold()
    names = {actor.name, *actor.aliases}
    if actor.kind == "person" and len(actor.name.split()) > 1:
        names.add(actor.name.split()[-1])
    for name in (actor.name, *actor.aliases):
        said = name.split()
        names.update(" ".join(said[n:]) for n in range(1, len(said) - 1))  # two words or more
    return any(re.search(rf"\b{re.escape(n.casefold())}\b", folded) for n in names if len(n) > 2)


def role_line(actor: Actor, language: str | None = None) -> str:
    """Role and affiliation, kept apart: "German Chancellor; Social Democrats"; the kind of actor
    when the article gives neither (a name alone on a line reads as a heading)."""
    role = actor.role if actor.role and actor.role.casefold() not in actor.name.casefold() else None
    parts = [p for p in (role, actor.affiliation) if p and p.casefold() not in actor.name.casefold()]
    if len(parts) == 2 and names.says_again(parts[0], parts[1]):
        parts = parts[:1]
    if not parts:
        from ..core.languages import kind_word

        return kind_word(actor.kind, language)
    return f"{punctuate(';', language)} ".join(" ".join(p.split()) for p in parts)


def distinct_aliases(actor: Actor) -> list[str]:
    """Aliases without the name itself and without repeats that differ only in case."""
    seen = {actor.name.casefold()}
    kept = []
    for alias in actor.aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept
