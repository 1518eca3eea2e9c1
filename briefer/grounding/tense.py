"""The tense of an article's own sentence, in the six briefing languages (text folded: lower
case, no accents): what decides whether a weekday or a date without a year lies ahead or
behind is the article's sentence, never the model's summary of it."""

from __future__ import annotations

import re

#: Words that put a sentence ahead ("will", "next", "wird", "sara").
FUTURE = re.compile(
    r"\b(will|shall|to be held|scheduled for|plans to|planned for|is due|are due|set to|upcoming|"
    r"expected to|next|coming|proximo|proxima|sera|prochain|prochaine|wird|werden|soll|sollen|nachste[nr]?|"
    r"kommende[nr]?|prossim[oa]|sara|va a|vai)\b")
_PAST = re.compile(
    r"\b(was|were|had|did|said|told|met|ago|last|earlier|yesterday|previous|[a-z]{3,}ed|"
    r"war|wurde|wurden|hatte|letzte[nr]?|"
    r"vergangene[nr]?|etait|fut|avait|dernier|derniere|fue|fueron|pasado|pasada|hace|fu|scorso|scorsa|"
    r"foi|foram|passado|passada)\b")


def clause_of(sentence: str, part: str) -> str:
    """The clause of a sentence that holds a part of it: "elections will be held on february 23"
    of "elections will be held on february 23, the commission said"."""
    at = sentence.find(part)
    start = max(sentence.rfind(c, 0, at) for c in ',;:“"«(') + 1
    ends = [i for c in ',;:”"»)' if (i := sentence.find(c, at + len(part))) >= 0]
    return sentence[start:min(ends, default=len(sentence))]


#: Words that put a clause in the past beyond doubt: a verb in "-ed" may be "scheduled", "planned".
_SURELY_PAST = re.compile(r"\b(was|were|had|did|ago|last|previous|war|wurde|wurden|hatte|etait|fut|avait|fue|fueron|"
                          r"fu|foi|foram)\b")


def year_tense(clause: str) -> str | None:
    """The tense that decides the year of a date written without one: only words that say it
    beyond doubt ("will be held on February 23", "was held on February 23")."""
    ahead, behind = bool(FUTURE.search(clause)), bool(_SURELY_PAST.search(clause))
    return None if ahead == behind else "future" if ahead else "past"


def tense(sentence: str) -> str | None:
    """"future" or "past" when the sentence's words say which, else None (either reading)."""
    ahead, behind = bool(FUTURE.search(sentence)), bool(_PAST.search(sentence))
    return None if ahead == behind else "future" if ahead else "past"


def sentence_of(text: str, part: str) -> str:
    """The sentence of a text that holds a part of it."""
    at = text.find(part)
    start = max(text.rfind(". ", 0, at), text.rfind("? ", 0, at), text.rfind("! ", 0, at)) + 1
    end = min((i for i in (text.find(". ", at), text.find("? ", at), text.find("! ", at)) if i >= 0), default=len(text))
    return text[start:end]
