"""One account of every run: the calls, tokens and money of failed and interrupted work are
counted in the summary, in --json and in the run log, against the local server's own count of
the requests it answered."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .chat_server import ChatServer, Reply
from .conftest import ROOT, SEED, Run, assert_clean_failure, seed_answer


def articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        shutil.copy(SEED, folder / f"story-{n:02}.txt")
    return folder


def logged(run: Run) -> list[dict]:
    result = run("log", "--json", "-n", "100")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["runs"]


def test_a_failed_brief_counts_every_call_it_paid_for(run: Run, tmp_path: Path) -> None:
    """A reply still invalid after its re-asks: every answer came back and was paid for."""
    with ChatServer([Reply("not json at all")]) as server:
        result = run("brief", SEED, "--base-url", server.url, env={"OPENAI_API_KEY": "sk-test"})
    line = assert_clean_failure(result, 6)  # one line, ending with what the run spent
    paid = len(server.requests)  # the first ask and its re-asks
    assert paid >= 2
    assert f"({paid} calls made; " in line and line.endswith("USD (prices of 2025-08-07))")
    entry = logged(run)[0]
    assert entry["calls"] == paid and entry["cost"] > 0 and entry["outcome"].startswith("failed")


def test_a_failed_brief_still_prints_its_json_summary(run: Run, tmp_path: Path) -> None:
    with ChatServer([Reply("not json at all")]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--json", "-o", tmp_path / "b.json",
                     env={"OPENAI_API_KEY": "sk-test"})
    assert result.exit_code == 6
    summary = json.loads(result.stdout)
    assert summary["calls_made"] == len(server.requests) >= 2
    assert summary["estimated_cost"] > 0 and summary["outcome"].startswith("failed: ")


def test_each_counts_the_calls_of_its_failed_articles(run: Run, tmp_path: Path) -> None:
    """Two articles answer, one never validates: every call counts, not only the two."""
    inbox = articles(tmp_path / "inbox", 3)

    def script(body: dict, n: int) -> Reply:
        failing = "Source id: story-01\n" in body["messages"][1]["content"]
        return Reply("not json" if failing else seed_answer())

    with ChatServer(script) as server:
        result = run("brief", "--each", inbox, "-o", tmp_path / "out", "--json", "--concurrency", "1",
                     "--base-url", server.url, env={"OPENAI_API_KEY": "sk-test"})
    assert result.exit_code == 11, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["briefed"], summary["failed"]) == (2, 1)
    assert summary["calls_made"] == len(server.requests) >= 4  # two answers, the third's re-asks
    assert logged(run)[0]["calls"] == len(server.requests)


def test_ctrl_c_during_each_says_how_far_it_got_and_logs_what_was_paid(tmp_path: Path) -> None:
    """Two answers come at once, the third never: Ctrl-C then leaves two briefings on disk, a
    line that says so and how to finish, and a log row with the two calls."""
    inbox, out = articles(tmp_path / "inbox", 5), tmp_path / "out"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "BRIEFER_DATA_DIR": str(tmp_path / "data"), "BRIEFER_CONFIG": str(tmp_path / "config.toml"),
           "OPENAI_API_KEY": "sk-test"}
    with ChatServer(lambda body, n: Reply(seed_answer(), delay=0 if n < 2 else 60)) as server:
        process = subprocess.Popen([sys.executable, "-m", "briefer", "brief", "--each", str(inbox), "-o", str(out),
                                    "--concurrency", "1", "--base-url", server.url], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.json"))) < 2 or len(server.requests) < 3:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("briefer: error: interrupted: 2 of 5 briefed; rerun the same command to finish (")
    assert "(2 calls made; " in last and last.endswith(")")
    log = subprocess.run([sys.executable, "-m", "briefer", "log", "--json"], env=env, capture_output=True, text=True)
    entry = json.loads(log.stdout)["runs"][0]
    assert entry["calls"] == 2 and entry["outcome"].startswith("interrupted: 2 of 5 briefed")
    assert entry["exit_code"] == 130


def test_each_shows_articles_done_failed_and_time_left_on_a_terminal_only(tmp_path: Path) -> None:
    """On a terminal (a pseudo-terminal here) the status line counts articles; piped, nothing."""
    import pty

    inbox = articles(tmp_path / "inbox", 3)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "BRIEFER_DATA_DIR": str(tmp_path / "data"), "BRIEFER_CONFIG": str(tmp_path / "config.toml"),
           "OPENAI_API_KEY": "sk-test"}

    def script(body: dict, n: int) -> Reply:
        failing = "Source id: story-02\n" in body["messages"][1]["content"]
        return Reply("not json" if failing else seed_answer(), delay=0.3)

    outputs = []
    with ChatServer(script) as server:
        for terminal in (True, False):
            main, secondary = pty.openpty()
            command = [sys.executable, "-m", "briefer", "brief", "--each", str(inbox), "-o",
                       str(tmp_path / f"out-{terminal}"), "--concurrency", "1", "--base-url", server.url]
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                       stderr=secondary if terminal else subprocess.PIPE)
            os.close(secondary)
            if terminal:
                received, piece = b"", b"start"
                while piece:  # until the process closes the terminal (EOF, or EIO on Linux)
                    try:
                        piece = os.read(main, 65536)
                    except OSError:
                        piece = b""
                    received += piece
                outputs.append(received.decode(errors="replace"))
            else:
                outputs.append(process.communicate(timeout=120)[1].decode())
            process.wait(timeout=120)
            os.close(main)
    on_terminal, piped = outputs
    assert "1 of 3 articles done" in on_terminal and "left" in on_terminal
    assert "3 of 3 articles done, 1 failed" in on_terminal or "2 of 3 articles done, 1 failed" in on_terminal
    assert "articles done" not in piped
