"""Live runs that respect the provider's rate limits, as a layer between the client and the
network (so it composes with whatever the client does above it: retries, re-asks, streaming).

- Pacing: every answer, 429s included, carries `x-ratelimit-remaining-requests/-tokens` and
  `x-ratelimit-reset-requests/-tokens` (the time until the budget is full again). From the
  newest of them the limiter knows how fast the budget refills; before a request it counts what
  was sent since and waits until the request fits, so the run slows down before a 429 instead of
  after one.
- Back-off: a 429 that comes anyway halves the calls in flight (once per wave of requests, not
  once per 429 in the wave); each success then adds back a little (additive increase, about one
  call per `limit` successes) up to the run's --concurrency.

The client still retries the 429 itself (llm.py, honouring Retry-After); the limiter only counts
it, in `throttled`, for the run's summary. Replayed answers never reach it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx2

from .servers import LOOKUP_EXTENSION

#: Prompt tokens are estimated at this many bytes a token (the provider counts with its
#: tokenizer; a rate limit needs only the order of magnitude).
BYTES_PER_TOKEN = 4
#: Leave this share of the budget unused (or room for two more requests like this one, if more):
#: requests let go a moment ago may not have reached the provider yet, and other clients of the
#: same key may be spending it. A margin costs its size once, not a share of the rate.
MARGIN = 0.05
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str | None) -> float | None:
    """`6m0s`, `1.5s`, `120ms`, `2h3m` (the provider's reset format) in seconds."""
    if not text:
        return None
    parts = _DURATION.findall(text.strip())
    if not parts or "".join(n + u for n, u in parts) != text.strip():
        try:
            return float(text)
        except ValueError:
            return None
    return sum(float(n) * _SECONDS[u] for n, u in parts)


@dataclass
class Budget:
    """One limit (requests or tokens) as an answer told it (`seen`: when): what remained, how fast
    it refills, and the sequence number of the request it answered: requests sent after that one
    are not counted in `remaining` yet."""

    limit: float
    remaining: float
    rate: float  # per second
    seen: float
    sequence: int

    def available(self, now: float, spent_since: float) -> float:
        refilled = self.remaining + self.rate * (now - self.seen)
        return min(self.limit, refilled) - spent_since

    def wait_for(self, amount: float, now: float, spent_since: float) -> float:
        """Seconds until `amount` fits (0 if it does now)."""
        short = amount + max(MARGIN * self.limit, 2 * amount) - self.available(now, spent_since)
        if short <= 0:
            return 0.0
        return short / self.rate if self.rate > 0 else 1.0


def read_budget(headers: httpx2.Headers, kind: str, now: float, sequence: int,
                known: Budget | None = None) -> Budget | None:
    """The budget an answer's headers describe. The refill rate is what was used over the time
    to refill it (the limit per minute by default); only a budget well used says it precisely
    (remaining is a whole number, so near full the quotient is mostly rounding)."""
    try:
        limit = float(headers[f"x-ratelimit-limit-{kind}"])
        remaining = float(headers[f"x-ratelimit-remaining-{kind}"])
    except (KeyError, ValueError):
        return None
    reset = parse_duration(headers.get(f"x-ratelimit-reset-{kind}"))
    rate = known.rate if known is not None else limit / 60.0
    if reset and limit - remaining >= max(2.0, 0.1 * limit):
        rate = (limit - remaining) / reset
    return Budget(limit=limit, remaining=remaining, rate=max(rate, limit / 3600.0), seen=now, sequence=sequence)


def request_tokens(body: bytes) -> int:
    """What the provider counts against the token limit: the prompt, and the completion it may
    write (max_completion_tokens or max_tokens, when the request sets one)."""
    tokens = len(body) // BYTES_PER_TOKEN
    try:
        parsed = json.loads(body or b"{}")
        tokens += int(parsed.get("max_completion_tokens") or parsed.get("max_tokens") or 0)
    except (ValueError, TypeError, AttributeError):
        pass
    return tokens


class RateLimiter(httpx2.AsyncBaseTransport):
    """An httpx2 transport around the network that paces requests by the rate-limit headers and
    backs off its concurrency on 429s."""

    def __init__(self, upstream: httpx2.AsyncBaseTransport, concurrency: int):
        self.upstream = upstream
        self.ceiling = float(concurrency)
        self.limit = float(concurrency)
        self.throttled = 0  # 429 answers seen
        self.paused = 0.0  # seconds spent waiting for the budget
        self._in_flight = 0
        self._sequence = 0
        self._sent: list[tuple[int, int]] = []  # (sequence, tokens) of recent requests
        self._budgets: dict[str, Budget] = {}
        self._last_cut = -1
        self._turn = asyncio.Lock()
        self._freed = asyncio.Event()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.extensions.get(LOOKUP_EXTENSION):  # what the server is: no model call to pace
            return await self.upstream.handle_async_request(request)
        tokens = request_tokens(await request.aread())
        sequence = await self._admit(tokens)
        try:
            response = await self.upstream.handle_async_request(request)
        except BaseException:
            self._release()
            raise
        self._observe(response, sequence)
        # A streamed answer holds its slot until its body is read and closed, not only until
        # its headers arrive; one already read frees it now.
        if response.is_closed:
            self._release()
        else:
            response.stream = _Held(response.stream, self._release)  # type: ignore[arg-type]
        return response

    def _release(self) -> None:
        self._in_flight -= 1
        self._freed.set()

    async def aclose(self) -> None:
        await self.upstream.aclose()

    async def _admit(self, tokens: int) -> int:
        """Wait for a free slot and for the budget, in arrival order; returns the request's
        sequence number."""
        async with self._turn:
            while self._in_flight >= max(1, int(self.limit)):
                self._freed.clear()
                await self._freed.wait()
            while (delay := self._delay(tokens)) > 0:
                self.paused += delay
                await asyncio.sleep(delay)
            self._sequence += 1
            self._in_flight += 1
            self._sent.append((self._sequence, tokens))
            return self._sequence

    def _delay(self, tokens: int) -> float:
        now = time.monotonic()
        waits = [0.0]
        for kind, amount in (("requests", 1), ("tokens", tokens)):
            budget = self._budgets.get(kind)
            if budget is not None:
                spent = sum(1 if kind == "requests" else t for s, t in self._sent if s > budget.sequence)
                waits.append(budget.wait_for(amount, now, spent))
        return max(waits)

    def _observe(self, response: httpx2.Response, sequence: int) -> None:
        # What remained is as of the request's arrival, some time before its answer; refill is
        # counted from the answer on, so a slow moment (a busy event loop, a slow network) can
        # only make the estimate lower.
        now = time.monotonic()
        for kind in ("requests", "tokens"):
            known = self._budgets.get(kind)
            budget = read_budget(response.headers, kind, now, sequence, known)
            if budget is not None and (known is None or sequence >= known.sequence):
                self._budgets[kind] = budget
        oldest = min((b.sequence for b in self._budgets.values()), default=sequence)
        self._sent = [(s, t) for s, t in self._sent if s > oldest]
        if response.status_code == 429:
            self.throttled += 1
            if sequence > self._last_cut:  # one cut per wave: the requests sent after the last one
                self.limit = max(1.0, self.limit / 2)
                self._last_cut = self._sequence
        elif response.status_code < 400:
            self.limit = min(self.ceiling, self.limit + 1 / self.limit)


class _Held(httpx2.AsyncByteStream):
    """A response body that calls `release` once, when it is closed."""

    def __init__(self, stream: Any, release: Any):
        self._stream, self._release = stream, release
        self._pieces: Any = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        # An iterator object, not an async generator: one abandoned by a cancelled task (Ctrl-C,
        # SIGTERM) leaves nothing for the event loop to finalize as it closes.
        self._pieces = self._stream.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self._pieces.__anext__()  # type: ignore[no-any-return]
        except StopAsyncIteration:
            self._done()
            raise

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._done()

    def _done(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()
