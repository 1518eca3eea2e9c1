"""Numbers written in words, as a reader reads them, in the six briefing languages: cardinals
and their compounds ("twelve thousand", "Fifteen hundred", "vingt-trois", "treinta y dos",
"zweiundzwanzig"), a dozen ("une douzaine", "eine Dutzend"), halves ("a year and a half",
"one and a half", "y medio"), fractions ("a third", "three quarters") and ordinals ("third",
"troisième", "tercero", "dritte"). Each is found with where it stands, so that the unit or
currency after it is read with it. Only a dozen words a language: a well-kept library of
number parsing would cover more, but none is installed and the figures check needs no more."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_UNITS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
          "sechzehn siebzehn achtzehn neunzehn",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
          "dix-sept dix-huit dix-neuf",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
          "diecisiete dieciocho diecinueve",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
          "sedici diciassette diciotto diciannove",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
          "dezessete dezoito dezenove",
}
_TENS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "de": "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "fr": "vingt trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "it": "venti trenta quaranta cinquanta sessanta settanta ottanta novanta",
    "pt": "vinte trinta quarenta cinquenta sessenta setenta oitenta noventa",
}
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    "de": "erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte elfte zwölfte",
    "fr": "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième "
          "onzième douzième",
    "es": "primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo undécimo duodécimo",
    "it": "primo secondo terzo quarto quinto sesto settimo ottavo nono decimo undicesimo dodicesimo",
    "pt": "primeiro segundo terceiro quarto quinto sexto sétimo oitavo nono décimo décimo-primeiro "
          "décimo-segundo",
}
#: Words that multiply what comes before them.
MULTIPLIERS = {
    "hundred": 100, "hundert": 100, "cent": 100, "cien": 100, "ciento": 100, "cento": 100,
    "cem": 100, "thousand": 1e3, "tausend": 1e3, "mille": 1e3, "mil": 1e3, "mila": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "millón": 1e6, "millones": 1e6, "milione": 1e6,
    "milioni": 1e6, "milhão": 1e6, "milhões": 1e6, "mio": 1e6, "billion": 1e9, "billions": 1e9,
    "milliarde": 1e9, "milliarden": 1e9, "milliard": 1e9, "milliards": 1e9, "miliardo": 1e9,
    "miliardi": 1e9, "bilhão": 1e9, "bilhões": 1e9, "mrd": 1e9, "trillion": 1e12,
}
_DOZEN = {"dozen", "dozens", "douzaine", "dutzend", "docena", "dozzina", "dúzia"}
_ONE = {"a", "an", "one", "un", "une", "ein", "eine", "einer", "uno", "una", "um", "uma"}
_AND = {"and", "y", "e", "et", "und"}
_HALF = re.compile(r"\s+(?:and\s+a\s+half|y\s+medio|y\s+media|et\s+demi|et\s+demie|und\s+halb|e\s+mezzo|"
                   r"e\s+mezza|e\s+meio|e\s+meia)\b")
_FRACTIONS = {"half": 0.5, "halb": 0.5, "halbe": 0.5, "moitié": 0.5, "demi": 0.5, "mitad": 0.5, "medio": 0.5,
              "metà": 0.5, "metade": 0.5, "quarter": 0.25, "quarters": 0.25, "viertel": 0.25, "quart": 0.25,
              "third": 1 / 3, "thirds": 1 / 3, "drittel": 1 / 3, "tiers": 1 / 3}


def _table() -> dict[str, float]:
    words: dict[str, float] = {}
    for language in _UNITS:
        words.update({w: float(n) for n, w in enumerate(_UNITS[language].split())})
        words.update({w: 10.0 * n for n, w in enumerate(_TENS[language].split(), 2) if language != "fr"})
    words.update({"vingt": 20.0, "trente": 30.0, "quarante": 40.0, "cinquante": 50.0, "soixante": 60.0,
                  "soixante-dix": 70.0, "quatre-vingt": 80.0, "quatre-vingts": 80.0, "quatre-vingt-dix": 90.0,
                  "veintiuno": 21.0, "veintidós": 22.0, "veintitrés": 23.0, "veinticinco": 25.0,
                  "ventuno": 21.0, "ventidue": 22.0, "ventitré": 23.0, "venticinque": 25.0})
    return words


#: Number words of one language that are common words of another ("once", "due", "elf").
_AMBIGUOUS = frozenset("once due sei elf otto nove un une uno um".split())
_CARDINALS = {w: v for w, v in _table().items() if w not in _AMBIGUOUS}
_ORDINAL_VALUES = {w: float(n) for language in _ORDINALS for n, w in enumerate(_ORDINALS[language].split(), 1)}
_ORDINAL_VALUES.update({"première": 1.0, "primera": 1.0, "segunda": 2.0, "tercera": 3.0, "terza": 3.0,
                        "terceira": 3.0, "second": 2.0, "ersten": 1.0, "zweiten": 2.0, "dritten": 3.0})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NEXT_WORD = re.compile(r"\s+[^\W\d_]+")


#: What a number word counts in a compound ("a four-year high", "a 21-day wait"): read as the number.
_COUNTED = re.compile(r"-(?:year|day|week|month|hour|minute|decade|century|time|term|member|seat|point|game|"
                      r"mile|page|storey|story|nation|party|state|old)s?(?:-old)?$")


def _cardinal(word: str) -> float | None:
    """One word's value: a cardinal, a hyphenated compound ("vingt-trois", "twenty-one"), a
    number with what it counts ("four-year": 4; an editor read "a four-year upturn" and "grown
    for four years" as one fact, the check as two) or a German one ("zweiundzwanzig")."""
    if word in _CARDINALS:
        return _CARDINALS[word]
    if counted := _COUNTED.search(word):
        return _cardinal(word[: counted.start()])
    parts = word.split("-")
    if len(parts) == 2 and parts[0] in _CARDINALS and parts[1] in _CARDINALS and _CARDINALS[parts[0]] >= 20:
        return _CARDINALS[parts[0]] + _CARDINALS[parts[1]]
    german = re.fullmatch(r"(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und(\w+zig|dreißig)", word)
    if german and german.group(2) in _CARDINALS:
        return (_CARDINALS.get(german.group(1)) or 1.0) + _CARDINALS[german.group(2)]
    return None


@lru_cache(maxsize=4096)
def number_words(text: str) -> tuple[tuple[int, int, frozenset[float]], ...]:
    """Every number written in words: (start, end, its possible values)."""
    lowered = text.lower()
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(lowered)]
    found: list[tuple[int, int, frozenset[float]]] = []
    i = 0
    while i < len(tokens):
        taken, values = _read(tokens, i, lowered)
        if not taken and tokens[i][2] in _ONE and i + 1 < len(tokens):
            taken, values = 1, frozenset({1.0})  # "a year and a half": a number only with its half
            if not _HALF.match(lowered, tokens[i + 1][1]):
                i += 1
                continue
        if taken:
            start, end = tokens[i][0], tokens[i + taken - 1][1]
            half = _HALF.match(lowered, end) or ((after := _NEXT_WORD.match(lowered, end)) and _HALF.match(lowered, after.end()))
            if half:  # "one and a half", "two years and a half"
                values, end = frozenset(v + 0.5 for v in values), half.end()
            found.append((start, end, values))
            while i < len(tokens) and tokens[i][0] < end:
                i += 1
        else:
            i += 1
    return tuple(found)


def _read(tokens: list[tuple[int, int, str]], i: int, text: str) -> tuple[int, frozenset[float]]:
    """How many tokens from i make one number, and its values (0 when none starts there)."""
    word = tokens[i][2]
    if word in _ORDINAL_VALUES:
        return 1, frozenset({_ORDINAL_VALUES[word]})
    if word in _FRACTIONS:
        return 1, frozenset({_FRACTIONS[word]})
    value = _cardinal(word)
    article = word in _ONE and value is None
    if value is None and not article:
        return 0, frozenset()
    total, current, j = 0.0, value if value is not None else 1.0, i + 1
    while j < len(tokens) and _joined(text[tokens[j - 1][1]:tokens[j][0]], tokens[j - 1][2]):
        nxt = tokens[j][2]
        if nxt in _DOZEN:
            current *= 12
        elif nxt in MULTIPLIERS:
            scale = MULTIPLIERS[nxt]
            if scale >= 1000:
                total, current = total + current * scale, 0.0
            else:
                current *= scale
        elif nxt in _FRACTIONS and j == i + 1:  # "a third" (of them, or time), "three quarters"
            ordinal = {_ORDINAL_VALUES[nxt]} if article and nxt in _ORDINAL_VALUES else set()
            return 2, frozenset({_FRACTIONS[nxt] * current, *ordinal})
        elif nxt in _AND and j + 1 < len(tokens) and _adds(current, more := _after_and(tokens[j + 1][2])):
            current += more  # "treinta y dos", "vingt et un", "hundred and five", never "ten and twenty"
            j += 1
        elif (more := _cardinal(nxt)) is not None and (current % 100 == 0 and more < 100 or current >= 20 and more < 10):
            current += more
        else:
            break
        j += 1
    if article and j == i + 1:
        return 0, frozenset()  # "a" alone is no number
    return j - i, frozenset({total + current})


def _joined(gap: str, before: str) -> bool:
    """Whether two number words are one number: a space or a hyphen between them, a comma only
    after a thousand or more ("five thousand, two hundred"), never a stop ("He was twenty. Five
    others" is 20 and 5)."""
    marks = gap.strip()
    return len(gap) <= 2 and (not marks.strip("-‐‑") or marks == "," and MULTIPLIERS.get(before, 0) >= 1000)


def _after_and(word: str) -> float:
    """A number word's value after "and": "un", "une", "uno" are one there ("vingt et un" is 21,
    where alone they are articles); 0 for a word that is no number."""
    return _cardinal(word) or (1.0 if word in _ONE - {"a", "an"} else 0.0)


def _adds(current: float, more: float) -> bool:
    """Whether "and" ("y", "et", "und") joins two number words as a reader reads them: a hundred
    or thousand and what is under a hundred, tens and units, sixty and eleven ("soixante et
    onze"); "ten and twenty" are two numbers."""
    return bool(more) and (current % 100 == 0 and more < 100 or current % 10 == 0 and more < 10
                           or current == 60 and more == 11)


def fold_digits(text: str) -> str:
    """Fullwidth and other compatibility digits as ASCII ("１２" reads "12")."""
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" or c.isdigit() else c for c in text)
