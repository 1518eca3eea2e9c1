"""Every hand-written answer holds to the reply contract: it validates, grounds with nothing
unsupported, and its reply is at most twice the tokens of the article it reads (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .check_answer import MAX_RATIO, check
from .conftest import FIXTURES

ANSWERS = sorted((FIXTURES / "answers").glob("*.json"))


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda p: p.name)
def test_every_answer_is_valid_grounded_and_within_twice_its_article(answer: Path) -> None:
    report = check(answer)
    assert report.errors == [], f"{answer.name} (ratio at most {MAX_RATIO}): {report.errors}"
