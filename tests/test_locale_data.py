"""Locale words by the book (issue 22): language names, plural forms, dates and numbers from CLDR
through Babel, in every template string that counts or names something."""

from __future__ import annotations

import json
from pathlib import Path

from briefer.core.languages import counted, date_words, name, names, plural
from briefer.core.models import Briefing
from briefer.core.typography import number
from briefer.render.engine import render_briefing


def test_a_source_in_another_language_is_named_in_the_briefing_s_language(seed_json: Path) -> None:
    briefing = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    english_source = [s.model_copy(update={"language": "en"}) for s in briefing.sources]
    for language, said in (("fr", "(rédigé en anglais)"), ("de", "(verfasst auf Englisch)")):
        shown = render_briefing(briefing.model_copy(update={"language": language, "sources": english_source}))
        assert said in shown, language
        assert "English" not in shown


def test_counts_take_the_form_cldr_gives_them() -> None:
    assert counted("{a} {a|approximatif|approximatifs}", "fr", a=1) == "1 approximatif"
    assert counted("{a} {a|approximatif|approximatifs}", "fr", a=0) == "0 approximatif"  # French: 0 is one
    assert counted("{a} {a|approximatif|approximatifs}", "fr", a=2) == "2 approximatifs"
    assert plural(0, ("item", "items"), "en") == "items"
    assert plural(1, ("Aufruf", "Aufrufe"), "de") == "Aufruf"


def test_a_count_takes_the_plural_form_of_the_briefings_language(seed_json: Path) -> None:
    """CLDR's plural rule, not English's: French counts 0 as one ("0 autre élément")."""
    from briefer.render.words import count_of

    briefing = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    french = briefing.model_copy(update={"language": "fr"})
    assert count_of({"briefing": french}, 0, "story", "stories") == "0 story"
    assert count_of({"briefing": briefing}, 0, "story", "stories") == "0 stories"
    assert count_of({"briefing": french}, 2, "story", "stories") == "2 stories"


def test_language_names_dates_and_numbers_are_cldr_s() -> None:
    assert names()["de"] == ("German", "Deutsch") and name("fr") == "French (français)"
    assert name("zh") == "Chinese (中文)"
    assert date_words(2019, 11, 19, "de") == "19. November 2019"
    assert date_words(2019, 11, None, "es") == "noviembre de 2019"
    assert date_words(2019, 11, 19, "en") == "19 November 2019"
    assert number(4434, "fr") == "4\u202f434" and number(0.0047, "de", 4) == "0,0047"
    assert json.dumps(number(1234567, "en")) == '"1,234,567"'


def test_english_written_by_python_is_exactly_what_babel_writes() -> None:
    """English skips loading Babel (start-up): its numbers, plurals and dates must be CLDR's own."""
    from babel import Locale
    from babel.dates import format_date, format_skeleton
    from babel.numbers import format_decimal

    from briefer.core.locale_data import decimal, long_date, plural_category

    english, british = Locale.parse("en"), Locale.parse("en_GB")
    for value in (0, 1, 7, 999, 1000, 4434, 14646, 1234567, -5, 0.0047, 12.5, 0.0129):
        for decimals in (0, 4):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            assert decimal(value, "en", decimals) == format_decimal(value, format=pattern, locale=english)
    for count in range(0, 25):
        assert plural_category(count, "en") == english.plural_form(count)
    from datetime import date

    for month in range(1, 13):
        assert long_date(2019, month, 19, "en") == format_date(date(2019, month, 19), "long", locale=british)
        assert long_date(2019, month, None, "en") == format_skeleton("yMMMM", date(2019, month, 1), locale=british)
