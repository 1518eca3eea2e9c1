"""Something to watch while calls run: one status line on a terminal's stderr.

"briefer: 1 call in flight, 0 of 1 done, 1 re-ask, 3,615 tokens received, 80 s", redrawn at
most ten times a second, and a line of its own for every retry ("503 from the server, retrying
in 4 s (2 of 5)") and every re-ask, with its reason (a cut-off and where it was cut). Tokens are
the server's count once a call is done (its usage); while a reply streams, its content events
(one a token from llama.cpp, vLLM and OpenAI) or a quarter of its characters, whichever is more. Nothing at all unless the stream is a terminal (and the user did not ask for
--quiet): piped stderr and logs stay clean.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

#: Tokens are estimated from the text received (servers split deltas differently).
CHARS_PER_TOKEN = 4
REDRAW_SECONDS = 0.1


class Progress:
    """Counts calls and streamed text; draws them when `stream` is a terminal."""

    def __init__(self, stream: TextIO | None, total_calls: int = 0, *, force: bool = False):
        visible = stream is not None and (force or _is_terminal(stream))
        self._stream = stream if visible else None
        self.total = total_calls
        self.in_flight = 0
        self.done = 0
        self.reasks = 0
        #: What the calls still streaming have sent (content characters and events).
        self.chars = 0
        self.pieces = 0
        #: Completion tokens of the finished calls, as the servers counted them.
        self.counted = 0
        #: --each (and a batch's rounds): the articles in the run, and how many ended, failed.
        self.articles = 0
        self.articles_ended = 0
        self.articles_failed = 0
        #: What those items are and what ending is called (`stories` counts stories briefed).
        self.items = ("article", "articles")
        self.ended_as = "done"
        #: What earlier stages of the run came to, said before the count ("60 articles found, ...").
        self.lead = ""
        #: Whether the line tells calls and tokens (not while articles are only being fetched).
        self.calls_shown = True
        self._started = time.monotonic()
        self._drawn_at = float("-inf")
        self._width = 0

    @property
    def visible(self) -> bool:
        return self._stream is not None

    def call_started(self) -> None:
        self.in_flight += 1
        self._draw(force=True)

    def call_ended(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self._draw(force=True)

    def text(self, piece: str) -> None:
        self.chars += len(piece)
        self.pieces += 1
        self._draw()

    def settled(self, pieces: int, chars: int, tokens: int) -> None:
        """A call is done: its streamed estimate gives way to the server's count."""
        self.pieces = max(0, self.pieces - pieces)
        self.chars = max(0, self.chars - chars)
        self.counted += tokens
        self._draw(force=True)

    def reasked(self) -> None:
        self.reasks += 1
        self._draw(force=True)

    @property
    def tokens(self) -> int:
        return self.counted + max(self.pieces, (self.chars + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN)

    def advance(self) -> None:
        """One planned call (a chunk, a synthesis) is done, re-asks included."""
        self.done += 1
        self._draw(force=True)

    def article_ended(self, failed: bool = False) -> None:
        self.articles_ended += 1
        self.articles_failed += failed
        self._draw(force=True)

    def notice(self, message: str) -> None:
        """A line of its own (a retry), above the status line."""
        if self._stream is None:
            return
        self._clear()
        self._stream.write(f"briefer: {message}\n")
        self._stream.flush()
        self._draw(force=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Clear the status line while the caller prints a line of its own; redraw after."""
        if self._stream is not None:
            self._clear()
            self._stream.flush()
        yield
        self._draw(force=True)

    def close(self) -> None:
        if self._stream is not None:
            self._clear()
            self._stream.flush()

    def line(self) -> str:
        seconds = time.monotonic() - self._started
        parts = [f"{self.in_flight} call{'s' * (self.in_flight != 1)} in flight"] if self.calls_shown else []
        if self.articles:
            parts.insert(0, self.articles_part(seconds))
        if self.lead:
            parts.insert(0, self.lead)
        if self.total:
            parts.append(f"{self.done} of {self.total} done")
        if self.reasks:
            parts.append(f"{self.reasks} re-ask{'s' * (self.reasks != 1)}")
        if self.calls_shown:
            streaming = self.pieces or self.chars
            parts.append(f"{'about ' * bool(streaming)}{self.tokens:,} tokens received")
        parts.append(f"{seconds:.0f} s")
        return "briefer: " + ", ".join(parts)

    def articles_part(self, seconds: float) -> str:
        """`12 of 60 articles done, 1 failed, about 3 min left` (the rate so far, extrapolated)."""
        ended, total = self.articles_ended, self.articles
        part = f"{ended} of {total} {self.items[total != 1]} {self.ended_as}"
        if self.articles_failed:
            part += f", {self.articles_failed} failed"
        if 0 < ended < total:
            left = seconds / ended * (total - ended)
            part += f", about {left / 60:.0f} min left" if left >= 90 else f", about {left:.0f} s left"
        return part

    def _draw(self, force: bool = False) -> None:
        if self._stream is None:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < REDRAW_SECONDS:
            return
        self._drawn_at = now
        text = self.line()
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = len(text)

    def _clear(self) -> None:
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")  # type: ignore[union-attr]
            self._width = 0


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
