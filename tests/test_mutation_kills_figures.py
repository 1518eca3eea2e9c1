"""Figures as a reader takes them (grounding/figures.py), case by case: a percentage is one unit
however it is written, a number of thousands groups is no decimal, and what a number counts is
read past the words between them ("100 people were injured") but not from a word that counts
nothing ("100 from the village"). Each case stands for mutants of the module that the grounding
tests let through."""

from __future__ import annotations

import re

import pytest

from briefer.grounding import check_figure, figures, numbers
from briefer.grounding.reading import read_numbers


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("Inflation rose 5% in March.", "5 percent"),
    ("Inflation rose 5 per cent in March.", "5%"),
    ("Die Inflation stieg um 5 Prozent.", "5%"),
])
def test_a_percentage_is_one_unit_however_it_is_written(paragraph: str, figure: str) -> None:
    assert check_figure([paragraph], figure) == "verified"


@pytest.mark.parametrize("paragraph", ["The census counted 1,234,567 people.", "The bill came to 1,234.5 dollars."])
def test_a_number_with_thousands_groups_and_more_is_not_read_as_a_decimal(paragraph: str) -> None:
    # "15.818" alone may be a decimal; "1,234,567" and "1,234.5" cannot be 1.234
    assert check_figure([paragraph], "1.234") == "unsupported"


def test_what_a_number_counts_is_read_past_the_words_between_them() -> None:
    # "100 people dead" is not "100 people injured and 3 dead": "people" is filler, what it
    # counts is "dead" and "injured"
    paragraph = "Officials said 100 people were injured and 3 were dead."
    assert read_numbers("Officials said 100 people were dead.", [paragraph]) == "unsupported"
    assert read_numbers("Officials said 100 people were injured.", [paragraph]) == "verified"


def test_a_word_of_three_letters_is_what_a_number_counts() -> None:
    paragraph = "The clinic treated 100 women, and 3 men."
    assert read_numbers("The clinic treated 100 men.", [paragraph]) == "unsupported"
    assert read_numbers("The clinic treated 100 women.", [paragraph]) == "verified"


def test_a_word_that_counts_nothing_leaves_the_number_uncounted() -> None:
    # "100 from the village" says nothing of what the 100 are: not contradicted by "5 from the city"
    paragraph = "Police said 100 villagers were hurt, and 5 from the city."
    assert read_numbers("Police said 100 from the village were hurt.", [paragraph]) == "verified"


def test_the_singular_and_plural_of_what_is_counted_are_one_thing() -> None:
    # "a 5,000-troop force" is 5,000 troops; the 40 troops are others
    paragraph = "Russia sent a 5,000-troop force after 40 troops died in the spring."
    assert read_numbers("Russia sent 5,000 troops.", [paragraph]) == "verified"


# The tables below are built once, at import, before mutation testing makes any change active:
# only a test that builds them again can tell a change to how they are built.


def test_every_cardinal_word_of_the_six_languages_has_its_value() -> None:
    table = numbers._table()
    for language, units in numbers._UNITS.items():  # zero to nineteen, in order
        assert [table[word] for word in units.split()] == [float(n) for n in range(20)], language
    for language, tens in numbers._TENS.items():  # twenty to ninety
        assert [table[word] for word in tens.split()] == [float(n) for n in range(20, 100, 10)], language
    assert {word: table[word] for word in (
        "quatre-vingts", "veintiuno", "veintidós", "veintitrés", "veinticinco", "ventuno", "ventidue", "ventitré",
        "venticinque")} == {"quatre-vingts": 80.0, "veintiuno": 21.0, "veintidós": 22.0, "veintitrés": 23.0,
                            "veinticinco": 25.0, "ventuno": 21.0, "ventidue": 22.0, "ventitré": 23.0,
                            "venticinque": 25.0}


@pytest.mark.parametrize(("text", "read"), [
    ("million dollars", "million"),  # not "m" (metres) nor "mil" (thousand)
    ("milliarden Euro", "milliarden"),
    ("mn", "mn"),
    ("$5", "$"),  # a sign is taken as written, not as a pattern's end
])
def test_the_longest_scale_or_sign_a_text_begins_with_is_read_whole(text: str, read: str) -> None:
    words = ["m", "mil", "million", "millions", "milliard", "milliarden", "mn", "$", "us$"]
    found = re.match(figures._alternation(words), text)
    assert found is not None and found.group() == read


def test_a_lone_m_after_a_number_is_metres_and_after_a_currency_millions() -> None:
    assert check_figure(["The wall is 15 m high."], "15 metres") == "verified"
    assert check_figure(["The firm raised $15m."], "$15 million") == "verified"
    assert check_figure(["The firm raised $15m."], "15 metres") == "unsupported"


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("The budget is $4,100,000,000 this year.", "$4.1 billion"),
    ("The budget is $4.1 billion this year.", "$4,100,000,000"),
])
def test_a_scaled_decimal_is_the_whole_number_it_stands_for(paragraph: str, figure: str) -> None:
    # 4.1 times a billion is 4099999999.9999995 in floating point: the same figure all the same
    assert check_figure([paragraph], figure) == "verified"


@pytest.mark.parametrize("paragraph", ["Approval reached ５０％ in May.", "支持率は ５０％ に達した。"])
def test_a_figure_in_fullwidth_digits_and_signs_is_read_as_written_in_ascii(paragraph: str) -> None:
    assert check_figure([paragraph], "50%") == "verified"


def test_a_fraction_sign_is_not_read_as_digits() -> None:
    # "1½ million" states no 2 million (nor 11): only characters that are digits or fullwidth are folded
    paragraph = "Some 1½ million people fled."
    assert check_figure([paragraph], "2 million") == "unsupported"
    assert check_figure([paragraph], "11") == "unsupported"


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("Twenty-one people died in the fire.", "21"), ("Vingt-trois personnes sont mortes.", "23"),
])
def test_a_hyphenated_compound_of_two_number_words_is_read_as_their_sum(paragraph: str, figure: str) -> None:
    assert check_figure([paragraph], figure) == "verified"


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("Zweiundzwanzig Menschen starben.", "22"), ("Einundzwanzig Menschen starben.", "21"),
    ("Fünfunddreißig Menschen starben.", "35"),
])
def test_a_german_number_of_units_and_tens_in_one_word_is_read_as_their_sum(paragraph: str, figure: str) -> None:
    assert check_figure([paragraph], figure) == "verified"
    assert check_figure([paragraph], str(int(figure) - 1)) == "unsupported"


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("Streaming has driven a four-year upturn.", "4"), ("A twenty-one-year-old man was held.", "21"),
    ("The three-time champion lost.", "3"),
])
def test_a_number_word_joined_to_what_it_counts_is_that_number(paragraph: str, figure: str) -> None:
    """"a four-year upturn" and "grown for four years" are one figure (an editor read them as one
    fact, shown twice); "two-thirds" and "one-sided" count nothing and stay no number."""
    assert check_figure([paragraph], figure) == "verified"
    assert check_figure([paragraph], str(int(figure) + 1)) == "unsupported"
    assert check_figure(["A two-thirds majority is needed; a one-sided vote."], "2") == "unsupported"


@pytest.mark.parametrize(("paragraph", "figure"), [
    ("Vingt et un soldats sont morts.", "21"), ("Trente et une personnes ont été blessées.", "31"),
    ("Soixante et onze ans après la guerre.", "71"), ("Murieron treinta y un soldados.", "31"),
])
def test_tens_and_one_written_with_et_or_y_are_one_number(paragraph: str, figure: str) -> None:
    """"vingt et un" was read as 20: "un" after "et" is one, not an article."""
    assert check_figure([paragraph], figure) == "verified"
    assert check_figure([paragraph], str(int(figure) - 1)) == "unsupported"
    assert check_figure(["It took twenty and a half hours."], "20.5") == "verified"


def test_a_hyphenated_word_that_ends_in_a_number_word_is_no_number() -> None:
    # "top-ten" is not ten, and reading it does not break the check of the paragraph's other figures
    assert check_figure(["The top-ten firms grew 5% last year."], "5%") == "verified"
    assert check_figure(["The top-ten firms grew 5% last year."], "10") == "unsupported"


def test_a_day_after_a_month_at_a_texts_start_is_not_joined_with_the_count_after_it() -> None:
    # "May 3 200 people": the 3rd of May, and 200 people, not 3,200
    paragraph = "May 3 200 people were arrested in the capital."
    assert check_figure([paragraph], "200 people") == "verified"
    assert check_figure([paragraph], "3,200") == "unsupported"


def _read(text: str) -> list[tuple[str, set[float]]]:
    """Each number `number_words` finds in a text: its words as written, and its values."""
    return [(text[start:end], set(values)) for start, end, values in numbers.number_words(text)]


@pytest.mark.parametrize(("text", "read"), [
    # a dozen is twelve of what it follows, "a" one of them
    ("two dozen", [("two dozen", {24.0})]),
    ("a dozen", [("a dozen", {12.0})]),
    ("a hundred", [("a hundred", {100.0})]),
    # a thousand closes a group: what follows it is counted afresh, as after a million
    ("two thousand three hundred", [("two thousand three hundred", {2300.0})]),
    ("five thousand, two hundred", [("five thousand, two hundred", {5200.0})]),
    # a fraction multiplies the number before it; "a third" may also be the ordinal
    ("three quarters", [("three quarters", {0.75})]),
    ("two thirds", [("two thirds", {2 / 3})]),
    ("a third", [("a third", {1 / 3, 3.0})]),
    ("a half", [("a half", {0.5})]),
    # "and" joins a smaller number to a round one, to the text's very end
    ("three hundred and five", [("three hundred and five", {305.0})]),
    ("three hundred and five people", [("three hundred and five", {305.0})]),
    ("treinta y dos", [("treinta y dos", {32.0})]),
    # ... and only a number: "and" with no number after it ends the number before it
    ("forty and more", [("forty", {40.0})]),
    ("the toll rose to forty and", [("forty", {40.0})]),
    # a smaller number written after a round one is added to it
    ("twenty five", [("twenty five", {25.0})]),
    ("two hundred twenty", [("two hundred twenty", {220.0})]),
    # numbers a reader keeps apart: a range, a list, a score
    ("from ten to twenty", [("ten", {10.0}), ("twenty", {20.0})]),
    ("groups of two, three or four", [("two", {2.0}), ("three", {3.0}), ("four", {4.0})]),
    ("the vote was twenty – five", [("twenty", {20.0}), ("five", {5.0})]),
    ("police held forty, ten of them minors", [("forty", {40.0}), ("ten", {10.0})]),
    ("between ten and twenty people", [("ten", {10.0}), ("twenty", {20.0})]),  # "and" adds only under the round one
    ("he was twenty. Five others", [("twenty", {20.0}), ("Five", {5.0})]),  # a stop ends a number
    ("aged twenty; five were hurt", [("twenty", {20.0}), ("five", {5.0})]),
    # "a" is a number only with what it counts by
    ("a man was hurt", []),
])
def test_number_words_combine_as_a_reader_reads_them(text: str, read: list[tuple[str, set[float]]]) -> None:
    assert _read(text) == read
