"""Live runs against a server that enforces request and token rates: paced by the headers
before a 429, concurrency halved when 429s come anyway and recovered after.

The runs keep time on a virtual clock that moves only when the limiter waits: the server's
buckets refill only then, so however fast or slow this machine is, the run must pace itself to
get through, and how long it paced is the same every time."""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner

from briefer.cli import main
from briefer.llm import ratelimit
from briefer.llm.ratelimit import RateLimiter, parse_duration, request_tokens

from .chat_server import ChatServer, RateLimits, Reply, estimated_usage
from .conftest import SEED, SENTINEL_KEY, seed_answer


def inbox(folder: Path, articles: int) -> Path:
    folder.mkdir()
    for n in range(articles):
        shutil.copy(SEED, folder / f"seed-{n:03}.txt")
    return folder


@pytest.mark.parametrize(("text", "seconds"), [("6m0s", 360.0), ("1.5s", 1.5), ("120ms", 0.12),
                                               ("2h3m", 7380.0), ("0.25", 0.25), ("soon", None), (None, None)])
def test_reset_times_in_the_providers_format(text: str | None, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_a_requests_tokens_count_the_completion_it_may_write() -> None:
    body = json.dumps({"messages": [{"content": "x" * 400}], "max_completion_tokens": 1000}).encode()
    assert request_tokens(body) == len(body) // 4 + 1000


class VirtualClock:
    """Seconds that pass only when the limiter sleeps (the sleep itself returns at once)."""

    def __init__(self) -> None:
        self._now, self._lock = 1000.0, threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    async def sleep(self, seconds: float) -> None:
        with self._lock:  # a real clock moves on, however short the sleep (at least one step)
            self._now = max(self._now + seconds, math.nextafter(self._now, math.inf))
        await _real_sleep(0)


_real_sleep = asyncio.sleep


class _AsyncioOn(SimpleNamespace):
    """The asyncio module as the limiter sees it, with the virtual clock's sleep."""

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    """The limiter's clock and sleep, virtual; pass `clock.monotonic` to the server's limits."""
    virtual = VirtualClock()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(monotonic=virtual.monotonic))
    monkeypatch.setattr(ratelimit, "asyncio", _AsyncioOn(sleep=virtual.sleep))
    return virtual


def run_each(work: Path, server: ChatServer, articles: int) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["brief", "--each", str(inbox(work / "in", articles)), "-o",
                                       str(work / "out"), "--format", "json", "--concurrency", "16",
                                       "--base-url", server.url, "--json"],
                                env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_two_hundred_articles_at_concurrency_16_under_a_request_rate_limit(tmp_path: Path, clock) -> None:
    limits = RateLimits(requests=25, tokens=10_000_000, per=1.0, clock=clock.monotonic)  # 25 a second
    with ChatServer([Reply(content=seed_answer(), delay=0.05)], limits) as server:
        summary = run_each(tmp_path / "run", server, 200)
    assert summary["briefed"] == 200 and summary["failed"] == 0
    assert summary["rate_limited"] == limits.rejected  # every 429 counted in the summary ...
    assert limits.rejected <= 8  # ... and few: the run slowed down before them (unpaced, it never gets through)
    assert summary["paced_seconds"] > 0
    assert len(server.requests) == summary["calls"]  # a 429 is not an answered call


def test_the_token_rate_limit_is_respected_too(tmp_path: Path, clock) -> None:
    with ChatServer([Reply(content=seed_answer())]) as probe:  # one request's size, as the server counts it
        run_each(tmp_path / "probe", probe, 1)
        asked = probe.requests[0]
        per_request = estimated_usage(asked, "")[0] + int(asked.get("max_completion_tokens") or 0)
    # The tokens of 20 requests every 2 seconds (a first wave of 16 fits), requests unlimited.
    limits = RateLimits(requests=1000, tokens=per_request * 20, per=2.0, clock=clock.monotonic)
    with ChatServer([Reply(content=seed_answer())], limits) as server:
        summary = run_each(tmp_path / "run", server, 30)
    assert summary["failed"] == 0 and summary["rate_limited"] == limits.rejected <= 5  # unpaced: fails
    assert summary["paced_seconds"] > 0


class Scripted(httpx2.AsyncBaseTransport):
    """An upstream that answers 429 (no headers) to the requests numbered in `limited`."""

    def __init__(self, limited: set[int]):
        self.limited = limited
        self.number = 0
        self.in_flight = 0
        self.most_in_flight: list[int] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.number += 1
        number = self.number
        self.in_flight += 1
        self.most_in_flight.append(self.in_flight)
        await asyncio.sleep(0.001)
        self.in_flight -= 1
        return httpx2.Response(429 if number in self.limited else 200, content=b"{}")


def test_429s_halve_the_calls_in_flight_once_per_wave_and_successes_recover_them() -> None:
    upstream = Scripted(limited=set(range(1, 17)))  # the whole first wave of 16 is refused
    limiter = RateLimiter(upstream, concurrency=16)

    async def call() -> int:
        response = await limiter.handle_async_request(httpx2.Request("POST", "http://x/v1/chat/completions",
                                                                     content=b"{}"))
        await response.aread()  # the slot is held until the answer is read
        return response.status_code

    async def run() -> list[float]:
        limits = []
        await asyncio.gather(*(call() for _ in range(16)))
        limits.append(limiter.limit)
        for _ in range(10):
            await asyncio.gather(*(call() for _ in range(16)))
            limits.append(limiter.limit)
        return limits

    limits = asyncio.run(run())
    assert limiter.throttled == 16
    assert limits[0] == 8  # one wave of 429s: halved once, not 16 times
    assert max(upstream.most_in_flight[16:40]) <= 8  # the next requests go out 8 at a time ...
    assert limits[-1] == 16  # ... and the limit grows back to --concurrency
    assert limits == sorted(limits)
