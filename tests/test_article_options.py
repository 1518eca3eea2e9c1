"""--title, --outlet, --date and --url: saying what a piped article or a single file is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.ingest import read_source

from .chat_server import ChatServer, Reply
from .conftest import SEED, SENTINEL_KEY, Run, seed_answer

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
URL = "https://www.reuters.com/world/europe/scholz-speaks-with-putin-first-call-almost-two-years-2024-11-15/"
META = ["--title", "Scholz speaks with Putin in first call in almost two years", "--outlet", "Reuters",
        "--date", "2024-11-15", "--url", URL]


def test_a_piped_article_with_its_metadata_replays_from_a_recording_of_that_request(run: Run, tmp_path: Path) -> None:
    recordings, first, second = tmp_path / "rec", tmp_path / "first.json", tmp_path / "second.json"
    article = SEED.read_bytes()
    with ChatServer([Reply(content=seed_answer())]) as chat:
        recorded = run("brief", "-", *META, "--base-url", chat.url, "--record", recordings, "-o", first, "-q",
                       env=KEY, input=article)
        assert recorded.exit_code == 0, recorded.stderr
        sent = chat.requests[0]["messages"][-1]["content"]
    assert "Title: Scholz speaks with Putin in first call in almost two years" in sent
    assert "Outlet: Reuters" in sent and "Published: 2024-11-15" in sent
    replayed = run("brief", "-", *META, "--replay", recordings, "-o", second, "-q", input=article)
    assert replayed.exit_code == 0, replayed.stderr
    source = json.loads(second.read_text())["sources"][0]
    assert (source["title"], source["outlet"], source["date"], source["url"]) == (
        "Scholz speaks with Putin in first call in almost two years", "Reuters", "2024-11-15", URL)
    assert source["id"] == "scholz-speaks-with-putin-first-call-almost-two-years-2024-11-15"
    assert json.loads(first.read_text())["actors"] == json.loads(second.read_text())["actors"]
    # the metadata is part of the request: another title is another request, not recorded
    other = run("brief", "-", *META[:-2], "--title", "Another headline", "--replay", recordings, input=article)
    assert other.exit_code == 4 and "no recording" in other.stderr


def test_the_options_win_over_the_sidecar_and_the_rest_of_it_stays() -> None:
    document = read_source(str(SEED), meta={"title": "A better headline", "url": URL})
    assert (document.title, document.outlet, document.date, document.url) == (
        "A better headline", "Reuters", "2024-11-15", URL)


def test_without_options_stdin_knows_nothing_about_its_article() -> None:
    import io

    document = read_source("-", stdin=io.BytesIO(SEED.read_bytes()))
    assert (document.id, document.title, document.outlet, document.date, document.url) == ("stdin", None, None, None, None)


@pytest.mark.parametrize("args", [
    ["--title", "T", str(SEED), str(SEED)],
    ["--outlet", "O", "--each", str(SEED), "-o", "out"],
])
def test_the_options_describe_one_article_only(run: Run, args: list[str]) -> None:
    result = run("brief", *args, "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("briefer: error: --") and "one article" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--date", "last Friday", "is not a date"),
    ("--url", "reuters.com/story", "is not an http:// or https:// URL"),
])
def test_a_bad_date_or_url_is_refused_before_anything_is_read(run: Run, option: str, value: str, says: str) -> None:
    result = run("brief", "-", option, value, "--dry-run", input=b"text")
    assert result.exit_code == 2 and says in result.stderr
