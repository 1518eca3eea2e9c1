"""Grounding beyond the seed: every recording briefs with no false flag, a German page's dates and
figures verify, dates in other languages resolve against the publication date, what could not be
checked is named, re-asks say one finding a line with the model's own ids, and `briefer check`
audits a saved briefing. (That a repair is kept only when it leaves fewer findings is tested with
the patch repairs, in test_grounding.py.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefer.core.models import Briefing, ChunkExtraction, Usage
from briefer.grounding import check_date, ground, item_status
from briefer.grounding.continued import open_at_end
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import briefing_from_extraction

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer, seed_reading
from .record_handwritten import ARTICLES, SETS

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
GERMAN = ARTICLES / "sueddeutsche_flixtrain_2019.html"


def replayed(run: Run, *articles: Path) -> Briefing:
    result = run("brief", *articles, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    return Briefing.model_validate_json(result.stdout)


def flags(briefing: Briefing) -> list[str]:
    """Every mark a reader would see on an item: not verified, attribution unconfirmed, a
    paragraph reference corrected."""
    found = []
    for name in ("positions", "disputed_claims", "facts", "events", "quotes", "source_disputes"):
        for n, item in enumerate(getattr(briefing, name)):
            located = [item, *getattr(item, "evidence", []), *getattr(item, "accounts", [])]
            if item_status(item) not in ("verified", "unchecked") or any(
                    getattr(x, "cited_paragraph", None) for x in located):
                found.append(f"{name}.{n}")
    return found


#: KNOWN FAULT, left to the grounding's owner: "In May this year" (published 2019-11-18) names
#: May 2019, but the date check reads only "this year" from it, so the answer's 2019-05 is marked
#: approximate. Asserted as it is, so the test fails (and this entry goes) once it is fixed.
KNOWN_FALSE_FLAGS = {"thesun_plague_2019.html": ["events.4"]}


@pytest.mark.parametrize("names", SETS, ids=lambda names: "+".join(n.split("_")[0] for n in names))
def test_every_recorded_set_briefs_with_no_false_flag_and_no_reask(run: Run, names: list[str]) -> None:
    briefing = replayed(run, *(ARTICLES / n for n in names))
    assert flags(briefing) == KNOWN_FALSE_FLAGS.get(names[0], [])
    assert briefing.usage.reasks == 0 and briefing.grounding.attributions_flagged == 0
    assert briefing.grounding.corrected_paragraphs == 0


def test_a_german_page_briefs_with_its_dates_relative_ones_included_and_figures_verified(run: Run) -> None:
    briefing = replayed(run, GERMAN)
    assert {e.date_text: e.date_status for e in briefing.events} == {
        "vergangene Woche": "verified", "ab 2021": "verified", "bis 2030": "verified", "1994": "verified"}
    assert [(f.figure, f.figure_status) for f in briefing.facts if "Millionen" in f.figure or "Prozent" in f.figure] \
        == [("sieben Prozent", "verified"), ("400 Millionen", "verified"), ("19 Prozent", "verified")]
    assert briefing.grounding.figures.verified == len(briefing.facts) == 5
    assert "31 of 31 excerpts and quotes verbatim" in briefing.grounding.summary


def test_the_german_dates_are_checked_not_waved_through() -> None:
    paragraph = [read_source(str(GERMAN)).paragraph(3).text]  # "… versprachen vergangene Woche viel …"
    published = date(2019, 5, 17)
    assert check_date("2019-05", "vergangene Woche", paragraph, published) == "verified"
    assert check_date("2019-04", "vergangene Woche", paragraph, published) == "unsupported"
    assert check_date("2019-05-08", "vergangene Woche", paragraph, published) == "approximate"  # a day it does not state
    assert check_date("2019-05-16", "vergangene Woche", paragraph, published) == "unsupported"  # this week


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        # Spanish
        ("El Gobierno aprobó este martes el plan.", "2022-03-03", "2022-03-01"),
        ("La votación será este viernes.", "2022-03-03", "2022-03-04"),
        ("El decreto entró en vigor el martes 1° de marzo.", "2022-03-03", "2022-03-01"),
        ("Ocurrió ayer por la tarde.", "2022-03-03", "2022-03-02"),
        ("Las protestas comenzaron la semana pasada.", "2022-03-03", "2022-02"),
        ("El acuerdo se firmó el 15 de febrero de 2022.", "2022-03-03", "2022-02-15"),
        # French
        ("La réforme entre en vigueur le 1er mars.", "2022-02-20", "2022-03-01"),
        ("Le ministre a démissionné hier.", "2022-02-20", "2022-02-19"),
        ("Les grèves ont commencé la semaine dernière.", "2022-02-20", "2022-02"),
        ("Le vote a eu lieu mardi.", "2022-02-20", "2022-02-15"),
        ("La loi a été adoptée le 3 février 2022.", "2022-02-20", "2022-02-03"),
        # Italian
        ("Il decreto è stato approvato martedì 1° marzo.", "2022-03-03", "2022-03-01"),
        ("Il governo è caduto la settimana scorsa.", "2022-03-03", "2022-02"),
        ("Il premier ha parlato ieri.", "2022-03-03", "2022-03-02"),
        ("Le elezioni si terranno il 25 settembre 2022.", "2022-03-03", "2022-09-25"),
    ],
)
def test_spanish_french_and_italian_dates_resolve_against_the_publication_date(text: str, published: str,
                                                                                iso: str) -> None:
    when = date.fromisoformat(published)
    assert check_date(iso, "", [text], when) == "verified", text
    wrong = str(int(iso[:4]) - 2) + iso[4:]
    assert check_date(wrong, "", [text], when) == "unsupported", text


def test_a_date_printed_in_words_briefer_does_not_read_is_not_checked_not_contradicted() -> None:
    """The model's date words are the paragraph's own, but briefer reads no date in them: the
    other dates of the paragraph are not what they say, so they are no evidence of an error."""
    paragraph = ["The deal was struck at the turn of the season; a second one followed on March 3, 2024."]
    assert check_date("2024-09", "at the turn of the season", paragraph, date(2024, 11, 19)) == "unchecked"
    # words the paragraph does not print are checked against the dates it does state
    assert check_date("2024-09", "in the autumn", paragraph, date(2024, 11, 19)) == "unsupported"
    # printed means as whole words: "May" is not printed in "mayor"
    assert check_date("2024-05", "May", ["The mayor said the vote was held in June."], date(2024, 11, 19)) == "unsupported"
    # and words briefer reads decide as before
    assert check_date("2024-04-03", "March 3, 2024", paragraph, date(2024, 11, 19)) == "unsupported"
    assert check_date("2024-03-03", "March 3, 2024", paragraph, date(2024, 11, 19)) == "verified"


@pytest.mark.parametrize("text, left_open", [
    ('"For a while," she explains. "If we were able to', True), ('“It has taken,” said Ruiz. “It is long.', True),
    ("„Es dauert“, sagte sie. „Es ist lang.", True), ("« C’est long », dit-elle. « Trop long.", True),
    ('"And the idea is not so crazy.', True), ('"For a while," she explains.', False),
    ("„Es dauert“, sagte sie.", False), ("« C’est long », dit-elle.", False), ("No quotation at all.", False),
])
def test_a_paragraph_that_leaves_a_quotation_open_is_told_from_one_that_closes_it(text: str, left_open: bool) -> None:
    """What tells a quotation's next paragraph (its speaker named where it opened) from a new one."""
    opened = open_at_end(text)
    assert (opened is not None) == left_open, text
    if left_open:
        assert text[opened] in "\"“„«" and opened == max(text.rfind(m) for m in "\"“„«"), text


def seed_with(change: Any) -> Briefing:
    answer = seed_reading()
    change(answer)
    document = read_source(str(SEED))
    draft = briefing_from_extraction(document, ChunkExtraction.model_validate(answer), usage=Usage(),
                                     model="m", prompt_version="v")
    return ground(draft, [document])


def test_a_figure_that_cannot_be_checked_is_named_in_the_summary_and_marked() -> None:
    from briefer.render.engine import render_briefing

    def uncheckable(answer: dict[str, Any]) -> None:
        answer["facts"][0]["figure"] = "thousands"

    briefing = seed_with(uncheckable)
    assert briefing.facts[0].figure_status == "unchecked"
    assert briefing.grounding.summary.startswith("36 of 38 items verified, 0 approximate, 0 unsupported, 2 not checked")
    assert briefing.grounding.summary.endswith("1 of 1 figures and 3 of 3 dates found in their paragraphs.")
    assert "Zelensky says: thousands (¶18) *(not checked)*" in render_briefing(briefing, "dossier")


def test_an_item_citing_nothing_is_unsupported_counted_and_sent_back() -> None:
    from briefer.grounding import grounding_problems

    def uncited(answer: dict[str, Any]) -> None:
        answer["positions"][0]["evidence"] = []

    briefing = seed_with(uncited)
    assert item_status(briefing.positions[0]) == "unsupported"
    assert briefing.grounding.uncited == 1
    assert "0 approximate, 1 unsupported" in briefing.grounding.summary
    assert "positions.0.evidence: cites nothing" in grounding_problems(briefing)[0]


def renamed_diplomat() -> dict[str, Any]:
    """The seed answer with the Western diplomat under an id that is not the slug of the name,
    and two findings: an invented quote, and a quote given to the diplomat that Zelensky said."""
    answer = json.loads(json.dumps(seed_reading()).replace('"western-diplomat"', '"diplomat-1"'))
    answer["quotes"][5]["begins"] = "We will never accept any deal"
    answer["quotes"][3]["speaker_id"] = "diplomat-1"
    return answer


def test_a_reask_lists_one_finding_a_line_with_the_ids_the_model_used(run: Run) -> None:
    with ChatServer([Reply(content=json.dumps(renamed_diplomat())), Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    lines = server.requests[1]["messages"][-1]["content"].splitlines()
    findings = [line for line in lines if line.startswith("- ")]
    assert [f.split(":")[0] for f in findings] == ["- quotes.3.attributed_by", "- quotes.5.begins"]
    assert "give it to Volodymyr Zelensky" in findings[0] and "western-diplomat" not in "\n".join(lines)


# ---------------------------------------------------------------------- briefer check


def edited(seed_json: Path, text: str) -> Path:
    briefing = json.loads(seed_json.read_text(encoding="utf-8"))
    quote = next(q for q in briefing["quotes"] if "not open to anything" in q["text"])
    quote["text"] = text
    path = seed_json.with_name("edited.json")
    path.write_text(json.dumps(briefing, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_reports_a_saved_briefing_as_it_stands(run: Run, seed_json: Path) -> None:
    result = run("check", seed_json)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("37 of 38 items verified, 0 approximate, 0 unsupported, 1 not checked; "
                                    "44 of 44 excerpts and quotes verbatim")


def test_check_catches_a_quote_edited_to_reverse_its_meaning_and_strict_fails(run: Run, seed_json: Path,
                                                                             tmp_path: Path) -> None:
    path = edited(seed_json, "Putin is … open to anything")
    result = run("check", path)
    assert result.exit_code == 0, result.stderr
    assert "36 of 38 items verified, 0 approximate, 1 unsupported, 1 not checked; 43 of 44 excerpts" in result.stdout
    strict = run("check", path, "--strict", "-o", tmp_path / "rechecked.json")
    assert_clean_failure(strict, 15)
    assert "1 unsupported item: quotes.5" in strict.stderr
    rechecked = Briefing.model_validate_json((tmp_path / "rechecked.json").read_text(encoding="utf-8"))
    assert rechecked.quotes[5].status == "unsupported"
    assert rechecked.quotes[5].source_words == "Putin is not open to anything"
    rendered = run("render", tmp_path / "rechecked.json", "--template", "dossier")
    assert "- “Putin is not open to anything” — Western diplomat (¶12)" in rendered.stdout


def test_check_takes_the_sources_given_and_refuses_a_changed_one(run: Run, seed_json: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("check", seed_json, copy).exit_code == 0
    copy.write_text(SEED.read_text(encoding="utf-8").replace("11,000", "12,000"), encoding="utf-8")
    assert "the text has changed since the briefing was made" in assert_clean_failure(run("check", seed_json, copy), 3)


def test_check_says_how_to_give_a_source_it_cannot_find(run: Run, seed_json: Path) -> None:
    briefing = json.loads(seed_json.read_text(encoding="utf-8"))
    briefing["sources"][0]["origin"] = "gone/article.txt"
    seed_json.write_text(json.dumps(briefing), encoding="utf-8")
    line = assert_clean_failure(run("check", seed_json), 3)
    assert "give the sources: briefer check BRIEFING.json SOURCE..." in line


def test_a_constructed_article_reads_like_a_real_one() -> None:
    document = document_from_bytes("Smith said on Friday: “We will respond.”".encode(), doc_id="d", origin="d",
                                   date="2024-11-19")
    assert check_date("2024-11-15", "on Friday", [document.paragraphs[0].text], date(2024, 11, 19)) == "verified"


def test_quoted_shows_verified_words_in_quotation_marks_and_never_the_models_other_words_as_quotes() -> None:
    from briefer.render.engine import render_briefing

    def distorted(answer: dict[str, Any]) -> None:
        answer["quotes"][3]["begins"] = "We will <b>never</b> accept *any*"  # not in the article
        answer["quotes"][3]["ends"] = "deal"
        answer["quotes"][5]["begins"] = "Putin is … open to anything"  # an anchor that skips "not"

    briefing = seed_with(distorted)
    renderings = ("dossier.md", "dossier.email.html", "dossier.email.txt")
    markdown, html, text = (render_briefing(briefing, t) for t in renderings)
    assert "- We will \\<b\\>never\\</b\\> accept \\*any\\* … deal — Volodymyr Zelensky" in markdown  # escaped once
    assert "<p>We will &lt;b&gt;never&lt;/b&gt; accept *any* … deal</p>" in html.replace(' style="margin: 0 0 10px 0;"', "")
    assert "  We will <b>never</b> accept *any* … deal\n" in text
    for rendering in (markdown, html, text):  # anchors that fix no span are never dressed as a quote
        assert "“Putin is" not in rendering and "“We will" not in rendering
