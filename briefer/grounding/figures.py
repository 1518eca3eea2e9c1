"""Figures with what they count: the number, its scale and its currency or unit are read
together, at word boundaries and with their context, and a figure verifies only when its
cited paragraphs state every number it holds with the same scale, currency and unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.models import CheckStatus
from .dates import MONTHS, fold

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
}
_PERCENT = ("%", "percent", "per cent", "percentage points", "prozent", "por ciento", "pour cent",
            "per cento", "por cento")
_MEASURES = {"m": "metre", "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre",
             "km": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre", "kilometre": "kilometre",
             "kilometer": "kilometre", "kg": "kilogram", "kilograms": "kilogram", "kilos": "kilogram",
             "miles": "mile", "mile": "mile", "feet": "foot", "ft": "foot", "tonnes": "tonne", "tons": "tonne"}
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({w: 10 * n for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
_NUMBER_WORDS.update({"dozen": 12, "hundred": 100,
                      "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
                      "neun": 9, "zehn": 10, "zwölf": 12, "zwanzig": 20, "hundert": 100,
                      "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "siete": 7, "ocho": 8, "nueve": 9,
                      "diez": 10, "veinte": 20, "cien": 100, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
                      "huit": 8, "neuf": 9, "dix": 10, "vingt": 20, "cent": 100, "due": 2, "tre": 3,
                      "quattro": 4, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "venti": 20,
                      "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8, "dez": 10})


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


_CURRENCY_SYMBOL = r"(?:US\$|A\$|C\$|\$|€|£|¥|₽|₹)"
_AFTER = rf"(?:{_alternation([*_SCALES, *_LETTER_SCALES])})\.?(?![\w])"
_MENTION = re.compile(
    rf"(?P<cur>{_CURRENCY_SYMBOL})?\s?"
    rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:[,.\u00a0\u202f]\d{{3}})+|\d+)(?:[.,](?P<dec>\d+))?"
    rf"(?P<pct>\s?%)?(?:\s*(?P<scale>{_AFTER}))?",
    re.IGNORECASE,
)
#: Words are looked up, not matched by one long alternation: that is slow on every character.
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")
_HALF = re.compile(rf"(?<![\w])half an?\s+(?P<scale>{_AFTER})", re.IGNORECASE)
_WORD_SCALE = re.compile(rf"\s+(?P<scale>{_AFTER})", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    rf"\s*(?:(?P<cur>{_alternation(_CURRENCIES)})|(?P<pct>{_alternation(_PERCENT)})|(?P<measure>{_alternation(_MEASURES)}))(?![\w$€£])",
    re.IGNORECASE,
)
_SPACE_GROUP = re.compile(r"(?<![\w.,])(\d{1,3})((?: \d{3})+)(?![\w])")
_MONTH_BEFORE = re.compile(rf"(?:{_alternation(MONTHS)})\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One number as stated: its possible values (a lone "11.000" is eleven thousand or eleven),
    and the currency or unit it is stated in."""

    values: frozenset[float]
    currency: str | None = None
    unit: str | None = None


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
    text = _grouped(text)
    mentions: list[tuple[int, set[float], str | None, bool, str]] = [
        (m.end(), _values(m.group("num"), m.group("dec")), m.group("cur"), bool(m.group("pct")), m.group("scale") or "")
        for m in _MENTION.finditer(text)]
    for m in _HALF.finditer(text):  # "half a million dollars"
        mentions.append((m.end(), {0.5}, None, False, m.group("scale")))
    for m in _WORD.finditer(text):
        if (value := _NUMBER_WORDS.get(m.group().lower())) is not None:
            scaled = _WORD_SCALE.match(text, m.end())
            end = scaled.end() if scaled else m.end()
            mentions.append((end, {float(value)}, None, False, scaled.group("scale") if scaled else ""))
    return tuple(_quantity(text, *mention) for mention in mentions)


def _quantity(text: str, end: int, values: set[float], symbol: str | None, percent: bool, scale_word: str) -> Quantity:
    """A number with the currency, unit and scale around it."""
    currency = _CURRENCIES.get((symbol or "").lower())
    unit = "percent" if percent else None
    after = _UNIT_AFTER.match(text, end)
    if after:
        currency = currency or _CURRENCIES.get((after.group("cur") or "").lower())
        unit = unit or ("percent" if after.group("pct") else _MEASURES.get((after.group("measure") or "").lower()))
    scale_word = scale_word.lower().rstrip(".")
    scale = _SCALES.get(scale_word)
    if scale is None and scale_word in _LETTER_SCALES:
        if currency:
            scale = _LETTER_SCALES[scale_word]
        elif scale_word == "m":
            unit = unit or "metre"
    return Quantity(frozenset(round(v * (scale or 1.0), 6) for v in values), currency, unit)


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
