"""Plain text for mail readers: lines of at most 78 columns (RFC 5322's advice), bullets with a
hanging indent, and nothing broken that must stay whole: a URL longer than a line keeps its own
line, and the "-- " signature delimiter keeps its trailing space. A heading's underline is as
long as the heading's longest line once wrapped.
"""

from __future__ import annotations

import re
import textwrap

WIDTH = 78
_BULLET = re.compile(r"^(\s*)([*\-•]\s+|\d+\.\s+|-- )?")
SIGNATURE = "-- "


def wrap(text: str, width: int = WIDTH) -> str:
    """Every line wrapped at `width` columns; a continuation lines up under the bullet's text."""
    lines: list[str] = []
    wrapped: list[str] = []
    for line in text.split("\n"):
        if lines and _underlines(line, lines[-1]):
            line = line[0] * max(map(len, wrapped[-1].split("\n")))
        lines.append(line)
        wrapped.append(_wrap_line(line, width))
    return "\n".join(wrapped)


def _underlines(line: str, heading: str) -> bool:
    """Whether `line` is the underline of `heading`: one of = or - repeated to its length."""
    return len(line) == len(heading) > 0 and line[0] in "=-" and line == line[0] * len(line)


def _wrap_line(line: str, width: int) -> str:
    if line == SIGNATURE or len(line) <= width:
        return line if line == SIGNATURE else line.rstrip()
    match = _BULLET.match(line)
    indent, bullet = match.group(1), match.group(2) or ""
    hanging = " " * (len(indent) + len(bullet))
    return "\n".join(textwrap.wrap(
        line[len(indent) + len(bullet):], width=width, initial_indent=indent + bullet,
        subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False,
    ))
