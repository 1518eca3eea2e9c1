"""How a story's actors are named in the briefing's sentences: whether a name is a person's,
the pattern that finds an actor in a text, and a name or sentence as it reads inside a clause."""

from __future__ import annotations

import re

from ..core.models import Actor

NOT_A_NAME = {"the", "a", "an", "another", "one", "some"}


def named_person(actor: Actor | None) -> bool:
    """A person the article names ("Carsten Fritsch", not "Weibo user" or "The columnist"):
    what such a person asserts and no one disputes is their say, plainly attributed, not an
    unconfirmed report."""
    words = actor.name.split() if actor is not None and actor.kind == "person" else []
    return bool(words) and words[0].casefold() not in NOT_A_NAME and all(w[:1].isupper() for w in words)


def name_pattern(actor: Actor) -> re.Pattern[str] | None:
    names = {actor.name, *actor.aliases}
    if named_person(actor) and len(actor.name.split()) > 1:  # "Fritsch", never "spokesman"
        names.add(actor.name.split()[-1])
    kept = [re.escape(n.casefold()) for n in names if len(n) > 2]
    return re.compile(rf"\b(?:{'|'.join(kept)})\b") if kept else None


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence or a list: a described one's article in lower case
    ("Donald Trump, the whistleblower", not "..., The whistleblower"; an editor's cosmetic)."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if rest and first.casefold() in NOT_A_NAME and first[:1].isupper() else name


def lower_start(text: str, common: set[str]) -> str:
    """A sentence's first word in lower case when the briefing writes that word in lower case
    elsewhere ("The rename ..." -> "the rename ..."), so it reads inside a clause; a name keeps
    its capital."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first.lower() in common and first[:1].isupper() else text


def says_again(role: str, affiliation: str) -> bool:
    """Whether an actor's role already gives their affiliation, whole or by its initials: "U.S.
    President; United States" told an editor the country twice."""
    initials = "".join(w[0] for w in affiliation.split() if w[:1].isupper())
    return affiliation.casefold() in role.casefold() or len(initials) > 1 and initials in {
        w.replace(".", "") for w in re.findall(r"[\w.]+", role)}
