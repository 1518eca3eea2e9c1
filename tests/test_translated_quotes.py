"""Issue 22, fourth reading: the FAZ briefing (German, briefed in English) showed both of its
quotes in German. A quote is cut out of the article by its anchors, so it is always in the
article's language; the reply gives a quote of an article in another language its translation
(a fourth field of the quote's line), and the briefing shows that, the original still checked."""

from __future__ import annotations

import json

from briefer.core.models import Briefing
from briefer.core.models.compact import expand_extraction
from briefer.render.engine import render_briefing

from .conftest import CASSETTES, FIXTURES, Run
from .record_handwritten import ARTICLES

FAZ = ARTICLES / "faz_streaming_2020.html"


def test_a_quote_line_carries_its_translation_as_a_fourth_field() -> None:
    data = json.loads((FIXTURES / "answers" / "faz-streaming-2020.p1-14.json").read_text(encoding="utf-8"))
    expanded, errors = expand_extraction(data)
    assert errors == []
    allendorf = expanded["quotes"][0]
    assert allendorf["begins"] == "Die Liste der Künstler," and allendorf["attributed_by"].startswith("sagte Allendorf")
    assert allendorf["translation"].startswith("The list of artists who support the initiative")
    english, _ = expand_extraction({**data, "quotes": ["a | 3: We will not be rushed | Lopez said"]})
    assert english["quotes"][0]["translation"] is None and english["quotes"][0]["attributed_by"] == "Lopez said"


def test_an_english_briefing_of_a_german_article_quotes_in_english(run: Run) -> None:
    result = run("brief", FAZ, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    assert briefing.language == "en" and briefing.sources[0].language == "de"
    assert all(q.translation and q.status == "verified" for q in briefing.quotes)  # the original is checked
    markdown = render_briefing(briefing)
    words = markdown.split("## In their words")[1].split("\n## ")[0]
    assert "hefty extra payouts" in words and "Künstler" not in words and "Für die" not in words
    assert "Initiative for user-centric payment" not in markdown  # the article names no such group
