"""`brief --each` as a reader of its output sees it (app/each.py): the cost a run adds up, the
output folder made however deep, a link already briefed skipped with its own line and no fetch,
and a dry run that plans only what is left. Each test stands for mutants of app/each.py that the
rest of the suite let through (scripts/mutation.py each)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.app.each import BatchSummary, prepare, resolve_listed
from briefer.core.errors import InputError, UsageError
from briefer.core.files import write_atomically
from briefer.core.models import Briefing
from briefer.ingest.feeds import ListedURL
from briefer.ingest.web import FetchedURL
from briefer.llm.recording import PageStore

from .answers import extraction, synthesis
from .batch_server import BatchServer
from .chat_server import ChatServer, Reply
from .conftest import SENTINEL_KEY, Run
from .page_server import PageServer, Route

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
EMPTY = json.dumps(extraction())
TEXT = "The council of {} met on Monday to vote on the harbour bridge, officials said.\n"
PAGE = ("<html><head><title>Harbour bridge vote</title></head><body><article>"
        + "".join(f"<p>The council of Ely met on Monday, item {n}, to vote on the harbour bridge, officials "
                  "said, and the vote was put off again.</p>" for n in range(4))
        + "</article></body></html>").encode()
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Ely</title><link>%s</link></item></channel></rss>'


def test_a_run_adds_up_what_its_briefings_used(seed_json: Path) -> None:
    """(What it cost is priced from that usage, by the run's prices.)"""
    seed = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    summary = BatchSummary()
    for _ in range(3):
        summary.paid(seed)
    assert summary.usage.prompt_tokens == 3 * seed.usage.prompt_tokens > 0
    assert summary.usage.calls == 3 * seed.usage.calls


def test_the_output_folder_is_made_with_its_missing_parents_and_only_half_written_files_go(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    prepare(out)
    assert out.is_dir()
    kept, stale = out / "ely.json", out / ".ely.json.briefer-x1.tmp"
    kept.write_text("{}")
    stale.write_text("{")
    prepare(out)
    assert kept.exists() and not stale.exists()
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match=r"cannot make this folder \(Not a directory\)$"):
        prepare(tmp_path / "file" / "out")


def test_a_deep_output_folder_that_does_not_exist_yet_is_made_by_the_run(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "ely.txt").write_text(TEXT.format("Ely"))
    out = tmp_path / "reports" / "2026" / "12"
    with ChatServer([Reply(content=EMPTY)]) as server:
        result = run("brief", "--each", folder, "-o", out, "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    assert (out / "ely.json").is_file()


def test_a_feeds_item_already_briefed_is_skipped_with_its_own_line_and_not_fetched_again(
        run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with PageServer({"/ely.html": Route(PAGE)}) as pages, ChatServer([Reply(content=EMPTY)]) as server:
        url = pages.url("/ely.html")
        pages.routes["/feed.xml"] = Route(FEED % url.encode(), content_type="application/rss+xml")
        first = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", server.url, env=KEY)
        assert first.exit_code == 0, first.stderr
        assert [p for p, _ in pages.requests].count("/ely.html") == 1
        again = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", server.url, env=KEY)
    assert again.exit_code == 0, again.stderr
    assert f"briefer: {url}: already done\n" in again.stderr
    assert [p for p, _ in pages.requests].count("/ely.html") == 1  # the item was not fetched to tell
    assert "0 briefed, 1 already done, 0 failed" in again.stderr and len(server.requests) == 1


def test_a_dry_run_plans_only_the_articles_left_and_names_the_unreadable_one(run: Run, tmp_path: Path) -> None:
    folder, out = tmp_path / "inbox", tmp_path / "out"
    folder.mkdir()
    for town in ("ely", "ross"):
        (folder / f"{town}.txt").write_text(TEXT.format(town.title()))
    with ChatServer([Reply(content=EMPTY)]) as server:
        done = run("brief", "--each", folder / "ely.txt", "-o", out, "--base-url", server.url, env=KEY)
    assert done.exit_code == 0, done.stderr
    (folder / "empty.txt").write_text("")
    planned = run("brief", "--each", folder, "-o", out, "--dry-run", env=KEY)
    assert planned.exit_code == 0, planned.stderr
    assert "1 call (1 extraction" in planned.stdout
    assert "  ross: 1 chunk" in planned.stdout and "  ely:" not in planned.stdout
    assert f"briefer: {folder / 'empty.txt'}: skipped: " in planned.stderr and "empty" in planned.stderr
    # the saved briefing of another input under ely's name is not "done": it is planned again
    saved = out / "ely.json"
    briefing = json.loads(saved.read_text())
    briefing["sources"][0]["sha256"] = "0" * 64
    write_atomically(saved, json.dumps(briefing))
    replanned = run("brief", "--each", folder, "-o", out, "--dry-run", env=KEY)
    assert "2 calls (2 extractions" in replanned.stdout and "  ely: 1 chunk" in replanned.stdout


def test_a_dry_run_names_each_article_by_the_file_it_would_write(run: Run, tmp_path: Path) -> None:
    """Two ely.txt: the one briefed before keeps ely.json, whatever order they are given in; the
    plan names the other ely-2, as the run would write it."""
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, town in ((a, "Ely"), (b, "Ely in Cambridgeshire")):
        folder.mkdir()
        (folder / "ely.txt").write_text(TEXT.format(town))
    with ChatServer([Reply(content=EMPTY)]) as server:
        done = run("brief", "--each", b / "ely.txt", "-o", out, "--base-url", server.url, env=KEY)
    assert done.exit_code == 0, done.stderr
    planned = run("brief", "--each", a / "ely.txt", b / "ely.txt", "-o", out, "--dry-run", env=KEY)
    assert planned.exit_code == 0, planned.stderr
    assert "1 call (1 extraction" in planned.stdout and "  ely-2: 1 chunk" in planned.stdout
    assert "  ely: " not in planned.stdout


def test_an_article_whose_rendering_is_missing_says_it_was_made_from_the_saved_briefing(
        run: Run, tmp_path: Path) -> None:
    folder, out = tmp_path / "inbox", tmp_path / "out"
    folder.mkdir()
    (folder / "ely.txt").write_text(TEXT.format("Ely"))
    with ChatServer([Reply(content=EMPTY)]) as server:
        first = run("brief", "--each", folder, "-o", out, "--base-url", server.url, env=KEY)
        assert first.exit_code == 0, first.stderr
        (out / "ely.md").unlink()
        again = run("brief", "--each", folder, "-o", out, "--base-url", server.url, env=KEY)
    assert again.exit_code == 0, again.stderr
    assert (f"briefer: {folder / 'ely.txt'}: already done; its missing rendering was made from the saved "
            "briefing\n") in again.stderr
    assert (out / "ely.md").is_file() and len(server.requests) == 1


def test_a_feeds_items_are_known_done_past_any_unreadable_json_in_the_folder(run: Run, tmp_path: Path) -> None:
    """Twenty broken .json files beside the one briefing: whichever the folder lists first, the
    item is still known done (each broken file is passed over, not the end of the search)."""
    out = tmp_path / "out"
    with PageServer({"/ely.html": Route(PAGE)}) as pages, ChatServer([Reply(content=EMPTY)]) as server:
        url = pages.url("/ely.html")
        pages.routes["/feed.xml"] = Route(FEED % url.encode(), content_type="application/rss+xml")
        first = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", server.url, env=KEY)
        assert first.exit_code == 0, first.stderr
        for n in range(20):
            (out / f"notes-{n}.json").write_text("{not a briefing")
        again = run("brief", "--each", pages.url("/feed.xml"), "-o", out, "--base-url", server.url, env=KEY)
    assert again.exit_code == 0, again.stderr
    assert f"briefer: {url}: already done\n" in again.stderr
    assert [p for p, _ in pages.requests].count("/ely.html") == 1


def test_a_failed_article_counts_what_it_paid_unless_an_earlier_collect_did(seed_json: Path) -> None:
    seed = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    error = InputError("the article is empty")
    summary = BatchSummary(charged_before=frozenset({"old.txt"}))
    assert not summary.news()
    summary.failure("old.txt", error, seed.usage)
    assert summary.failed == [("old.txt", error)] and summary.usage.calls == 0
    assert not summary.news()  # failing again from the same saved answers is nothing new
    summary.failure("new.txt", error, seed.usage)
    assert summary.failed[-1] == ("new.txt", error)
    assert summary.usage.calls == seed.usage.calls > 0 and summary.usage.prompt_tokens == seed.usage.prompt_tokens
    assert summary.news()
    assert BatchSummary(briefed=["a.txt"]).news()


def test_the_summary_line_says_how_many_wait_for_the_next_batch() -> None:
    assert BatchSummary(briefed=["a"], waiting=["b", "c"]).line() == (
        "1 briefed, 0 already done, 0 failed, 2 waiting for the next batch")
    assert BatchSummary(briefed=["a"]).line() == "1 briefed, 0 already done, 0 failed"


def test_two_articles_of_one_name_are_briefed_under_their_own_ids(run: Run, tmp_path: Path) -> None:
    """Files and links alike: the second ely gets ely-2, in its file name and in the briefing."""
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, town in ((a, "Ely"), (b, "Ely in Cambridgeshire")):
        folder.mkdir()
        (folder / "ely.txt").write_text(TEXT.format(town))
    with PageServer({"/story.html": Route(PAGE)}) as one, PageServer({"/story.html": Route(PAGE.replace(b"Ely", b"Ross"))}) \
            as other, ChatServer([Reply(content=EMPTY)]) as server:
        result = run("brief", "--each", a / "ely.txt", b / "ely.txt", one.url("/story.html"), other.url("/story.html"),
                     "-o", out, "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    ids = {path.stem: json.loads(path.read_text())["sources"][0]["id"] for path in out.glob("*.json")}
    assert len(ids) == 4 and all(stem == id for stem, id in ids.items()), ids
    assert {"ely", "ely-2"} < set(ids) and sum(stem.endswith("-2") for stem in ids) == 2, ids  # links clash too


def test_a_dry_run_under_replay_reads_a_feeds_items_from_the_recording_with_the_site_gone(
        run: Run, tmp_path: Path) -> None:
    recordings = tmp_path / "rec"
    with PageServer({"/ely.html": Route(PAGE)}) as pages, ChatServer([Reply(content=EMPTY)]) as server:
        feed = pages.url("/feed.xml")
        pages.routes["/feed.xml"] = Route(FEED % pages.url("/ely.html").encode(), content_type="application/rss+xml")
        recorded = run("brief", "--each", feed, "--record", recordings, "-o", tmp_path / "first", "--base-url",
                       server.url, env=KEY)
    assert recorded.exit_code == 0, recorded.stderr
    planned = run("brief", "--each", feed, "-o", tmp_path / "out", "--replay", recordings, "--dry-run")
    assert planned.exit_code == 0, planned.stderr
    assert "1 call (1 extraction" in planned.stdout and "skipped" not in planned.stderr


def test_each_article_is_chunked_at_the_runs_chunk_tokens(run: Run, tmp_path: Path) -> None:
    """An article of about 900 tokens in 9 paragraphs: one call at the default 2,000 tokens a
    chunk; at --chunk-tokens 200, an extraction a chunk and a synthesis."""
    folder, out = tmp_path / "inbox", tmp_path / "out"
    folder.mkdir()
    (folder / "ely.txt").write_text("\n\n".join(TEXT.format(f"Ely, meeting {n},") * 4 for n in range(9)))

    def answer(body: dict, _: int) -> Reply:
        synthesizing = body["messages"][1]["content"].startswith("Sources:")
        return Reply(content=json.dumps(synthesis() if synthesizing else extraction()))

    with ChatServer(answer) as server:
        result = run("brief", "--each", folder, "-o", out, "--base-url", server.url, "--chunk-tokens", "200", env=KEY)
        assert result.exit_code == 0, result.stderr
        extractions = [r for r in server.requests if not r["messages"][1]["content"].startswith("Sources:")]
    assert len(extractions) >= 4 and len(server.requests) == len(extractions) + 1
    assert f"ely.txt: briefed ({len(server.requests)} calls) -> {out / 'ely.json'}\n" in result.stderr


def test_several_folders_are_each_read_and_an_empty_one_is_named_with_what_it_lacks(run: Run, tmp_path: Path) -> None:
    a, b, empty = tmp_path / "a", tmp_path / "b", tmp_path / "empty"
    for folder, town in ((a, "ely"), (b, "ross")):
        folder.mkdir()
        (folder / f"{town}.txt").write_text(TEXT.format(town.title()))
    empty.mkdir()
    planned = run("brief", "--each", a, b, "-o", tmp_path / "out", "--dry-run", env=KEY)
    assert planned.exit_code == 0, planned.stderr
    assert "2 calls (2 extractions" in planned.stdout and "  ely: " in planned.stdout and "  ross: " in planned.stdout
    refused = run("brief", "--each", empty, "-o", tmp_path / "out", "--dry-run", env=KEY)
    assert refused.exit_code != 0
    assert f"{empty}: no articles in this folder (.txt, .text, .md, .html, .htm)" in refused.stderr


def test_grounding_strict_under_each_moves_an_unsupported_point_out_of_the_key_points(
        run: Run, tmp_path: Path) -> None:
    folder, out = tmp_path / "inbox", tmp_path / "out"
    folder.mkdir()
    (folder / "ely.txt").write_text(TEXT.format("Ely"))
    with ChatServer([Reply(content=EMPTY)]) as server:
        result = run("brief", "--each", folder, "-o", out, "--grounding", "strict", "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    assert json.loads((out / "ely.json").read_text())["grounding"]["mode"] == "strict"
    shown = (out / "ely.md").read_text()
    assert "## Key points" not in shown  # its one point ("k", citing nothing) is unsupported:
    assert "## Not supported by the source\n\n- Key point: k (no source cited)" in shown


def test_a_rerun_logs_an_article_already_done_by_the_briefing_it_has(run: Run, tmp_path: Path) -> None:
    folder, out = tmp_path / "inbox", tmp_path / "out"
    folder.mkdir()
    (folder / "ely.txt").write_text(TEXT.format("Ely"))
    with ChatServer([Reply(content=EMPTY)]) as server:
        for _ in range(2):
            result = run("brief", "--each", folder, "-o", out, "--base-url", server.url, env=KEY)
            assert result.exit_code == 0, result.stderr
    logged = run("log", "--json")
    assert logged.exit_code == 0, logged.stderr
    again, first = json.loads(logged.stdout)["runs"]  # newest first
    assert first["sources"][0]["id"] == "ely" and first["outcome"] == "ok: 1 briefed, 0 already done, 0 failed"
    assert again["outcome"] == "ok: 0 briefed, 1 already done, 0 failed"
    assert again["sources"] == [{"id": "ely", "sha256": None, "origin": str(folder / "ely.txt")}]


def test_a_briefing_of_several_sources_in_the_output_folder_is_no_one_articles_and_keeps_no_name(
        run: Run, tmp_path: Path, seed_json: Path) -> None:
    """out/ely.json briefs b/ely.txt with another article: it is not b's own briefing, so the two
    ely.txt get their names in the order given (a ely, b ely-2), as in an empty folder."""
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, town in ((a, "Ely"), (b, "Ely in Cambridgeshire")):
        folder.mkdir()
        (folder / "ely.txt").write_text(TEXT.format(town))
    seed = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    first = seed.sources[0].model_copy(update={"origin": str(b / "ely.txt")})
    both = seed.model_copy(update={"sources": [first, first.model_copy(update={"id": "other", "origin": "other.txt"})]})
    out.mkdir()
    write_atomically(out / "ely.json", both.model_dump_json())
    with ChatServer([Reply(content=EMPTY)]) as server:
        result = run("brief", "--each", a / "ely.txt", b / "ely.txt", "-o", out, "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    origins = {path.stem: json.loads(path.read_text())["sources"][0]["origin"] for path in out.glob("*.json")}
    assert origins == {"ely": str(a / "ely.txt"), "ely-2": str(b / "ely.txt")}


def test_a_list_files_urls_are_told_feed_or_article_by_one_fetch_through_the_store_and_a_dead_one_left_out(
        tmp_path: Path) -> None:
    """What `stories` and `batch` make of a list file's URLs (resolve_listed): a feed stands for
    its links, an article for itself with its page kept, a dead link is named and left out; the
    pages go through the run's store, so a replay tells them apart with the site gone."""
    said: list[tuple[str, str]] = []
    with PageServer({"/ely.html": Route(PAGE)}) as pages:
        feed, article, dead = pages.url("/feed.xml"), pages.url("/ely.html"), pages.url("/gone.html")
        item = pages.url("/ross.html")
        pages.routes["/feed.xml"] = Route(FEED % item.encode(), content_type="application/rss+xml")
        listed = ["notes.txt", *(ListedURL(u) for u in (feed, article, dead))]
        recorded = resolve_listed(listed, PageStore("record", tmp_path / "rec"), lambda s, o: said.append((s, o)))
        assert sorted(path for path, _ in pages.requests) == ["/ely.html", "/feed.xml", "/gone.html"]  # one GET each
    assert recorded == ["notes.txt", item, article]
    assert isinstance(recorded[2], FetchedURL) and recorded[2].page.data == PAGE  # read later without a fetch
    assert [(s, o.split(":")[0]) for s, o in said] == [(dead, "skipped")] and "404" in said[0][1]
    said.clear()
    replayed = resolve_listed(listed[:3], PageStore("replay", tmp_path / "rec"), lambda s, o: said.append((s, o)))
    assert replayed == recorded and not said


def test_a_now_collect_does_not_count_a_link_its_batch_round_briefed_as_already_done(run: Run, tmp_path: Path) -> None:
    """A link and an article in two chunks: the batch's round briefs the link, the synchronous
    round (--now) asks the article's synthesis and finds the link done; the collect briefed both."""
    article, out = tmp_path / "ely.txt", tmp_path / "out"
    article.write_text("\n\n".join(TEXT.format(f"Ely, meeting {n},") * 4 for n in range(3)))

    def completion(body: dict) -> dict:
        synthesizing = body["messages"][1]["content"].startswith("Sources:")
        content = json.dumps(synthesis() if synthesizing else extraction())
        return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1764633600, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                             "message": {"role": "assistant", "content": content, "refusal": None}}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}

    with PageServer({"/ross.html": Route(PAGE)}) as pages, BatchServer(completion) as server:
        submitted = run("batch", "submit", pages.url("/ross.html"), article, "-o", out, "--base-url", server.url,
                        "--chunk-tokens", "200", env=KEY)
        assert submitted.exit_code == 0, submitted.stderr
        assert f"briefer: {article}: waiting for the next batch\n" in submitted.stderr
        assert run("batch", "status", out, env=KEY).exit_code == 0
        collected = run("batch", "collect", out, "--now", "--json", env=KEY)
    assert collected.exit_code == 0, collected.stderr
    assert len(server.synchronous) == 1  # the article's synthesis, asked in the second round
    summary = json.loads(collected.stdout)
    assert (summary["briefed"], summary["skipped"], summary["failed"]) == (2, 0, 0)
