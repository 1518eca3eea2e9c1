"""Dates as a reader resolves them (grounding/dates.py, relative.py), case by case: which days
"last weekend", "this weekend" and "next weekend" name from the day the report was published.
Each case stands for mutants of the modules that the grounding tests let through."""

from __future__ import annotations

from datetime import date

import pytest

from briefer.grounding import dates
from briefer.grounding.dates import anchor_date, check_date, date_spans, explicit_spans

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


def _days(*days: date) -> list[tuple[date, date]]:
    return [(day, day) for day in days]


@pytest.mark.parametrize(("text", "tense", "spans"), [
    # what "will" happen may be the day before the publication (a report written overnight)...
    ("March 12", "future", _days(date(2024, 3, 12), date(2025, 3, 12))),
    ("March 11", "future", _days(date(2025, 3, 11))),  # ... not two days before
    # and what "was" may be the day after, not two days after
    ("March 14", "past", _days(date(2023, 3, 14), date(2024, 3, 14))),
    ("March 15", "past", _days(date(2023, 3, 15))),
])
def test_a_date_without_a_year_is_read_in_its_sentences_tense_a_day_either_way(
        text: str, tense: str, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, WEDNESDAY, tense=tense) == spans


def test_the_29th_of_february_ahead_in_a_year_without_one_is_no_day() -> None:
    # said in January 2025 of what will be: not the leap day of 2024, which is past
    assert date_spans("February 29", date(2025, 1, 10), tense="future") == []


def test_a_day_without_a_year_is_of_the_years_less_than_a_year_away() -> None:
    # 14 March 2025 is 366 days after 13 March 2024: more than a year ahead
    assert explicit_spans("on March 14", WEDNESDAY) == _days(date(2023, 3, 14), date(2024, 3, 14))


@pytest.mark.parametrize(("text", "spans"), [
    ("last week", [(date(2024, 3, 4), date(2024, 3, 10))]),  # Monday to Sunday
    ("last month", [(date(2024, 2, 1), date(2024, 2, 29))]),
    ("last year", [(date(2023, 1, 1), date(2023, 12, 31))]),
    ("yesterday, and last weekend", [*_days(date(2024, 3, 12)), BEFORE]),  # each span the text names
])
def test_last_week_month_and_year_are_whole_spans(text: str, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, WEDNESDAY) == spans


@pytest.mark.parametrize(("text", "year"), [
    ("the previous year", 2015), ("a year before", 2015), ("the following year", 2017), ("a year later", 2017),
])
def test_the_year_before_or_after_is_counted_from_the_year_the_context_states(text: str, year: int) -> None:
    assert date_spans(text, WEDNESDAY, context="In August 2016, the dam broke.") == [
        (date(year, 1, 1), date(year, 12, 31))]


def test_a_year_earlier_is_the_year_before_the_context_and_before_the_publication() -> None:
    assert date_spans("a year earlier", WEDNESDAY, context="In August 2016, the dam broke.") == [
        (date(2015, 1, 1), date(2015, 12, 31)), (date(2023, 1, 1), date(2023, 12, 31))]


def test_a_year_counted_from_the_context_is_kept_with_the_texts_other_spans() -> None:
    assert date_spans("last month, and the previous year", WEDNESDAY, context="In August 2016, it broke.") == [
        (date(2024, 2, 1), date(2024, 2, 29)), (date(2015, 1, 1), date(2015, 12, 31))]


@pytest.mark.parametrize(("text", "future", "spans"), [
    # on a Wednesday, "last Wednesday" is a week back, "next Wednesday" a week ahead
    ("last Wednesday", False, _days(date(2024, 3, 6))),
    ("next Wednesday", False, _days(date(2024, 3, 20), date(2024, 3, 20))),
    # "next Friday": this week's, or the one after it
    ("next Friday", False, _days(date(2024, 3, 15), date(2024, 3, 22))),
    # "this Friday" of an event ahead: the Friday of this week, ahead
    ("this Friday", True, _days(date(2024, 3, 15), date(2024, 3, 15))),
])
def test_a_weekday_after_last_next_or_this_is_counted_from_the_publication(
        text: str, future: bool, spans: list[tuple[date, date]]) -> None:
    assert date_spans(text, WEDNESDAY, future) == spans


def test_a_count_in_digits_ago_is_counted_back() -> None:
    assert date_spans("10 days ago", WEDNESDAY) == _days(date(2024, 3, 3))


def test_relative_words_are_found_whole_each_of_them_and_nothing_else() -> None:
    # the patterns are built once, at import: built again here, as the module builds them
    pattern = dates._phrases(dates._SPAN_WORDS[("week", -1)])
    for phrase in dates._SPAN_WORDS[("week", -1)].split("|"):
        assert pattern.search(f"as of {phrase}, officials said"), phrase
    assert not pattern.search("last year")
    assert not pattern.search("the last weekend")
    today = dates._phrases(dates._DAYS[0])
    assert today.search("c'est aujourd'hui")
    assert not today.search("todays")


def test_each_span_before_a_weekday_is_kept() -> None:
    assert date_spans("last week, on Monday", WEDNESDAY) == [(date(2024, 3, 4), date(2024, 3, 10)),
                                                             *_days(date(2024, 3, 11))]


def test_a_whole_date_is_an_anchor_even_without_a_publication_date_and_an_impossible_one_is_none() -> None:
    assert anchor_date("On March 1, 2019, the talks began.", None) == date(2019, 3, 1)
    assert anchor_date("The letter was dated April 31.", WEDNESDAY) is None


TALKS = "The talks ended on Friday, the ministry said. They had begun on March 1, 2019, also a Friday."


def test_a_weekday_is_counted_from_the_dates_before_where_the_paragraphs_first_print_it() -> None:
    # the talks ended on the Friday before the publication, not on the 2019 Friday named after it
    assert check_date("2024-03-08", "Friday", [TALKS], WEDNESDAY) == "verified"
    assert check_date("2019-03-01", "Friday", [TALKS], WEDNESDAY) == "unsupported"


def test_a_weekday_of_a_sentence_without_tense_only_one_reading_fits_from_an_earlier_date_is_not_checked() -> None:
    # "opens on Friday" may be the Friday after 18 December 2019 (ahead of it) but not the one before
    before = "On Dec. 18, 2019, a Wednesday, the council voted."
    assert check_date("2019-12-20", "on Friday", ["The museum opens to the public on Friday."], WEDNESDAY,
                      before=before) == "unchecked"


@pytest.mark.parametrize(("iso", "status"), [("2024-03-15", "verified"), ("2024-03-08", "unsupported")])
def test_a_sentence_with_words_of_both_tenses_that_looks_ahead_is_read_ahead(iso: str, status: str) -> None:
    # "delayed" is a past form, "will" says the vote lies ahead
    assert check_date(iso, "on Friday", ["The delayed vote will be held on Friday."], WEDNESDAY) == status


def test_the_word_before_a_date_the_model_writes_in_capitals_is_left_out_where_the_paragraph_prints_it() -> None:
    # "On Friday": the paragraph prints "Friday" alone, and the March 1 deadline is not the vote's day
    paragraph = "The vote was held Friday, two weeks after the March 1 deadline."
    assert check_date("2024-03-08", "On Friday", [paragraph], WEDNESDAY) == "verified"


def test_a_date_the_model_gives_no_iso_for_is_unchecked_and_an_impossible_one_unsupported() -> None:
    assert check_date(None, "on Friday", ["The vote was held Friday."], WEDNESDAY) == "unchecked"
    assert check_date("2024-02-30", "in February", ["The vote was held in February."], WEDNESDAY) == "unsupported"


@pytest.mark.parametrize(("date_text", "what", "status"), [
    ("next Friday", "", "verified"), ("this Friday", "The vote will be held", "verified"),
    ("this Friday", "The vote was held", "unsupported"),
])
def test_a_date_the_paragraphs_print_otherwise_is_read_ahead_when_the_models_words_look_ahead(
        date_text: str, what: str, status: str) -> None:
    # the paragraph prints "on Friday," not the model's words: its Friday is the coming one only
    # when the model's date or event looks ahead
    paragraph = "The vote is on Friday, officials say."
    assert check_date("2024-03-15", date_text, [paragraph], WEDNESDAY, what=what) == status


def test_a_count_ago_is_counted_from_the_publication_and_from_the_date_named_before_it() -> None:
    assert date_spans("ten days ago", WEDNESDAY, anchor=date(2019, 12, 18)) == _days(date(2024, 3, 3),
                                                                                     date(2019, 12, 8))


def test_so_many_weekdays_ago_in_the_plural_is_that_weekday_so_many_weeks_back() -> None:
    # "il y a deux lundis": the Monday before last
    assert date_spans("il y a deux lundis", WEDNESDAY) == _days(date(2024, 3, 4))


def test_without_a_publication_date_only_the_dates_the_paragraphs_name_outright_are_checked() -> None:
    paragraph = "On March 1, 2019, the talks began."
    assert check_date("2019-03-01", "in March 2019", [paragraph], None) == "verified"
    assert check_date("2019-03-02", "in March 2019", [paragraph], None) == "unsupported"
    # a weekday with nothing to count it from
    assert check_date("2019-03-01", "Friday", ["The talks ended on Friday."], None) == "unchecked"


@pytest.mark.parametrize(("text", "spans"), [
    ("between March 1, 2019 and March 5, 2019", _days(date(2019, 3, 1), date(2019, 3, 5))),  # each date
    ("on 2019-03-01", _days(date(2019, 3, 1))),  # an ISO date in the text
    ("On 1 March 2019, and on 2019-03-05", _days(date(2019, 3, 1), date(2019, 3, 5))),
    # an impossible ISO date is no day: the text names its year, and only that
    ("on 2019-02-30", [(date(2019, 1, 1), date(2019, 12, 31))]),
    # a date in figures, day and month either way round, the year in four figures or two
    ("on 01.03.2022", _days(date(2022, 3, 1), date(2022, 1, 3))),
    ("on 1/3/22", _days(date(2022, 3, 1), date(2022, 1, 3))),
    ("on 13.03.2024", _days(date(2024, 3, 13))),  # there is no 13th month
    ("On 1 March 2019, and on 05.03.2019", _days(date(2019, 3, 1), date(2019, 3, 5), date(2019, 5, 3))),
    # a month alone (of four letters too) is that month of the years within one of the publication
    ("on 01.03.2022, in March", [*_days(date(2022, 3, 1), date(2022, 1, 3)), (date(2023, 3, 1), date(2023, 3, 31)),
                                (date(2024, 3, 1), date(2024, 3, 31))]),
    ("in June", [(date(2023, 6, 1), date(2023, 6, 30)), (date(2024, 6, 1), date(2024, 6, 30))]),
    ("between June and September", [(date(2023, 6, 1), date(2023, 6, 30)), (date(2024, 6, 1), date(2024, 6, 30)),
                                    (date(2023, 9, 1), date(2023, 9, 30)), (date(2024, 9, 1), date(2024, 9, 30))]),
    ("in 2019", [(date(2019, 1, 1), date(2019, 12, 31))]),
])
def test_every_date_a_text_writes_out_is_read(text: str, spans: list[tuple[date, date]]) -> None:
    assert explicit_spans(text, WEDNESDAY) == spans


def test_a_text_that_names_a_day_outright_is_not_read_for_relative_words_as_well() -> None:
    assert date_spans("The talks of last week began on March 1, 2019.", WEDNESDAY) == _days(date(2019, 3, 1))


def test_without_a_publication_date_relative_words_name_no_span() -> None:
    assert date_spans("last week", None, anchor=date(2019, 12, 18)) == []


def test_the_year_after_is_counted_from_the_years_the_text_itself_states() -> None:
    spans = date_spans("In August 2016, the dam broke. The next year, it was rebuilt.", WEDNESDAY)
    assert (date(2017, 1, 1), date(2017, 12, 31)) in spans


@pytest.mark.parametrize(("text", "day"), [
    ("hace dos viernes", date(2024, 3, 1)),  # the Friday before last
    ("hace dos miércoles", date(2024, 2, 28)),  # said on a Wednesday: not counting that day
    ("hace dos semanas, y hace dos lunes", date(2024, 3, 4)),  # read past a count of weeks
])
def test_so_many_weekdays_ago_is_that_weekday_so_many_weeks_back(text: str, day: date) -> None:
    assert (day, day) in date_spans(text, WEDNESDAY)


@pytest.mark.parametrize(("value", "published"), [
    ("2024-03-13", date(2024, 3, 13)), ("2024-03", None), ("2024", None), (None, None), ("March", None),
])
def test_only_a_whole_day_is_a_publication_date(value: str | None, published: date | None) -> None:
    assert dates.parse_published(value) == published


def test_a_two_digit_year_is_the_one_nearest_the_publication_date() -> None:
    """"28.02.99" in a 2019 article was read as 2099: a two-digit year is the century's nearest
    the article's date; with no date, as strptime's %y reads it."""
    spans = date_spans("Er wurde am 28.02.99 verhaftet.", date(2019, 11, 19))
    assert (date(1999, 2, 28), date(1999, 2, 28)) in spans and all(s[0].year == 1999 for s in spans)
    assert (date(2021, 3, 1), date(2021, 3, 1)) in date_spans("Am 01.03.21 begann es.", date(2019, 11, 19))
    assert all(s[0].year == 1999 for s in date_spans("28.02.99", None))
    assert all(s[0].year == 2005 for s in date_spans("28.02.05", None))
