"""`brief --each` over a feed or a list of URLs, resuming by item link."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from briefer.app.each import expand
from briefer.core.errors import InputError
from briefer.ingest import read_source
from briefer.ingest.web import document_id

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, SENTINEL_KEY, Run
from .page_server import PageServer, Route

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
ARTICLES = FIXTURES / "articles"
#: Six real articles, each with its hand-written answer.
ITEMS = {
    "scholz-putin-call": "scholz-putin-call.p1-21.json",
    "assange_albawaba_2019": "assange-albawaba-2019.p1-13.json",
    "meth_spokesman_ad_agencies_2019": "meth-spokesman-ad-agencies-2019.p1-16.json",
    "meth_thehill_noem_doubles_down_2019": "meth-thehill-noem-doubles-down-2019.p1-14.json",
    "meth_usatoday_argusleader_2019": "meth-usatoday-argusleader-2019.p1-13.json",
    "pick_nypost_taliban_hostage_swap_2019": "pick-nypost-taliban-hostage-swap-2019.p1-16.json",
}


def article_page(name: str) -> bytes:
    """The article as its publisher's page would carry it: title, outlet, date, paragraphs."""
    meta = json.loads((ARTICLES / f"{name}.meta.json").read_text(encoding="utf-8"))
    paragraphs = [p.text for p in read_source(str(ARTICLES / f"{name}.txt")).paragraphs]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{html.escape(meta['title'])}</title>"
            f"<meta property='og:site_name' content='{html.escape(meta['outlet'], quote=True)}'>"
            f"<meta property='article:published_time' content='{meta['date']}'></head>"
            f"<body><article><h1>{html.escape(meta['title'])}</h1>{body}</article></body></html>").encode()


def rss(server: PageServer, names: list[str]) -> bytes:
    items = "".join(f"<item><title>{n}</title><link>{server.url(f'/news/{n}.html')}</link>"
                    f"<guid>{n}</guid></item>" for n in names)
    return (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Wire</title>"
            f"<link>{server.url('/')}</link><description>news</description>{items}</channel></rss>").encode()


def answering(request: dict, _number: int) -> Reply:
    """The hand-written answer of the article the request carries."""
    sent = request["messages"][-1]["content"]
    for name, answer in ITEMS.items():
        first = read_source(str(ARTICLES / f"{name}.txt")).paragraphs[0].text
        if first in sent:
            return Reply(content=(FIXTURES / "answers" / answer).read_text(encoding="utf-8"))
    return Reply(status=400, error="an article this test does not know")


def test_an_article_page_carries_the_same_paragraphs_as_its_text_file() -> None:
    with PageServer({"/a.html": Route(article_page("scholz-putin-call"))}) as server:
        document = read_source(server.url("/a.html"))
    assert [p.text for p in document.paragraphs] == [
        p.text for p in read_source(str(ARTICLES / "scholz-putin-call.txt")).paragraphs]
    assert (document.title, document.outlet) == ("Scholz speaks with Putin in first call in almost two years", "Reuters")


def test_a_feed_of_five_is_briefed_then_only_the_sixth_item_added_to_it(run: Run, tmp_path: Path) -> None:
    names = list(ITEMS)
    out = tmp_path / "briefings"
    with PageServer() as pages, ChatServer(answering) as chat:
        pages.routes.update({f"/news/{n}.html": Route(article_page(n)) for n in names})
        pages.routes["/feed.xml"] = Route(rss(pages, names[:5]), content_type="application/rss+xml")
        first = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", chat.url, env=KEY)
        assert first.exit_code == 0, first.stderr
        assert "5 briefed, 0 already done, 0 failed" in first.stderr
        assert len(chat.requests) == 5

        pages.routes["/feed.xml"] = Route(rss(pages, names), content_type="application/rss+xml")
        pages.requests.clear()
        second = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", chat.url, env=KEY)
        assert second.exit_code == 0, second.stderr
        assert "1 briefed, 5 already done, 0 failed" in second.stderr
    assert len(chat.requests) == 6  # one more call: the new item's
    assert [path for path, _ in pages.requests] == ["/feed.xml", f"/news/{names[5]}.html"]  # old items not fetched
    saved = json.loads((out / f"{document_id(pages.url(f'/news/{names[5]}.html'))}.json").read_text())
    assert saved["sources"][0]["url"] == pages.url(f"/news/{names[5]}.html")
    assert len(list(out.glob("*.json"))) == 6


def test_an_atom_feed_and_a_file_of_urls_stand_for_their_links(tmp_path: Path) -> None:
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>W</title>"
            "<entry><title>A</title><link rel='alternate' href='https://example.org/a-story.html'/></entry>"
            "<entry><title>B</title><link href='https://example.org/b-story.html'/></entry></feed>")
    (tmp_path / "feed.atom").write_text(atom, encoding="utf-8")
    (tmp_path / "list.txt").write_text("# tonight\nhttps://example.org/one-story\n\nhttps://example.org/two-story\n"
                                       "https://example.org/one-story\n", encoding="utf-8")
    assert expand([str(tmp_path / "feed.atom")]) == ["https://example.org/a-story.html", "https://example.org/b-story.html"]
    assert expand([str(tmp_path / "list.txt")]) == ["https://example.org/one-story", "https://example.org/two-story"]


def test_an_article_file_is_still_an_article() -> None:
    source = str(ARTICLES / "scholz-putin-call.txt")
    assert expand([source]) == [source]


def test_a_broken_feed_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text("<?xml version='1.0'?><rss><channel><item><title>x", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        expand([str(tmp_path / "feed.xml")])
    assert "feed" in str(caught.value) and "\n" not in str(caught.value)


def test_a_feed_url_without_each_says_to_use_each(run: Run) -> None:
    with PageServer({"/feed.xml": Route(b"<rss/>", content_type="application/rss+xml")}) as pages:
        result = run("brief", pages.url("/feed.xml"), "--dry-run")
    assert result.exit_code == 13 and "--each" in result.stderr


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/news/2019/harbour-bridge-closed.html", "harbour-bridge-closed"),
    ("https://example.org/news/2019/index.html", "example-org-2019-index"),
    ("https://example.org/article/123456", "example-org-article-123456"),
    ("https://example.org/", "example-org"),
])
def test_a_url_gives_a_readable_document_id(url: str, expected: str) -> None:
    assert document_id(url) == expected


def test_several_urls_make_one_briefing_as_files_do(run: Run, tmp_path: Path) -> None:
    from .record_handwritten import reply

    names = ["meth_njcom_2019", "meth_spokesman_ad_agencies_2019", "meth_thehill_noem_doubles_down_2019",
             "meth_usatoday_argusleader_2019"]
    out = tmp_path / "meth.json"
    with PageServer() as pages, ChatServer(reply) as chat:
        paths = [f"/news/{name.replace('_', '-')}.html" for name in names]
        pages.routes.update({path: Route(article_page(name)) for path, name in zip(paths, names)})
        result = run("brief", *(pages.url(p) for p in paths), "--base-url", chat.url, "-o", out, "-q", env=KEY)
        assert result.exit_code == 0, result.stderr
    briefing = json.loads(out.read_text())
    assert [s["url"] for s in briefing["sources"]] == [pages.url(p) for p in paths]
    assert [s["id"] for s in briefing["sources"]] == [n.replace("_", "-") for n in names]
    assert len(chat.requests) == 5  # four extractions and the synthesis, each answered by hand
    assert briefing["grounding"]["excerpts"]["unsupported"] == 0, briefing["grounding"]  # the same paragraphs


@pytest.mark.parametrize(("host", "private"), [
    ("127.0.0.1", True), ("localhost", True), ("10.1.2.3", True), ("192.168.0.10", True),
    ("169.254.169.254", True), ("[::1]", True), ("93.184.216.34", False), ("2606:4700::6810:85e5", False),
])
def test_private_and_local_addresses_are_recognised(host: str, private: bool) -> None:
    from briefer.ingest.web import is_private_host

    assert is_private_host(host, resolve=False) is private


def test_a_public_feed_cannot_make_briefer_read_this_machine(run: Run, tmp_path: Path, monkeypatch) -> None:
    """The feed's items point at 127.0.0.1; the feed itself counts as public (as if on the web)."""
    import briefer.ingest.feeds as feeds

    monkeypatch.setattr(feeds, "is_private_host", lambda host, resolve=True: False)
    with PageServer() as pages, ChatServer(answering) as chat:
        pages.routes["/news/internal-status.html"] = Route(article_page("scholz-putin-call"))
        pages.routes["/feed.xml"] = Route(rss(pages, []).replace(
            b"</channel>", f"<item><link>{pages.url('/news/internal-status.html')}</link></item></channel>".encode()),
            content_type="application/rss+xml")
        result = run("brief", "--each", pages.url("/feed.xml"), "-o", tmp_path / "out", "--base-url", chat.url, env=KEY)
    assert result.exit_code == 11
    assert "refused: it leads to 127.0.0.1, a local or private address" in result.stderr
    assert [path for path, _ in pages.requests] == ["/feed.xml"] and not chat.requests


def test_each_with_article_urls_gets_every_page_once(run: Run, tmp_path: Path) -> None:
    """Telling an article URL from a feed fetches its page; reading the article takes that page.
    The same with a plan first (guards, a dry run): one GET per page, whatever the run does."""
    names = ["scholz-putin-call", "assange_albawaba_2019"]
    paths = [f"/news/{name}.html" for name in names]
    with PageServer() as pages, ChatServer(answering) as chat:
        pages.routes.update({path: Route(article_page(name)) for path, name in zip(paths, names)})
        urls = [pages.url(path) for path in paths]
        for number, guards in enumerate([(), ("--max-cost", "5", "--max-calls", "9"), ("--dry-run",)]):
            pages.requests.clear()
            result = run("brief", "--each", *urls, "-o", tmp_path / f"out-{number}", "--base-url", chat.url,
                         *guards, env=KEY)
            assert result.exit_code == 0, result.stderr
            assert sorted(path for path, _ in pages.requests) == sorted(paths), guards  # exactly one GET each
            assert guards == ("--dry-run",) or "2 briefed, 0 already done, 0 failed" in result.stderr
    assert len(chat.requests) == 4  # two runs of two articles: the pages were read, and briefed


def test_a_batch_submit_with_guards_gets_every_page_once(run: Run, tmp_path: Path) -> None:
    """The guards read the pages into the run's folder; the run then reads them there."""
    from .batch_server import BatchServer, Error

    with PageServer({"/news/a-long-story.html": Route(article_page("scholz-putin-call"))}) as pages, \
            BatchServer(lambda body: Error(500, "not asked: the batch is only submitted")) as api:
        result = run("batch", "submit", pages.url("/news/a-long-story.html"), "-o", tmp_path / "out",
                     "--base-url", api.url, "--max-cost", "5", env=KEY)
        assert result.exit_code == 0, result.stderr
        assert "submitted round 1, 1 request" in result.stderr
    assert [path for path, _ in pages.requests] == ["/news/a-long-story.html"]


def test_a_public_feed_cannot_make_a_batch_read_this_machine(run: Run, tmp_path: Path, monkeypatch) -> None:
    """A batch keeps which of its articles a public feed gave: every round fetches them as
    untrusted links, the submit's first and a collect's later ones alike."""
    import briefer.ingest.feeds as feeds

    from .batch_server import BatchServer, Error

    monkeypatch.setattr(feeds, "is_private_host", lambda host, resolve=True: False)
    out = tmp_path / "out"
    with PageServer() as pages, BatchServer(lambda body: Error(500, "not asked: nothing is read")) as api:
        pages.routes["/news/internal-status.html"] = Route(article_page("scholz-putin-call"))
        pages.routes["/feed.xml"] = Route(rss(pages, []).replace(
            b"</channel>", f"<item><link>{pages.url('/news/internal-status.html')}</link></item></channel>".encode()),
            content_type="application/rss+xml")
        submitted = run("batch", "submit", pages.url("/feed.xml"), "-o", out, "--base-url", api.url, env=KEY)
        collected = run("batch", "collect", out, "--base-url", api.url, env=KEY)
    for result in (submitted, collected):
        assert "refused: it leads to 127.0.0.1, a local or private address" in result.stderr, result.stderr
    assert [path for path, _ in pages.requests] == ["/feed.xml"] and not api.files
