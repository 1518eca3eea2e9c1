"""Grounding: the program checks every quote, excerpt, figure, date and attribution against the
source, reports what it found item by item, and tells the model once about what failed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from briefer.core.models import Briefing, ChunkExtraction, Usage
from briefer.grounding import Source, check_date, check_excerpt, figures_in, ground, item_status
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction
from briefer.render.engine import render_briefing

from .chat_server import ChatServer, Reply
from .convert_answers import quote as quote_line
from .conftest import FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer, seed_reading

WRONG = json.loads((FIXTURES / "grounding" / "wrong-answers.json").read_text(encoding="utf-8"))
KEY = {"OPENAI_API_KEY": SENTINEL_KEY}


def grounded(answer: dict[str, Any]) -> Briefing:
    document = read_source(str(SEED))
    extraction = ChunkExtraction.model_validate(answer)
    draft = briefing_from_extraction(document, extraction, usage=Usage(), model="m", prompt_version="v")
    return ground(draft, [document])


def changed(path: list[Any], value: Any) -> dict[str, Any]:
    answer = seed_reading()
    target = answer
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return answer


def at(briefing: Briefing, path: list[Any]) -> Any:
    item: Any = briefing
    for step in path:
        item = item[step] if isinstance(step, int) else getattr(item, step)
    return item


def findings(briefing: Briefing) -> list[str]:
    """Every item that is not clean (contradicted, approximate or corrected), by path; what could
    not be checked is no finding."""
    found = []
    for name in ("positions", "disputed_claims", "facts", "events", "quotes"):
        for n, item in enumerate(getattr(briefing, name)):
            corrected = any(e.cited_paragraph for e in getattr(item, "evidence", []))
            if item_status(item) not in ("verified", "unchecked") or corrected or getattr(item, "cited_paragraph", None):
                found.append(f"{name}.{n}")
    return found


# ---------------------------------------------------------------- the seed article


def test_every_quote_of_the_seed_verifies_and_the_summary_says_so() -> None:
    briefing = grounded(seed_reading())
    assert [(q.status, q.attribution) for q in briefing.quotes] == [("verified", "verified")] * 10
    assert findings(briefing) == []
    assert briefing.grounding.summary.startswith(
        "37 of 38 items verified, 0 approximate, 0 unsupported, 1 not checked; 44 of 44 excerpts and quotes verbatim")


def test_quotes_inside_the_articles_unbalanced_quotation_marks_verify() -> None:
    # ¶9 reads: “Now there may be other conversations, other calls. “They are just words,” Zelensky said
    source = Source(read_source(str(SEED)))
    for text in ("Now there may be other conversations, other calls.", "They are just words,",
                 "Now there may be other conversations, other calls. They are just words"):
        assert check_excerpt(source, text, 9).status == "verified", text


def test_a_verified_span_keeps_its_offsets_in_the_source() -> None:
    document = read_source(str(SEED))
    briefing = grounded(seed_reading())
    quote = briefing.quotes[4]
    assert document.text[quote.start : quote.end] == quote.text == "It sends a bad signal, especially after Trump’s election"
    for evidence in briefing.facts[0].evidence:
        assert document.text[evidence.start : evidence.end] == evidence.excerpt


def test_the_report_counts_what_the_items_say() -> None:
    briefing = grounded(changed(["quotes", 4, "begins"], "We will never accept any deal"))
    report = briefing.grounding
    assert (report.excerpts.verified, report.excerpts.unsupported) == (43, 1)
    assert (report.items.verified, report.items.unsupported, report.items.unchecked) == (36, 1, 1)
    assert report.summary.startswith("36 of 38 items verified, 0 approximate, 1 unsupported, 1 not checked; "
                                     "43 of 44 excerpts and quotes verbatim")


# -------------------------------------------------------------- deliberately wrong answers


@pytest.mark.parametrize("case", WRONG["cases"], ids=lambda c: c["name"])
def test_each_wrong_answer_is_caught_on_its_item_and_only_there(case: dict[str, Any]) -> None:
    briefing = grounded(changed(case["path"], case["value"]))
    item = at(briefing, case["item"])
    assert {key: getattr(item, key) for key in case["expect"]} == case["expect"]
    owner = ".".join(str(step) for step in case["item"][:2])
    assert findings(briefing) == [owner]


# --------------------------------------------------------------- normalising and parsing


@pytest.mark.parametrize(
    "excerpt",
    ["pandora's box", "PANDORA’S  BOX", "the call opened a pandora's box", "by undermining efforts … the Russian leader",
     "the call opened a “Pandora’s box” by undermining efforts to isolate the Russian leader, Zelensky said."],
)
def test_matching_ignores_case_quotes_spacing_and_marks_omissions(excerpt: str) -> None:
    source = Source(read_source(str(SEED)))
    assert check_excerpt(source, excerpt, 4).status == "verified"


def test_dashes_match_whatever_dash_the_article_used() -> None:
    document = document_from_bytes("The deal — signed on Friday — holds.".encode(), doc_id="d", origin="d")
    assert check_excerpt(Source(document), "The deal - signed on Friday - holds", 1).status == "verified"


def test_an_approximate_excerpt_points_at_the_closest_span() -> None:
    document = read_source(str(SEED))
    found = check_excerpt(Source(document), "The call opened a Pandora’s box by undermining the efforts to isolate", 4)
    assert found.status == "approximate"
    assert document.text[found.start : found.end].startswith("The call opened a “Pandora’s box” by undermining")


@pytest.mark.parametrize(
    ("text", "value"),
    [("11,000 troops", 11000), ("11 000 troops", 11000), ("11000 troops", 11000), ("15 billion euros", 15e9),
     ("€15bn", 15e9), ("US$15.818 billion", 15.818e9), ("almost two years", 2), ("3.5%", 3.5)],
)
def test_figures_are_read_whatever_their_format(text: str, value: float) -> None:
    assert value in figures_in(text)


@pytest.mark.parametrize(
    ("text", "iso", "status"),
    [
        ("Scholz faces a snap election on February 23.", "2025-02-23", "verified"),
        ("Scholz faces a snap election on February 23.", "2024-02-23", "verified"),  # read as past
        ("Scholz faces a snap election on February 23.", "2023-02-23", "unsupported"),
        ("He was evicted in April.", "2024-04", "verified"),
        ("He was evicted in April.", "2022-04", "unsupported"),
        ("A judge rejected the bid last month.", "2024-10", "verified"),
        ("A judge rejected the bid last month.", "2024-09", "unsupported"),
        ("The case was reopened earlier this year.", "2024", "verified"),
        ("The election is on 23 February 2025.", "2025-02-23", "verified"),
        ("Scholz spoke this Friday with Putin.", "2024-11-15", "verified"),
        ("Scholz spoke on Thursday with Putin.", "2024-11-14", "verified"),
        ("Scholz spoke yesterday with Putin.", "2024-11-14", "verified"),
        ("They last spoke in December 2022.", "2022-12", "verified"),
        ("They last spoke in December 2022.", "2022-11", "unsupported"),
        ("Pipelines were blown up in 2022.", "2022", "verified"),
        ("The week after Trump's victory.", "2024-11", "unsupported"),
    ],
)
def test_dates_must_be_stated_or_follow_from_the_dateline(text: str, iso: str, status: str) -> None:
    assert check_date(iso, "", [text], date(2024, 11, 15)) == status


# ------------------------------------------------------------------- feedback and modes


INVENTED = "We will never accept any deal … rewards the aggressor"  # as the briefing shows its anchors


def invented_quote() -> str:
    answer = changed(["quotes", 4, "begins"], "We will never accept any deal")
    answer["quotes"][4]["ends"] = "rewards the aggressor"
    return json.dumps(answer)


def quote_patch(**patch: object) -> str:
    return json.dumps({"actors": [], "quotes": [], "remove": [], **patch})


def test_unsupported_items_go_back_to_the_model_once_and_a_patch_fixes_them(run: Run) -> None:
    fixed = json.loads(seed_answer())["quotes"][4]  # a patch is written compactly, like the reply
    replies = [Reply(content=invented_quote()), Reply(content=quote_patch(quotes=[{"index": 4, "item": fixed}]))]
    with ChatServer(replies) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    first, repair = server.requests
    assert "- quotes.4.begins: begins “We will never accept any deal” is not in paragraph 11" in repair["messages"][-1]["content"]
    # Short: the instructions and the article again (a prompt cache serves them), the faulty
    # quote, a small patch schema; never the first reply.
    assert [m["role"] for m in repair["messages"]] == ["system", "user", "user"]
    assert len(repair["messages"][-1]["content"]) < 1500
    sent_back = json.dumps(repair["messages"], ensure_ascii=False)
    reply = json.loads(invented_quote())
    assert reply["bottom_line"]["text"] not in sent_back and reply["key_points"][0]["text"] not in sent_back
    assert len(json.dumps(repair)) < len(json.dumps(first))
    assert repair["max_completion_tokens"] < first["max_completion_tokens"]
    briefing = Briefing.model_validate_json(result.stdout)
    assert briefing.quotes[4].status == "verified"
    assert briefing.quotes[4].text == "It sends a bad signal, especially after Trump’s election"
    assert len(briefing.quotes) == len(seed_reading()["quotes"]) and briefing.usage.reasks == 1


def test_a_patch_may_remove_an_item_the_article_does_not_support(run: Run) -> None:
    replies = [Reply(content=invented_quote()), Reply(content=quote_patch(remove=["quotes.4"]))]
    with ChatServer(replies) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    assert "rewards the aggressor" not in result.stdout
    assert len(briefing.quotes) == len(seed_reading()["quotes"]) - 1
    assert all(q.status == "verified" for q in briefing.quotes)


def test_a_patch_that_fixes_nothing_is_not_taken(run: Run) -> None:
    worse = quote_line(dict(json.loads(invented_quote())["quotes"][4], begins="Words nobody ever said at all"))
    replies = [Reply(content=invented_quote()), Reply(content=quote_patch(quotes=[{"index": 4, "item": worse}]))]
    with ChatServer(replies) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    assert briefing.quotes[4].text == INVENTED
    assert briefing.quotes[4].status == "unsupported" and len(server.requests) == 2


def test_what_is_still_unsupported_after_the_feedback_is_kept_and_marked(run: Run) -> None:
    with ChatServer([Reply(content=invented_quote())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--template", "dossier", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 2
    # never dressed as a quote: the model's words, without quotation marks, and marked
    assert f"- {INVENTED} — Western diplomat (¶11) **(⚠ unsupported)**" in result.stdout
    assert "“We will never accept" not in result.stdout
    assert "1 unsupported" in result.stdout.split("**Checked against the source:**")[1]


def test_strict_grounding_moves_unsupported_items_to_an_appendix(run: Run) -> None:
    with ChatServer([Reply(content=invented_quote())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--grounding", "strict", "--template", "dossier",
                     env=KEY)
    assert result.exit_code == 0, result.stderr
    quotes, appendix = result.stdout.split("## Quotes")[1].split("## Appendix: not supported by the source")
    assert "rewards the aggressor" not in quotes
    assert f"- Quote: {INVENTED} (¶11) **(⚠ unsupported)**" in appendix


def test_grounding_off_checks_nothing_and_says_so(run: Run) -> None:
    with ChatServer([Reply(content=invented_quote())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--grounding", "off", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 1
    assert "Not checked against the source (grounding off)." in result.stdout
    assert "⚠" not in result.stdout and "(not checked)" not in result.stdout  # the summary says it once


def test_markers_show_approximate_unsupported_and_not_checked_once_an_item() -> None:
    answer = changed(["positions", 3, "evidence", 0, "excerpt"], "opened a Pandora’s box by undermining the efforts")
    answer["quotes"][4]["speaker_id"] = "emmanuel-macron"
    answer["facts"][0]["figure"] = "12,000"
    markdown = render_briefing(grounded(answer), "dossier")
    assert "says the call opened a “Pandora’s box” (¶4) *(≈ approximate)*" in markdown
    assert "— Emmanuel Macron (¶11) **(⚠ unsupported)**" in markdown.split("## Quotes")[1]
    assert "Zelensky says: 12,000 (¶18) **(⚠ unsupported)**" in markdown
    assert "say Berlin did too little diplomacy to end the war (¶5) *(not checked)*" in markdown
    assert markdown.count("⚠") == 2 and "attribution unconfirmed" not in markdown
