"""The fixtures themselves: real articles with their origin, honest hand-written recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.llm.recording import recorded_completion

from .conftest import CASSETTES, FIXTURES
from .record_handwritten import answer_for


def cassettes() -> list[Path]:
    return sorted(CASSETTES.glob("*.json"))


@pytest.mark.parametrize("path", cassettes(), ids=lambda p: p.name)
def test_hand_written_recordings_say_so_and_match_their_readable_answer(path: Path) -> None:
    recording = json.loads(path.read_text(encoding="utf-8"))
    assert recording["provenance"]["source"] == "hand-written"
    assert "written by hand" in recording["provenance"]["note"]
    answer = json.loads(answer_for(recording["request"]["body"]).read_text(encoding="utf-8"))
    assert json.loads(recorded_completion(recording).content) == answer


@pytest.mark.parametrize("article", sorted((FIXTURES / "articles").glob("*.txt")), ids=lambda p: p.name)
def test_every_fixture_article_notes_where_it_came_from(article: Path) -> None:
    meta = json.loads(article.with_name(article.stem + ".meta.json").read_text(encoding="utf-8"))
    assert meta["origin"] and meta["outlet"] and meta["date"]
