"""Attribution that reads like a person: a quote is confirmed for a speaker when the article
attributes those words to that actor, by a name, an alias or a role the article uses for them,
next to a verb of saying in the quote's own sentence ("…," Zelensky said), or as the subject the
sentence reports ("Putin had told Scholz that … “new territorial realities”"). With two
speakers in a paragraph, the one whose sentence holds the quote. Only a quote that its own
sentence attributes to nobody (a pronoun, a paragraph that is all quote, a speaker introduced
by role and named in the next paragraph) looks to the neighbouring paragraphs."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..core.models import Actor, Attribution
from .sentences import sentence_around
from .speech import SPEECH as _SPEECH, word_after, words
from .text import Source, matching_text

#: Pronouns that may be the one speaking ("he said", "sagte er", "dit-elle").
_PRONOUNS = frozenset("he she they er sie il elle ils elles él ella lui lei".split())
_PERSONAL = frozenset("he she er il elle él ella lui lei".split())
_QUOTATION = re.compile(r"“[^“”]*?(?:”|’’|\"|(?=“)|$)|\"[^\"]*\"|«[^»]*»|„[^“”]*[“”]")
_OPENING_QUOTE = re.compile(r"[“„«‘]|(?<![\w.,!?])[\"']")
#: Actors as (id, names, proper names), hashable: proper names are a person's one-word names
#: that count only as written with a capital ("He" of Liu He, "May" of Theresa May).
Cast = tuple[tuple[str, frozenset[str], frozenset[str]], ...]
#: Words a one-word name may also be, that a capital at the start of a sentence cannot tell
#: from the name ("He said", "May I…", "Will…"): pronouns, articles, modal verbs, prepositions
#: and conjunctions of the six briefing languages.
_FUNCTION_WORDS = frozenset(
    "he she it we they i you him her his its our their me us them who may might will can shall must "
    "should would could do did does long so as at by in on of to for from with the a an and or but if "
    "no not all any some here there then than this that these those well still just also even only "
    "er sie es wir ihr ich du der die das den dem des ein eine und oder aber wie wo so auch noch nur "
    "il elle on nous vous ils elles lui le la les un une et ou mais de du des en au aux si ne pas "
    "él ella ello ellos ellas le lo los las el y o pero del al con por para sin se ya "
    "lei loro noi voi gli lo una e ma di da con per non "
    "ele ela eles elas nós os as um uma do da dos das em no na mas com por sem".split())
#: Characters between a name and its verb of saying: "Zelensky said", "said one Western diplomat".
NEAR = 40
#: Words at most between a quote and the attribution that splits it: '“A,” the official explains, “B.”'
SPLIT_QUOTE = 6


@lru_cache(maxsize=4096)
def _names(name: str, aliases: tuple[str, ...], role: str | None, kind: str) -> frozenset[str]:
    """Every way the article may name an actor: name, aliases, role, and a person's surname."""
    names = {name, *aliases, *([role] if role else [])}
    if kind == "person" and len(name.split()) > 1:
        names.add(name.split()[-1])
    cleaned = {re.sub(r"^(the|a|an|one) ", "", matching_text(n)) for n in names}
    return frozenset(n for n in cleaned if len(n) >= 2)


@lru_cache(maxsize=4096)
def _naming(names: frozenset[str]) -> re.Pattern[str]:
    """One pattern for all the names of an actor (a possessive "Putin's" included)."""
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?:'?s)?(?!\w)")


@lru_cache(maxsize=256)
def _namings(text: str, cast: Cast) -> tuple[tuple[int, int, str], ...]:
    """Every naming of every actor of the cast in a text in matching form (two actors' names may
    overlap), as the letters go: `namings` reads a paragraph's capitals too."""
    return tuple((m.start(), m.end(), actor_id) for actor_id, names, _ in cast if names
                 for m in _naming(names).finditer(text))


def namings(source: Source, paragraph: int, cast: Cast) -> tuple[tuple[int, int, str], ...]:
    """Every naming of an actor in a paragraph, where a person's one-word name that is also a
    word counts only where the article writes it as a name: "He" of Liu He is never "he", nor
    "May" of Theresa May "may"; one that is also a pronoun or a modal verb is not a name at the
    start of a sentence either ("He said…")."""
    key = ("namings", paragraph, cast)
    if key not in source.memo:
        normalised, base = source.paragraphs[paragraph]
        text, original = normalised.text, source.document.text
        proper = {actor_id: words for actor_id, _, words in cast}
        found = []
        for start, end, who in _namings(text, cast):
            word = text[start:end]
            if word in proper[who] or word[:-1] in proper[who]:
                at = base + normalised.origin[start]
                if not original[at].isupper() or (word in _FUNCTION_WORDS and _opens_sentence(original, base, at)):
                    continue
            found.append((start, end, who))
        source.memo[key] = tuple(found)
    return source.memo[key]  # type: ignore[return-value]


def _opens_sentence(original: str, paragraph_start: int, at: int) -> bool:
    before = original[paragraph_start:at].rstrip(" \t\n\"“„«‘'(—–-")
    return not before or before[-1] in ".!?:…"


@lru_cache(maxsize=4096)
def _proper(name: str, aliases: tuple[str, ...], kind: str) -> frozenset[str]:
    """A person's one-word names (its surname, its one-word aliases) written with a capital."""
    if kind != "person":
        return frozenset()
    words = [*([name.split()[-1]] if len(name.split()) > 1 else []), *(a for a in aliases if len(a.split()) == 1)]
    return frozenset(matching_text(w) for w in words if w[:1].isupper())


def _cast(actors: list[Actor]) -> Cast:
    """The actors as (id, names, proper names): hashable, so what is found in a paragraph is
    found once."""
    return tuple((a.id, _names(a.name, tuple(a.aliases), a.role, a.kind), _proper(a.name, tuple(a.aliases), a.kind))
                 for a in actors)


def _mentions(source: Source, paragraph: int, actors: list[Actor],
              skip: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, actor id) of every naming of an actor outside the quoted words."""
    return [m for m in namings(source, paragraph, _cast(actors)) if all(m[1] <= lo or m[0] >= hi for lo, hi in skip)]


def _view(source: Source, paragraph: int, cast: Cast) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    """A paragraph's namings outside its quotations, and who it has speaking (where, actor id)."""
    key = ("view", paragraph, cast)
    if key not in source.memo:
        source.memo[key] = _find_view(source, paragraph, cast)
    return source.memo[key]  # type: ignore[return-value]


def _find_view(source: Source, paragraph: int, cast: Cast) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    text, quoted = source.text(paragraph), _quotations(source, paragraph)
    found = [m for m in namings(source, paragraph, cast) if all(m[1] <= lo or m[0] >= hi for lo, hi in quoted)]
    return found, _attributions(text, found, 0, len(text), either_side=True, skip=quoted)


def _quotations(source: Source, paragraph: int) -> list[tuple[int, int]]:
    """Every quotation of the paragraph, in matching form: names inside a quotation are what
    someone said, not who said it."""
    key = ("quotations", paragraph)
    if key not in source.memo:
        source.memo[key] = _find_quotations(source, paragraph)
    return source.memo[key]  # type: ignore[return-value]


def _find_quotations(source: Source, paragraph: int) -> list[tuple[int, int]]:
    normalised, _ = source.paragraphs[paragraph]
    found = source.document.paragraph(paragraph)
    if not normalised.text or found is None:
        return []
    original = found.text
    return [(bisect_left(normalised.origin, m.start()), bisect_left(normalised.origin, m.end()))
            for m in _QUOTATION.finditer(original)]


def _attributions(text: str, mentions: list[tuple[int, int, str]], lo: int, hi: int, *,
                  either_side: bool, skip: list[tuple[int, int]] | None = None) -> list[tuple[int, str]]:
    """(where, actor id) for each verb of saying between lo and hi outside quotations: the name
    nearest before it ("Zelensky said"), or after it too where allowed ("said one diplomat")."""
    found = []
    for verb in _SPEECH.finditer(text, lo, hi):
        if any(a <= verb.start() < b for a, b in skip or []):
            continue  # a verb inside a quotation is what someone said
        # the nearest name, one before it rather than one as near after it ("Putin told Scholz"),
        # and of names ending there the longest ("western official", not "official")
        distances = [(verb.start() - end, 0, start - end, who) for start, end, who in mentions
                     if lo <= start and end <= verb.start()]
        subject = re.search(r"(\w+)\W*$", text[lo : verb.start()])
        if either_side and not (subject and subject.group(1) in _PRONOUNS):  # "he told Putin": Putin is told
            distances += [(start - verb.end(), 1, start - end, who) for start, end, who in mentions
                          if verb.end() <= start < hi]
        near = [d for d in distances if d[0] <= NEAR]
        if near:
            found.append((verb.start(), min(near)[3]))
    return found


def _attributed(text: str, mentions: list[tuple[int, int, str]], lo: int, hi: int, *,
                either_side: bool) -> set[str]:
    return {who for _, who in _attributions(text, mentions, lo, hi, either_side=either_side)}


def check_attribution(source: Source, speaker: Actor | None, actors: list[Actor], paragraph: int,
                      span: tuple[int, int] | None) -> Attribution:
    """Whether the article gives the quote at `span` (matching form, within the paragraph) to
    the speaker."""
    if speaker is None:
        return "unsupported"
    text = source.text(paragraph)
    if span is None:
        return "unchecked"
    mentions = _mentions(source, paragraph, actors, [span, *_quotations(source, paragraph)])
    first, last = sentence_around(source, paragraph, *span)
    next_quote = _next_quote(source, paragraph, span[1])
    if next_quote < last:
        last = next_quote
        introduces_next = _SPEECH.ending(text[span[1] : last])
        if introduces_next is not None and len(text[span[1] : span[1] + introduces_next].split()) > SPLIT_QUOTE:
            # '… in which people say, “I’m on meth.”' belongs to that next quote; but
            # '“A,” the official explains, “B.”' is one speaker's quote split by the attribution
            last = span[1] + introduces_next
    after = _attributed(text, mentions, span[1], last, either_side=True)
    said_before = _attributed(text, mentions, first, span[0], either_side=False)
    if after:
        return "verified" if speaker.id in after | said_before else "unsupported"
    pronoun = _pronoun_saying(text[first : span[0]]) or _pronoun_saying_after(text[span[1] : last])
    before = {who for start, _, who in mentions if first <= start < span[0]}
    if not pronoun and (said_before or before):
        return "verified" if speaker.id in (said_before or before) else "unsupported"
    return _from_context(source, speaker, actors, paragraph, span, pronoun)


def _pronoun_saying(text: str) -> str | None:
    """The first pronoun with a verb of saying after it ("he said", "she later told"), if any."""
    return next((w.group() for w in words(text)
                 if w.group() in _PRONOUNS and _SPEECH.after(text, w.end(), one_more_word=True) is not None), None)


def _pronoun_saying_after(text: str) -> str | None:
    """The first pronoun with a verb of saying next to it ("says he", "she said"), if any."""
    for word in words(text):
        for end in _SPEECH.ends(text, word.start()):
            pronoun = word_after(text, end)
            if pronoun is not None and pronoun.group() in _PRONOUNS:
                return pronoun.group()
        if word.group() in _PRONOUNS and _SPEECH.after(text, word.end()) is not None:
            return word.group()
    return None


def _from_context(source: Source, speaker: Actor, actors: list[Actor], paragraph: int,
                  span: tuple[int, int], pronoun: str | None) -> Attribution:
    """For a quote its own sentence gives to nobody by name. After a pronoun ("he says"): an
    actor (a person, for "he" or "she") the paragraph names before it, else the one before.
    Otherwise the paragraph's speaker (the last before the quote, else the next one); else whoever speaks in the paragraphs around it (two before: a quote
    may continue past a line of page clutter; one after: a role named further on) or is named
    in this paragraph or the one before."""
    cast = _cast(actors)
    seen = {n: _view(source, n, cast) for n in (paragraph, paragraph - 1, paragraph - 2, paragraph + 1)
            if n in source.paragraphs}
    here, said_here = seen[paragraph]
    if pronoun is not None:
        people = pronoun in _PERSONAL
        kinds = {a.id: a.kind for a in actors}
        for n in (paragraph, paragraph - 1, paragraph - 2):
            named = {who for start, _, who in seen.get(n, ([], []))[0]
                     if (n != paragraph or start < span[0]) and (not people or kinds.get(who) == "person")}
            if named:
                return "verified" if speaker.id in named else "unsupported"
        return "unsupported"
    earlier = [who for where, who in said_here if where < span[0]]
    text, quoted = source.text(paragraph), _quotations(source, paragraph)
    later = [who for where, who in said_here if where >= span[1] and not _introduces(text, where, quoted)]
    if earlier or later:  # the paragraph's speaker: the last one before, else the next one
        return "verified" if (earlier[-1:] or later[:1]) == [speaker.id] else "unsupported"
    around = {who for n, (_, said) in seen.items() if n != paragraph for _, who in said}
    named_close = {who for n in (paragraph, paragraph - 1) if n in seen for _, _, who in seen[n][0]}
    return "verified" if speaker.id in around | named_close else "unsupported"


def _introduces(text: str, verb_at: int, quoted: list[tuple[int, int]]) -> bool:
    """Whether the verb of saying at verb_at opens a quotation ('people say, “I’m on meth.”')."""
    verb = _SPEECH.match(text, verb_at)
    return verb is not None and any(0 <= start - verb.end() <= 3 for start, _ in quoted)


def _next_quote(source: Source, paragraph: int, local: int) -> int:
    """Where the next quotation opens after a point of the paragraph (matching form): a verb of
    saying beyond it belongs to that other quote."""
    normalised, base = source.paragraphs[paragraph]
    if local >= len(normalised.text):
        return len(normalised.text)
    original = source.document.text[base + normalised.origin[local] : base + normalised.origin[-1] + 1]
    opening = _OPENING_QUOTE.search(original)
    if opening is None:
        return len(normalised.text)
    cut = base + normalised.origin[local] + opening.start()
    return next((i for i in range(local, len(normalised.text)) if base + normalised.origin[i] >= cut),
                len(normalised.text))
