"""What a locale defines, from CLDR through Babel: language names, plural categories, long dates
and numbers (Babel carries no quotation delimiters: core/typography.py keeps CLDR's own).

Loading Babel and a locale costs about 90 ms of CPU, more than the rest of a replayed briefing's
rendering. English, the default, is therefore written by Python itself where that is CLDR's own
result (grouped numbers, "one" for 1, day month year), which tests/test_locale_data.py checks
against Babel; every other language, and every language name, goes through Babel."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

#: English dates are written day, month, year ("19 November 2019"): CLDR's en_GB long date,
#: unambiguous to readers on both sides of the Atlantic. Every other figure of English is en's.
_DATE_LOCALES = {"en": "en_GB"}


@cache
def _locale(code: str) -> Any:
    """The CLDR locale of a language code; English for one CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def language_name(code: str, in_language: str) -> str:
    """A language's name in another language: ("en", "fr") -> "anglais"; the code when unknown."""
    return _locale(in_language).languages.get(code, code)


def plural_category(count: int, language: str) -> str:
    """CLDR's plural category of a count: "one", "few", "many", "other"..."""
    if language == "en":  # CLDR en: one = "i = 1 and v = 0"
        return "one" if abs(count) == 1 else "other"
    return str(_locale(language).plural_form(abs(count)))


def long_date(year: int, month: int, day: int | None, language: str) -> str:
    """A date as the language writes it in full, or its month and year when no day is given."""
    if language == "en":  # CLDR en_GB: "d MMMM y", "MMMM y"; the C locale's month names
        import calendar

        month_year = f"{calendar.month_name[month]} {year}"
        return f"{day} {month_year}" if day else month_year
    from babel.dates import format_date, format_skeleton

    locale = _locale(_DATE_LOCALES.get(language, language))
    when = date(year, month, day or 1)
    return format_date(when, "long", locale=locale) if day else format_skeleton("yMMMM", when, locale=locale)


def decimal(value: float, language: str, decimals: int = 0) -> str:
    """A number with the language's grouping and decimal signs, to a fixed number of decimals."""
    if language == "en":  # CLDR en: "#,##0.###", grouping by 3 with "," and "." for decimals
        return f"{value:,.{decimals}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(language), decimal_quantization=True)

