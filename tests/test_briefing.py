"""The briefing a reader finishes (issue 11): short and in order, cited and grounded at the top,
the full inventory one template away, a link back to the source, readable in mail."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefer.core.models import Actor, Briefing, Event, Evidence, Fact
from briefer.ingest import document_from_bytes, read_source
from briefer.render.engine import render_briefing
from briefer.render.escaping import safe_url
from briefer.render.layout import word_budget
from briefer.render.phrasing import date_note, distinct_aliases, figure_phrase, role_line

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer
from .record_handwritten import LANGUAGE_SETS, SETS
from .measured import say

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
ARTICLES = FIXTURES / "articles"


def quote_once(words: str) -> str:
    """The words an English briefing prints inside its quotation marks."""
    from briefer.core.typography import quotation

    return quotation(words, "en")[1]


def brief(run: Run, *args: Any, env: dict[str, str] | None = None) -> str:
    result = run("brief", *args, **({"env": env} if env else {}))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def section(markdown: str, heading: str) -> str:
    return markdown.split(f"\n## {heading}\n")[1].split("\n## ")[0]


# ------------------------------------------------------------------- length and order


EVERY_SET = [(names, ()) for names in SETS] + [(names, ("--language", lang)) for names, lang in LANGUAGE_SETS]


@pytest.mark.parametrize(("names", "language"), EVERY_SET,
                         ids=lambda x: "+".join(Path(n).stem for n in x) if isinstance(x, list) else "-".join(x))
def test_every_fixture_briefing_is_within_its_length_bound(run: Run, names: list[str],
                                                           language: tuple[str, ...]) -> None:
    paths = [ARTICLES / n for n in names]
    markdown = brief(run, *paths, "--replay", CASSETTES, "-q", *language)
    briefing = Briefing.model_validate_json(brief(run, *paths, "--replay", CASSETTES, "-q", "--format", "json",
                                                  *language))
    article = sum(len(p.text.split()) for path in paths for p in read_source(str(path)).paragraphs)
    bound = min(800 if len(paths) == 1 else 1200, max(450, round(0.4 * article)), int(0.8 * article))
    assert word_budget(briefing) == bound
    words = len(markdown.split())  # all of it: the account of the run is on stderr, not in the briefing
    say(f"  {'+'.join(names)}: {words} words for {article} article words (ratio {words / article:.2f}, bound {bound})")
    assert words <= bound
    headings = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    if language:
        return  # the headings below are the English ones
    order = ["Key points", "What is contested", "Where the sources differ", "Unconfirmed", "Who's who", "Numbers and dates",
             "In their words", "Sources"]
    assert [h for h in headings if h in order] == [h for h in order if h in headings]
    assert markdown.index("**Bottom line:**") < markdown.index("## Key points")
    assert markdown.index("## Sources") < markdown.index("*Written by a language model")


def test_every_key_point_and_the_bottom_line_cite_their_paragraphs(run: Run) -> None:
    markdown = brief(run, SEED, "--replay", CASSETTES, "-q")
    points = [line for line in section(markdown, "Key points").splitlines() if line.startswith("- ")]
    assert 3 <= len(points) <= 7
    assert all(re.search(r"\(¶\d+(, ¶\d+)*\)$", line) for line in points), points
    assert re.search(r"\(¶\d+(, ¶\d+)*\)\n", markdown.split("**Bottom line:**")[1])


def test_unconfirmed_claims_are_apart_from_contested_ones(run: Run) -> None:
    markdown = brief(run, SEED, "--replay", CASSETTES, "-q")
    assert "nobody in the source" not in markdown
    unconfirmed = section(markdown, "Unconfirmed")
    assert "- According to the Kremlin, the call was at Berlin’s request. (¶3)" in unconfirmed
    assert "Berlin’s request" not in section(markdown, "What is contested")


# ------------------------------------------------------------------------ the dossier


def test_the_dossier_renders_the_full_inventory_and_is_listed(run: Run) -> None:
    briefing = Briefing.model_validate_json(brief(run, SEED, "--replay", CASSETTES, "--format", "json"))
    dossier = brief(run, SEED, "--replay", CASSETTES, "--template", "dossier", "-q")
    flat = " ".join(dossier.split())
    for actor in briefing.actors:
        assert f"**{actor.name}**" in dossier
    texts = [*(p.stance for p in briefing.positions), *(q.text for q in briefing.quotes),
             *(f.statement for f in briefing.facts), *(e.what for e in briefing.events),
             *(p.text for p in briefing.key_points)]
    for text in texts:
        assert text.replace("“", "‘").replace("”", "’") in flat or text in flat, text
    for claim in briefing.disputed_claims:
        assert claim.claim.rstrip(".") in flat
        for e in [*claim.evidence, *claim.rebuttal]:
            assert f"“{quote_once(e.excerpt)}”" in flat
    listing = run("templates").stdout
    for name in ("briefing.md", "dossier.md", "dossier.email.html", "dossier.email.txt", "email.html"):
        assert re.search(rf"^{re.escape(name)} +built-in", listing, re.MULTILINE), name
    assert "_sources" not in listing  # partials are not templates to choose


def test_the_briefing_json_keeps_every_item_whatever_the_short_briefing_shows(run: Run) -> None:
    answer = json.loads(seed_answer())
    briefing = Briefing.model_validate_json(brief(run, SEED, "--replay", CASSETTES, "--format", "json"))
    for name in ("actors", "positions", "disputed_claims", "quotes", "facts", "events", "key_points"):
        assert len(getattr(briefing, name)) == len(answer[name]), name


# ------------------------------------------------------------------- a grounded top


def answer_with_a_fabricated_key_point() -> str:
    answer = json.loads(seed_answer())
    answer["key_points"][1]["evidence"] = [{"paragraph": 5, "excerpt": "Scholz called the election to win a mandate for talks"}]
    return json.dumps(answer, ensure_ascii=False)


def test_a_key_point_resting_on_a_fabricated_excerpt_is_marked_by_default(run: Run) -> None:
    bad = answer_with_a_fabricated_key_point()
    with ChatServer([Reply(content=bad), Reply(content=bad)]) as server:
        markdown = brief(run, SEED, "--base-url", server.url, "-q", env=KEY)
    assert "key_points.1.evidence.0.excerpt: not found in paragraph 5" in server.requests[1]["messages"][-1]["content"]
    point = next(line for line in section(markdown, "Key points").splitlines() if "snap election" in line)
    assert point.endswith("(¶5) **(⚠ unsupported)**")
    assert "1 unsupported" in markdown.split("**Checked against the source:**")[1]


def test_under_strict_a_key_point_resting_on_a_fabricated_excerpt_leaves_the_body(run: Run) -> None:
    bad = answer_with_a_fabricated_key_point()
    with ChatServer([Reply(content=bad), Reply(content=bad)]) as server:
        markdown = brief(run, SEED, "--base-url", server.url, "--grounding", "strict", "-q", env=KEY)
        dossier = brief(run, SEED, "--base-url", server.url, "--grounding", "strict", "--template", "dossier",
                        "-q", env=KEY)
    assert "snap election" not in section(markdown, "Key points")
    assert "- Key point: Scholz faces a snap election" in section(markdown, "Not supported by the source")
    assert "snap election on February 23" not in section(dossier, "Key points")
    assert "- Key point: Scholz faces a snap election" in section(dossier, "Appendix: not supported by the source")


def test_a_key_point_stating_a_figure_its_paragraphs_do_not_give_is_unsupported(run: Run) -> None:
    answer = json.loads(seed_answer())
    answer["key_points"][1]["evidence"] = [{"paragraph": 7, "excerpt": "unwavering determination"}]
    content = json.dumps(answer, ensure_ascii=False)
    with ChatServer([Reply(content=content), Reply(content=content)]) as server:
        markdown = brief(run, SEED, "--base-url", server.url, "-q", env=KEY)
    assert "key_points.1.text: a number it states is in none of its cited paragraphs" in \
        server.requests[1]["messages"][-1]["content"]
    point = next(line for line in section(markdown, "Key points").splitlines() if "February 23" in line)
    assert point.endswith("**(⚠ unsupported)**")


# ------------------------------------------------------------ a link back to the source


def test_the_source_address_is_kept_and_linked(run: Run, tmp_path: Path) -> None:
    page = ARTICLES / "pick_nypost_taliban_hostage_swap_2019.html"
    assert read_source(str(page)).url == json.loads(page.with_suffix(".meta.json").read_text())["origin"]
    article = tmp_path / "note.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "note.meta.json").write_text(json.dumps({
        "title": "Scholz (and) Putin", "outlet": "Reuters", "date": "2024-11-15",
        "url": "https://example.org/world/scholz-putin?id=1&x=(2)"}))
    with ChatServer([Reply(content=seed_answer())]) as server:
        saved = brief(run, article, "--base-url", server.url, "--format", "json", "-q", env=KEY)
    briefing = Briefing.model_validate_json(saved)
    assert briefing.sources[0].url == "https://example.org/world/scholz-putin?id=1&x=(2)"
    markdown = render_briefing(briefing)
    assert "[Scholz (and) Putin](https://example.org/world/scholz-putin?id=1&x=%282%29)" in markdown
    html = render_briefing(briefing, "email.html")
    assert 'href="https://example.org/world/scholz-putin?id=1&amp;x=%282%29"' in html


def test_a_sidecar_origin_with_a_note_after_its_address_still_links_the_source() -> None:
    """An editor found the Reuters markets briefing without a link: its sidecar's origin is the
    address followed by "(canonical: ...)", which was taken whole and refused as a link."""
    article = ARTICLES / "reuters_markets_oil_stocks_2019.txt"
    origin = json.loads(article.with_name(article.stem + ".meta.json").read_text())["origin"]
    assert " (canonical: " in origin
    assert read_source(str(article)).url == "https://www.reuters.com/article/us-global-markets-idUSKBN1XT00W"


def test_the_canonical_link_of_a_page_is_not_taken_as_its_address() -> None:
    """Issue 24, finding 12: a page's own claim about where it came from is not a source link
    (a saved file could name any address); the address it was fetched from, or its sidecar's, is."""
    page = (b"<html><head><title>Council votes</title>"
            b'<link rel="canonical" href="https://news.example.org/council-votes"></head><body><article>'
            + b"<p>The council voted on Monday to close the old bridge, officials said.</p>" * 3
            + b"</article></body></html>")
    assert document_from_bytes(page, doc_id="d", origin="-", html=True).url is None
    given = document_from_bytes(page, doc_id="d", origin="-", html=True, url="https://fetched.example/from")
    assert given.url == "https://fetched.example/from"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/a",
                                 "https://example.org/a b", 'https://example.org/"onmouseover="x', "https://",
                                 "//example.org/x", "file:///etc/passwd"])
def test_only_http_and_https_addresses_become_links(url: str) -> None:
    assert safe_url(url) is None


# ----------------------------------------------------------------- it reads well (11.5)


@pytest.mark.parametrize("source_language, shown", [("de", False), ("en", True), (None, True)])
def test_a_dates_own_wording_is_shown_only_in_the_briefings_language(seed_json: Path, source_language: str | None,
                                                                      shown: bool) -> None:
    """An editor read "28 January 2020 (am Dienstag)" in an English briefing of a German article:
    the article's wording of a date is beside it only when the article is in the briefing's
    language (or its language is not known)."""
    seed = Briefing.model_validate_json(seed_json.read_text())
    source = seed.sources[0].model_copy(update={"language": source_language})
    said = "am Dienstag" if source_language == "de" else "on Tuesday evening"
    event = Event(date="2024-11-12", date_text=said, what="the cabinet meets",
                  evidence=[Evidence(source=source.id, paragraph=2, excerpt="words", status="verified")])
    briefing = seed.model_copy(update={"sources": [source], "events": [event]})
    markdown = render_briefing(briefing)
    assert "the cabinet meets" in markdown
    assert (f"**12 November 2024** ({said}):" in markdown) is shown


def test_a_figure_reads_as_a_phrase_never_glued_to_its_unit() -> None:
    fact = Fact(statement="Nobody understood tuft cells for half a century", figure="half-century",
                unit="years", attributed_to=None, evidence=[])
    assert figure_phrase(fact) == "Nobody understood tuft cells for half a century: half-century"
    assert "half-century years" not in figure_phrase(fact)
    held = Fact(statement="Huawei’s license was extended a third time", figure="third", unit="extensions",
                attributed_to=None, evidence=[])
    assert "third extensions" not in figure_phrase(held)
    stated = Fact(statement="Germany has given Ukraine 15 billion euros", figure="15 billion", unit="euros",
                  attributed_to=None, evidence=[])
    assert figure_phrase(stated) == "Germany has given Ukraine 15 billion euros"


def test_a_date_is_never_repeated_beside_itself() -> None:
    def event(iso: str | None, said: str) -> Event:
        return Event(date=iso, date_text=said, what="x", evidence=[])

    assert date_note(event("1991", "1991")) == ""
    assert date_note(event("2025-02-23", "February 23")) == ""
    assert date_note(event("2025-02-23", "23 February 2025")) == ""
    assert date_note(event("2024-11-15", "this Friday")) == "this Friday"
    assert date_note(event("2019-07-25", "July 25th")) == date_note(event("2020-02-14", "Feb. 14")) == ""


def test_role_and_affiliation_stay_apart_and_aliases_do_not_repeat() -> None:
    person = Actor(id="d", name="David Artis", kind="person", role="immunologist, formerly a postdoc",
                   affiliation="Stanford University", aliases=["Artis", "artis", "David Artis", "ARTIS"])
    assert role_line(person) == "immunologist, formerly a postdoc; Stanford University"
    assert distinct_aliases(person) == ["Artis"]


def test_an_excerpt_holding_its_own_quotation_marks_is_quoted_once(run: Run) -> None:
    assert quote_once("“the United States is not preventing people from leaving Rukban.”") == \
        "the United States is not preventing people from leaving Rukban."
    assert quote_once("opened a “Pandora’s box”") == "opened a ‘Pandora’s box’"
    assert quote_once('as bad as the "Meth. We\'re On It." campaign') == "as bad as the ‘Meth. We\'re On It.’ campaign"
    briefing = Briefing.model_validate_json(brief(run, SEED, "--replay", CASSETTES, "--format", "json"))
    claim = briefing.disputed_claims[0]
    rebuttal = claim.rebuttal[0].model_copy(update={"paragraph": 4, "excerpt": "opened a “Pandora’s box”"})
    claim = claim.model_copy(update={"rebuttal": [rebuttal]})
    markdown = render_briefing(briefing.model_copy(update={"disputed_claims": [claim]}), "dossier")
    assert "“opened a ‘Pandora’s box’”" in markdown and "““" not in markdown and "””" not in markdown


def test_paragraph_references_are_in_order(run: Run) -> None:
    briefing = Briefing.model_validate_json(brief(run, SEED, "--replay", CASSETTES, "--format", "json"))
    point = briefing.key_points[0].model_copy(update={"evidence": list(reversed(briefing.key_points[2].evidence))})
    markdown = render_briefing(briefing.model_copy(update={"key_points": [point]}))
    assert "(¶19, ¶20)" in markdown


def test_several_sources_say_sources(run: Run) -> None:
    names = ["bbc_sweden_drops_assange_investigation_2019.txt", "assange_albawaba_2019.txt"]
    markdown = brief(run, *(ARTICLES / n for n in names), "--replay", CASSETTES, "-q", "--template", "dossier")
    assert "**Checked against the sources:**" in markdown and "against the source:" not in markdown
    assert "nobody in the source" not in markdown


def test_the_sources_accounts_of_a_point_read_apart(run: Run) -> None:
    """Template literals are not model text: the escaping that folds model text onto one line
    must not eat the space between two sources' accounts ("¶3);S2:")."""
    names = ["bbc_sweden_drops_assange_investigation_2019.txt", "assange_albawaba_2019.txt"]
    markdown = brief(run, *(ARTICLES / n for n in names), "--replay", CASSETTES, "-q")
    differ = markdown.split("## Where the sources differ", 1)[1].split("\n## ", 1)[0]
    assert "); S2: " in differ and not re.search(r"\);\S", differ)


def test_a_run_of_several_calls_prints_no_bare_progress_label_where_stderr_is_not_a_terminal(run: Run) -> None:
    long = ARTICLES / "businessweek_afghanistan_new_millionaires_2014.txt"
    result = run("brief", long, "--replay", CASSETTES)
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"^extracting\s*$", result.stderr, re.MULTILINE)
    assert "(1 calls)" not in result.stderr and "1 calls" not in result.stderr
    assert "0 calls made, 4 replayed" in result.stderr


# ------------------------------------------------------------------------ email


def test_the_text_part_is_wrapped_at_78_columns_with_a_signature_delimiter(run: Run, tmp_path: Path) -> None:
    saved = tmp_path / "seed.json"
    brief(run, SEED, "--replay", CASSETTES, "-o", saved)
    for template in ("email.txt", "dossier.email.txt"):
        text = run("render", saved, "--template", template).stdout
        long = [line for line in text.splitlines() if len(line) > 78 and not re.search(r"https?://\S{60,}", line)]
        assert long == [], template
        assert "\n-- \n" in text, template


def test_the_html_email_has_no_fixed_width_wider_than_a_phone(run: Run, tmp_path: Path) -> None:
    saved = tmp_path / "seed.json"
    brief(run, SEED, "--replay", CASSETTES, "-o", saved)
    for template in ("email.html", "dossier.email.html"):
        html = run("render", saved, "--template", template).stdout
        widths = [int(w) for w in re.findall(r'(?<![-\w])width\s*[=:]\s*"?(\d+)(?![\d%])', html)]
        assert all(w <= 390 for w in widths), (template, widths)
        assert "max-width: 640px" in html and "nowrap" not in html


# ------------------------------------------------ a long article keeps its core (11.4)

#: A made-up feature whose central finding, neither a dated event nor a figure, is stated only
#: in paragraph 21 of 24, in the last chunk but one.
FEATURE = [
    "For decades, tuft cells were a puzzle to the biologists who found them in the lining of the gut.",
    "The cells are rare, shaped like a bottle, and crowned with a tuft of stiff projections.",
    "Early microscopists described them in rats, then in people, without knowing their purpose.",
    "Textbooks mentioned them in a footnote, when they mentioned them at all.",
    "Some researchers guessed that they absorbed nutrients, others that they were simply damaged cells.",
    "Neither idea survived closer study, and the cells went back into obscurity.",
    "Interest returned when new staining methods made the cells easy to find in tissue samples.",
    "Laboratories began to count them in the intestines of mice raised in different conditions.",
    "Mice that carried worms seemed to have many more of them than mice kept free of parasites.",
    "That pattern suggested a link to the immune system, but not what the link might be.",
    "Immunologists studying allergic responses took an interest in the same signalling molecules.",
    "They noticed that the cells carried receptors otherwise known from taste buds on the tongue.",
    "The receptors respond to bitter and sweet compounds in food.",
    "Why a cell deep in the gut would taste anything was an open question.",
    "Several groups set out to switch the receptors off in mice and watch what happened.",
    "The experiments took years, because the cells are few and hard to isolate.",
    "Mice without the receptors looked healthy and ate normally.",
    "But when they were infected with worms, they struggled to clear the parasites.",
    "Their gut lining also failed to change its shape the way it normally does during an infection.",
    "The researchers then searched the worms and the gut for a molecule the receptors could detect.",
    "The team concluded that tuft cells sense parasites by tasting succinate, a compound the worms release.",
    "Other laboratories have since repeated the experiments in different strains of mice.",
    "Whether the same happens in people is still being studied.",
    "The cells, once a footnote, now have a chapter of their own in immunology courses.",
]
FINDING = "The team concluded that tuft cells sense parasites by tasting succinate"


def feature_answer(body: dict[str, Any], _: int) -> Reply:
    """A stand-in model that reads what it is sent: each chunk's key point cites its own text;
    the synthesis takes the key points of the parts it is shown, so it can only keep the
    central finding if the parts reach it."""
    user = body["messages"][1]["content"]
    if user.startswith("Sources:"):
        payload = json.loads(user.split(">>>\n", 1)[1].rsplit("\n<<<", 1)[0])
        points = [p["key_points"][0] for p in payload["parts"]]
        core = next(p for p in points if "succinate" in p["text"])
        content: dict[str, Any] = {"title": "Tuft cells taste parasites", "bottom_line": core,
                                   "key_points": [core, *(p for p in points if p is not core)][:7],
                                   "source_disputes": [], "same_actors": []}
        return Reply(content=json.dumps(content))
    first, last = (int(n) for n in re.search(r"^Paragraphs: (\d+) to (\d+) of", user, re.MULTILINE).groups())  # type: ignore[union-attr]
    core = first <= 21 <= last
    number = 21 if core else first
    text = FEATURE[number - 1]
    point = {"text": text, "evidence": [{"paragraph": number, "excerpt": " ".join(text.split()[:6])}]}
    content = {"title": "Tuft cells", "bottom_line": point, "key_points": [point],
               "findings": [{"statement": text, "evidence": point["evidence"]}] if core else [],
               "actors": [], "positions": [], "disputed_claims": [], "quotes": [], "facts": [], "events": []}
    return Reply(content=json.dumps(content))


def test_a_central_finding_stated_only_in_a_late_chunk_reaches_the_key_points(run: Run, tmp_path: Path) -> None:
    article = tmp_path / "tuft-cells.txt"
    article.write_text("\n\n".join(FEATURE) + "\n", encoding="utf-8")
    with ChatServer(feature_answer) as server:
        markdown = brief(run, article, "--base-url", server.url, "--chunk-tokens", "200", "-q", env=KEY)
    users = sorted((r["messages"][1]["content"] for r in server.requests), key=lambda u: (
        u.startswith("Sources:"), int(re.search(r"^Paragraphs: (\d+)", u, re.MULTILINE)[1]) if "Paragraphs:" in u else 0))
    extractions = users[:-1]
    assert len(extractions) >= 3 and users[-1].startswith("Sources:")
    late = next(n for n, u in enumerate(extractions) if "[P21]" in u)
    assert late >= 2 and late >= len(extractions) - 2  # a late chunk: neither of the first two
    synthesis = users[-1]
    assert '"parts"' in synthesis and FINDING in synthesis
    points = section(markdown, "Key points")
    assert f"- {FINDING}, a compound the worms release. (¶21)\n" in points + "\n"


def test_email_dossier_sends_the_full_inventory(run: Run, tmp_path: Path) -> None:
    from email import message_from_bytes, policy

    saved = tmp_path / "seed.json"
    brief(run, SEED, "--replay", CASSETTES, "-o", saved)
    sent = {}
    for flag in ("", "--dossier"):
        eml = tmp_path / f"seed{flag}.eml"
        args = ["email", saved, "--to", "desk@example.org", "--from", "briefer@example.org", "--eml", eml]
        assert run(*args, *([flag] if flag else [])).exit_code == 0
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        sent[flag] = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "POSITIONS" in sent["--dossier"] and "POSITIONS" not in sent[""]
    assert "WHAT IS CONTESTED" in sent[""]


def test_the_timeline_places_relative_dates_where_they_fall() -> None:
    from briefer.render.choice import chronological

    def event(what: str, iso: str | None, said: str) -> Event:
        return Event(date=iso, date_text=said, what=what,
                     evidence=[Evidence(source="s", paragraph=1, excerpt=said)])

    events = [event("after", None, "the week after the vote"), event("call", "2024-11-15", "this Friday"),
              event("talks", None, "last week"), event("start", "2024-11-01", "November 1")]
    assert [e.what for e in chronological(events, {"s": "2024-11-15"})] == ["start", "talks", "call", "after"]
    assert [e.what for e in chronological(events)] == ["start", "call", "after", "talks"]  # no dateline: kept last
