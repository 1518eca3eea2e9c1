"""What a reader relies on in a span of words: negations, numbers, names and polarity. Two
wordings that differ in any of these say different things, however close their letters are."""

from __future__ import annotations

import re

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot can't won't don't doesn't didn't isn't "
    "aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't without "
    "nicht kein keine keinen keiner nie niemals no nunca ningún ninguna ne pas jamais aucun "
    "aucune non mai nessuno nenhum nenhuma".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve dozen hundred thousand "
    "million billion trillion half quarter".split()
)
#: Capitalised words that start sentences, not names.
_COMMON = frozenset(
    "the a an this that these those he she it we they i you his her its our their but and or so "
    "if when while as at in on of for to by with from after before there here what who how why "
    "mr mrs ms dr".split()
)
_POLAR_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "anti")
_TOKEN = re.compile(r"[\w'’-]+")


def words(text: str) -> list[str]:
    """The words of a text as written (case kept), punctuation aside."""
    return _TOKEN.findall(text)


def _is_name(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _COMMON


def _fact_bearing(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    return lower in NEGATIONS or lower.endswith("n't") or any(c.isdigit() for c in word) \
        or lower in NUMBER_WORDS or _is_name(word)


def _polar(a: str, b: str) -> bool:
    """"possible" and "impossible", "acceptable" and "unacceptable"."""
    a, b = a.lower(), b.lower()
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and long[: len(long) - len(short)] in _POLAR_PREFIXES


def meaning_changes(said: str, source: str) -> list[str]:
    """The words that make `said` say something other than `source` (both original text):
    a negation, number or name added, dropped or replaced, or a word turned into its opposite."""
    from difflib import SequenceMatcher  # loaded only when two wordings differ

    left, right = words(said), words(source)
    matcher = SequenceMatcher(a=[w.lower() for w in left], b=[w.lower() for w in right], autojunk=False)
    changed: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "insert" and i1 in (0, len(left))):
            continue  # the same words, or the source's span running past the quote's ends
        ours, theirs = left[i1:i2], right[j1:j2]
        changed += [w for w in (*ours, *theirs) if _fact_bearing(w)]
        changed += [f"{a}/{b}" for a in ours for b in theirs if _polar(a, b) or _opposite(a, b)]
    return changed


#: Words that turn what follows them: an ellipsis that skips one changes the meaning.
_TURNING = re.compile(
    r"\b(?:den(?:y|ied|ies)|alleged(?:ly)?|may|might|could|rumou?rs?|fail(?:s|ed)?|less|false|"
    r"reportedly|supposedly|claim(?:s|ed)?|if|unless|except|but|only|hardly|barely|refus\w*|reject\w*|"
    r"dement\w*|niega\w*|bestreit\w*|angeblich|vermutlich|presunt\w*|supuest\w*|prétendu\w*)\b",
    re.IGNORECASE)


def skipped_changes(skipped: str) -> list[str]:
    """What an ellipsis may not skip: a negation, a number, a name, or a word that turns what
    follows ("denied", "allegedly", "may have", "rumours that", "fail to", "less", "false that")."""
    return [w for w in words(skipped) if _fact_bearing(w)] + _TURNING.findall(skipped)


_OPPOSITES = [
    ("support", "oppose"), ("supports", "opposes"), ("supported", "opposed"), ("supporting", "opposing"),
    ("for", "against"), ("agreed", "rejected"), ("agree", "reject"), ("agrees", "rejects"),
    ("accepted", "rejected"), ("accept", "reject"), ("accepts", "rejects"), ("approved", "rejected"),
    ("approve", "reject"), ("confirmed", "denied"), ("confirms", "denies"), ("confirm", "deny"),
    ("admitted", "denied"), ("won", "lost"), ("win", "lose"), ("wins", "loses"), ("rose", "fell"),
    ("rise", "fall"), ("increased", "decreased"), ("increase", "decrease"), ("more", "less"),
    ("more", "fewer"), ("guilty", "innocent"), ("allowed", "banned"), ("lifted", "imposed"),
    ("signed", "rejected"), ("passed", "failed"), ("true", "false"), ("yes", "no"),
]


def _opposite(a: str, b: str) -> bool:
    """"rose" and "fell", "supports" and "opposes", "agreed" and "rejected"."""
    pair = {a.lower(), b.lower()}
    return any(pair == {x, y} for x, y in _OPPOSITES)


def _negated(tokens: list[str]) -> bool:
    return sum(t in NEGATIONS or t.endswith("n't") for t in tokens) % 2 == 1


def disagree(a: str, b: str, figures_a: frozenset[float] = frozenset(),
             figures_b: frozenset[float] = frozenset()) -> bool:
    """Whether two statements about the same thing say opposite things: one negated and the
    other not, opposite stances or outcomes ("supports"/"opposes", "agreed"/"rejected"), a word
    and its opposite ("legal"/"illegal"), or different figures."""
    left = [w.lower().replace("’", "'") for w in words(a)]
    right = [w.lower().replace("’", "'") for w in words(b)]
    if _negated(left) != _negated(right):
        return True
    ours, theirs = set(left), set(right)
    for x, y in _OPPOSITES:
        if (x in ours - theirs and y in theirs - ours) or (y in ours - theirs and x in theirs - ours):
            return True
    if any(_polar(x, y) for x in ours - theirs for y in theirs - ours):
        return True
    return bool(figures_a and figures_b and figures_a != figures_b)


#: Words that carry no claim of their own: two statements may differ in these and say the same.
_FUNCTION_WORDS = frozenset(
    "the a an this that these those of to in on at by for from with as and or but its it their his her "
    "is are was were be been being has have had will would shall should can could do does did "
    "der die das ein eine einen dem den des und oder ist sind war wurde hat haben "
    "le la les un une des du de et ou est sont a ont été "
    "el los las unos unas del y o es son fue ha han "
    "il lo gli uno e è sono ha hanno "
    "o os as um uma do da dos das é são foi".split()
)
#: Words that hedge, qualify or bound a statement: one statement having them and the other not
#: changes what is claimed ("shelled the plant" / "allegedly shelled the plant").
_QUALIFIERS = frozenset(
    "allegedly reportedly apparently possibly probably perhaps maybe may might could would rumours rumors "
    "rumoured rumored claims claimed suspected unconfirmed about around nearly almost roughly some over "
    "under more less fewer most least only just at-least up to than partly partially largely mostly "
    "fail failed fails false untrue denied deny denies if unless".split()
)


def _stem(word: str) -> str:
    """A word without its commonest inflections, enough to see "supports"/"supported" as one."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w.lower() not in _FUNCTION_WORDS}


def content_words(text: str) -> set[str]:
    """A text's words that carry what it says, stemmed: function words aside."""
    return _content(text)


#: Hedges and turning words, as other stages read them.
QUALIFIERS, TURNING = _QUALIFIERS | {"initially", "first", "earlier", "once"}, _TURNING


def fact_bearing(word: str) -> bool:
    """Whether a word is one a reader relies on: a negation, a number or a name."""
    return _fact_bearing(word)


def same_statement(a: str, b: str) -> bool:
    """Whether two statements may be folded into one item: neither contradicts the other and one
    says all the other says, at most adding detail ("shelled the plant" / "shelled the nuclear
    plant"). A word replaced by another ("welcomes"/"condemns", "grew"/"shrank", "fair"/"rigged",
    "2023"/"2024"), or a hedge, qualifier, negation or number only one of them has, keeps them two:
    when unsure, both stay."""
    if disagree(a, b):
        return False
    left, right = _content(a), _content(b)
    if not (left <= right or right <= left):
        return False
    extra = left ^ right
    return not any(w in _QUALIFIERS or w in NEGATIONS or any(c.isdigit() for c in w) or w in NUMBER_WORDS
                   for w in extra)
