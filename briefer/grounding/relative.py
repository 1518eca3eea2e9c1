"""Counted relative dates, as a reader resolves them, in the six briefing languages: so many days,
weeks, months or years ago ("two days ago", "il y a trois jours", "hace tres días", "vor drei
Tagen", "tre giorni fa", "há três dias", "a year ago"), so many weekdays ago ("hace dos lunes"),
and so many later or earlier ("diez días más tarde", "ten days later", "zehn Tage später"),
which count from the nearest date the article names before them. Text arrives folded (lower
case, no accents)."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from .numbers import number_words

Span = tuple[date, date]

_UNITS = {
    "day": "days day dias dia jours jour tagen tage tag giorni giorno",
    "week": "weeks week semanas semana semaines semaine wochen woche settimane settimana",
    "month": "months month meses mes mois monaten monate monat mesi mese",
    "year": "years year anos ano ans an annees annee jahren jahre jahr anni anno",
}
_UNIT = {w: unit for unit, words in _UNITS.items() for w in words.split()}
_UNIT_RE = "|".join(sorted(_UNIT, key=len, reverse=True))
_COUNT = r"(?P<count>\d+|[a-z]+(?:[ -][a-z]+)?)"
#: "two days ago", "il y a trois jours", "hace tres dias", "vor drei tagen", "tre giorni fa", "ha tres dias".
_AGO = re.compile(
    rf"\b(?:(?:il y a|hace|vor|ha|faz)\s+{_COUNT}\s+(?P<unit>{_UNIT_RE})\b"
    rf"|{_COUNT.replace('count', 'count2')}\s+(?P<unit2>{_UNIT_RE})\s+(?:ago|fa|atras|earlier)\b)")
#: "diez dias mas tarde", "ten days later", "dix jours plus tard", "zehn tage spater", "dieci giorni dopo".
_LATER = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>{_UNIT_RE})\s+(?:later|after|mas tarde|despues|plus tard|apres|spater|"
    rf"danach|dopo|piu tardi|depois|mais tarde)\b")
#: "three weeks before he died", "dix jours après le vote", "drei Wochen vor seinem Tod": counted
#: from an event the article names, whose date may not be the last one it gives.
_AROUND_EVENT = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>{_UNIT_RE})\s+(?P<way>before|after|antes|despues|avant|apres|vor|nach|prima|dopo|"
    rf"depois)\s+(?=[a-z])")
_BACK = frozenset("before antes avant vor prima".split())
_WEEKDAYS_AGO = re.compile(r"\b(?:hace|il y a|vor|ha|faz)\s+(?P<count>[a-z]+|\d+)\s+(?P<day>[a-z]+)\b")


def _count(words: str) -> int | None:
    if words.isdigit():
        return int(words)
    if words in ("a", "an", "un", "une", "un ano", "einem", "einer", "uno", "una", "um", "uma"):
        return 1
    found = number_words(words)
    return int(max(found[0][2])) if found and found[0][0] == 0 else None


def _back(when: date, count: int, unit: str) -> Span:
    """The day or span `count` units before (a negative count: after) a date."""
    if unit == "day":
        day = when - timedelta(days=count)
        return day, day
    if unit == "week":
        day = when - timedelta(weeks=count)
        return day - timedelta(days=3), day + timedelta(days=3)
    index = when.year * 12 + when.month - 1 - (count if unit == "month" else 12 * count)
    year, month = divmod(index, 12)
    if unit == "month":
        return date(year, month + 1, 1), date(year, month + 1, monthrange(year, month + 1)[1])
    return date(year, 1, 1), date(year, 12, 31)


def counts_from_event(text: str) -> bool:
    """Whether the text counts from an event it names ("three weeks before he died"): read from
    the nearest date the article names, that event's date or not; a date only that reading
    fits verifies, and one it does not fit is not checked (the event may be dated elsewhere)."""
    return bool(_AROUND_EVENT.search(text))


def counted_spans(text: str, published: date | None, anchor: date | None, weekdays: dict[str, int]) -> list[Span]:
    """Every span a counted relative expression of the text names: "ago" from the publication
    date (and from the article's last named date), "later" and "before" or "after" an event
    from that named date."""
    spans: list[Span] = []
    for match in _AGO.finditer(text):
        count = _count(match.group("count") or match.group("count2") or "")
        unit = _UNIT[match.group("unit") or match.group("unit2")]
        for base in (published, anchor):
            if base and count is not None:  # "three weeks ago": that day, or a day of that week
                spans += [_back(base, count, unit)] + ([_back(base, 7 * count, "day")] if unit == "week" else [])
    around = {m.start(): m for m in _AROUND_EVENT.finditer(text)}
    for match in [*(m for m in _LATER.finditer(text) if m.start() not in around), *around.values()]:
        count = _count(match.group("count"))
        if anchor is not None and count is not None:
            back = match.groupdict().get("way") in _BACK  # "before" an event counts back from it
            spans.append(_back(anchor, count if back else -count, _UNIT[match.group("unit")]))
    for match in _WEEKDAYS_AGO.finditer(text):
        day_name = match.group("day")
        weekday = None if day_name in _UNIT else weekdays.get(day_name, weekdays.get(day_name.rstrip("s")))
        count = _count(match.group("count"))
        if weekday is None or count is None:
            continue
        for base in (published, anchor):
            if base:  # "hace dos lunes": the Monday before last
                last = base - timedelta(days=(base.weekday() - weekday) % 7 or 7)
                day = last - timedelta(weeks=count - 1)
                spans.append((day, day))
    return spans
