"""Which quotes the short briefing shows: a speaker's own statement, whole, that stands on its
own words, by the actors the story turns on, near the lead (issue 22)."""

from __future__ import annotations

import re

from ..core.models import Briefing, Quote
from .choice import QUOTE_MAX_WORDS, QUOTE_MIN_WORDS, balanced, top_places

#: An attribution that gives the words through someone who recounts them ("recalled that he
#: said", "was known for telling others", "reportedly"): hearsay, not the speaker's own statement.
_HEARSAY = re.compile(r"\b(?:recall\w*|recount\w*|remember\w*|reportedly|known for|according to|quoted|"
                      r"heard|overheard|soll\w*|erinnert\w*|selon|aurait)\b", re.IGNORECASE)
#: Words whose referent the quote leaves outside its marks: "these two" anywhere, or "it", "this",
#: "they" ... as the first word ("I just want to know how these two came to Beijing").
_UNRESOLVED = re.compile(r"^\W*(?:(?:and|but|so) )?(?:it|this|that|these|those|they|them)\b|\b(?:these|those) (?:two|three|four|both)\b",
                         re.IGNORECASE)


#: Where a quote is broken by its attribution: a closing mark, a few words, an opening mark
#: ('…the investigation?’” Holmes testified. “Ambassador…', '…ourselves? ” she wrote. “The…').
_BROKEN = re.compile(r"\s*[”\"»]\s+[^“”\"«»„]{1,80}?[.,:;]\s[“\"«„]")


def statement(text: str) -> str:
    """A quote's first statement: up to where its attribution breaks it, else all of it. As an
    actor's line it is one statement, never two with the reporter's words between them (an editor
    found "… she wrote in her letter. …" inside Omar's line)."""
    broken = _BROKEN.search(text)
    return text[: broken.start()].rstrip() if broken else text


def shown(quote: Quote) -> str:
    """The words a reader is shown for a quote: its translation into the briefing's language when
    the article is in another (the model's, as every sentence it writes; the original was cut out
    of the article and checked), else the article's own. An English briefing of a German article
    showed both of its quotes in German (FAZ, fourth reading)."""
    return quote.translation or quote.text


def hearsay(quote: Quote) -> bool:
    """Whether the article gives these words through another's account of them."""
    return bool(quote.attributed_by and _HEARSAY.search(quote.attributed_by))


def unresolved(quote: Quote) -> bool:
    """Whether the quote leans on a referent outside its own words."""
    return bool(_UNRESOLVED.search(" ".join(quote.text.split())))


def whole(q: Quote) -> bool:
    """A statement begins as a sentence does; its end is often the article's, outside the marks
    ("... We are here to Get. It. OUT", the governor's own tweet, is whole)."""
    return q.text.strip().lstrip("“‘\"'«„")[:1].isupper()


def lesser(q: Quote) -> bool:
    """Shown only when no better quote is left: a fragment, words told by another or leaning on
    a referent outside them, a statement too long for a short briefing."""
    return not whole(q) or hearsay(q) or unresolved(q) or len(q.text.split()) > QUOTE_MAX_WORDS


def ranked_quotes(briefing: Briefing, quotes: list[Quote], scores: dict[str, int]) -> list[Quote]:
    """Statements, not phrases: whole sentences first, and of those the ones that stand as the
    speaker's own words on their own (an editor found "I'll put a bullet in her skull", which a
    staff member recalled, shown as the caller's words, and "how these two came to Beijing"
    without its two), then the ones a reader takes in at a glance (an editor found a
    two-sentence statement of 60 words too long for a short briefing, and it cost the briefing
    other lines); the best of each speaker before a second one (with several sources, a speaker
    from each first), speakers the story turns on first, then those the top cites, then the
    nearest the lead."""
    full = [q for q in quotes if len(q.text.split()) >= QUOTE_MIN_WORDS]
    places = top_places(briefing)

    ranked = sorted(full, key=lambda q: (lesser(q), not whole(q), hearsay(q) or unresolved(q),
                                         -scores.get(q.speaker_id, 0), (q.source, q.paragraph) not in places,
                                         q.paragraph))
    good = [q for q in ranked if not lesser(q)]
    first_of_each: dict[str, Quote] = {}
    for q in good:
        first_of_each.setdefault(q.speaker_id, q)
    rest = [q for q in ranked if q not in first_of_each.values()]
    return [*balanced(list(first_of_each.values()), [s.id for s in briefing.sources]), *rest]
