"""Attribution by the article's own words. A quote, a position and each side of a claim carry
`attributed_by`: the words of the article that give it to its actor ("said Hill", "a
Singapore-based spokesman for Google said", "Putin had told Scholz"). Those words are the
evidence, so a name the model chose that the article does not use is no reason to flag.

One outcome, on evidence only:
- unsupported (contradicted): the words are not in the item's paragraph or the one before, are
  not next to it (its sentence, or the sentence that introduces it when its own sentence names
  no speaker), or have another actor of the reply speaking (a name close to their verb of saying);
- verified: they are there, next to it, and the one they have speaking is the holder (or the
  organisation the holder speaks for), or a description the reply's names do not cover;
- unchecked (not checked): they name an actor but not as the one who speaks ("told Scholz"),
  hold no verb of saying, or only a pronoun speaks.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..core.models import Actor, CheckStatus
from .attribution import NEAR, _attributions, _cast, _names, _quotations, namings
from .continued import quotation_opened
from .quotes import find_words
from .sentences import sentences as _sentences
from .speech import SPEAKER_AFTER as _SPEAKER_AFTER, VERBS as _VERBS, word_after, words
from .text import Source, matching_text

#: A name after one of these is what a description is of ("a spokesman for Google"), not a speaker.
_OF = re.compile(r"(?:\b(?:for|of|at|from|with|de|du|des|von|vom|der|del|della|di|da|do)|['’]s?)\s*$")
#: Pronouns that are the one speaking ("he said", "il a dit", "dit-il", "sagte er"), by where
#: they stand: not an article that looks like one ("ha detto il ministro").
_BEFORE_ONE_WORD_ON = frozenset("he she they it we i who which".split())  # "he later said"
_BEFORE = frozenset("er sie il elle ils elles él ella ellos lui lei loro".split())
_AFTER = frozenset("he she they it we er sie él ella lui lei loro".split())
_HYPHENATED = re.compile(r"(?:il|elle|ils|elles|t-il|t-elle)\b")
MIN_WORDS = 2
Outcome = tuple[CheckStatus, str | None]


def local_span(source: Source, paragraph: int, start: int, end: int) -> tuple[int, int]:
    """Document offsets as a span of the paragraph in matching form."""
    normalised, base = source.paragraphs[paragraph]
    return bisect_left(normalised.origin, start - base), bisect_left(normalised.origin, end - 1 - base) + 1


def _near(source: Source, actors: list[Actor], paragraph: int,
          span: tuple[int, int]) -> list[tuple[int, int, int, bool]]:
    """Where attribution words may stand, as (paragraph, start, end, proves) in matching form: the
    item's own sentence(s), and the sentence before it (in the paragraph before when the item
    opens its paragraph) when its own sentence has no named speaker; for a quotation's later
    paragraph, those of where the quotation opened too; and the sentence after it when the
    quotation that holds the item goes on into it (`_run_on`; `proves` is False where the
    words there cannot tell whose the item is)."""
    sentences = _sentences(source, paragraph)
    first = next((i for i, (lo, hi) in enumerate(sentences) if lo <= span[0] < hi), 0)
    last = next((i for i, (lo, hi) in enumerate(sentences) if lo < span[1] <= hi), len(sentences) - 1)
    lo, hi = sentences[first][0], sentences[max(first, last)][1]
    places = [(paragraph, lo, hi, True)]
    cast = _cast(actors)
    key = ("names a speaker", paragraph, lo, hi, span, cast)
    if key not in source.memo:
        text = source.text(paragraph)
        quoted = [*_quotations(source, paragraph), span]
        mentions = [m for m in namings(source, paragraph, cast) if all(m[1] <= a or m[0] >= b for a, b in quoted)]
        source.memo[key] = bool(_attributions(text, mentions, lo, hi, either_side=True, skip=quoted))
    if source.memo[key]:
        return places  # its own sentence names a speaker: the words must be there
    if first > 0:
        places.append((paragraph, *sentences[first - 1], True))
    elif paragraph - 1 in source.paragraphs:
        before = _sentences(source, paragraph - 1)
        if before:
            places.append((paragraph - 1, *before[-1], True))
        opened = quotation_opened(source, paragraph)
        if opened is not None:  # a quotation's later paragraph: where it opened, its speaker is named
            places += [place for place in _near(source, actors, *opened) if place not in places]
    after = max(first, last) + 1
    if after < len(sentences) and (proves := _run_on(source, paragraph, span, sentences[after][0])) is not False:
        places.append((paragraph, *sentences[after], bool(proves)))
    return places


def _run_on(source: Source, paragraph: int, span: tuple[int, int], following: int) -> bool | None:
    """Whether attribution words may stand in the sentence after the item (which starts at
    `following`): True when the quotation that holds the item runs on into it (“A. B,” she said:
    a quote of A alone is hers); None when that quotation ends where another one opens that
    sentence (“A. “B,” she said: the article's marks are broken, or two people speak in turn, so
    the words there cannot prove whose A is); False otherwise."""
    quotations = _quotations(source, paragraph)
    holder = next((q for q in quotations if q[0] <= span[0] < q[1]), None)
    if holder is None:
        return False
    if holder[1] > following + 1:
        return True
    # it ends at the stop before that sentence, the stop inside it or after it (“A.” “B or “A”. “B)
    ends_there = abs(holder[1] - following) <= 1 or not source.text(paragraph)[holder[1]:following].strip(" .!?…")
    if ends_there and any(abs(start - following) <= 1 for start, _ in quotations):
        return None
    return False


def _related(holders: list[Actor], actors: list[Actor]) -> set[str]:
    """The holders, and the actors a holder speaks for or that speak for it (named in the other's
    affiliation or role: "Kremlin spokesman Dmitry Peskov", "a spokesman for Google")."""
    def key(a: Actor) -> tuple[str, str, tuple[str, ...], str, str | None, str | None]:
        return a.id, a.name, tuple(a.aliases), a.kind, a.affiliation, a.role

    return set(_related_ids(tuple(h.id for h in holders), tuple(key(a) for a in actors)))


@lru_cache(maxsize=1024)
def _related_ids(holder_ids: tuple[str, ...], cast: tuple[tuple[str, str, tuple[str, ...], str, str | None, str | None], ...],
                 ) -> frozenset[str]:
    related = set(holder_ids)
    names = {i: _names(name, aliases, None, kind) for i, name, aliases, kind, _, _ in cast}
    about = {i: matching_text(f"{affiliation or ''} | {role or ''}") for i, _, _, _, affiliation, role in cast}
    for holder in holder_ids:
        if holder not in names:
            continue
        for other in names:
            if any(find_words(about[holder], n) >= 0 for n in names[other]) or \
                    any(find_words(about[other], n) >= 0 for n in names[holder]):
                related.add(other)
    return frozenset(related)


def _speakers(text: str, lo: int, hi: int, mentions: list[tuple[int, int, str]]) -> tuple[bool, set[str]]:
    """Whether the words hold a verb of saying with someone speaking (words before it, or after
    a verb that takes its speaker after it: not "noting that his country"), and whom they have
    speaking: every name close before a verb, else a name close after a verb that takes its
    speaker after it."""
    verbs = list(_VERBS.finditer(text, lo, hi))
    found: set[str] = set()
    subject = False
    for verb in verbs:
        before = {who for start, end, who in mentions if end <= verb.start() and verb.start() - end <= NEAR}
        after = {who for start, end, who in mentions if start >= verb.end() and start - verb.end() <= NEAR}
        takes_after = bool(_SPEAKER_AFTER.match(verb.group()))
        found |= before or (after if takes_after else set())
        subject = subject or bool(text[lo:verb.start()].strip(" ,")) or (takes_after and bool(text[verb.end():hi].strip()))
    return subject, found


def check_attributed(source: Source, actors: list[Actor], holder_ids: list[str], paragraph: int,
                     span: tuple[int, int], words: str | None) -> Outcome:
    """The outcome of an item's attribution words, and what is wrong when contradicted. `span`
    is the item (a quote, or an excerpt of its evidence) in matching form within `paragraph`."""
    said = matching_text(words or "").strip(" ,;:.")
    if len(said.split()) < MIN_WORDS:
        return "unsupported", ("attributed_by: give the article's words that give it to its actor, the "
                               "speaker or holder with the verb (e.g. 'Zelensky said')")
    places = _near(source, actors, paragraph, span)
    anywhere = False
    for number, lo, hi, proves in places:
        text = source.text(number)
        at = find_words(text, said, lo)
        anywhere = anywhere or find_words(text, said) >= 0
        if 0 <= at and at + len(said) <= hi:
            found = _naming(source, actors, holder_ids, number, at, at + len(said))
            return found if proves or found[0] != "verified" else ("unchecked", None)
    if anywhere or find_words(source.text(paragraph - 1), said) >= 0:
        return "unsupported", (f"attributed_by: “{words}” is not next to it; give the words of its own "
                               "sentence, or of the sentence that introduces it")
    return "unsupported", (f"attributed_by: “{words}” is not in paragraph {paragraph} or {paragraph - 1}; "
                           "copy the article's words exactly")


def _naming(source: Source, actors: list[Actor], holder_ids: list[str], paragraph: int, lo: int,
            hi: int) -> Outcome:
    """Found next to the item: whom do the words give it to?"""
    holders = [a for a in actors if a.id in holder_ids]
    if not holders:
        return "unchecked", None
    text = source.text(paragraph)
    quoted = _quotations(source, paragraph)
    # a naming the words cut counts ("Putin said" of "Vladimir Putin said")
    mentions = [m for m in namings(source, paragraph, _cast(actors))
                if lo < m[1] and m[0] < hi and all(m[1] <= a or m[0] >= b for a, b in quoted)
                and not _OF.search(text[max(lo, m[0] - 6):m[0]])]
    related = _related(holders, actors)
    named = {who for _, _, who in mentions}
    has_verb, speakers = _speakers(text, lo, hi, mentions)
    if speakers:
        if speakers & related:
            return "verified", None
        return "unsupported", _another(actors, sorted(speakers))
    if has_verb and not named and not _pronoun_speaks(text[lo:hi]):
        return "verified", None  # a description the reply's names do not cover
    return "unchecked", None


def _pronoun_speaks(text: str) -> bool:
    """Whether a pronoun is the one speaking, before its verb or after it ("he said", "said he",
    "dit-il")."""
    for word in words(text):
        if word.group() in _BEFORE_ONE_WORD_ON and _VERBS.after(text, word.end(), one_more_word=True) is not None:
            return True
        if word.group() in _BEFORE and _VERBS.after(text, word.end()) is not None:
            return True
        for end in _VERBS.ends(text, word.start()):
            after = word_after(text, end)
            if after is not None and after.group() in _AFTER:
                return True
            if text[end:end + 1] == "-" and _HYPHENATED.match(text, end + 1):
                return True
    return False


def _another(actors: list[Actor], ids: list[str]) -> str:
    """What is wrong, naming the actors the words have speaking (each one of `actors`: they are
    found by the actors' own names)."""
    name = {a.id: a.name for a in actors}
    names = ", ".join(name[i] for i in ids)
    return f"attributed_by: these words give it to {names}, not to the actor the item names"
