"""Dates as a reader resolves them: explicit dates in English, Spanish, French, German, Italian
and Portuguese ("1° de marzo", "1er mars", "1. März", "March 1", "01.03.2022"), and relative
ones against the publication date the way a news report means them: a weekday is the past one
unless the event lies ahead, "this Tuesday" is the one of that week, and last/this/next week,
weekend, month and year are spans. Every expression becomes a span of days; an ISO date
verifies when it names that span (or a wider one that holds it), and is approximate when it is
more precise than the text (a day for "last week")."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date, timedelta
from functools import lru_cache

from ..core.models import CheckStatus
from .relative import counted_spans, counts_from_event
from .tense import FUTURE as _FUTURE, clause_of as _clause_of, sentence_of as _sentence_of
from .tense import tense as _tense, year_tense as _year_tense

Span = tuple[date, date]

_MONTH_NAMES = [
    "january jan enero ene janvier janv januar gennaio janeiro",
    "february feb febrero fevrier fevr februar febbraio fevereiro fev",
    "march mar marzo mars marz maerz marco",
    "april apr abril avril aprile avr",
    "may mayo mai maggio maio",
    "june jun junio juin juni giugno junho",
    "july jul julio juillet juil juli luglio julho",
    "august aug agosto aout",
    "september sep sept septiembre setiembre septembre settembre setembro",
    "october oct octubre octobre oktober okt ottobre outubro",
    "november nov noviembre novembre novembro",
    "december dec diciembre dic decembre dezember dez dicembre dezembro",
]
MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_WEEKDAY_NAMES = [
    "monday lunes lundi montag lunedi segunda",
    "tuesday martes mardi dienstag martedi terca",
    "wednesday miercoles mercredi mittwoch mercoledi quarta",
    "thursday jueves jeudi donnerstag giovedi quinta",
    "friday viernes vendredi freitag venerdi sexta",
    "saturday sabado samedi samstag sonnabend",
    "sunday domingo dimanche sonntag domenica",
]
WEEKDAYS = {name: n for n, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
_DAYS = {0: "today|tonight|hoy|aujourd'hui|aujourdhui|heute|oggi|hoje|esta manana|esta tarde|esta noche|ce matin|"
            "ce soir|heute morgen|heute abend|stamattina|stasera|this morning|this afternoon|this evening|"
            "queste ore|queste ultime ore|estas horas|estas ultimas horas|diesen stunden|nestas horas|"
            "these hours",  # "in queste ore", "in these hours": now, as the report is written
         -1: "yesterday|last night|ayer|anoche|hier|hier soir|gestern|gestern abend|ieri|ieri sera|ontem|"
             "ontem a noite",
         -2: "anteayer|avant-hier|vorgestern|l'altro ieri|anteontem",
         1: "tomorrow|manana|demain|morgen|domani|amanha"}
_SPAN_WORDS = {  # (unit, offset): phrases, accents folded
    ("week", -1): "last week|past week|previous week|semana pasada|semaine derniere|semaine passee|letzte woche|"
                  "letzten woche|vergangene woche|vergangenen woche|vorige woche|vorigen woche|settimana scorsa|"
                  "semana passada",
    ("week", 0): "this week|earlier this week|later this week|esta semana|cette semaine|diese woche|dieser woche|"
                 "questa settimana",
    ("week", 1): "next week|proxima semana|semana que viene|semaine prochaine|nachste woche|nachsten woche|"
                 "kommende woche|kommenden woche|prossima settimana",
    ("weekend", -1): "last weekend|past weekend|fin de semana pasado|week-end dernier|letztes wochenende|"
                     "letzten wochenende|vergangenes wochenende|vergangenen wochenende|scorso fine settimana",
    ("weekend", 0): "the weekend|this weekend|el fin de semana|este fin de semana|ce week-end|le week-end|"
                    "am wochenende|dieses wochenende|nel fine settimana|questo fine settimana|fim de semana",
    ("weekend", 1): "next weekend|proximo fin de semana|week-end prochain|nachstes wochenende|"
                    "kommendes wochenende|prossimo fine settimana",
    ("month", -1): "last month|mes pasado|mois dernier|letzten monat|vergangenen monat|mese scorso|mes passado",
    ("month", 0): "this month|earlier this month|later this month|este mes|ce mois|diesen monat|questo mese",
    ("month", 1): "next month|proximo mes|mois prochain|nachsten monat|kommenden monat|prossimo mese",
    ("year", -1): "last year|ano pasado|annee derniere|letztes jahr|letzten jahr|vergangenes jahr|"
                  "vergangenen jahr|vorjahr|anno scorso|ano passado",
    ("year", 0): "this year|earlier this year|este ano|cette annee|dieses jahr|diesem jahr|quest'anno",
    ("year", 1): "next year|proximo ano|annee prochaine|nachstes jahr|nachsten jahr|kommendes jahr|anno prossimo",
}


def _phrases(phrases: str) -> re.Pattern[str]:
    """Phrases written "a|b|c" as one pattern that finds any of them as whole words."""
    return re.compile(rf"(?<![\w'])(?:{'|'.join(re.escape(p) for p in phrases.split('|'))})(?![\w'])")


_DAY_PATTERNS = {offset: _phrases(phrases) for offset, phrases in _DAYS.items()}
_SPAN_PATTERNS = {key: _phrases(phrases) for key, phrases in _SPAN_WORDS.items()}
_LAST = re.compile(r"\b(last|past|pasado|dernier|letzten|vergangenen|scorso|passado)\s+$")
_NEXT = re.compile(r"\b(next|coming|proximo|prochain|nachsten|kommenden|prossimo)\s+$")
_THIS = re.compile(r"\b(this|este|esta|ce|diesen|dieser|am|questo|questa|nesta|neste)\s+$")
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|er|°|º|o|\.)?"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){_ORD}\s*(?:de\s+|of\s+|del\s+)?({_MONTH_RE})\b\.?(?:,?\s*(?:de\s+|del\s+)?(\d{{4}})\b)?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\b\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b")
_MONTH_ALONE = re.compile(rf"\b({_MONTH_RE})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_NARRATIVE_YEAR = re.compile(r"\bthe (next|following|previous) year\b|\ba (year later|year before|year earlier)\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without accents, one space between words: "März" and "marz" read the same."""
    text = text.replace("’", "'")
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_iso(iso: str) -> Span | None:
    """The span an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) names."""
    match = _ISO.match(iso or "")
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)  # type: ignore[arg-type]
        if day is None:
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])  # type: ignore[arg-type]
        return date(year, month, day), date(year, month, day)  # type: ignore[arg-type]
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> Span | None:
    try:
        one = date(year, month, day)
    except ValueError:
        return None
    return one, one


def _years_near(month: int, day: int, published: date | None) -> list[int]:
    """The years a date without a year can mean: within a year of the publication, either way."""
    if published is None:
        return []
    return [y for y in (published.year - 1, published.year, published.year + 1)
            if (d := _day(y, month, min(day, 28))) and abs((d[0] - published).days) < 366]


def _week(published: date, offset: int) -> Span:
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _month(published: date, offset: int) -> Span:
    index = published.year * 12 + published.month - 1 + offset
    year, month = divmod(index, 12)
    return date(year, month + 1, 1), date(year, month + 1, monthrange(year, month + 1)[1])


def _relative_spans(text: str, published: date, future: bool, context: str) -> list[Span]:
    spans: list[Span] = []
    for offset, pattern in _DAY_PATTERNS.items():
        if pattern.search(text):
            spans.append((published + timedelta(days=offset),) * 2)  # type: ignore[arg-type]
    for (unit, offset), pattern in _SPAN_PATTERNS.items():
        if not pattern.search(text):
            continue
        if unit == "week":
            spans.append(_week(published, offset))
        elif unit == "month":
            spans.append(_month(published, offset))
        elif unit == "year":
            spans.append((date(published.year + offset, 1, 1), date(published.year + offset, 12, 31)))
        else:
            spans += _weekends(published, offset, future)
    for match in _NARRATIVE_YEAR.finditer(text):  # "in August 2016. The next year, ..."
        offset = -1 if (match.group(1) or match.group(2)) in ("previous", "year before", "year earlier") else 1
        spans += [(date(int(y) + offset, 1, 1), date(int(y) + offset, 12, 31)) for y in _YEAR.findall(context)]
    for match in re.finditer(rf"\b({_WEEKDAY_RE})\b", text):
        spans += _weekday(WEEKDAYS[match.group(1)], text[max(0, match.start() - 12) : match.start()], published, future)
    return spans


def _weekends(published: date, offset: int, future: bool) -> list[Span]:
    saturday_before = published - timedelta(days=(published.weekday() - 5) % 7)
    past = (saturday_before, saturday_before + timedelta(days=1))
    coming = (past[0] + timedelta(days=7), past[1] + timedelta(days=7))
    if offset < 0:
        return [past if published > past[1] else (past[0] - timedelta(days=7), past[1] - timedelta(days=7))]
    if offset > 0:
        return [coming]
    if future and published > past[1]:  # said in the week, of an event ahead: the coming weekend
        return [coming]
    return [past, coming]  # said on a Saturday or Sunday, "this weekend" may be the one under way


def _weekday(weekday: int, before: str, published: date, future: bool) -> list[Span]:
    """The day a weekday names: "last Friday" and a past event the one before (or that day),
    "next Friday" and a coming event the one ahead, "this Friday" the one of the same week."""
    back = published - timedelta(days=(published.weekday() - weekday) % 7)
    ahead = published + timedelta(days=(weekday - published.weekday()) % 7)
    if _LAST.search(before):
        days = [back if back != published else back - timedelta(days=7)]
    elif _NEXT.search(before):
        days = [ahead if ahead != published else ahead + timedelta(days=7), ahead + timedelta(days=7)]
    elif _THIS.search(before):
        days = [_week(published, 0)[0] + timedelta(days=weekday), ahead if future else back]
    else:
        days = [ahead if future else back]
    return [(d, d) for d in days]


def explicit_spans(text: str, published: date | None) -> list[Span]:
    """The days a text names as dates ("Feb. 14", "31 October 2019"), not its weekdays or
    relative words: what tells a reader the date without working it out."""
    return _explicit_spans(fold(text), published)


def _full_year(year: int, published: date | None) -> int:
    """A year as written in full: "99" is the 1999 or 2099 nearest the publication date ("28.02.99"
    in a 2019 article is 1999), else as strptime's %y reads it (69 to 99: the 1900s)."""
    if year >= 100:
        return year
    if published is None:
        return year + (1900 if year >= 69 else 2000)
    return min((1900 + year, 2000 + year), key=lambda full: abs(full - published.year))


def _explicit_spans(text: str, published: date | None, tense: str | None = None) -> list[Span]:
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for pattern, day_at, month_at, year_at in ((_DAY_MONTH, 1, 2, 3), (_MONTH_DAY, 2, 1, 3)):
        for match in pattern.finditer(text):
            month, day = MONTHS[match.group(month_at)], int(match.group(day_at))
            years = [int(match.group(year_at))] if match.group(year_at) else _in_tense(
                _years_near(month, day, published), month, day, published, tense)
            spans += [s for y in years if (s := _day(y, month, day))]
            taken.append(match.span())
    for match in _NUMERIC.finditer(text):
        if match.group(5):
            found = _day(int(match.group(5)), int(match.group(6)), int(match.group(7)))
            spans += [found] if found else []
        else:
            a, b, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            year = _full_year(year, published)
            spans += [s for s in (_day(year, b, a), _day(year, a, b)) if s]
        taken.append(match.span())
    for match in _MONTH_YEAR.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            spans.append(_month(date(int(match.group(2)), MONTHS[match.group(1)], 1), 0))
            taken.append(match.span())
    for match in _MONTH_ALONE.finditer(text):
        short = len(match.group(1)) <= 3 and not text.startswith(".", match.end())  # "Nov." is a month
        if not any(s <= match.start() < e for s, e in taken) and not short:
            spans += [_month(date(y, MONTHS[match.group(1)], 1), 0)
                      for y in _years_near(MONTHS[match.group(1)], 15, published)]
    if not spans:
        spans += [(date(int(y), 1, 1), date(int(y), 12, 31)) for y in _YEAR.findall(text)]
    return spans


def _in_tense(years: list[int], month: int, day: int, published: date | None, tense: str | None) -> list[int]:
    """The years a date without one can mean in its sentence's tense: what "will be held on
    February 23" names lies ahead, what "was held" names lies behind."""
    if published is None or tense is None:
        return years
    slack = timedelta(days=1)
    kept = [y for y in years if (d := _day(y, month, min(day, 28))) and
            (d[0] >= published - slack if tense == "future" else d[0] <= published + slack)]
    return kept or years


def date_spans(text: str, published: date | None, future: bool = False, context: str = "",
               anchor: date | None = None, tense: str | None = None) -> list[Span]:
    """Every span of days the text names, read against the publication date and the nearest
    date the article names before it (and "the next year" against the years its context
    states); in the tense of the article's own sentence when it has one."""
    folded = fold(text)
    spans = _explicit_spans(folded, published, tense)
    if published is not None and not any(a == b for a, b in spans):
        for base in dict.fromkeys(b for b in (published, anchor) if b is not None):
            spans += _relative_spans(folded, base, future, fold(context) or folded)
    spans += counted_spans(folded, published, anchor, WEEKDAYS)
    return spans


def anchor_date(before: str, published: date | None) -> date | None:
    """The nearest whole date the article names before a point ("Dec. 18, a Wednesday"): what a
    weekday or "ten days later" after it counts from."""
    folded = fold(before)[-2000:]
    found: list[tuple[int, date]] = []
    for pattern, day_at, month_at, year_at in ((_DAY_MONTH, 1, 2, 3), (_MONTH_DAY, 2, 1, 3)):
        for match in pattern.finditer(folded):
            month, day = MONTHS[match.group(month_at)], int(match.group(day_at))
            years = [int(match.group(year_at))] if match.group(year_at) else _years_near(month, day, published)
            days = [d[0] for y in years if (d := _day(y, month, day))]
            if days and published is not None:
                found.append((match.end(), min(days, key=lambda d: abs((d - published).days))))
            elif len(days) == 1:
                found.append((match.end(), days[0]))
    return max(found)[1] if found else None


def looks_ahead(*texts: str) -> bool:
    """Whether an event lies ahead, by the words that say so ("will", "next", "wird", ...)."""
    return any(_FUTURE.search(fold(t)) for t in texts if t)


def compare(iso: str, spans: list[Span]) -> CheckStatus:
    """verified: the ISO date names a stated span or a wider one holding it; approximate: it is
    more precise than the text but inside it; unsupported: it falls outside every stated span."""
    named = parse_iso(iso)
    if named is None:
        return "unsupported"
    best: CheckStatus = "unsupported"
    for start, end in spans:
        if named[0] > end or named[1] < start:
            continue
        if named[1] - named[0] >= end - start:
            return "verified"
        best = "approximate"
    return best


def check_date(iso: str | None, date_text: str, paragraph_texts: list[str], published: date | None,
               what: str = "", before: str = "") -> CheckStatus:
    """What the model wrote in date_text, where the paragraphs print it, read in the tense of the
    article's own sentence (not the model's summary of it) against the publication date and the
    nearest date the article names before it (`before`: the article's text before the cited
    paragraphs); otherwise every date the paragraphs state."""
    if iso is None:
        return "unchecked"
    paragraphs = fold(" ".join(paragraph_texts))
    written = fold(re.sub(r"^\s*(on|in|el|le|am|il|em|no)\s+", "", date_text or "", flags=re.IGNORECASE))
    printed = bool(written) and re.search(rf"(?<!\w){re.escape(written)}(?!\w)", paragraphs) is not None
    if printed:
        found = _as_written(iso, written, date_text, paragraph_texts, paragraphs, published, before)
        if found is not None:
            # counted from an event the article names ("three weeks before he died"): read from the
            # last date it names, which may not be that event's; a miss is no evidence of an error
            return "unchecked" if found == "unsupported" and counts_from_event(written) else found
    spans = date_spans(paragraphs, published, looks_ahead(date_text, what))
    if not spans and published is None:
        return "unchecked"
    verdict = compare(iso, spans)
    # printed in words briefer does not read ("in queste ore"): the paragraphs' other dates are
    # not what it says, so they do not contradict it
    return "unchecked" if printed and verdict == "unsupported" else verdict


def _as_written(iso: str, written: str, date_text: str, paragraph_texts: list[str], paragraphs: str,
                published: date | None, before: str) -> CheckStatus | None:
    """The date checked against what the words the paragraphs print name, in the tense of their
    sentence; None when briefer reads no date in those words."""
    sentence = _sentence_of(paragraphs, written)
    tense = _tense(_clause_of(sentence, written)) or _tense(sentence)
    anchor = anchor_date(f"{before} {paragraphs[:paragraphs.find(written)]}", published)
    year_tense = _year_tense(_clause_of(sentence, written))
    if tense is None and not looks_ahead(sentence):
        # the article's sentence does not say which way ("opens to the public on Friday"):
        # a date both readings agree on is decided, one only a reading fits is not checked
        verdicts = {compare(iso, spans) for future in (False, True)
                    if (spans := date_spans(written, published, future, paragraphs, anchor, year_tense))}
        if len(verdicts) == 1:
            return verdicts.pop()
        if verdicts:
            return "unchecked"
    readings = [tense == "future"] if tense is not None else [True]
    spans = [span for future in readings
             for span in date_spans(written, published, future, paragraphs, anchor, year_tense)]
    spans = spans or _month_named(date_text, paragraph_texts, published)
    return compare(iso, spans) if spans else None


def _month_named(date_text: str, paragraph_texts: list[str], published: date | None) -> list[Span]:
    """A month written alone with its capital, as the paragraph prints it ("in May"): the short
    names that bare text cannot tell from a word ("may") are months when the model quotes them
    so and the paragraph agrees."""
    name = re.sub(r"^\s*(on|in|el|le|am|il|em|no)\s+", "", date_text or "", flags=re.IGNORECASE).strip()
    month = MONTHS.get(fold(name))
    if not month or not name[:1].isupper() or not re.search(rf"\b{re.escape(name)}\b", " ".join(paragraph_texts)):
        return []
    return [_month(date(y, month, 1), 0) for y in _years_near(month, 15, published)]


def parse_published(value: str | None) -> date | None:
    """The publication date, when the source gives a whole one."""
    span = parse_iso(value or "")
    return span[0] if span and span[0] == span[1] else None
