"""Issue 12, findings 2, 4, 5, 6, 9, 10, 11 and 12: clashing names, deadlines, broken files and
recordings, resume blind spots, other people's temp files, stray bytes, SIGTERM. Each test is the
attack; nothing is lost, nothing is a traceback."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer.core.models import Briefing

from .answers import extraction
from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer, seed_recording

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
EMPTY = json.dumps(extraction())


def article(path: Path, n: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Article {n} reports that the council of town {n} met on Monday to vote, officials said.\n")
    return path


def test_2_sources_with_the_same_name_get_distinct_stable_ids(run: Run, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for n, name in enumerate(["talks.txt", "Talks.md", "talks.text"]):
        article(inbox / name, n)
    with ChatServer([Reply(content=EMPTY)]) as server:
        first = run("brief", "--each", inbox, "-o", tmp_path / "out", "--base-url", server.url, env=KEY)
        article(inbox / "TALKS.txt", 9)  # a newcomer with the same slug takes a new id, not theirs
        second = run("brief", "--each", inbox, "-o", tmp_path / "out", "--base-url", server.url, env=KEY)
    assert first.exit_code == 0 and "3 briefed, 0 already done" in first.stderr
    assert "1 briefed, 3 already done, 0 failed" in second.stderr and len(server.requests) == 4
    origins = {p.stem: Briefing.model_validate_json(p.read_text()).sources[0].origin
               for p in (tmp_path / "out").glob("*.json")}
    assert sorted(origins) == ["talks", "talks-2", "talks-3", "talks-4"]
    assert len(set(origins.values())) == 4
    from briefer.ingest.ids import read_sources

    reuters, ap = article(tmp_path / "reuters" / "article.txt", 1), article(tmp_path / "ap" / "article.txt", 2)
    documents = read_sources([str(reuters), str(ap), str(tmp_path / "ap" / ".." / "ap" / "article.txt")])
    assert [d.id for d in documents] == ["article", "article-2"]  # the same file twice is one source


def test_4_timeout_is_a_deadline_for_the_whole_attempt(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer(), trickle=0.05)]) as server:  # about 20 minutes
        result = run("brief", SEED, "--timeout", "1", "--retries", "0", "--base-url", server.url, env=KEY)
    assert "did not answer within 1 s" in assert_clean_failure(result, 5)


def test_4_in_each_a_trickling_call_frees_its_slot_at_the_deadline(run: Run, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    article(inbox / "a-slow.txt", 1)
    article(inbox / "b-next.txt", 2)

    def answer(body: dict, _: int) -> Reply:
        slow = "Article 1 " in body["messages"][1]["content"]
        return Reply(content=EMPTY, trickle=0.05 if slow else 0.0)

    with ChatServer(answer) as server:
        result = run("brief", "--each", inbox, "-o", tmp_path / "out", "--concurrency", "1", "--timeout", "1",
                     "--retries", "0", "--base-url", server.url, env=KEY)
    assert result.exit_code == 11 and "1 briefed, 0 already done, 1 failed" in result.stderr
    assert "a-slow.txt: failed: the model did not answer within 1 s" in result.stderr
    assert (tmp_path / "out" / "b-next.json").is_file()


@pytest.mark.parametrize("content", ["{\"format\": \"briefer-recording/1\", \"resp", "", "[]",
                                      "{\"format\": \"briefer-recording/1\"}"])
def test_5_a_broken_recording_is_one_line(run: Run, tmp_path: Path, content: str) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / seed_recording().name).write_text(content)
    line = assert_clean_failure(run("brief", SEED, "--replay", cassettes), 4)
    assert seed_recording().name in line and "re-record" in line


def test_5_an_html_page_while_recording_is_one_line(run: Run, tmp_path: Path) -> None:
    with ChatServer([Reply(content_type="text/html", raw_body=b"<html><body>Login</body></html>")]) as server:
        result = run("brief", SEED, "--record", tmp_path / "rec", "--retries", "0", "--base-url", server.url, env=KEY)
    assert "did not answer with a chat completion" in assert_clean_failure(result, 5)
    assert not list((tmp_path / "rec").glob("*.json"))


def test_5_a_recording_that_cannot_be_written_still_gives_the_answer(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.core import files

    real = os.replace

    def full_disk(source: str, target: str) -> None:
        if Path(target).parent.name == "rec":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(source, target)

    monkeypatch.setattr(files.os, "replace", full_disk)
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--record", tmp_path / "rec", "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ") and "Olaf Scholz" in result.stdout
    assert "No space left on device; the answer is used but not recorded" in result.stderr
    # no temporary file left behind either (server/ holds what the server said of itself)
    assert [p for p in os.listdir(tmp_path / "rec") if p != "server"] == []


def test_5_an_output_under_a_file_is_one_line_and_the_briefing_is_kept(run: Run, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run("brief", SEED, "--replay", CASSETTES, "-o", tmp_path / "afile" / "brief.md")
    line = assert_clean_failure(result, 16)
    kept = Path(line.split("the briefing is kept in ")[1])
    assert Briefing.model_validate_json(kept.read_text()).sources[0].id == "scholz-putin-call"
    assert kept.parent == tmp_path / "system-tmp"  # the system's temporary folder (the tests' own)


def test_5_a_one_megabyte_paragraph_and_a_binary_password_file(run: Run, tmp_path: Path, seed_json: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("The council met again on Monday and argued about the bridge, officials said. " * 13_000)
    planned = run("brief", huge, "--dry-run")
    assert planned.exit_code == 0, planned.stderr
    assert "huge: 105 chunks" in planned.stdout
    secret = tmp_path / "password.bin"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    result = run("email", seed_json, "--to", "a@example.org", "--from", "b@example.org",
                 "--smtp-host", "127.0.0.1", "--smtp-user", "u", "--smtp-password-file", secret)
    assert "not a text file" in assert_clean_failure(result, 2)


def test_5_one_articles_write_failure_never_stops_the_others(run: Run, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for n in range(3):
        article(inbox / f"{'abc'[n]}.txt", n)
    (tmp_path / "out" / "b.json").mkdir(parents=True)  # a folder where b's briefing goes
    with ChatServer([Reply(content=EMPTY)]) as server:
        result = run("brief", "--each", inbox, "-o", tmp_path / "out", "--base-url", server.url, env=KEY)
    assert result.exit_code == 11 and "Traceback" not in result.stderr
    assert "2 briefed, 0 already done, 1 failed" in result.stderr
    assert (tmp_path / "out" / "a.md").is_file() and (tmp_path / "out" / "c.md").is_file()
    assert "b.txt: failed: cannot write" in result.stderr and "the briefing is kept in" in result.stderr
    kept = Path(result.stderr.split("the briefing is kept in ")[1].split()[0])
    assert kept.name.startswith("briefer-b-") and json.loads(kept.read_text())["sources"][0]["id"] == "b"


def test_6_resume_sees_a_missing_rendering_its_own_folder_and_only_what_is_left(run: Run, tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    article(inbox / "a.txt", 1)
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{{ briefing.no_such_field }}\n")
    with ChatServer([Reply(content=EMPTY)]) as server:
        each = ["brief", "--each", inbox, "-o", out, "--base-url", server.url]
        failed = run(*each, "--template", broken, env=KEY)
        resumed = run(*each, env=KEY)
        assert failed.exit_code == 11 and len(server.requests) == 1
        assert resumed.exit_code == 0 and len(server.requests) == 1  # rendered, not paid again
        assert (out / "a.md").is_file() and "1 already done" in resumed.stderr
        article(inbox / "b.txt", 2)
        (inbox / "empty.txt").write_text("")
        (inbox / "linked.txt").symlink_to(SEED)
        planned = run(*each, "--dry-run", env=KEY)
        guarded = run(*each, "--max-calls", "1", env=KEY)
    assert planned.exit_code == 0 and "1 call (1 extraction" in planned.stdout
    assert "empty.txt: skipped:" in planned.stderr and "linked.txt: skipped: a symbolic link" in planned.stderr
    assert guarded.exit_code == 11 and "1 briefed, 1 already done, 1 failed" in guarded.stderr
    assert not (out / "linked.json").exists() and not (out / "scholz-putin-call.json").exists()
    own = run("brief", "--each", out, "-o", out, "--replay", CASSETTES)
    assert "never reads its own output folder" in assert_clean_failure(own, 2)


def test_9_the_sweep_leaves_other_peoples_temp_files_alone(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "desk"
    out.mkdir()
    theirs = [out / ".unsaved-draft.tmp", out / ".vim-swap.tmp", out / ".a.json.tmp"]
    for path in theirs:
        path.write_text("keep me")
    ours = out / ".scholz-putin-call.json.briefer-x1y2.tmp"  # what briefer's writer leaves
    ours.write_text("half")
    result = run("brief", "--each", SEED, "-o", out, "--replay", CASSETTES)
    assert result.exit_code == 0, result.stderr
    assert all(p.read_text() == "keep me" for p in theirs) and not ours.exists()


def test_10_one_stray_byte_is_replaced_not_the_whole_file_garbled(run: Run, tmp_path: Path) -> None:
    text = "The minister’s plan was approved on Monday, officials said, “in full”.\n"
    stray = tmp_path / "stray.txt"
    stray.write_bytes(text.encode().replace(b"Monday", b"Mon\xffday"))
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Le café du ministre a été fermé lundi, a dit la mairie.\n".encode("cp1252"))
    result = run("brief", stray, legacy, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "stray.txt: 1 byte that is not UTF-8 replaced with U+FFFD" in result.stderr
    from briefer.ingest.ids import read_sources

    documents = read_sources([str(stray), str(legacy)])
    assert documents[0].text == text.replace("Monday", "Mon\ufffdday") and "â€" not in documents[0].text
    assert "café" in documents[1].text and "été" in documents[1].text


def test_11_sigterm_ends_like_ctrl_c(tmp_path: Path) -> None:
    inbox, out, rec = tmp_path / "inbox", tmp_path / "out", tmp_path / "rec"
    for n in range(6):
        article(inbox / f"article-{n}.txt", n)
    with ChatServer([Reply(content=EMPTY, delay=0.4)]) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefer", "brief", "--each", str(inbox), "-o", str(out), "--concurrency", "1",
             "--record", str(rec), "--base-url", server.url],
            env={**os.environ, **KEY}, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(list(out.glob("*.json"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert stderr.strip().splitlines()[-1].startswith("briefer: error: terminated")
    assert "Traceback" not in stderr
    leftovers = [p for folder in (out, rec) for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    finished = list(out.glob("*.json"))
    assert 2 <= len(finished) < 6 and all(Briefing.model_validate_json(p.read_text()) for p in finished)


def test_12_a_recorded_error_is_one_line_not_a_replay_with_back_off(run: Run, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    recording = json.loads(seed_recording().read_text())
    recording["response"] = {"status": 500, "body": {"error": {"message": "server error"}}}
    (cassettes / seed_recording().name).write_text(json.dumps(recording))
    line = assert_clean_failure(run("brief", SEED, "--replay", cassettes), 4)
    assert "the recording holds a 500 error, not an answer" in line and "provider answered" not in line
