"""Articles by URL: fetched carefully, recorded like model calls, refused in one line."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from briefer.core.errors import FetchError
from briefer.ingest import read_source
from briefer.ingest.web import USER_AGENT

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, SENTINEL_KEY, Run
from .page_server import PageServer, Route

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
AP_NAME = "ap_uk_tories_factcheckuk_2019"
AP_PAGE = FIXTURES / "articles" / f"{AP_NAME}.html"
AP_ANSWER = FIXTURES / "answers" / "ap-uk-tories-factcheckuk-2019.p1-19.json"
STORY = f"/news/{AP_NAME}.html"


def ap_route(**changes: object) -> Route:
    return Route(body=AP_PAGE.read_bytes(), **changes)  # type: ignore[arg-type]


def paragraphs(source: str) -> list[str]:
    return [p.text for p in read_source(source).paragraphs]


# ----------------------------------------------------------------------------- fetching


def test_a_page_by_url_reads_like_the_same_page_on_disk_and_keeps_its_link() -> None:
    with PageServer({STORY: ap_route()}) as server:
        document = read_source(server.url(STORY))
    assert [p.text for p in document.paragraphs] == paragraphs(str(AP_PAGE))
    assert document.url == document.origin == server.url(STORY)
    assert document.id == "ap-uk-tories-factcheckuk-2019"


def test_a_redirect_is_followed_and_the_final_address_is_the_link() -> None:
    routes = {"/old": Route(status=301, headers={"location": STORY}, content_type=None), STORY: ap_route()}
    with PageServer(routes) as server:
        document = read_source(server.url("/old"))
    assert document.url == server.url(STORY) and document.origin == server.url("/old")
    assert [p.text for p in document.paragraphs] == paragraphs(str(AP_PAGE))


def test_the_request_names_briefer_and_a_compressed_page_is_undone() -> None:
    with PageServer({STORY: ap_route(gzip=True)}) as server:
        document = read_source(server.url(STORY))
        headers = {k.lower(): v for k, v in server.requests[0][1].items()}
    assert headers["user-agent"] == USER_AGENT
    assert "gzip" in headers["accept-encoding"]
    assert len(document.paragraphs) == len(paragraphs(str(AP_PAGE)))


def test_the_charset_the_server_declares_decodes_the_page() -> None:
    text = ("<html><head><title>Caf\u00e9 owners protest</title></head><body><article>"
            + "".join(f"<p>The caf\u00e9 owners of the old town met on Monday, number {n}, and said the new "
                      "rules would cost them their terraces this summer.</p>" for n in range(4))
            + "</article></body></html>")
    with PageServer({"/p": Route(text.encode("iso-8859-1"), content_type="text/html; charset=iso-8859-1")}) as server:
        document = read_source(server.url("/p"))
    assert "caf\u00e9 owners" in document.paragraphs[0].text


def test_a_plain_text_address_is_read_as_text() -> None:
    body = "First paragraph of a plain article.\n\nSecond paragraph, and the end of it.\n"
    with PageServer({"/a.txt": Route(body.encode(), content_type="text/plain; charset=utf-8")}) as server:
        document = read_source(server.url("/a.txt"))
    assert [p.text for p in document.paragraphs] == [
        "First paragraph of a plain article.", "Second paragraph, and the end of it."]


# ------------------------------------------------------------------- one-line failures

TEN_MB = b"<html><body><p>" + b"word " * (2 * 1024 * 1024) + b"</p></body></html>"
FAILURES = {
    "not found": ({"/p": Route(b"gone", 404, "text/plain")}, "/p", "not found (HTTP 404)"),
    "server error": ({"/p": Route(b"oops", 503, "text/plain")}, "/p", "HTTP 503"),
    "10 MB, announced": ({"/p": Route(TEN_MB)}, "/p", "too large"),
    "10 MB, streamed": ({"/p": Route(TEN_MB, chunked=True)}, "/p", "too large"),
    "a PDF": ({"/p.pdf": Route(b"%PDF-1.7 ...", content_type="application/pdf")}, "/p.pdf", "a PDF, not a web page"),
    "an image": ({"/i": Route(b"\x89PNG...", content_type="image/png")}, "/i", "image/png, not a web page"),
    "never answers": ({"/p": Route(hang=True)}, "/p", "too slow"),
    "a redirect loop": ({"/a": Route(status=302, headers={"location": "/b"}, content_type=None),
                         "/b": Route(status=302, headers={"location": "/a"}, content_type=None)}, "/a",
                        "a redirect loop"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_a_page_that_cannot_be_fetched_is_one_line_and_exit_13(run: Run, case: str, monkeypatch) -> None:
    # A server that answers gets all the time a loaded machine may need: its failure must be the
    # one the case is about, never "too slow". Only the server that never answers meets a short
    # timeout (it cannot beat any).
    monkeypatch.setenv("BRIEFER_FETCH_TIMEOUT", "0.5" if case == "never answers" else "60")
    routes, path, expected = FAILURES[case]
    with PageServer(routes) as server:
        result = run("brief", server.url(path), "--dry-run")
    assert result.exit_code == 13, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefer: error: http://127.0.0.1:")
    assert expected in lines[0]


def test_a_tls_failure_is_one_line_and_exit_13(run: Run) -> None:
    with PageServer({STORY: ap_route()}) as server:  # plain HTTP, asked for https
        result = run("brief", server.url(STORY, scheme="https"), "--dry-run")
    assert result.exit_code == 13
    assert "TLS" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_closed_port_is_one_line_and_exit_13(run: Run) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("brief", f"http://127.0.0.1:{port}/story", "--dry-run")
    assert result.exit_code == 13 and "could not connect" in result.stderr


def test_fetch_errors_are_fetch_errors() -> None:
    with PageServer({}) as server, pytest.raises(FetchError):
        read_source(server.url("/missing"))


# ------------------------------------------------------------------- briefed and replayed


def test_a_page_by_url_is_briefed_then_replayed_offline_from_its_recording(run: Run, tmp_path: Path) -> None:
    recordings, first, second = tmp_path / "rec", tmp_path / "first.json", tmp_path / "second.json"
    answer = AP_ANSWER.read_text(encoding="utf-8")
    with PageServer({STORY: ap_route()}) as pages, ChatServer([Reply(content=answer)]) as chat:
        url = pages.url(STORY)
        result = run("brief", url, "--base-url", chat.url, "--record", recordings, "-o", first, "-q", env=KEY)
        assert result.exit_code == 0, result.stderr
    recorded = [json.loads(p.read_text(encoding="utf-8")) for p in recordings.glob("*.json")]
    assert {r["request"].get("method") for r in recorded} >= {"GET"}
    # both servers are gone: the page and the model call come from the recordings
    replayed = run("brief", url, "--replay", recordings, "-o", second, "-q")
    assert replayed.exit_code == 0, replayed.stderr
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["sources"][0]["url"] == b["sources"][0]["url"] == url
    assert [x["id"] for x in a["actors"]] == [x["id"] for x in b["actors"]] and a["actors"]


def test_a_url_without_a_recording_in_replay_says_so(run: Run, tmp_path: Path) -> None:
    (tmp_path / "rec").mkdir()
    result = run("brief", "http://127.0.0.1:9/story.html", "--replay", tmp_path / "rec")
    assert result.exit_code == 4
    assert "no recording" in result.stderr and "GET http://127.0.0.1:9/story.html" in result.stderr
