"""Figures with what they count: the number, its scale and its currency or unit are read
together, at word boundaries and with their context, and a figure verifies only when its
cited paragraphs state every number it holds with the same scale, currency and unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.lazy import lazy_pattern
from ..core.models import CheckStatus
from .dates import MONTHS, fold
from .numbers import fold_digits, number_words

_SCALES = {
    "thousand": 1e3, "thousands": 1e3, "tausend": 1e3, "mil": 1e3, "mille": 1e3, "mila": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "mio": 1e6, "millionen": 1e6, "millón": 1e6,
    "millones": 1e6, "milione": 1e6, "milioni": 1e6, "milhão": 1e6, "milhões": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "milliard": 1e9, "milliards": 1e9, "miliardo": 1e9, "miliardi": 1e9, "bilhão": 1e9,
    "bilhões": 1e9, "mil millones": 1e9, "trillion": 1e12, "tn": 1e12,
}
#: One-letter scales ("$15m", "€2bn" is above): only with a currency, else "15 m" is metres.
SCALE_WORDS = tuple(_SCALES)
_LETTER_SCALES = {"k": 1e3, "m": 1e6, "b": 1e9}
_CURRENCIES = {
    "us$": "dollar", "us dollars": "dollar", "us-dollar": "dollar", "a$": "dollar", "c$": "dollar", "$": "dollar", "usd": "dollar", "dollar": "dollar",
    "dollars": "dollar", "dólares": "dollar", "dólar": "dollar", "dollari": "dollar",
    "€": "euro", "eur": "euro", "euro": "euro", "euros": "euro",
    "£": "pound", "gbp": "pound", "pound": "pound", "pounds": "pound", "sterling": "pound", "libras": "pound",
    "¥": "yen", "yen": "yen", "jpy": "yen", "yuan": "yuan", "cny": "yuan", "renminbi": "yuan",
    "₽": "rouble", "rouble": "rouble", "roubles": "rouble", "ruble": "rouble", "rubles": "rouble", "rub": "rouble",
    "₹": "rupee", "rupee": "rupee", "rupees": "rupee", "inr": "rupee", "afghani": "afghani", "afghanis": "afghani",
    "franc": "franc", "francs": "franc", "chf": "franc", "franken": "franc", "cent": "cent", "cents": "cent",
    "₦": "naira", "n": "naira", "naira": "naira", "ngn": "naira", "r$": "real", "reais": "real", "brl": "real",
}
_PERCENT = ("%", "percent", "per cent", "percentage points", "prozent", "por ciento", "pour cent",
            "per cento", "por cento")
#: Units of measure in the six briefing languages, with the forms a sentence inflects them to
#: ("rund 10.000 Kilometern", "quilômetros", "chilometri"): one unit, however it is declined.
_MEASURE_WORDS = {
    "metre": "m metre metres meter meters metern mètre mètres metros metri",
    "kilometre": "km kilometre kilometres kilometer kilometers kilometern kilomètre kilomètres kilómetro "
                 "kilómetros chilometro chilometri quilômetro quilômetros quilómetro quilómetros quilometro quilometros",
    "kilogram": "kg kilogram kilograms kilos kilogramm kilogramme kilogrammes kilogramo kilogramos chilogrammo "
                "chilogrammi quilograma quilogramas",
    "mile": "mile miles meile meilen milla millas miglio miglia milha milhas",
    "foot": "feet ft",
    "tonne": "tonne tonnes tons tonnen tonelada toneladas tonnellata tonnellate",
}
_MEASURES = {word: unit for unit, words in _MEASURE_WORDS.items() for word in words.split()}
def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


#: A currency before its number: a sign ("₦", "R$"), a code ("CHF 5"), or Nigeria's "N" ("N500m").
_CURRENCY_SYMBOL = r"(?:US\$|A\$|C\$|R\$|\$|€|£|¥|₽|₹|₦|(?:CHF|EUR|USD|GBP|NGN|BRL)(?=\s?\d)|(?-i:N)(?=\d))"
_AFTER = rf"(?:{_alternation([*_SCALES, *_LETTER_SCALES])})\.?(?![\w])"
_MENTION = re.compile(
    rf"(?P<cur>{_CURRENCY_SYMBOL})?\s?"
    rf"(?:(?<=(?-i:N))|(?<![\w.,]))(?P<num>\d{{1,3}}(?:[,.\u00a0\u202f]\d{{3}})+|\d+)(?:[.,](?P<dec>\d+))?"
    rf"(?P<pct>\s?%)?(?:(?:\s*|-)(?P<scale>{_AFTER}))?",
    re.IGNORECASE,
)
#: Words are looked up, not matched by one long alternation: that is slow on every character.
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")
_HALF = re.compile(rf"(?<![\w])half an?\s+(?P<scale>{_AFTER})", re.IGNORECASE)
_WORD_SCALE = re.compile(rf"\s+(?P<scale>{_AFTER})", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    rf"(?:\s*|-)(?:(?P<cur>{_alternation(_CURRENCIES)})|(?P<pct>{_alternation(_PERCENT)})|(?P<measure>{_alternation(_MEASURES)}))(?![\w$€£])",
    re.IGNORECASE,
)
_SPACE_GROUP = re.compile(r"(?<![\w.,])(\d{1,3})((?: \d{3})+)(?![\w])")
#: Only read where digits are grouped by spaces ("11 000"), which few English articles do.
_MONTH_BEFORE = lazy_pattern(rf"(?:{_alternation(MONTHS)})\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One number as stated: its possible values (a lone "11.000" is eleven thousand or eleven),
    the currency or unit it is stated in, and as a reader takes it: the qualifier before it
    ("more than", "fewer than", "about"), the word it counts ("troops", "dead"), whether it is
    written in digits, and where it starts in the text."""

    values: frozenset[float]
    currency: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    noun: str | None = None
    digits: bool = True
    start: int = 0


#: Qualifiers before a number, by the direction they give it: above, below, about.
_QUALIFIERS = {
    ">": "more than|over|at least|upwards of|in excess of|above|exceeding|mehr als|über|mindestens|plus de|"
         "au moins|más de|al menos|più di|almeno|mais de|pelo menos|oltre",
    "<": "fewer than|less than|under|at most|up to|nearly|almost|just under|below|a maximum of|maximum of|"
         "weniger als|unter|höchstens|bis zu|maximal|"
         "fast|knapp|moins de|près de|presque|jusqu'à|menos de|casi|hasta|meno di|quasi|fino a|quase|até",
    "~": "about|around|roughly|approximately|some|an estimated|estimated|circa|rund|etwa|ungefähr|environ|"
         "quelque|quelques|unos|unas|alrededor de|aproximadamente|cerca de|circa|intorno a|cerca di|cerca de",
}
_QUALIFIER = re.compile(rf"\b({'|'.join(sorted('|'.join(_QUALIFIERS.values()).split('|'), key=len, reverse=True))})"
                        r"\s*(?:the\s+|de\s+)?$", re.IGNORECASE)
_DIRECTION = {w: d for d, words in _QUALIFIERS.items() for w in words.split("|")}
#: Words between a number and what it counts ("100 were injured", "3 people dead").
_FILLER = frozenset("were was are is have has had been being people persons more other of de des du the les la "
                    "le los las die der das von di del dos da do who that".split())
#: Words after a number that say it counts nothing in particular ("from 100 to 1,100", "in 2009 by").
_NOT_COUNTED = frozenset("to a an in on at for from by with per than or and as after before since until "
                         "into over under about this that these it its his her their our".split())
_NOUN = re.compile(r"[\s\-]*([^\W\d_][\w'’-]*)")


def _counted(text: str, end: int) -> str | None:
    """The first word after a number that says what it counts, its first five letters."""
    at = end
    for _ in range(3):
        word = _NOUN.match(text, at)
        if not word or word.group(1).lower() in _NOT_COUNTED or len(word.group(1)) < 3:
            return None
        if word.group(1).lower() not in _FILLER:
            return fold(word.group(1))[:5]
        at = word.end()
    return None


def _grouped(text: str) -> str:
    """"11 000" read as one number, but not "March 3 200 protesters"."""

    def join(match: re.Match[str]) -> str:
        if _MONTH_BEFORE.search(fold(text[max(0, match.start() - 12) : match.start()])):
            return match.group()
        return match.group(1) + match.group(2).replace(" ", "\u00a0")

    return _SPACE_GROUP.sub(join, text)


def _values(num: str, dec: str | None) -> set[float]:
    groups = re.split(r"[,.\u00a0\u202f]", num)
    whole = float("".join(groups))
    found = {whole + float(f"0.{dec}") if dec else whole}
    separators = set(re.findall(r"[,.]", num))
    if len(groups) == 2 and separators and not dec:  # "15.818": decimal, or a thousands group
        found.add(float(f"{groups[0]}.{groups[1]}"))
    return found


@lru_cache(maxsize=4096)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number a text states, with its scale, currency and unit as the text gives them."""
    text = _grouped(fold_digits(text))
    mentions: list[tuple[int, int, set[float], str | None, bool, str, bool]] = [
        (m.start(), m.end(), _values(m.group("num"), m.group("dec")), m.group("cur"), bool(m.group("pct")),
         m.group("scale") or "", True) for m in _MENTION.finditer(text)]
    for m in _HALF.finditer(text):  # "half a million dollars"
        mentions.append((m.start(), m.end(), {0.5}, None, False, m.group("scale"), False))
    for start, end, values in number_words(text):
        scaled = _WORD_SCALE.match(text, end)
        end = scaled.end() if scaled else end
        mentions.append((start, end, set(values), None, False, scaled.group("scale") if scaled else "", False))
    return tuple(_quantity(text, *mention) for mention in mentions)


def _quantity(text: str, start: int, end: int, values: set[float], symbol: str | None, percent: bool,
              scale_word: str, digits: bool) -> Quantity:
    """A number with the currency, unit and scale around it, its qualifier and what it counts."""
    currency = _CURRENCIES.get((symbol or "").lower().strip())
    unit = "percent" if percent else None
    after = _UNIT_AFTER.match(text, end)
    if after:
        currency = currency or _CURRENCIES.get((after.group("cur") or "").lower())
        unit = unit or ("percent" if after.group("pct") else _MEASURES.get((after.group("measure") or "").lower()))
        end = after.end()
    qualifier = _QUALIFIER.search(text, max(0, start - 24), start)
    scale_word = scale_word.lower().rstrip(".")
    scale = _SCALES.get(scale_word)
    if scale is None and scale_word in _LETTER_SCALES:
        if currency:
            scale = _LETTER_SCALES[scale_word]
        elif scale_word == "m":
            unit = unit or "metre"
    return Quantity(frozenset(round(v * (scale or 1.0), 6) for v in values), currency, unit,
                    _DIRECTION.get(qualifier.group(1).lower()) if qualifier else None, _counted(text, end), digits, start)


def figures_in(text: str) -> frozenset[float]:
    """Every value a text states (scale applied), for comparing figures by number."""
    return frozenset(v for q in quantities(text) for v in q.values)


def _states(stated: Quantity, wanted: Quantity) -> bool:
    if not stated.values & wanted.values:
        return False
    if wanted.currency and stated.currency != wanted.currency:
        return False
    return not (wanted.unit and stated.unit != wanted.unit)


def check_figure(paragraph_texts: list[str], figure: str, unit: str | None = None) -> CheckStatus:
    """Verified when the paragraphs state every number of the figure with its scale, currency
    and unit; not checkable when the figure holds no number."""
    wanted = quantities(f"{figure} {unit or ''}".strip())
    if not wanted:
        return "unchecked"
    stated = [q for text in paragraph_texts for q in quantities(text)]
    return "verified" if all(any(_states(s, w) for s in stated) for w in wanted) else "unsupported"
