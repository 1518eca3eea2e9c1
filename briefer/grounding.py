"""Every quote, excerpt, figure and date checked against the source: the program, not the model,
says what is verified.

Matching is exact after normalising what does not change meaning (case, curly and straight
quotes, dashes, white space, ellipses); quotation marks are dropped altogether, so a real quote
verifies even where the article's own quotation marks are unbalanced. Near-verbatim text is
"approximate", with the closest span of the source; anything else is "unsupported".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import fuzz

from .models import (
    Actor,
    Briefing,
    CheckStatus,
    DisputedClaim,
    Document,
    Event,
    Evidence,
    Fact,
    GroundingMode,
    GroundingReport,
    Position,
    Quote,
    SourceDispute,
    StatusCounts,
)

T = TypeVar("T", Position, DisputedClaim, Fact, Event)

#: rapidfuzz partial_ratio (0-100) from which a non-verbatim excerpt counts as "approximate".
APPROXIMATE_AT = 90.0

_QUOTE_MARKS = frozenset("\"'`´“”„‟″‘’‚‛′«»‹›")
_DASHES = frozenset("‐‑‒–—―−")
_TRIM = " .,;:!?"


# --------------------------------------------------------------------- normalising text


@dataclass(frozen=True)
class Normalised:
    """A text in matching form, with the offset in the original of every character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int, base: int = 0) -> tuple[int, int]:
        """Original offsets (plus base) of the normalised span [start, end)."""
        return base + self.origin[start], base + self.origin[end - 1] + 1


_WORD = re.compile(r"\S+")
_NEEDS_CARE = re.compile("[" + re.escape("".join(_QUOTE_MARKS | _DASHES)) + "…]")


def normalise(text: str) -> Normalised:
    """Case, quotation marks, dashes, ellipses and white space made uniform, keeping for every
    character its offset in the original. Word by word: most words need no care at all."""
    pieces: list[str] = []
    origin: list[int] = []
    kept_end = 0  # where the white space after the last kept word begins
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        lowered = word.lower()
        if len(lowered) == len(word) and not _NEEDS_CARE.search(word):
            piece, offsets = lowered, range(start, start + len(word))
        else:
            piece, offsets = _careful(word, start)
        if not piece:
            continue
        if pieces:
            pieces.append(" ")
            origin.append(kept_end)
        pieces.append(piece)
        origin.extend(offsets)
        kept_end = match.end()
    return Normalised("".join(pieces), tuple(origin))


def _careful(word: str, start: int) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(word, start):
        if char in _QUOTE_MARKS:
            continue
        replacement = "..." if char == "…" else "-" if char in _DASHES else char.lower()
        chars.append(replacement)
        offsets.extend([index] * len(replacement))
    return "".join(chars), offsets


_MATCHING_FORM = str.maketrans({**{q: None for q in _QUOTE_MARKS}, **{d: "-" for d in _DASHES}, "…": "..."})


def matching_text(text: str) -> str:
    """`normalise(text).text`, fast, for texts whose offsets nobody needs (excerpts, names)."""
    return " ".join(text.translate(_MATCHING_FORM).lower().split())


def needle_parts(excerpt: str) -> list[str]:
    """An excerpt as the pieces that must appear in order: an ellipsis marks an omission."""
    text = matching_text(excerpt.replace("[...]", "...").replace("[…]", "..."))
    return [part.strip(_TRIM) for part in text.split("...") if part.strip(_TRIM)]


class Source:
    """A document's paragraphs in matching form, normalised once however many checks run."""

    def __init__(self, document: Document):
        self.document = document
        self.paragraphs = {
            p.number: (normalise(document.text[p.start : p.end]), p.start) for p in document.paragraphs
        }

    @classmethod
    def of(cls, document: Document) -> Source:
        """The Source of a document, reused across the checks of a run (review and final)."""
        key = (document.id, document.sha256)
        if key not in _SOURCES:
            if len(_SOURCES) >= 64:
                _SOURCES.pop(next(iter(_SOURCES)))
            _SOURCES[key] = cls(document)
        return _SOURCES[key]

    def text(self, number: int) -> str:
        found = self.paragraphs.get(number)
        return found[0].text if found else ""


_SOURCES: dict[tuple[str, str], Source] = {}


# ------------------------------------------------------------------ excerpts and quotes


@dataclass(frozen=True)
class Match:
    status: CheckStatus
    paragraph: int
    start: int | None = None
    end: int | None = None


def locate(parts: list[str], haystack: str) -> tuple[int, int] | None:
    """Where the parts stand in order in the haystack, as one normalised span."""
    position, start = 0, None
    for part in parts:
        found = haystack.find(part, position)
        if found < 0:
            return None
        start = found if start is None else start
        position = found + len(part)
    return (start, position) if start is not None else None


def check_excerpt(source: Source, excerpt: str, cited: int) -> Match:
    """Verified where it stands in the cited paragraph, or verbatim in another one (the paragraph
    corrected); approximate where a near-verbatim span exists; unsupported otherwise."""
    parts = needle_parts(excerpt)
    if not parts:
        return Match("unsupported", cited)
    order = [cited, *(n for n in source.paragraphs if n != cited)]
    for number in order:
        if number not in source.paragraphs:
            continue
        normalised, base = source.paragraphs[number]
        found = locate(parts, normalised.text)
        if found:
            return Match("verified", number, *normalised.span(*found, base=base))
    needle = " ".join(parts)
    for number in order:
        if number not in source.paragraphs:
            continue
        normalised, base = source.paragraphs[number]
        aligned = fuzz.partial_ratio_alignment(needle, normalised.text, score_cutoff=APPROXIMATE_AT)
        if aligned is not None and aligned.dest_end > aligned.dest_start:
            return Match("approximate", number, *normalised.span(aligned.dest_start, aligned.dest_end, base))
    return Match("unsupported", cited)


def speaker_named(source: Source, actor: Actor | None, paragraph: int) -> bool:
    """Whether the quote's paragraph, or the one before it, names the speaker: by name, surname,
    alias or role."""
    if actor is None:
        return False
    text = f"{source.text(paragraph - 1)} {source.text(paragraph)}"
    # quotation marks are dropped in matching form, so "Dakota’s" reads "dakotas"
    return any(re.search(rf"\b{re.escape(name)}s?\b", text) for name in _names_of(actor))


def _names_of(actor: Actor) -> set[str]:
    names = {actor.name, *actor.aliases, *([actor.role] if actor.role else [])}
    if actor.kind == "person" and len(actor.name.split()) > 1:
        names.add(actor.name.split()[-1])
    cleaned = {re.sub(r"^(the|a|an) ", "", matching_text(n)) for n in names}
    return {n for n in cleaned if len(n) > 2}


# ---------------------------------------------------------------------- figures

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORDS.update({w: 10 * n for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
_WORDS.update({"dozen": 12, "hundred": 100})
_SCALE_PATTERN = "|".join(sorted(_SCALES, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.])(\d{{1,3}}(?:[,\u00a0\u202f ]\d{{3}})+|\d+)(?:\.(\d+))?(?:\s*({_SCALE_PATTERN})\b)?"
    rf"|\b({'|'.join(_WORDS)})\b(?:\s+({_SCALE_PATTERN})\b)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def figures_in(text: str) -> frozenset[float]:
    """Every number a text states, with thousands separators, decimals, scale words ("15
    billion", "15bn") and small number words ("two") read as values."""
    values = set()
    for digits, decimals, scale, word, word_scale in _NUMBER.findall(text):
        if digits:
            value = float(re.sub(r"[,\u00a0\u202f ]", "", digits) + (f".{decimals}" if decimals else ""))
        else:
            value, scale = float(_WORDS[word.lower()]), word_scale
        values.add(round(value * _SCALES.get(scale.lower(), 1.0), 6))
    return frozenset(values)


def check_figure(source: Source, figure: str, paragraphs: list[int]) -> CheckStatus:
    wanted = figures_in(figure)
    if not wanted:
        return "unchecked"
    stated = set().union(*(figures_in(source.text(n)) for n in paragraphs)) if paragraphs else set()
    return "verified" if wanted & stated else "unsupported"


# ------------------------------------------------------------------------ dates

_MONTHS = {name: n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}
_WEEKDAYS = {d: n for n, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}))\b")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _parse_dateline(dateline: str | None) -> date | None:
    match = _ISO_DATE.match(dateline or "")
    if not match or not match.group(3):
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _plausible_years(month: int, day: int, dateline: date) -> set[int]:
    """The years a month (and day) without a year can mean: any within a year of the dateline,
    before or after it. "February 23" in a November 2024 article is 2025 (ahead) or 2024
    (past); "in April" in a November 2019 report is 2019."""
    years = set()
    for year in (dateline.year - 1, dateline.year, dateline.year + 1):
        try:
            if abs((date(year, month, day) - dateline).days) < 366:
                years.add(year)
        except ValueError:
            pass
    return years


def _relative_months(text: str, dateline: date) -> set[tuple[int, int]]:
    """(year, month) that "last month", "this month", "next month" name."""
    found = set()
    for word, offset in (("last month", -1), ("this month", 0), ("next month", 1), ("earlier this month", 0)):
        if word in text:
            index = dateline.year * 12 + dateline.month - 1 + offset
            found.add((index // 12, index % 12 + 1))
    return found


def _relative_years(text: str, dateline: date) -> set[int]:
    found = set()
    for word, offset in (("last year", -1), ("this year", 0), ("next year", 1)):
        if word in text:
            found.add(dateline.year + offset)
    return found


def _relative_days(text: str, dateline: date) -> set[date]:
    """Dates that words relative to the dateline name: today, yesterday, tomorrow, weekdays."""
    found = set()
    for word, offset in (("today", 0), ("yesterday", -1), ("tomorrow", 1)):
        if re.search(rf"\b{word}\b", text):
            found.add(dateline + timedelta(days=offset))
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text):
            ahead = (weekday - dateline.weekday()) % 7
            found.add(dateline + timedelta(days=ahead if ahead <= 3 else ahead - 7))
    return found


def check_date(source: Source, iso: str | None, paragraphs: list[int]) -> CheckStatus:
    """Whether the paragraphs (read with the dateline for relative dates) state the date."""
    if iso is None:
        return "unchecked"
    match = _ISO_DATE.match(iso)
    if not match:
        return "unsupported"
    year, month, day = (int(g) if g else None for g in match.groups())
    text = " ".join(source.text(n) for n in paragraphs)
    dateline = _parse_dateline(source.document.date)
    years = {int(y) for y in re.findall(r"\b(1[89]\d\d|2[01]\d\d)\b", text)}
    if dateline:
        years |= _relative_years(text, dateline)
    if month is None:
        return "verified" if year in years else "unsupported"
    if day is None:
        months = {_MONTHS[m] for m in re.findall(rf"\b({_MONTH})\b", text)}
        named = month in months and (year in years or (dateline is not None and year in _plausible_years(month, 15, dateline)))
        relative = dateline is not None and (year, month) in _relative_months(text, dateline)
        return "verified" if named or relative else "unsupported"
    stated: set[date] = set(_relative_days(text, dateline)) if dateline else set()
    for name_a, day_a, day_b, name_b in _DAY_MONTH.findall(text):
        m, d = _MONTHS[(name_a or name_b)], int(day_a or day_b)
        for y in years | (_plausible_years(m, d, dateline) if dateline else set()):
            try:
                stated.add(date(y, m, d))
            except ValueError:
                pass
    try:
        return "verified" if date(year, month, day) in stated else "unsupported"
    except ValueError:
        return "unsupported"


# --------------------------------------------------------------- the whole briefing

_RANK = {"unchecked": 0, "verified": 0, "approximate": 1, "unsupported": 2}


def worst(*statuses: CheckStatus) -> CheckStatus:
    return max(statuses, key=_RANK.__getitem__, default="unchecked")


def _checked_evidence(sources: dict[str, Source], evidence: list[Evidence]) -> list[Evidence]:
    checked = []
    for item in evidence:
        source = sources.get(item.source)
        if source is None:
            checked.append(item)
            continue
        found = check_excerpt(source, item.excerpt, item.paragraph)
        checked.append(item.model_copy(update={
            "status": found.status,
            "paragraph": found.paragraph,
            "cited_paragraph": item.paragraph if found.paragraph != item.paragraph else None,
            "start": found.start,
            "end": found.end,
        }))
    return checked


def _checked_quote(sources: dict[str, Source], briefing: Briefing, quote: Quote) -> Quote:
    source = sources.get(quote.source)
    if source is None:
        return quote
    quote = quote.model_copy(update={"also_in": _checked_evidence(sources, quote.also_in)})
    found = check_excerpt(source, quote.text, quote.paragraph)
    named = speaker_named(source, briefing.actor(quote.speaker_id), found.paragraph)
    return quote.model_copy(update={
        "status": found.status,
        "paragraph": found.paragraph,
        "cited_paragraph": quote.paragraph if found.paragraph != quote.paragraph else None,
        "start": found.start,
        "end": found.end,
        "attribution": "confirmed" if named else "flagged",
    })


def _by_source(evidence: list[Evidence]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for item in evidence:
        grouped.setdefault(item.source, []).append(item.paragraph)
    return grouped


def _best(statuses: list[CheckStatus]) -> CheckStatus:
    """Stated in any of its sources is stated."""
    return min(statuses, key=lambda s: (s != "verified", _RANK[s]), default="unsupported")


def ground(briefing: Briefing, documents: list[Document], mode: GroundingMode = "mark") -> Briefing:
    """The briefing with every excerpt, quote, figure, date and attribution checked, and its
    grounding report. Nothing is dropped: `strict` only changes where renderings put what
    failed."""
    if mode == "off":
        return briefing.model_copy(update={"grounding": GroundingReport(mode="off")})
    sources = {d.id: Source.of(d) for d in documents}

    def with_evidence(item: T) -> T:
        return item.model_copy(update={"evidence": _checked_evidence(sources, item.evidence)})  # type: ignore[attr-defined]

    def figure_status(fact: Fact) -> CheckStatus:
        places = _by_source(fact.evidence).items()
        return _best([check_figure(sources[s], fact.figure, ps) for s, ps in places if s in sources])

    def date_status(event: Event) -> CheckStatus:
        if event.date is None:
            return "unchecked"
        places = _by_source(event.evidence).items()
        return _best([check_date(sources[s], event.date, ps) for s, ps in places if s in sources])

    facts = [with_evidence(f) for f in briefing.facts]
    events = [with_evidence(e) for e in briefing.events]
    grounded = briefing.model_copy(update={
        "positions": [with_evidence(p) for p in briefing.positions],
        "disputed_claims": [with_evidence(c) for c in briefing.disputed_claims],
        "quotes": [_checked_quote(sources, briefing, q) for q in briefing.quotes],
        "source_disputes": [d.model_copy(update={"accounts": _checked_evidence(sources, d.accounts)})
                            for d in briefing.source_disputes],
        "facts": [f.model_copy(update={"figure_status": figure_status(f)}) for f in facts],
        "events": [e.model_copy(update={"date_status": date_status(e)}) for e in events],
    })
    return grounded.model_copy(update={"grounding": grounding_report(grounded, mode)})


def all_evidence(briefing: Briefing) -> list[Evidence]:
    """Every excerpt that cites a paragraph: items' evidence, accounts of the sources' disputes,
    and the places a quote appears besides its own."""
    items = [*briefing.positions, *briefing.disputed_claims, *briefing.facts, *briefing.events]
    return [
        *(e for item in items for e in item.evidence),
        *(a for d in briefing.source_disputes for a in d.accounts),
        *(e for q in briefing.quotes for e in q.also_in),
    ]


def grounding_report(briefing: Briefing, mode: GroundingMode) -> GroundingReport:
    def count(statuses: list[CheckStatus]) -> StatusCounts:
        return StatusCounts(**{s: statuses.count(s) for s in ("verified", "approximate", "unsupported", "unchecked")})

    located = [*all_evidence(briefing), *briefing.quotes]
    return GroundingReport(
        mode=mode,
        excerpts=count([item.status for item in located]),
        figures=count([f.figure_status for f in briefing.facts]),
        dates=count([e.date_status for e in briefing.events]),
        attributions_flagged=sum(q.attribution == "flagged" for q in briefing.quotes),
        corrected_paragraphs=sum(item.cited_paragraph is not None for item in located),
    )


def item_status(item: Position | DisputedClaim | Fact | Event | Quote | SourceDispute) -> CheckStatus:
    """An item's standing: the worst of its evidence and of its own figure, date or quote."""
    own: list[CheckStatus] = [e.status for e in getattr(item, "evidence", getattr(item, "accounts", []))]
    if isinstance(item, Quote):
        own += [item.status, "unsupported" if item.attribution == "flagged" else "verified"]
    if isinstance(item, Fact):
        own.append(item.figure_status)
    if isinstance(item, Event):
        own.append(item.date_status)
    return worst(*own)


def grounding_problems(briefing: Briefing) -> list[str]:
    """What failed the checks, as validation errors the model can act on (item paths as in the
    model's reply). Approximate excerpts pass: they are close and marked."""
    problems: list[str] = []

    def unsupported(path: str, evidence: list[Evidence]) -> None:
        for n, e in enumerate(evidence):
            if e.status == "unsupported":
                problems.append(f"{path}.evidence.{n}.excerpt: not found in paragraph {e.paragraph} "
                                "or anywhere in the article; copy excerpts verbatim")

    for name in ("positions", "disputed_claims", "facts", "events"):
        for n, item in enumerate(getattr(briefing, name)):
            unsupported(f"{name}.{n}", item.evidence)
    for n, dispute in enumerate(briefing.source_disputes):
        for m, account in enumerate(dispute.accounts):
            if account.status == "unsupported":
                problems.append(f"source_disputes.{n}.accounts.{m}.excerpt: not found in paragraph "
                                f"{account.paragraph} of {account.source}; copy excerpts verbatim")
    for n, quote in enumerate(briefing.quotes):
        if quote.status == "unsupported":
            problems.append(f"quotes.{n}.text: not found verbatim in paragraph {quote.paragraph} or "
                            "anywhere in the article; copy the quoted words exactly, or leave the quote out")
        elif quote.attribution == "flagged":
            problems.append(f"quotes.{n}.speaker_id: '{quote.speaker_id}' is not named in paragraph "
                            f"{quote.paragraph} or the one before it; check who said it")
    for n, fact in enumerate(briefing.facts):
        if fact.figure_status == "unsupported":
            cited = ", ".join(str(e.paragraph) for e in fact.evidence) or "none"
            problems.append(f"facts.{n}.figure: '{fact.figure}' does not appear in its cited "
                            f"paragraphs ({cited})")
    for n, event in enumerate(briefing.events):
        if event.date_status == "unsupported":
            problems.append(f"events.{n}.date: {event.date} is not stated by its cited paragraphs, "
                            "even read with the publication date; give null and keep the date as "
                            "written in date_text")
    return problems
