"""A reply that repeats itself is stopped as it streams, not read to the budget.

A small local model under a JSON-schema grammar can loop: the same digit, the same `"role", `
thousands of times, until the completion budget ends it minutes later. A reply whose last
`MIN_SPAN` characters or more are one span repeated over and over is plainly looping; no honest
reply is that regular for that long (a list of distinct items differs in its text). The check
runs every `CHECK_EVERY` characters on the tail only, so its cost does not grow with the reply.
"""

from __future__ import annotations

#: The repeated stretch a loop must cover, in characters (about 100 to 400 tokens).
MIN_SPAN = 400
#: A span repeated must be seen at least this often, whatever its length.
MIN_REPEATS = 3
#: The longest repeated span looked for.
MAX_PERIOD = 300
CHECK_EVERY = 64
#: The ending looked for further back: where it recurs, a period to try.
PROBE = 8


def repeated_span(text: str) -> str | None:
    """The span that `text` ends by repeating, when its tail is plainly a loop; else None. Only
    the periods at which the last few characters recur are tried (found by `str.rfind`, in C):
    a loop of period p has its ending again p characters back."""
    if len(text) < MIN_SPAN:
        return None
    end = len(text) - PROBE
    probe, lowest = text[end:], max(0, end - MAX_PERIOD)
    start = text.rfind(probe, lowest, end + PROBE - 1)
    while start >= 0:
        period = end - start
        span = max(MIN_SPAN, MIN_REPEATS * period)
        unit = text[-period:]
        if span <= len(text) and unit.strip():  # whitespace padding is not a loop of content
            whole, part = divmod(span, period)
            if text[-span:] == unit[period - part:] + unit * whole:
                return unit
        start = text.rfind(probe, lowest, start + PROBE - 1)
    return None


class LoopWatch:
    """Fed a streamed reply piece by piece; says when it has become a loop."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._checked_at = 0
        self.span: str | None = None

    def feed(self, piece: str) -> bool:
        """Add a piece; True once the reply is plainly looping."""
        self._pieces.append(piece)
        self._length += len(piece)
        if self._length - self._checked_at < CHECK_EVERY:
            return False
        self._checked_at = self._length
        tail = "".join(self._pieces)[-(MIN_REPEATS * MAX_PERIOD + MIN_SPAN):]
        self._pieces = [tail]
        self.span = repeated_span(tail)
        return self.span is not None
