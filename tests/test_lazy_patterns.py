"""Patterns most briefings never use are compiled when first used, not when their module is
imported (briefer/core/lazy.py): a briefing of the seed article compiles none of them, and
each still works where it is needed."""

from __future__ import annotations

import pytest

from briefer.core import safety
from briefer.extract import chunking
from briefer.grounding import figures

from .conftest import CASSETTES, SEED, Run

#: Patterns the seed briefing (an English article of one chunk, with no address and no digits
#: grouped by spaces) does not need.
UNUSED_BY_THE_SEED = {"figures._MONTH_BEFORE": figures._MONTH_BEFORE,
                      "chunking._SENTENCE_END": chunking._SENTENCE_END,
                      "safety._URL_PASSWORD": safety._URL_PASSWORD}


@pytest.fixture
def not_yet_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pattern as a fresh import leaves it (an earlier test may have used it)."""
    for pattern in UNUSED_BY_THE_SEED.values():
        monkeypatch.setattr(pattern, "_compiled", None)
    figures.quantities.cache_clear()


def test_a_briefing_of_the_seed_compiles_none_of_the_patterns_it_does_not_use(run: Run, not_yet_compiled: None) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "-q")
    assert result.exit_code == 0, result.stderr
    assert [name for name, pattern in UNUSED_BY_THE_SEED.items() if pattern.compiled] == []  # type: ignore[attr-defined]


def test_each_is_compiled_and_used_where_it_is_needed(not_yet_compiled: None) -> None:
    assert figures.figures_in("The march drew 11 000 people.") == {11000.0}  # grouped by a space
    assert figures.figures_in("On 3 March 200 people marched.") == {3.0, 200.0}  # not after a month
    assert chunking._SENTENCE_END.split("It rained. Then it stopped.") == ["It rained.", "Then it stopped."]
    assert safety.safe_url("https://user:hunter2@example.org/v1") == f"https://user:{safety.MASK}@example.org/v1"
    assert all(pattern.compiled for pattern in UNUSED_BY_THE_SEED.values())  # type: ignore[attr-defined]
