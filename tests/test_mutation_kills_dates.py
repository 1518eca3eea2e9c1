"""Dates as a reader resolves them (grounding/dates.py, relative.py), case by case: which days
"last weekend", "this weekend" and "next weekend" name from the day the report was published.
Each case stands for mutants of the modules that the grounding tests let through."""

from __future__ import annotations

from datetime import date

import pytest

from briefer.grounding.dates import check_date, date_spans, explicit_spans

WEDNESDAY, SUNDAY, MONDAY = date(2024, 3, 13), date(2024, 3, 10), date(2024, 3, 11)
BEFORE = (date(2024, 3, 9), date(2024, 3, 10))  # the weekend before the Wednesday
AFTER = (date(2024, 3, 16), date(2024, 3, 17))


@pytest.mark.parametrize(("published", "text", "future", "spans"), [
    (WEDNESDAY, "last weekend", False, [BEFORE]),
    (MONDAY, "last weekend", False, [BEFORE]),
    # on a Sunday, "last weekend" is the one before this one
    (SUNDAY, "last weekend", False, [(date(2024, 3, 2), date(2024, 3, 3))]),
    (WEDNESDAY, "next weekend", False, [AFTER]),
    (SUNDAY, "next weekend", True, [AFTER]),
    # "this weekend" in the week: the one just past, or, of an event ahead, the coming one
    (WEDNESDAY, "this weekend", False, [BEFORE, AFTER]),
    (WEDNESDAY, "this weekend", True, [AFTER]),
    # said on the weekend itself, of an event ahead: the weekend under way is one reading of it
    (date(2024, 3, 9), "this weekend", True, [BEFORE, AFTER]),
    (SUNDAY, "this weekend", True, [BEFORE, AFTER]),
    (MONDAY, "am Wochenende", False, [BEFORE, AFTER]),
])
def test_a_weekend_is_its_saturday_and_sunday_counted_from_the_publication(
        published: date, text: str, future: bool, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, published, future) == spans


@pytest.mark.parametrize(("text", "spans"), [
    # a day without a year is of the years within one of the publication, either way
    ("on Feb. 14", [(date(2024, 2, 14),) * 2, (date(2025, 2, 14),) * 2]),
    ("31 October 2019", [(date(2019, 10, 31),) * 2]),
    ("on Tuesday", []),  # a weekday leaves the reader the date to work out
])
def test_the_dates_a_text_names_outright_are_read_against_the_publication(
        text: str, spans: list[tuple[date, date]]) -> None:
    assert explicit_spans(text, WEDNESDAY) == spans


@pytest.mark.parametrize(("text", "spans"), [
    # "three weeks ago": that day, or a day of the week around it
    ("three weeks ago", [(date(2024, 2, 18), date(2024, 2, 24)), (date(2024, 2, 21),) * 2]),
    ("ten days ago", [(date(2024, 3, 3),) * 2]),
    ("hace dos meses", [(date(2024, 1, 1), date(2024, 1, 31))]),
    ("a year ago", [(date(2023, 1, 1), date(2023, 12, 31))]),
])
def test_a_count_ago_is_counted_back_from_the_publication(text: str, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, WEDNESDAY) == spans


def test_a_year_ago_in_january_is_last_year() -> None:
    assert date_spans("a year ago", date(2024, 1, 10)) == [(date(2023, 1, 1), date(2023, 12, 31))]


A_WEEK_BACK = [(date(2024, 3, 3), date(2024, 3, 9)), (date(2024, 3, 6),) * 2]
A_YEAR_BACK = [(date(2023, 1, 1), date(2023, 12, 31))]


@pytest.mark.parametrize(("text", "spans"), [
    ("il y a une semaine", A_WEEK_BACK), ("il y a un an", A_YEAR_BACK),
    ("vor einem Jahr", A_YEAR_BACK), ("vor einer Woche", A_WEEK_BACK),
    ("una settimana fa", A_WEEK_BACK), ("un anno fa", A_YEAR_BACK),
    ("há um ano", A_YEAR_BACK), ("há uma semana", A_WEEK_BACK),
])
def test_one_unit_ago_said_with_an_article_in_each_language(text: str, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, WEDNESDAY) == spans


JUNE = date(2024, 6, 10)


@pytest.mark.parametrize(("date_text", "paragraphs"), [
    # (a month's short name is read in the paragraph only before a stop: "Nov.", "May.")
    ("in May", ["The vote was held in May, and counted in June."]),
    ("In May", ["The vote was held in May, and counted in June."]),
    # a headline paragraph that ends on the month, then the next one
    ("in May", ["Elections in May", "The country voted then, officials said."]),
])
def test_a_month_the_model_writes_with_its_capital_as_the_paragraph_does_is_read(
        date_text: str, paragraphs: list[str]) -> None:
    assert check_date("2024-05", date_text, paragraphs, JUNE) == "verified"


def test_the_word_may_is_no_month() -> None:
    assert check_date("2024-05", "may", ["The vote may be held soon."], JUNE) == "unchecked"
