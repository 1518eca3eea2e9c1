"""Three outcomes, one rule (issue 21): every item ends verified, contradicted ("unsupported") or
not checked ("unchecked"); only what is contradicted is marked ⚠, counted unsupported and sent
back. Quotes are cut out of the source between the reply's anchors; who an item is given to is
read from the article's own words (attributed_by). A briefing of format 2 still loads and checks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefer.grounding import Source, ground, grounding_problems, outcome
from briefer.grounding.anchors import cut_quote
from briefer.grounding.outcome import items
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction
from briefer.core.models import Actor, Briefing, ChunkExtraction, Usage
from briefer.render.engine import render_briefing

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer, seed_reading

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
FORMAT_2 = FIXTURES / "briefings" / "scholz-putin-call.format2.json"


def seed_with(change: Callable[[dict[str, Any]], None]) -> Briefing:
    answer = seed_reading()
    change(answer)
    document = read_source(str(SEED))
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    return ground(draft, [document])


def not_checkable(answer: dict[str, Any]) -> None:
    """Three items briefer cannot decide: a figure with no number, attribution words that only
    hold a pronoun, and words that name the holder but not as the one who speaks."""
    answer["facts"][0]["figure"] = "thousands"
    answer["quotes"][4]["attributed_by"] = "noting that his country"
    answer["positions"][2]["attributed_by"] = "told Scholz that Russia"


def contradicted(answer: dict[str, Any]) -> None:
    """Four items with positive evidence of an error, and one close paraphrase."""
    answer["quotes"][5]["begins"] = "We will never accept any deal"  # not in ¶12
    answer["quotes"][3]["speaker_id"] = "emmanuel-macron"  # "Zelensky said"
    answer["positions"][2]["actor_id"] = "olaf-scholz"  # Putin's offer given to Scholz
    answer["facts"][1]["figure"] = "16 billion"
    answer["positions"][3]["evidence"][0]["excerpt"] = "opened a Pandora’s box by undermining the efforts"


# ------------------------------------------------------------ not checked is never sent back


def test_what_could_not_be_checked_is_counted_quietly_never_marked_and_never_sent_back(run: Run) -> None:
    briefing = seed_with(not_checkable)
    assert [outcome(briefing.facts[0]), outcome(briefing.quotes[4]), outcome(briefing.positions[2])] == \
        ["unchecked"] * 3
    assert grounding_problems(briefing) == []
    dossier = render_briefing(briefing, "dossier")
    assert "⚠" not in dossier and dossier.count("*(not checked)*") == briefing.grounding.items.unchecked == 4
    answer = seed_reading()
    not_checkable(answer)
    with ChatServer([Reply(content=json.dumps(answer))]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 1  # no re-ask
    assert Briefing.model_validate_json(result.stdout).usage.reasks == 0


def test_what_is_contradicted_is_marked_counted_and_sent_back_once(run: Run) -> None:
    briefing = seed_with(contradicted)
    paths = [p.split(":")[0] for p in grounding_problems(briefing)]
    assert sorted(paths) == ["facts.1.figure", "positions.2.attributed_by", "quotes.3.attributed_by", "quotes.5.begins"]
    answer = seed_reading()
    contradicted(answer)
    with ChatServer([Reply(content=json.dumps(answer))]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    findings = [line for line in server.requests[1]["messages"][-1]["content"].splitlines() if line.startswith("- ")]
    assert [f[2:].split(":")[0] for f in findings] == paths  # the approximate excerpt is not sent back


# ------------------------------------------------------------ the summary agrees with the marks


MARKS = {  # template: (contradicted, approximate, not checked) as each marks them
    "dossier": ("**(⚠ unsupported)**", "*(≈ approximate)*", "*(not checked)*"),
    "dossier.email.txt": ("[unsupported]", "[approximate]", "[not checked]"),
}


@pytest.mark.parametrize("change", [lambda a: None, not_checkable, contradicted,
                                    lambda a: (not_checkable(a), contradicted(a))],
                         ids=["as recorded", "not checkable", "contradicted", "both"])
@pytest.mark.parametrize("template", MARKS)
def test_the_summary_line_counts_exactly_the_marks_the_dossier_shows(change: Any, template: str) -> None:
    briefing = seed_with(change)
    shown = " ".join(render_briefing(briefing, template).split())  # the text email wraps its lines
    counts = briefing.grounding.items
    wrong, close, unchecked = MARKS[template]
    assert (shown.count(wrong), shown.count(close), shown.count(unchecked)) == \
        (counts.unsupported, counts.approximate, counts.unchecked)
    assert shown.count("⚠") == counts.unsupported if template == "dossier" else True
    line = re.search(r"(\d+) of (\d+) items verified, (\d+) approximate, (\d+) unsupported, (\d+) not checked", shown)
    assert line is not None
    verified, total, approximate, unsupported, not_checked = map(int, line.groups())
    assert (approximate, unsupported, not_checked) == (counts.approximate, counts.unsupported, counts.unchecked)
    assert total == len(items(briefing)) == verified + approximate + unsupported + not_checked


# ------------------------------------------------------------------ quotes by reference


PARAGRAPH = ("“We will not sign this deal, whatever they offer,” the minister said. “It is not what "
             "we were promised.” Officials said the talks would resume.")


def cut(begins: str, ends: str, paragraph: int = 1, text: str = PARAGRAPH):  # type: ignore[no-untyped-def]
    source = Source(document_from_bytes(f"First.\n\n{text}".encode(), doc_id="d", origin="d"))
    return cut_quote(source, paragraph + 1, begins, ends)


def test_a_quote_is_the_sources_own_words_between_its_anchors_so_it_cannot_skip_a_not() -> None:
    found = cut("We will", "offer,")
    assert found.problem is None and found.text == "We will not sign this deal, whatever they offer"
    whole = cut("We will not sign", "we were promised.")
    assert whole.text == "We will not sign this deal, whatever they offer,” the minister said. “It is not what we were promised."


@pytest.mark.parametrize(("begins", "ends", "why"), [
    ("We will never sign", "offer", "is not in paragraph"),
    ("It is not what", "We will not sign", "comes before"),
    ("We will … deal", "offer", "ellipsis"),
    ("not", "promised.", "more than one span"),
    ("We will", "not", "more than one span"),
])
def test_anchors_that_fix_no_single_span_are_a_finding(begins: str, ends: str, why: str) -> None:
    found = cut(begins, ends)
    assert found.text is None and why in (found.problem or "")


def test_a_quote_cited_in_the_wrong_paragraph_is_found_in_the_one_that_holds_it() -> None:
    found = cut("We will not sign", "offer,", paragraph=0)
    assert found.paragraph == 2 and found.text == "We will not sign this deal, whatever they offer"


# --------------------------------------------------------------------- attribution words


def attributed(text: str, actors: list[dict[str, Any]], quote: dict[str, Any]) -> tuple[str, str]:
    document = document_from_bytes(text.encode(), doc_id="d", origin="d", date="2019-10-31")
    answer = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [], "findings": [],
              "actors": actors, "positions": [], "disputed_claims": [], "quotes": [quote], "facts": [], "events": []}
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    grounded = ground(draft, [document]).quotes[0]
    return grounded.attribution, " ".join(grounded.notes)


def person(slug: str, name: str, aliases: list[str] | None = None, affiliation: str | None = None) -> dict[str, Any]:
    return Actor(id=slug, name=name, kind="person", role=None, affiliation=affiliation,
                 aliases=aliases or []).model_dump()


HILL = ("“I was shocked,” said Morrison, Vindman’s superior, who will testify on Thursday. "
        "“It was not what we expected.”")
CAST = [person("tim-morrison", "Timothy Morrison", ["Morrison"]), person("alexander-vindman", "Alexander Vindman",
                                                                        ["Vindman"])]


@pytest.mark.parametrize(("speaker", "words", "expected"), [
    ("tim-morrison", "said Morrison, Vindman’s superior", "verified"),  # an apposition names another
    ("alexander-vindman", "said Morrison", "unsupported"),  # the words give it to Morrison
    ("tim-morrison", "said Hill", "unsupported"),  # not in the article
    ("tim-morrison", "who will testify on Thursday", "unchecked"),  # no one named as speaking
])
def test_attribution_words_decide_who_said_it(speaker: str, words: str, expected: str) -> None:
    quote = {"speaker_id": speaker, "paragraph": 1, "begins": "I was shocked", "ends": "shocked,",
             "attributed_by": words}
    assert attributed(HILL, CAST, quote)[0] == expected


def test_a_described_speaker_is_verified_by_the_articles_description() -> None:
    text = "“We take this seriously,” a Singapore-based spokesman for Google said on Tuesday."
    cast = [person("google-spokesman", "Google spokesman", affiliation=None),
            Actor(id="google", name="Google", kind="organization", role=None, affiliation=None,
                  aliases=[]).model_dump()]
    quote = {"speaker_id": "google-spokesman", "paragraph": 1, "begins": "We take this", "ends": "seriously,",
             "attributed_by": "a Singapore-based spokesman for Google said"}
    assert attributed(text, cast, quote)[0] == "verified"


def test_the_words_must_stand_next_to_the_quote() -> None:
    text = "“First,” said Morrison. “Second,” said Vindman."
    quote = {"speaker_id": "tim-morrison", "paragraph": 1, "begins": "Second", "ends": "Second,",
             "attributed_by": "said Morrison"}
    status, note = attributed(text, CAST, quote)
    assert status == "unsupported" and "not next to it" in note


@pytest.mark.parametrize(("text", "speaker", "words", "expected"), [
    # the quotation runs on into the sentence that names its speaker: a quote of its first sentence is his
    ("“We will not sign. Not this week, not ever,” said Morrison.", "tim-morrison", "said Morrison", "verified"),
    ("“We will not sign. Not this week, not ever,” said Morrison.", "alexander-vindman", "said Morrison",
     "unsupported"),
    # the article's marks broken (a mark opens again before the speaker's sentence): his, or a reply
    # in a dialogue; the words cannot tell, so not checked, never contradicted
    ("“We will not sign. “Not this week,” said Morrison.", "tim-morrison", "said Morrison", "unchecked"),
    ("“We will not sign. “Not this week,” said Morrison.", "alexander-vindman", "said Morrison", "unsupported"),
    # the quotation closed before: the next sentence's words are not next to it
    ("“We will not sign.” Morrison said later that talks would go on.", "tim-morrison", "Morrison said later",
     "unsupported"),
])
def test_a_quote_s_speaker_may_be_named_in_the_sentence_its_quotation_runs_on_into(
        text: str, speaker: str, words: str, expected: str) -> None:
    quote = {"speaker_id": speaker, "paragraph": 1, "begins": "We will not sign.", "ends": "We will not sign.",
             "attributed_by": words}
    assert attributed(text, CAST, quote)[0] == expected


# ----------------------------------------------------------------- a briefing of format 2


def test_a_briefing_of_format_2_loads_and_checks(run: Run, tmp_path: Path) -> None:
    old = Briefing.model_validate_json(FORMAT_2.read_text(encoding="utf-8"))
    assert old.format == 2 and old.quotes[0].begins is None and old.quotes[0].attribution == "verified"
    result = run("check", FORMAT_2, SEED, "-o", tmp_path / "rechecked.json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("28 of 28 items verified, 0 approximate, 0 unsupported, 0 not checked; "
                                    "38 of 38 excerpts and quotes verbatim")
    rechecked = json.loads((tmp_path / "rechecked.json").read_text(encoding="utf-8"))
    assert [q["attribution"] for q in rechecked["quotes"]] == ["verified"] * 3
    rendered = run("render", tmp_path / "rechecked.json", "--template", "dossier")
    assert rendered.exit_code == 0 and "⚠" not in rendered.stdout
    as_saved = run("render", FORMAT_2, "--template", "dossier")  # its report predates the item counts
    assert "28 of 28 items verified, 0 approximate, 0 unsupported, 0 not checked" in as_saved.stdout


@pytest.mark.parametrize(("text", "begins", "ends", "quote"), [
    ("Emmanuel Macron se dit ‘calme et déterminé’, écrit le journal.", "Emmanuel Macron", "déterminé",
     "Emmanuel Macron se dit ‘calme et déterminé’"),
    ("Il a dit « le pays est « calme et serein\u00a0» » hier.", "le pays", "serein", "le pays est « calme et serein\u00a0»"),
    ("L’Élysée se dit ‘prêt’ et l’a répété.", "se dit", "prêt", "se dit ‘prêt’"),
    (PARAGRAPH, "We will not sign", "we were promised.",
     "We will not sign this deal, whatever they offer,” the minister said. “It is not what we were promised."),
])
def test_a_quote_that_ends_inside_its_own_quotation_keeps_the_mark_that_closes_it(
        text: str, begins: str, ends: str, quote: str) -> None:
    """The closing mark of a quotation the quote opened is the source's too (a quote cut at the
    word left it open); a quote across two passages is closed by the marks around it."""
    assert cut(begins, ends, text=text).text == quote
