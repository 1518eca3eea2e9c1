"""`brief --each` reruns: an article is skipped only when its saved briefing was made from the same
input, by the same model, with the same prompts; anything else is briefed again (README: "a rerun
skips only the same input, model and prompt version"). Files and links alike."""

from __future__ import annotations

import json
from pathlib import Path

from .answers import extraction
from .chat_server import ChatServer, Reply
from .conftest import SENTINEL_KEY, Run
from .page_server import PageServer, Route

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
EMPTY = json.dumps(extraction())
TEXT = "The council of {} met on Monday to vote on the harbour bridge, officials said.\n"


def inbox(tmp_path: Path, *towns: str) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir(exist_ok=True)
    for town in towns:
        (folder / f"{town}.txt").write_text(TEXT.format(town.title()))
    return folder


def each(run: Run, server: ChatServer, source: Path | str, out: Path, *extra: str) -> str:
    result = run("brief", "--each", source, "-o", out, "--base-url", server.url, *extra, env=KEY)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def older_prompts(saved: Path) -> None:
    """The saved briefing as if made with the prompts of an earlier release."""
    briefing = json.loads(saved.read_text())
    briefing["prompt_version"] = "contract-2020-01-01"
    saved.write_text(json.dumps(briefing))


def spent(out: Path) -> str:
    """What the saved briefings say they cost, as the run's last line gives it."""
    saved = [json.loads(p.read_text()) for p in sorted(out.glob("*.json"))]
    prompt, completion = (sum(b["usage"][f"{kind}_tokens"] for b in saved) for kind in ("prompt", "completion"))
    cost = sum(b["cost"]["amount"] for b in saved)
    return f"{prompt:,} prompt and {completion:,} completion tokens; about {cost:.4f} USD"


def test_the_same_input_model_and_prompts_are_skipped_without_a_call(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"
    with ChatServer([Reply(content=EMPTY)]) as server:
        first = each(run, server, folder, out)
        again = each(run, server, folder, out)
    for town in ("ely", "ross"):
        assert f"briefer: {folder / town}.txt: briefed (1 call) -> {out / town}.json\n" in first
        assert f"briefer: {folder / town}.txt: already done\n" in again
    assert f"2 briefed, 0 already done, 0 failed, in {out}; 2 calls made; {spent(out)} (prices" in first
    assert f"0 briefed, 2 already done, 0 failed, in {out}; 0 calls made; 0 prompt" in again
    assert len(server.requests) == 2


def test_a_changed_article_is_briefed_again(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"
    with ChatServer([Reply(content=EMPTY)]) as server:
        each(run, server, folder, out)
        before = json.loads((out / "ely.json").read_text())["sources"][0]["sha256"]
        (folder / "ely.txt").write_text(TEXT.format("Ely") + "The vote was postponed.\n")
        again = each(run, server, folder, out)
    assert "1 briefed, 1 already done, 0 failed" in again and len(server.requests) == 3
    assert "The vote was postponed." in server.requests[-1]["messages"][1]["content"]
    assert json.loads((out / "ely.json").read_text())["sources"][0]["sha256"] != before


def test_another_model_briefs_every_article_again(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"
    with ChatServer([Reply(content=EMPTY)]) as server:
        each(run, server, folder, out)
        again = each(run, server, folder, out, "--model", "gpt-4.1")
    assert "2 briefed, 0 already done, 0 failed" in again
    assert [r["model"] for r in server.requests[2:]] == ["gpt-4.1", "gpt-4.1"]
    assert json.loads((out / "ross.json").read_text())["model"] == "gpt-4.1"


def test_other_prompts_brief_the_article_again(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"
    with ChatServer([Reply(content=EMPTY)]) as server:
        each(run, server, folder, out)
        older_prompts(out / "ross.json")
        again = each(run, server, folder, out)
    assert "1 briefed, 1 already done, 0 failed" in again and len(server.requests) == 3
    assert json.loads((out / "ross.json").read_text())["prompt_version"] != "contract-2020-01-01"


def test_a_briefing_of_several_articles_is_not_one_of_them(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"
    with ChatServer([Reply(content=EMPTY)]) as server:
        each(run, server, folder, out)
        ely, ross = (json.loads((out / f"{n}.json").read_text()) for n in ("ely", "ross"))
        ely["sources"] = [ely["sources"][0], ross["sources"][0]]  # ely.json now stands for both
        (out / "ely.json").write_text(json.dumps(ely))
        again = each(run, server, folder, out)
    assert "1 briefed, 1 already done, 0 failed" in again and len(server.requests) == 3


def test_a_link_is_skipped_unfetched_only_for_the_same_model_and_prompts(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = b"<html><head><title>Harbour bridge</title></head><body><article><p>" + TEXT.format("Ely").encode() + (
        b"</p><p>The mayor said the bridge would close in May for repairs lasting a year.</p></article></body></html>")
    with PageServer({"/ely.html": Route(page)}) as pages, ChatServer([Reply(content=EMPTY)]) as server:
        links = tmp_path / "links.txt"  # a list of links stands for the articles it names
        links.write_text(f"# tonight's reading\n{pages.url('/ely.html')}\n")
        each(run, server, links, out)
        assert len(pages.requests) == 1
        assert "0 briefed, 1 already done" in each(run, server, links, out)
        assert len(pages.requests) == 1 and len(server.requests) == 1  # not even fetched
        (saved,) = out.glob("*.json")
        older_prompts(saved)
        assert "1 briefed, 0 already done" in each(run, server, links, out)
        assert "1 briefed, 0 already done" in each(run, server, links, out, "--model", "gpt-4.1")
        assert len(pages.requests) == 3 and len(server.requests) == 3


def test_a_failed_article_is_kept_and_reported_and_not_done(run: Run, tmp_path: Path) -> None:
    folder, out = inbox(tmp_path, "ely", "ross"), tmp_path / "out"

    def answer(body: dict, _: int) -> Reply:
        ely = "Source id: ely\n" in body["messages"][1]["content"]
        return Reply(content="not JSON at all" if ely else EMPTY)

    with ChatServer(answer) as server:
        failed = run("brief", "--each", folder, "-o", out, "--max-reasks", "0", "--base-url", server.url, env=KEY)
        assert failed.exit_code == 11, failed.stderr
        (kept,) = out.glob("ely.raw-replies.*.json")
        assert f"briefer: {folder / 'ely'}.txt: failed: " in failed.stderr and f"kept in {kept}\n" in failed.stderr
        assert json.loads(kept.read_text()) == ["not JSON at all"]
        assert "1 briefed, 0 already done, 1 failed" in failed.stderr and not (out / "ely.json").exists()
        again = run("brief", "--each", folder, "-o", out, "--max-reasks", "0", "--base-url", server.url, env=KEY)
    assert "0 briefed, 1 already done, 1 failed" in again.stderr and len(server.requests) == 3  # ely asked again
