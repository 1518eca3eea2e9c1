"""`briefer digest`: several briefings as one Markdown document and one email with a table of
contents; `brief --each ... --email-to` sends that digest when the run ends."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from pymarkdown.api import PyMarkdownApi

from briefer.core.models import Briefing, Point

from .conftest import CASSETTES, FIXTURES, Run, assert_clean_failure
from .test_email import tags_of

ARTICLES = FIXTURES / "articles"
THREE = [ARTICLES / "scholz-putin-call.txt", ARTICLES / "ap_uk_tories_factcheckuk_2019.html",
         ARTICLES / "pick_nypost_taliban_hostage_swap_2019.html"]
FROM, TO = "briefer@example.org", "desk@example.org"


@pytest.fixture
def three(run: Run, tmp_path: Path) -> list[Path]:
    """Three fixture briefings, saved as JSON from their recordings."""
    saved = []
    for article in THREE:
        path = tmp_path / f"{article.stem}.json"
        result = run("brief", article, "--replay", CASSETTES, "-o", path, "-q")
        assert result.exit_code == 0, result.stderr
        saved.append(path)
    return saved


def titles(paths: list[Path]) -> list[str]:
    return [Briefing.model_validate_json(p.read_text()).title for p in paths]


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_digest_of_three_briefings_has_contents_and_three_sections(run: Run, three: list[Path]) -> None:
    result = run("digest", *three)
    assert result.exit_code == 0, result.stderr
    markdown = result.stdout
    assert markdown.startswith("# Briefing digest: 3 stories\n")
    contents = re.findall(r"^(\d)\. \[(.+?)\]\(#(story-\d)\): ", markdown, re.MULTILINE)
    assert [(n, anchor) for n, _, anchor in contents] == [("1", "story-1"), ("2", "story-2"), ("3", "story-3")]
    for n, title in enumerate(titles(three), 1):
        section = markdown.split(f'<a id="story-{n}"></a>')[1]
        assert section.lstrip().startswith("## ")  # each briefing one heading level down
        assert title.split()[0] in section.lstrip().split("\n", 1)[0]
    assert markdown.count("\n# ") == 0 and markdown.count("**Bottom line:**") == 3
    linter = PyMarkdownApi().disable_rule_by_identifier("md013").disable_rule_by_identifier("md033")
    linter = linter.disable_rule_by_identifier("md024")  # every story has its "Key points"
    assert linter.scan_string(markdown).scan_failures == []


def test_a_folder_stands_for_its_briefings_and_o_writes_a_file(run: Run, three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "digest.md"
    assert run("digest", tmp_path, "-o", out).exit_code == 0
    assert out.read_text().startswith("# Briefing digest: 3 stories")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no briefings" in assert_clean_failure(run("digest", empty), 9)


def test_each_with_email_to_writes_one_digest_message_with_three_stories(run: Run, tmp_path: Path) -> None:
    eml = tmp_path / "digest.eml"
    result = run("brief", "--each", *THREE, "--replay", CASSETTES, "-o", tmp_path / "out",
                 "--email-to", TO, "--email-from", FROM, "--eml", eml)
    assert result.exit_code == 0, result.stderr
    assert f"briefer: wrote {eml}" in result.stderr
    message = parse(eml.read_bytes())
    assert message["Subject"] == "Briefing digest: 3 stories" and message["To"] == TO
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    briefings = sorted((tmp_path / "out").glob("*.json"))
    order = [Briefing.model_validate_json(p.read_text()) for p in briefings]
    by_source = {b.sources[0].origin: b for b in order}
    expected = [by_source[str(a)].title for a in THREE]  # in the order the articles were given
    assert text.count("STORY ") == 3 and "STORY 3 OF 3" in text
    contents = text.split("####")[0]
    positions = [contents.find(" ".join(t.split()[:4])) for t in expected]
    assert -1 not in positions and positions == sorted(positions)
    tags = tags_of(html)
    # links inside the message, and each story's link back to its source (the user's input)
    sources = {s.url for b in order for s in b.sources if s.url}
    assert tags.links[:3] == ["#story-1", "#story-2", "#story-3"] and set(tags.links[3:]) == sources
    assert all(f'id="story-{n}"' in html for n in (1, 2, 3))
    assert "script" not in tags.tags and "img" not in tags.tags


def test_a_rerun_mails_only_what_is_new(run: Run, tmp_path: Path) -> None:
    out, eml = tmp_path / "out", tmp_path / "digest.eml"
    mail = ["--email-to", TO, "--email-from", FROM, "--eml", eml]
    assert run("brief", "--each", *THREE[:2], "--replay", CASSETTES, "-o", out, "-q").exit_code == 0
    result = run("brief", "--each", *THREE, "--replay", CASSETTES, "-o", out, *mail)
    assert result.exit_code == 0, result.stderr
    message = parse(eml.read_bytes())
    assert message["Subject"] == "Briefing digest: 1 story"
    eml.unlink()
    again = run("brief", "--each", *THREE, "--replay", CASSETTES, "-o", out, *mail)
    assert again.exit_code == 0 and "no new briefings in this run: no digest sent" in again.stderr
    assert not eml.exists()


def test_each_mail_settings_are_checked_before_any_call(run: Run, tmp_path: Path) -> None:
    result = run("brief", "--each", *THREE, "--replay", CASSETTES, "-o", tmp_path / "out", "--email-to", TO,
                 "--eml", tmp_path / "d.eml")
    assert "give the sender" in assert_clean_failure(result, 2)
    assert not (tmp_path / "out").exists()


def test_digest_mail_and_its_settings(run: Run, three: list[Path], tmp_path: Path) -> None:
    assert "give the sender" in assert_clean_failure(run("digest", *three, "--email-to", TO, "--eml", "d.eml"), 2)
    assert "--eml applies only when mailing" in assert_clean_failure(run("digest", *three, "--eml", "d.eml"), 2)
    eml = tmp_path / "d.eml"
    result = run("digest", *three, "--email-to", TO, "--email-from", FROM, "--eml", eml, "--email-subject", "Morning")
    assert result.exit_code == 0, result.stderr
    assert parse(eml.read_bytes())["Subject"] == "Morning"


def test_model_text_stays_inert_in_every_digest_form(run: Run, three: list[Path], tmp_path: Path) -> None:
    briefing = Briefing.model_validate_json(three[0].read_text())
    hostile = briefing.model_copy(update={
        "title": "Click [here](https://evil.example/x) <script>alert(1)</script>",
        "bottom_line": Point(text="See www.evil.example now")})
    three[0].write_text(hostile.model_dump_json())
    markdown = run("digest", *three).stdout
    assert "https://evil" not in markdown and "<script>" not in markdown and "www.evil" not in markdown
    eml = tmp_path / "d.eml"
    assert run("digest", *three, "--email-to", TO, "--email-from", FROM, "--eml", eml).exit_code == 0
    message = parse(eml.read_bytes())
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html and "https://evil" not in html
    links = tags_of(html).links
    assert links[:3] == ["#story-1", "#story-2", "#story-3"]
    assert all(link.startswith("https://") and "evil" not in link for link in links[3:])  # the sources' own
