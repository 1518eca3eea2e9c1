"""Who said a claim's words, as a line of the briefing shows it: a side's names with the speaker
apart, the excerpt only where it is the speaker's own quoted words, and an unconfirmed claim put
to whose word it rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..core.models import Briefing, DisputedClaim, Evidence, Quote
from .choice import top_texts
from .names import in_sentence, lower_start, name_pattern


@dataclass
class Side:
    """One side of a claim as a line shows it: the actors on it, and which of them said the
    words shown (`speaker`), so that an excerpt is never printed after four names as if all
    four said it. With no speaker known among several, the words are the source's."""

    others: list[str]
    speaker: str | None
    #: The excerpt a line shows as words: the speaker's own, where the article quotes them, or the
    #: article's, for a side no actor holds. Reported speech shows no excerpt, only its citation:
    #: an editor read "Kristi Noem: “as proof that efforts”" as her words, where they were the
    #: reporter's ("Noem cited the backlash as proof that efforts ... are working").
    words: list[Evidence] = field(default_factory=list)


def _quotes_them(briefing: Briefing, actor_id: str, excerpt: Evidence) -> bool:
    """Whether the excerpt lies inside a quote of this actor: their own words, in the article's marks."""
    shown = " ".join(excerpt.excerpt.split()).casefold()
    return any(q.speaker_id == actor_id and q.source == excerpt.source and shown in " ".join(q.text.split()).casefold()
               for q in briefing.quotes)


def side(briefing: Briefing, actor_ids: list[str], said_by: str | None, words: list[Evidence] | None = None,
         attribution: str | None = "verified") -> Side:
    """The side's names, the one its words are attributed to apart: the actor the article's
    own attribution names ("Hege said") when the check found those words theirs, or the one
    whose quote holds the words shown. Else the words are the article's, not a speaker's: an
    editor read "Rudy Giuliani: “money paid to his son”" as Giuliani's words, where they were
    Volker's account of what Giuliani raised."""
    actors = [a for a in (briefing.actor(i) for i in actor_ids) if a is not None]
    if not actors:
        return Side([], None, list(words or []))
    speaker = next((a for a in actors if attribution == "verified" and said_by and (named := name_pattern(a))
                    and named.search(said_by.casefold())), None)
    if speaker is None and words:
        shown = " ".join(words[0].excerpt.split()).casefold()
        quoted_by = {q.speaker_id for q in briefing.quotes
                     if q.source == words[0].source and shown in " ".join(q.text.split()).casefold()}
        speaker = next((a for a in actors if a.id in quoted_by), None) if len(quoted_by) == 1 else None
    own = speaker is not None and bool(words) and _quotes_them(briefing, speaker.id, words[0])  # type: ignore[index]
    return Side([a.name for a in actors if a is not speaker], speaker.name if speaker else None,
                list(words or []) if own else [])


@jinja2.pass_context
def side_filter(context: Any, actor_ids: list[str], said_by: str | None = None, words: Any = None,
                attribution: str | None = None) -> Side:
    """The `side` filter of the templates: a claim's side in the briefing being rendered."""
    return side(context["briefing"], actor_ids, said_by, words, attribution)


@jinja2.pass_context
def names_itself(context: Any, q: Quote) -> bool:
    """Whether a quote's own words already say who said it: anchors may take in two quotations
    and the reporter's attribution between them (“…,” ISD spokesman Tahir Della told DW. “…”),
    and a "— Tahir Della" after that says it twice. Only when those words name the speaker by
    a proper name ("the same official explains" does not)."""
    by, speaker = q.attributed_by or "", context["briefing"].actor(q.speaker_id)
    surname = speaker.name.split()[-1] if speaker and speaker.name.split() else ""
    return (surname[:1].isupper() and " ".join(by.split()) in " ".join(q.text.split())
            and surname in by.replace("’", " ").replace("'", " ").split())


@jinja2.pass_context
def in_clause(context: Any, text: str) -> str:
    """A sentence of the model's as the rest of a clause ("According to X, as vice president,
    Biden ..."): its first word in lower case when the briefing writes that word so elsewhere."""
    briefing = context["briefing"]
    if briefing.language == "de":  # after "Laut X:" a sentence keeps its capital
        return text
    common = {w for t in (*top_texts(briefing), *(c.claim for c in briefing.disputed_claims),
                          *(p.stance for p in briefing.positions)) for w in t.split() if w.islower()}
    return lower_start(text, common | (_CLAUSE_WORDS if (briefing.language or "en") == "en" else set()))


@jinja2.pass_context
def said_by_others(context: Any, claim: DisputedClaim) -> list[str]:
    """Who an unconfirmed claim is according to, when its own words do not already name them
    ("American investigators suspect ..." needs no "According to American investigators")."""
    briefing = context["briefing"]
    actors = [a for a in (briefing.actor(i) for i in claim.asserted_by) if a is not None]
    if all((named := name_pattern(a)) is not None and named.search(claim.claim.casefold()) for a in actors):
        return []
    return [in_clause(context, in_sentence(a.name)) for a in actors]


#: English words that open a sentence and are never names ("As vice president, Biden ...",
#: "According to sources familiar with the matter").
_CLAUSE_WORDS = {"sources", "officials", "critics", "analysts", "experts", "people", "residents", "diplomats",
                 "a", "an", "the", "as", "in", "on", "at", "for", "with", "after", "before", "since", "if", "when",
                 "while", "despite", "although", "by", "from", "of", "to", "this", "that", "these", "those", "it",
                 "its", "there", "some", "many", "most", "all", "no", "more", "less", "his", "her", "their"}
