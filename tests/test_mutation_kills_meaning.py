"""What a reader relies on in a span of words (grounding/meaning.py), case by case: a quote whose
wording differs from the source's in a negation, number, name or polarity is unsupported, an
ellipsis may not skip one, and two statements are folded into one item only when neither
contradicts the other and one says all the other says. Each case stands for mutants of the module
that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding.meaning import disagree, meaning_changes, same_statement, skipped_changes


@pytest.mark.parametrize(("said", "source", "changes"), [
    # a negation written with a curly apostrophe, or one not in the list, is still a negation
    ("We don’t agree with the plan.", "We agree with the plan.", ["don’t"]),
    ("You needn't pay the fee.", "You pay the fee.", ["needn't"]),
    # a word turned into its opposite; a plain synonym changes nothing
    ("Prices rose in May.", "Prices fell in May.", ["rose/fell"]),
    ("The vote was close.", "The vote was tight.", []),
    # a pronoun or article starting a sentence is no name
    ("He said it was over.", "She said it was over.", []),
    ("The talks ended.", "These talks ended.", []),
    # the source's span running past the quote at either end changes nothing
    ("plan failed", "Putin's plan failed", []),
    ("the plan failed", "the plan failed, Putin said", []),
    # every change counts, not only the last: a name replaced before a word that changes nothing
    ("Putin met the envoys on Monday.", "Biden met some envoys on Monday.", ["Putin", "Biden"]),
    ("Putin met 5 envoys on Monday.", "Biden met 6 envoys on Monday.", ["Putin", "Biden", "5", "6"]),
])
def test_a_wording_changes_the_meaning_by_its_negations_numbers_names_and_opposites(
        said: str, source: str, changes: list[str]) -> None:
    assert meaning_changes(said, source) == changes


def test_an_ellipsis_may_not_skip_a_negation_however_it_is_spelt() -> None:
    assert skipped_changes("they needn’t, and won’t") == ["needn’t", "won’t"]
    assert skipped_changes("he said that the") == []


@pytest.mark.parametrize(("a", "b"), [
    ("We don’t support the plan.", "We support the plan."),
    ("We support the plan.", "We don’t support the plan."),
    ("You needn't pay the fee.", "You pay the fee."),
    ("No, no, we never agreed.", "We agreed."),  # three negations are one
    ("The strike is legal.", "The strike is illegal."),
])
def test_statements_that_say_opposite_things_disagree(a: str, b: str) -> None:
    assert disagree(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Prices fell.", "Prices dropped."),
    ("The bill was approved.", "The bill was approved and signed."),
    ("They cited the report.", "They recited the report."),
    ("They turn to the court.", "They return to the court."),
    ("Nobody said nothing.", "They said it."),  # two negations are none
])
def test_statements_that_differ_without_opposing_do_not_disagree(a: str, b: str) -> None:
    assert not disagree(a, b)


def test_only_two_different_sets_of_figures_disagree() -> None:
    assert disagree("Prices rose.", "Prices rose.", frozenset({2.0}), frozenset({3.0}))
    assert not disagree("Prices rose.", "Prices rose.", frozenset({2.0}), frozenset({2.0}))
    assert not disagree("Prices rose.", "Prices rose.", frozenset(), frozenset({2.0}))
    assert not disagree("Prices rose.", "Prices rose.", frozenset({2.0}), frozenset())


@pytest.mark.parametrize(("a", "b"), [
    # the forms of a word are one word: plural and singular, tenses, a possessive
    ("The union supports the strike.", "The union supported the strike."),
    ("The union is supporting the strike.", "The union supports the strike."),
    ("The army pushes east.", "The army pushed east."),
    ("Trains reach top speeds.", "Trains reach top speed."),
    ("Rebels shelled the towns.", "Rebels shelled the town."),
    ("Russia’s army shelled the plant.", "Russia shelled the plant."),
    ("Russia's army shelled the plant.", "Russia shelled the plant."),
])
def test_statements_one_of_which_says_all_the_other_says_are_one(a: str, b: str) -> None:
    assert same_statement(a, b)
    assert same_statement(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("They voted for the plan.", "They voted against the plan."),  # "for" is a function word, yet opposed
    ("You needn't pay the fee.", "You pay the fee."),
    ("Neither the army nor the police commented.", "The police commented."),  # negations that cancel out
    ("Rebels shelled the plant.", "Rebels shelled three plants."),
    ("Rebels shelled the plant.", "Rebels shelled the plant in 2023."),
])
def test_statements_that_oppose_or_add_a_negation_or_number_stay_two(a: str, b: str) -> None:
    assert not same_statement(a, b)
    assert not same_statement(b, a)
