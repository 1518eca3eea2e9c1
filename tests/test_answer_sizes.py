"""The hand-written answers stay within the reply contract's size (issue 21): completion tokens at
most 1.5 times the articles' tokens over every answer, syntheses included, and at most 2 times on
any one extraction. `tests/answer_table.py` prints the whole table, with recall against format 1."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from tests.answer_table import EACH_AT_MOST, TOTAL_AT_MOST, tokens
from tests.check_answer import article_tokens, find_chunk

ANSWERS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "answers").glob("*.json"))
EXTRACTION = re.compile(r"(.+)\.p(\d+)-(\d+)(?:\.([a-z]{2}))?\.json")


@cache
def size(path: Path) -> tuple[int | None, int]:
    """The article's tokens (None for a synthesis, whose articles its extractions count) and the
    answer's completion tokens."""
    completion = tokens(json.loads(path.read_text(encoding="utf-8")))
    assert completion is not None
    match = EXTRACTION.fullmatch(path.name)
    if match is None:
        return None, completion
    document, chunk = find_chunk(match[1], int(match[2]), int(match[3]))
    return article_tokens(document, chunk, match[4]), completion


@pytest.mark.parametrize("path", [p for p in ANSWERS if EXTRACTION.fullmatch(p.name)], ids=lambda p: p.stem)
def test_no_answer_takes_more_than_twice_its_articles_tokens(path: Path) -> None:
    article, completion = size(path)
    assert article and completion <= EACH_AT_MOST * article, f"{completion} completion tokens for {article}"


def test_every_answer_together_takes_at_most_one_and_a_half_times_the_articles_tokens() -> None:
    sizes = [size(path) for path in ANSWERS]
    article = sum(a for a, _ in sizes if a)
    completion = sum(c for _, c in sizes)
    assert len(sizes) > 30 and article > 25_000
    assert completion <= TOTAL_AT_MOST * article, f"{completion} completion tokens for {article} ({completion / article:.3f})"
