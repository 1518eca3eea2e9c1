"""The item read against its evidence, not only its excerpts against the source: every number
the item's own text states, with its currency, unit, qualifier ("more than", "fewer than",
"about") and what it counts, its negation, its stance words and its names, compared with what
its cited paragraphs say. One outcome, precision first:
- unsupported (contradicted): positive evidence of an error: the paragraphs count the same thing
  with another number ("15 troops" over "Fifteen hundred troops", "100 dead" over "100 were
  injured and 3 dead"), state the number in another currency ("15 billion dollars" over
  "15 billion euros"), with the opposite qualifier ("more than" over "Fewer than"), or say the
  opposite stance word ("opposes" over "supports");
- unchecked (not checked): something the item states that the paragraphs cannot be compared
  with (a number they do not state, a qualifier or a negation they do not have, a name they do
  not use, most of its words absent);
- verified: everything it states that can be compared agrees.
A number that is part of a name ("Phase 1", "G7", "COVID-19", "Boeing 737") is no figure."""

from __future__ import annotations

import re

from ..core.models import CheckStatus
from .dates import MONTHS, fold
from .figures import Quantity, quantities
from .meaning import NEGATIONS, words

#: Stance and direction words and their opposites ("welcomes"/"condemns", "grew"/"shrank").
_OPPOSITES = [
    ("support", "oppose"), ("supports", "opposes"), ("supported", "opposed"), ("backs", "opposes"),
    ("backed", "opposed"), ("backs", "fights"), ("welcomes", "condemns"), ("welcomed", "condemned"),
    ("welcome", "condemn"), ("agreed", "rejected"), ("agrees", "rejects"), ("accepted", "rejected"),
    ("accepts", "rejects"), ("approved", "rejected"), ("approves", "rejects"), ("confirmed", "denied"),
    ("confirms", "denies"), ("admitted", "denied"), ("admits", "denies"), ("won", "lost"), ("wins", "loses"),
    ("rose", "fell"), ("rises", "falls"), ("grew", "shrank"), ("grows", "shrinks"), ("increased", "decreased"),
    ("increases", "decreases"), ("guilty", "innocent"), ("allowed", "banned"), ("lifted", "imposed"),
    ("fair", "rigged"), ("legal", "illegal"), ("true", "false"), ("praised", "criticised"),
    ("praised", "criticized"), ("praises", "criticises"), ("praises", "criticizes"), ("favours", "opposes"),
    ("favors", "opposes"), ("open", "closed"), ("willing", "unwilling"), ("possible", "impossible"),
]
_OPPOSITE = {**{a: b for a, b in _OPPOSITES}, **{b: a for a, b in _OPPOSITES}}
#: Capitalised words that start sentences or are common, not names.
_NOT_NAMES = frozenset(
    "the a an this that these those he she it we they i you his her its our their but and or so if when while "
    "as at in on of for to by with from after before there here what who how why some many most all no "
    "under without since during despite until over about made once "
    "mr mrs ms dr le la les un une el los las der die das ein eine il lo gli i".split())
_WORD_MIN = 4


def _is_name(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _NOT_NAMES | _STOP
_STOP = frozenset(
    "that this with from have been were they their there which what when will would could should about after "
    "before into over more than also only such them then these those very said says says.".split())


def name_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of the digits that are part of a name: after a capitalised word ("Phase 1",
    "Boeing 737", "Article 5"), joined by a hyphen ("COVID-19", "F-35"), or glued to letters."""
    spans = []
    for match in re.finditer(r"\d[\d.,]*", text):
        before = text[:match.start()]
        glued = re.search(r"[^\W\d_]-?$", before)
        named = re.search(r"\b([A-Z][\w]*)\s$", before)
        if glued or (named and named.group(1).lower() not in _NOT_NAMES | set(MONTHS)
                     and not _opens(before[:named.start()])):
            spans.append(match.span())
    return spans


def _opens(before: str) -> bool:
    stripped = before.rstrip(" \"“‘'(")
    return not stripped or stripped[-1] in ".!?:"


_TIME = frozenset("years year month months weeks week days day decades hours jahre jahren monate tage ans mois "
                  "jours años meses días anni mesi giorni anos meses dias".split())


def _stated(text: str, *, item: bool = False) -> list[Quantity]:
    """The numbers a text states, the digits of names left out; in an item's own text, small
    numbers and ordinals written in words ("one of", "first debate") too: prose, not figures."""
    names = name_numbers(text)
    found = []
    for q in quantities(text):
        at = q.start + (1 if text[q.start:q.start + 1].isspace() else 0)
        named = any(a <= at < b for a, b in names) and not (q.currency or q.unit or re.match(_SCALED, text[at:]))
        if named or (item and not q.digits and not q.currency and max(q.values) < 3):
            continue
        if item and not q.digits and re.match(_ORDINAL, text[at:]):
            continue
        if q.qualifier == ">" and q.noun and q.noun in {w[:5] for w in _TIME} and re.match(r"(?i)\s*over\b", text[max(0, at - 6):at]):
            q = Quantity(q.values, q.currency, q.unit, None, q.noun, q.digits, q.start)  # "over 10 years": a span
        found.append(q)
    return found


_SCALED = r"(?i)[\d.,]+\s*(?:thousand|million|billion|trillion|bn|mn|m|k|mio|mrd|millionen|milliarden|millones|millions|milliards)\b"
_ORDINAL = r"(?i)(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|erste|zweite|dritte|premi|deuxi|troisi|primer|segund|tercer|prim|second|terz)"


#: English irregular verbs, each form read as its base: "spoke" says what "speak" says.
_IRREGULAR = {form: forms.split()[0] for forms in (
    "speak spoke spoken", "meet met", "say said", "tell told", "take took taken", "give gave given", "win won",
    "lose lost", "hold held", "make made", "go went gone", "come came", "begin began begun", "fall fell fallen",
    "rise rose risen", "buy bought", "sell sold", "send sent", "leave left", "run ran", "see saw seen",
    "find found", "get got gotten", "keep kept", "break broke broken", "choose chose chosen", "write wrote written",
    "fight fought", "lead led", "pay paid", "seek sought", "think thought", "bring brought", "stand stood",
    "strike struck", "fly flew flown", "drive drove driven", "grow grew grown", "know knew known",
    "throw threw thrown", "shoot shot", "sink sank sunk", "flee fled", "feel felt", "hear heard", "build built",
    "spend spent", "teach taught", "catch caught", "steal stole stolen", "wear wore worn", "draw drew drawn",
    "freeze froze frozen", "swear swore sworn", "shake shook shaken", "forbid forbade forbidden")
    for form in forms.split()}


def _stem(word: str) -> str:
    folded = fold(word)
    return _IRREGULAR.get(folded, folded)[:5]


def compare_number(wanted: Quantity, stated: list[Quantity]) -> CheckStatus:
    """One number of the item against every number of its paragraphs."""
    same = [s for s in stated if s.values & wanted.values]
    counted = wanted.noun and [s for s in stated if s.noun == wanted.noun]
    if not same:
        # the paragraphs count the same thing with another number: "15 troops" over "Fifteen hundred troops"
        return "unsupported" if counted else "unchecked"
    if wanted.currency and all(s.currency and s.currency != wanted.currency for s in same):
        return "unsupported"
    if wanted.unit and all(s.unit and s.unit != wanted.unit for s in same):
        return "unsupported"
    if counted and not any(s.noun == wanted.noun for s in same) and all(s.noun for s in same):
        return "unsupported"  # "100 dead" over "100 were injured and 3 dead"
    qualifiers = {_direction(s.qualifier) for s in same}
    if wanted.qualifier in ("<", ">") and qualifiers <= {"<", ">"} and wanted.qualifier not in qualifiers:
        return "unsupported"  # "more than 1,000" over "Fewer than 1,000"
    if _direction(wanted.qualifier) not in qualifiers or (wanted.currency and not any(s.currency == wanted.currency for s in same)):
        return "unchecked"  # "more than" or "fewer than" lost or added, a currency the paragraphs do not state
    return "verified"


def _direction(qualifier: str | None) -> str | None:
    """"About" and no qualifier say the same of a number; "more than" and "fewer than" do not."""
    return qualifier if qualifier in ("<", ">") else None


def read_numbers(text: str, paragraphs: list[str]) -> CheckStatus:
    """Every number the item's text states against its paragraphs (one they do not state at all is
    not checked here: a key point's number in digits is held to its paragraphs by read_digits)."""
    stated = [q for p in paragraphs for q in _stated(p)]
    return _worst([compare_number(wanted, stated) for wanted in _stated(text, item=True)])


def read_digits(text: str, paragraphs: list[str]) -> CheckStatus:
    """Whether every number the text writes in digits (the digits of names aside) is stated in
    the paragraphs, in digits or in words; not checked when it writes none."""
    wanted = [q for q in _stated(text, item=True) if q.digits]
    if not wanted:
        return "unchecked"
    stated = [q for p in paragraphs for q in _stated(p)]
    return "verified" if all(any(s.values & w.values for s in stated) for w in wanted) else "unsupported"


def combined(found: list[CheckStatus]) -> CheckStatus:
    """The outcome of several readings: contradicted by any, else not checked by any, else verified."""
    return _worst(found)


def _worst(found: list[CheckStatus]) -> CheckStatus:
    for status in ("unsupported", "unchecked"):
        if status in found:
            return status  # type: ignore[return-value]
    return "verified"


def read_words(text: str, sentences: list[str], paragraphs: list[str], *, statement: bool = False,
               excerpts: list[str] | None = None) -> CheckStatus:
    """The item's stance words against the sentences of its excerpts; for a statement of fact
    (a figure's statement, an event's "what"), which its excerpts should carry, also its
    negation, its names and most of its words (a summary, a stance or a key point says things
    in its own words, and is not held to them)."""
    said = [w.lower().replace("’", "'") for w in words(text)]
    evidence = [w.lower().replace("’", "'") for s in sentences for w in words(s)]
    if not said or not evidence:
        return "unchecked"
    cited_words = {w.lower().replace("’", "'") for x in (excerpts if excerpts is not None else sentences)
                   for w in words(x)}
    ours, theirs = set(said), set(evidence)
    if any(_OPPOSITE.get(w) in cited_words - ours and w not in theirs for w in ours):
        return "unsupported"  # "unwilling" over an excerpt that says "willing" (the excerpt itself, not
        # its sentence: "the price rose, the yield fell" holds both)
    if not statement or not same_language(text, " ".join(paragraphs)):
        return "verified"  # a summary, or words in another language than the article's: not read
    if any(w in NEGATIONS or w.endswith("n't") for w in said) and \
            not any(w in NEGATIONS or w.endswith("n't") for w in evidence):
        return "unchecked"  # it says "not", its evidence does not
    cited = {_stem(w) for p in paragraphs for w in words(p)}
    subject, stated = words(text)[0], [words(s)[0] for s in sentences if words(s)]
    if _is_name(subject) and _stem(subject) not in cited and \
            any(_is_name(w) and _stem(w) not in {_stem(x) for x in words(text)} for w in stated):
        return "unchecked"  # its subject is not in its evidence, whose sentence is about another
    content = [w for w in words(text) if len(w) >= _WORD_MIN and w.lower() not in _STOP
               and not w[:1].isdigit() and not w[:1].isupper()]
    if len(content) >= 2 and not any(_stem(w) in cited for w in content):
        return "unchecked"  # none of what it says is in its evidence
    return "verified"


_FUNCTION = {
    "en": "the of and to in is that for with was on by as it are from his her has have not this be",
    "de": "der die das und ist nicht den dem mit von zu sich des auf für ein eine im sie er wird",
    "fr": "le la les et est des une pour dans que qui pas sur au du par il elle ce sont avec",
    "es": "el la los las y es del que en por con una para se no su al lo como más",
    "it": "il lo gli della che è per con non una sono del nel alla come più ha si",
    "pt": "o os as da do que em para com não uma dos das no na por se ao mais é",
}
_FUNCTION_SETS = {lang: frozenset(w.split()) for lang, w in _FUNCTION.items()}


def same_language(item: str, article: str) -> bool:
    """Whether an item's words are in its article's language (a short item: whether it has a
    function word of that language at all)."""
    theirs = language(article)
    ours = language(item)
    if ours is not None or theirs is None:
        return ours == theirs
    return any(w.lower() in _FUNCTION_SETS[theirs] for w in words(item))


def language(text: str) -> str | None:
    """The briefing language a text is in, by its most frequent function words; None when too
    short to tell."""
    tokens = [w.lower() for w in words(text)]
    counts = {lang: sum(t in found for t in tokens) for lang, found in _FUNCTION_SETS.items()}
    best = max(counts, key=counts.__getitem__)
    ranked = sorted(counts.values(), reverse=True)
    return best if ranked[0] >= 2 and ranked[0] > ranked[1] else None
