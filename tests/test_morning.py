"""`briefer stories`, the morning run: feeds served by a local web server, the articles grouped
into stories, each story briefed once (offline: the hand-written answers in fixtures/answers),
the digest led by the story most outlets covered, and a rerun that briefs only what changed."""

from __future__ import annotations

import gzip
import json
from itertools import combinations
from pathlib import Path

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, SENTINEL_KEY, Run
from .page_server import PageServer, Route
from .test_feeds import article_page, rss
from .measured import say

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
ANSWERS = FIXTURES / "answers"
#: Each article's hand-written extraction answer (one chunk each).
EXTRACTIONS = {
    "bbc_sweden_drops_assange_investigation_2019": "bbc-sweden-drops-assange-investigation-2019.p1-32.json",
    "assange_albawaba_2019": "assange-albawaba-2019.p1-13.json",
    "meth_njcom_2019": "meth-njcom-2019.p1-29.json",
    "meth_spokesman_ad_agencies_2019": "meth-spokesman-ad-agencies-2019.p1-16.json",
    "meth_thehill_noem_doubles_down_2019": "meth-thehill-noem-doubles-down-2019.p1-14.json",
    "meth_usatoday_argusleader_2019": "meth-usatoday-argusleader-2019.p1-13.json",
    "scholz-putin-call": "scholz-putin-call.p1-21.json",
    "pick_nypost_taliban_hostage_swap_2019": "pick-nypost-taliban-hostage-swap-2019.p1-16.json",
}
#: The several-source stories' hand-written syntheses, by a name only that story's request holds.
SYNTHESES = {"Assange": "bbc-sweden-drops-assange-investigation-2019.synthesis.json",
             "Meth": "meth-njcom-2019.synthesis.json"}
#: Three outlets' feeds; the first run's feeds lack the last two items.
FEEDS = {"/wire.xml": ["meth_thehill_noem_doubles_down_2019", "scholz-putin-call", "assange_albawaba_2019"],
         "/daily.xml": ["meth_usatoday_argusleader_2019", "meth_spokesman_ad_agencies_2019"],
         "/metro.xml": ["meth_njcom_2019"]}
LATER = {"/wire.xml": ["bbc_sweden_drops_assange_investigation_2019"],
         "/metro.xml": ["pick_nypost_taliban_hostage_swap_2019"]}


def answering(request: dict, _number: int) -> Reply:
    """The hand-written answer to the request: an article's extraction, or a story's synthesis."""
    system, sent = request["messages"][0]["content"], request["messages"][-1]["content"]
    if system.startswith("You are a careful news analyst writing the top of a briefing"):
        story = next((name for name in SYNTHESES if name in sent), None)
        if story is None:
            return Reply(status=400, error="a synthesis this test does not know")
        return Reply(content=(ANSWERS / SYNTHESES[story]).read_text(encoding="utf-8"))
    from briefer.ingest import read_source

    for name, answer in EXTRACTIONS.items():
        if read_source(str(FIXTURES / "articles" / f"{name}.txt")).paragraphs[0].text in sent:
            return Reply(content=(ANSWERS / answer).read_text(encoding="utf-8"))
    return Reply(status=400, error="an article this test does not know")


def serve_feeds(pages: PageServer, feeds: dict[str, list[str]]) -> list[str]:
    for path, names in feeds.items():
        pages.routes.update({f"/news/{n}.html": Route(article_page(n)) for n in names})
        pages.routes[path] = Route(rss(pages, names), content_type="application/rss+xml")
    return [pages.url(path) for path in feeds]


def test_the_morning_run_briefs_each_story_once_and_a_rerun_only_the_stories_that_changed(
        run: Run, tmp_path: Path) -> None:
    out = tmp_path / "morning"
    with PageServer() as pages, ChatServer(answering) as chat:
        feeds = serve_feeds(pages, FEEDS)
        first = run("stories", *feeds, "-o", out, "--base-url", chat.url, env=KEY)
        assert first.exit_code == 0, first.stderr
        assert "3 stories briefed, 0 unchanged, 0 failed" in first.stderr
        assert len(chat.requests) == 4 + 1 + 1 + 1  # four meth extractions and their synthesis; two alone
        meth = json.loads((out / "story-meth-njcom-2019.json").read_text(encoding="utf-8"))
        assert [s.id for s in _sources(meth)] == ["meth-njcom-2019", "meth-spokesman-ad-agencies-2019",
                                                   "meth-thehill-noem-doubles-down-2019",
                                                   "meth-usatoday-argusleader-2019"]
        digest = (out / "digest.md").read_text(encoding="utf-8")
        assert digest.index("Meth. We’re on it.") < digest.index("Scholz")  # four outlets lead

        for path, names in LATER.items():
            now = FEEDS[path] + names
            pages.routes.update({f"/news/{n}.html": Route(article_page(n)) for n in names})
            pages.routes[path] = Route(rss(pages, now), content_type="application/rss+xml")
        before = len(chat.requests)
        second = run("stories", *feeds, "-o", out, "--base-url", chat.url, env=KEY)
    assert second.exit_code == 0, second.stderr
    assert "2 stories briefed, 2 unchanged, 0 failed" in second.stderr
    assert "articles: 8 found, 8 read" in second.stderr
    assert "stories: 4 grouped, 2 told by several articles; 2 to brief, 4 calls" in second.stderr
    assert "story-meth-njcom-2019: unchanged" in second.stderr
    # The Assange story grew: its old article's extraction is reused, only the new one is extracted,
    # and the synthesis is redone; the Post is briefed alone. Three requests reach the server.
    resent = chat.requests[before:]
    assert len(resent) == 1 + 1 + 1
    extractions = [r["messages"][-1]["content"] for r in resent
                   if not r["messages"][0]["content"].startswith("You are a careful news analyst writing the top")]
    assert len(extractions) == 2
    assert not any(_first_paragraph("assange_albawaba_2019") in sent for sent in extractions)
    assert any(_first_paragraph("bbc_sweden_drops_assange_investigation_2019") in sent for sent in extractions)
    assange = json.loads((out / "story-assange-albawaba-2019.json").read_text(encoding="utf-8"))
    assert [s.id for s in _sources(assange)] == ["bbc-sweden-drops-assange-investigation-2019",
                                                  "assange-albawaba-2019"]
    assert assange["title"] == "Sweden drops Assange rape investigation as US extradition fight looms"
    digest = (out / "digest.md").read_text(encoding="utf-8")
    assert digest.startswith("# Briefing digest: 4 stories")
    assert digest.index("Meth. We’re on it.") < digest.index("Assange") < digest.index("Taliban")
    # Both runs are in the run log like brief runs: the calls the server answered, tokens and cost.
    later, earlier = logged_runs(run)
    assert (earlier["kind"], later["kind"]) == ("stories", "stories")
    assert (earlier["calls"], later["calls"]) == (before, len(resent))
    assert later["outcome"] == "ok: 2 stories briefed, 2 unchanged, 0 failed" and later["exit_code"] == 0
    assert later["title"] == "4 stories from 8 articles" and len(later["sources"]) == 8
    assert later["prompt_tokens"] > 0 and later["completion_tokens"] > 0 and later["cost"] > 0
    assert str(out / "digest.md") in later["outputs"] and str(out / "story-assange-albawaba-2019.json") in later["outputs"]


def logged_runs(run: Run) -> list[dict]:
    """The run log's rows, newest first."""
    result = run("log", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["runs"]


def test_a_morning_with_a_failed_story_is_logged_incomplete_with_what_its_calls_spent(run: Run, tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.txt"  # an article the model answers with no JSON at all: paid, and failed
    unknown.write_text("A ferry company said on Monday that it would add two crossings a day to the islands "
                       "from March, after a year in which bookings rose by a third.\n", encoding="utf-8")

    def answer(request: dict, number: int) -> Reply:
        known = answering(request, number)
        return Reply(content="I cannot help with that.") if known.status == 400 else known

    with ChatServer(answer) as chat:
        result = run("stories", FIXTURES / "articles" / "scholz-putin-call.txt", unknown, "-o", tmp_path / "m",
                     "--base-url", chat.url, "--max-reasks", "0", env=KEY)
        answered = len(chat.requests)
    assert result.exit_code == 11, result.stderr
    (entry,) = logged_runs(run)
    assert entry["kind"] == "stories" and entry["exit_code"] == 11
    assert entry["outcome"] == "incomplete: 1 stories briefed, 0 unchanged, 1 failed"
    assert entry["calls"] == answered == 2 and entry["cost"] > 0  # the failed story's call was paid for too


def _first_paragraph(name: str) -> str:
    from briefer.ingest import read_source

    return read_source(str(FIXTURES / "articles" / f"{name}.txt")).paragraphs[0].text


def _sources(briefing: dict) -> list:
    from briefer.core.models import Briefing

    return Briefing.model_validate(briefing).sources


def test_the_dry_run_lists_the_stories_their_articles_and_cost_without_a_call(run: Run, tmp_path: Path) -> None:
    with PageServer() as pages:
        feeds = serve_feeds(pages, {path: FEEDS[path] + LATER.get(path, []) for path in FEEDS})
        planned = run("stories", *feeds, "-o", tmp_path / "m", "--dry-run", "--json")
        explained = run("stories", *feeds, "-o", tmp_path / "m", "--dry-run", "--explain")
    assert planned.exit_code == 0, planned.stderr
    plan = json.loads(planned.stdout)
    stories = [[a["id"] for a in story["articles"]] for story in plan["stories"]]
    assert stories[0][0] == "meth-njcom-2019" and len(stories[0]) == 4
    assert ["bbc-sweden-drops-assange-investigation-2019", "assange-albawaba-2019"] in stories
    assert len(stories) == 4 and plan["calls"] == 5 + 3 + 1 + 1
    assert all(a["source"].startswith("http://127.0.0.1") for s in plan["stories"] for a in s["articles"])
    assert not (tmp_path / "m").exists()
    assert explained.exit_code == 0, explained.stderr
    assert ("joined: bbc-sweden-drops-assange-investigation-2019 ~ assange-albawaba-2019" in explained.stdout
            or "joined: assange-albawaba-2019 ~ bbc-sweden-drops-assange-investigation-2019" in explained.stdout)
    assert "shared names: Julian Assange" in explained.stdout


def test_the_labelled_articles_served_as_three_feeds_group_with_precision_and_recall_0_9(
        run: Run, tmp_path: Path) -> None:
    labels = json.loads((FIXTURES / "stories" / "labels.json").read_text(encoding="utf-8"))["articles"]
    with PageServer() as pages:
        paths = {}
        for n, entry in enumerate(labels):
            path = FIXTURES / entry["path"]
            name = path.name.split(".")[0]
            body = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else article_page(name)
            paths[f"/page/{n}/{name}.html"] = entry["story"]
            pages.routes[f"/page/{n}/{name}.html"] = Route(body)
        links = list(paths)
        for number in range(3):  # three outlets' feeds, the articles dealt among them
            items = "".join(f"<item><title>{p}</title><link>{pages.url(p)}</link></item>"
                            for p in links[number::3])
            pages.routes[f"/feed{number}.xml"] = Route(
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>f{number}</title>{items}"
                "</channel></rss>".encode(), content_type="application/rss+xml")
        planned = run("stories", *(pages.url(f"/feed{n}.xml") for n in range(3)), "-o", tmp_path / "m",
                      "--dry-run", "--json")
    assert planned.exit_code == 0, planned.stderr
    story_of = {a["source"].split(":", 2)[2].split("/", 1)[1]: n
                for n, story in enumerate(json.loads(planned.stdout)["stories"]) for a in story["articles"]}
    truth = {"/" + p.lstrip("/"): s for p, s in paths.items()}
    assert len(story_of) == len(truth) == len(labels)
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        same = truth[a] is not None and truth[a] == truth[b]
        together = story_of[a.lstrip("/")] == story_of[b.lstrip("/")]
        tp, fp, fn = tp + (same and together), fp + (together and not same), fn + (same and not together)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    say(f"{len(labels)} labelled articles over three local feeds: pairwise precision {precision:.3f}, "
        f"recall {recall:.3f}")
    assert precision >= 0.9 and recall >= 0.9


def test_bad_options_are_one_line_errors_before_anything_is_read(run: Run, tmp_path: Path) -> None:
    from .conftest import assert_clean_failure

    article = FIXTURES / "articles" / "scholz-putin-call.txt"
    assert "give -o OUTDIR" in assert_clean_failure(run("stories", article, "-o", tmp_path / "d.md", "--dry-run"), 2)
    assert "--since 5x" in assert_clean_failure(run("stories", article, "-o", tmp_path / "d", "--since", "5x",
                                                    "--dry-run"), 2)
    missing = run("stories", tmp_path / "nothing.txt", "-o", tmp_path / "d", "--dry-run")
    assert missing.exit_code == 3 and "Traceback" not in missing.stderr
    assert missing.stderr.splitlines()[-1] == "briefer: error: no articles to brief: none of them could be read"


def test_a_morning_with_nothing_published_in_the_window_is_quiet_not_a_failure(run: Run, tmp_path: Path) -> None:
    article = FIXTURES / "articles" / "scholz-putin-call.txt"  # published in 2022
    quiet = run("stories", article, "-o", tmp_path / "d", "--since", "24h", "--email-to", "desk@example.org",
                "--email-from", "me@example.org", "--eml", tmp_path / "m.eml")
    assert quiet.exit_code == 0, quiet.stderr
    assert "none published since" in quiet.stderr and "nothing to brief" in quiet.stderr
    assert not (tmp_path / "d").exists() and not (tmp_path / "m.eml").exists()


def test_batch_submit_then_collect_gives_the_same_digest_as_the_synchronous_run(run: Run, tmp_path: Path) -> None:
    from .batch_server import BatchServer
    from .conftest import CASSETTES
    from .test_batch_api import from_recordings

    articles = [FIXTURES / "articles" / f"{name}.txt" for name in EXTRACTIONS]
    synchronous = run("stories", *articles, "-o", tmp_path / "now", "--replay", CASSETTES)
    assert synchronous.exit_code == 0, synchronous.stderr
    out = tmp_path / "batch"
    with BatchServer(from_recordings(CASSETTES)) as server:
        submitted = run("stories", *articles, "-o", out, "--batch", "--base-url", server.url, env=KEY)
        assert submitted.exit_code == 0, submitted.stderr
        assert "submitted round 1, 8 requests (batch_0001)" in submitted.stderr  # every article's extraction
        assert "in_progress, 0/8 done" in run("batch", "status", out, env=KEY).stdout
        first = run("batch", "collect", out, env=KEY)
        assert first.exit_code == 0, first.stderr
        assert "2 briefed, 0 already done, 0 failed, 2 waiting for the next batch" in first.stderr
        assert "submitted round 2, 2 requests (batch_0002)" in first.stderr  # the two stories' syntheses
        assert not (out / "digest.md").exists()
        assert "in_progress, 0/2 done" in run("batch", "status", out, env=KEY).stdout
        second = run("batch", "collect", out, env=KEY)
        assert second.exit_code == 0, second.stderr
    now, later = ((folder / "digest.md").read_text(encoding="utf-8") for folder in (tmp_path / "now", out))
    def without_costs(digest: str) -> list[str]:  # the batch paid half, the other replayed
        return [line for line in digest.splitlines() if " completion tokens" not in line]

    assert without_costs(later) == without_costs(now) and now.startswith("# Briefing digest: 4 stories")
    assert "Batch API" in second.stderr and "Batch API" not in later  # priced at the batch's prices, said on
    assert " completion tokens" in synchronous.stderr  # the terminal, not in the digest meant to be forwarded
    for name in ("story-meth-njcom-2019", "story-bbc-sweden-drops-assange-investigation-2019"):
        synchronous_briefing, batch_briefing = (json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
                                                for folder in (tmp_path / "now", out))
        assert batch_briefing["usage"]["replayed"] == 0  # every call paid through the batch, none counted as reused
        for briefing in (synchronous_briefing, batch_briefing):  # replayed there, paid for here
            briefing.pop("cost")
            briefing["usage"] = {k: v for k, v in briefing["usage"].items() if not k.startswith("replayed")}
        assert batch_briefing == synchronous_briefing


def test_email_to_mails_the_digest_of_the_morning(run: Run, tmp_path: Path) -> None:
    from .conftest import CASSETTES

    names = ["bbc_sweden_drops_assange_investigation_2019", "assange_albawaba_2019", "scholz-putin-call"]
    eml = tmp_path / "morning.eml"
    result = run("stories", *(FIXTURES / "articles" / f"{n}.txt" for n in names), "-o", tmp_path / "m",
                 "--replay", CASSETTES, "--email-to", "desk@example.org", "--email-from", "me@example.org",
                 "--eml", eml)
    assert result.exit_code == 0, result.stderr
    message = eml.read_text(encoding="utf-8")
    assert "Subject: Briefing digest: 2 stories" in message and "To: desk@example.org" in message


def test_a_list_file_of_feeds_and_articles_is_told_apart_by_the_fetch_that_reads_each_link(
        run: Run, tmp_path: Path) -> None:
    with PageServer() as pages:
        feeds = serve_feeds(pages, {"/wire.xml": FEEDS["/wire.xml"], "/daily.xml": FEEDS["/daily.xml"]})
        pages.routes["/news/meth_njcom_2019.html"] = Route(article_page("meth_njcom_2019"))
        listed = [*feeds, pages.url("/news/meth_njcom_2019.html"), pages.url("/gone.html")]
        (tmp_path / "feeds.txt").write_text("# the morning's sources\n" + "\n".join(listed) + "\n", encoding="utf-8")
        planned = run("stories", tmp_path / "feeds.txt", "-o", tmp_path / "m", "--dry-run", "--json")
        fetched = [path for path, _ in pages.requests]
    assert planned.exit_code == 0, planned.stderr
    stories = [[a["id"] for a in story["articles"]] for story in json.loads(planned.stdout)["stories"]]
    assert stories[0] == ["meth-njcom-2019", "meth-spokesman-ad-agencies-2019",
                          "meth-thehill-noem-doubles-down-2019", "meth-usatoday-argusleader-2019"]
    assert sorted(map(len, stories)) == [1, 1, 4]
    assert "gone.html: skipped: " in planned.stderr and "not found (HTTP 404)" in planned.stderr
    # Each link is fetched once: the listed article's page is the one that told it from a feed.
    assert sorted(fetched) == sorted(["/wire.xml", "/daily.xml", "/gone.html",
                                      *(f"/news/{n}.html" for n in FEEDS["/wire.xml"] + FEEDS["/daily.xml"]),
                                      "/news/meth_njcom_2019.html"])


def terminal_output(command: list[str], env: dict[str, str]) -> str:
    """What a command writes to its stderr when that is a terminal (a pseudo-terminal here)."""
    import os
    import pty
    import subprocess

    main, secondary = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=secondary)
    os.close(secondary)
    received, piece = b"", b"start"
    while piece:  # until the process closes the terminal (EOF, or EIO on Linux)
        try:
            piece = os.read(main, 65536)
        except OSError:
            piece = b""
        received += piece
    process.wait(timeout=120)
    os.close(main)
    return received.decode(errors="replace")


def test_the_whole_morning_shows_articles_fetched_stories_briefed_failed_and_time_left_on_a_terminal_only(
        tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    unknown = tmp_path / "unknown.txt"
    unknown.write_text("A ferry company said on Monday that it would add two crossings a day to the islands "
                       "from March, after a year in which bookings rose by a third.\n", encoding="utf-8")
    names = ["bbc_sweden_drops_assange_investigation_2019", "assange_albawaba_2019", "scholz-putin-call",
             "meth_njcom_2019"]
    sources = [str(FIXTURES / "articles" / f"{n}.txt") for n in names] + [str(unknown), str(tmp_path / "gone.txt")]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "BRIEFER_DATA_DIR": str(tmp_path / "data"), "BRIEFER_CONFIG": str(tmp_path / "config.toml"), **KEY}

    def slow(request: dict, number: int) -> Reply:
        known = answering(request, number)
        reply = Reply(content="not json") if known.status == 400 else known
        reply.delay = 0.3
        return reply

    with ChatServer(slow) as chat:
        command = [sys.executable, "-m", "briefer", "stories", *sources, "--max-reasks", "0", "--concurrency", "1",
                   "--base-url", chat.url, "-o"]
        shown = terminal_output([*command, str(tmp_path / "on-terminal")], env)
        piped = subprocess.run([*command, str(tmp_path / "piped")], check=False, env=env, capture_output=True, text=True,
                               timeout=120).stderr
    assert "6 of 6 articles fetched, 1 failed" in shown  # gone.txt
    lead = "6 articles found, 5 fetched, 1 failed, 4 stories grouped"
    assert f"{lead}, 1 of 4 stories briefed, about " in shown and " left, " in shown
    assert f"{lead}, 4 of 4 stories briefed, 1 failed" in shown  # the ferry article's story
    assert "of 6 articles fetched" not in piped and "of 4 stories briefed" not in piped
    assert "3 stories briefed, 0 unchanged, 1 failed" in piped
