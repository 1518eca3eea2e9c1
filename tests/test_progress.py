"""Something to watch while a call runs: progress and retry messages on a terminal's stderr,
nothing when stderr is not a terminal or with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from briefer.llm import Progress

from .chat_server import ChatServer, Reply
from .conftest import ROOT, SEED, SENTINEL_KEY, seed_answer


def brief_on_a_terminal(url: str, *extra: str) -> tuple[int, str, str]:
    """`briefer brief SEED` in its own process with stderr on a pseudo-terminal: exit code,
    stdout, and everything written to the terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "OPENAI_API_KEY": SENTINEL_KEY,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-m", "briefer", "brief", str(SEED), "--base-url", url, *extra],
                               stdout=subprocess.PIPE, stderr=follower, env=env, cwd=ROOT)
    os.close(follower)
    seen = bytearray()
    while True:
        try:
            piece = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not piece:
            break
        seen += piece
    stdout = process.stdout.read().decode() if process.stdout else ""
    os.close(leader)
    return process.wait(timeout=60), stdout, seen.decode("utf-8", "replace")


def test_a_one_article_run_shows_tokens_received_and_seconds_on_a_terminal() -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        code, stdout, terminal = brief_on_a_terminal(server.url)
    assert code == 0, terminal
    assert stdout.startswith("# Scholz and Putin hold first call")
    assert re.search(r"\rbriefer: 1 call in flight, 0 of 1 done, 0 tokens received, \d+ s", terminal)
    received = [int(m.group(1).replace(",", "")) for m in re.finditer(r"about ([\d,]+) tokens received", terminal)]
    assert max(received) == (len(seed_answer()) + 3) // 4  # every streamed piece counted
    # once the call is done, the server's own count (the test server's usage) replaces the estimate
    assert re.search(rf"0 of 1 done, {round(len(seed_answer()) / 4):,} tokens received", terminal)
    assert "1 of 1 done" in terminal
    last = terminal.replace("\r\n", "\n").split("\r")[-1]  # after the status line was cleared
    assert last.startswith("briefer: scholz-putin-call: 1 call made;")


def test_retries_say_what_happens_on_a_terminal() -> None:
    replies = [Reply(status=503, headers={"retry-after": "0"}, error="overloaded"), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        code, _, terminal = brief_on_a_terminal(server.url)
    assert code == 0, terminal
    assert "briefer: 503 from the server, retrying in 0 s (2 of 5)\n" in terminal.replace("\r\n", "\n")


def test_quiet_shows_nothing_even_on_a_terminal() -> None:
    replies = [Reply(status=503, headers={"retry-after": "0"}, error="overloaded"), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        code, stdout, terminal = brief_on_a_terminal(server.url, "-q")
    assert code == 0 and stdout.startswith("# Scholz")
    assert terminal == ""


def test_the_status_line_is_drawn_only_on_a_terminal() -> None:
    piped = io.StringIO()
    progress = Progress(piped, 2)
    progress.call_started()
    progress.text("x" * 40)
    progress.notice("503 from the server, retrying in 1 s (2 of 5)")
    progress.close()
    assert not progress.visible and piped.getvalue() == ""

    terminal = io.StringIO()
    shown = Progress(terminal, 2, force=True)
    shown.call_started()
    shown.text("x" * 40)
    shown.advance()
    shown.close()
    drawn = terminal.getvalue()
    assert re.search(r"\rbriefer: 1 call in flight, 0 of 2 done, 0 tokens received, \d+ s", drawn)
    assert "1 of 2 done, about 10 tokens received" in drawn
    assert drawn.endswith("\r")  # cleared, so what follows starts on a clean line
