"""`briefer text`: the article exactly as the model will read it, before paying for a briefing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from briefer.ingest import read_source
from briefer.ingest.language import language_of

from .conftest import FIXTURES, SEED, Run
from .page_server import PageServer, Route

NYPOST = FIXTURES / "articles" / "pick_nypost_taliban_hostage_swap_2019.html"


def test_a_file_shows_its_metadata_then_every_numbered_paragraph(run: Run) -> None:
    result = run("text", NYPOST)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == ["Title:    Taliban say they freed US, Australian hostages for 3 terrorist figures",
                         "Outlet:   New York Post", "Date:     2019-11-19",
                         "Link:     https://nypost.com/2019/11/19/three-taliban-prisoners-flown-to-qatar-for-hostage-swap/",
                         "Language: en"]
    document = read_source(str(NYPOST))
    shown = [line for line in lines if line.startswith("[P")]
    assert shown == [f"[P{p.number}] {p.text}" for p in document.paragraphs]
    assert f"{len(document.paragraphs)} paragraphs" in result.stdout


def test_json_prints_the_document_briefer_reads(run: Run) -> None:
    result = run("text", SEED, "--json")
    assert result.exit_code == 0
    expected = read_source(str(SEED))
    language_of(expected)  # the language a run keeps, detected for the reader
    assert json.loads(result.stdout) == expected.model_dump() and expected.language == "en"
    assert result.stdout == expected.model_dump_json(indent=2) + "\n"  # every field, in its order


def test_standard_input_with_what_the_user_says_about_it(run: Run) -> None:
    result = run("text", "-", "--title", "Scholz calls Putin", "--outlet", "Reuters", "--date", "2024-11-15",
                 "--url", "https://example.org/scholz-calls-putin", input=SEED.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:4] == ["Title:    Scholz calls Putin", "Outlet:   Reuters",
                                              "Date:     2024-11-15", "Link:     https://example.org/scholz-calls-putin"]


def test_a_url_is_fetched_and_a_recording_replays_it_offline(run: Run, tmp_path: Path) -> None:
    with PageServer({"/news/taliban-hostage-swap.html": Route(NYPOST.read_bytes())}) as server:
        url = server.url("/news/taliban-hostage-swap.html")
        live = run("text", url, "--record", tmp_path / "rec")
    assert live.exit_code == 0, live.stderr
    assert f"Link:     {url}" in live.stdout
    offline = run("text", url, "--replay", tmp_path / "rec")
    assert offline.exit_code == 0 and offline.stdout == live.stdout


def test_control_characters_in_an_article_do_not_reach_the_terminal(run: Run, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The minister said \x1b[2J\x1b]0;owned\x07 the plan was final, and the vote is on Monday.\n",
                       encoding="utf-8")
    result = run("text", article)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J" in result.stdout


def test_what_cannot_be_read_is_one_line_with_its_exit_code(run: Run, tmp_path: Path) -> None:
    missing = run("text", tmp_path / "nope.txt")
    assert missing.exit_code == 3 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    with PageServer({}) as server:
        gone = run("text", server.url("/gone"))
    assert gone.exit_code == 13 and "not found" in gone.stderr


def test_the_command_is_listed_in_help(run: Run) -> None:
    listing = run("--help").stdout.split("\nCommands:\n")[1]
    assert re.search(r"^  text +\S", listing, re.MULTILINE), listing  # its own line, with what it does
