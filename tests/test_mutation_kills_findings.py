"""What the model is told of its quotes (grounding/findings.py), case by case: words found
nowhere, words that say something else (with the article's own, on one line), and what was said
of a quote's speaker, each under its quote's path, none in place of another's. Each case stands
for mutants of the findings that the grounding tests let through."""

from __future__ import annotations

from briefer.core.models import Briefing
from briefer.grounding import grounding_problems

from .conftest import FIXTURES

FORMAT_2 = FIXTURES / "briefings" / "scholz-putin-call.format2.json"


def test_each_quote_the_article_does_not_bear_out_is_sent_back_under_its_path_with_what_the_article_says() -> None:
    old = Briefing.model_validate_json(FORMAT_2.read_text(encoding="utf-8"))
    first, second, third = old.quotes[:3]
    quotes = [first.model_copy(update={"status": "unsupported", "source_words": None, "paragraph": 12}),
              second.model_copy(update={"status": "unsupported", "source_words": "did not\n  provide added value",
                                        "paragraph": 8}),
              third.model_copy(update={"notes": ["speaker_id: the article gives these words to 'scholz'"]})]
    assert all(q.anchors is None and not q.notes for q in (first, second))
    assert grounding_problems(old.model_copy(update={"quotes": quotes, "key_points": [], "positions": [],
                                                     "disputed_claims": [], "facts": [], "events": []})) == [
        "quotes.0.text: not found in paragraph 12 or anywhere in the article; copy the words exactly, or leave it out",
        "quotes.1.text: not verbatim: paragraph 8 says “did not provide added value”, which means something else; "
        "copy the words exactly",
        "quotes.2.speaker_id: the article gives these words to 'scholz'"]
