"""What briefer prints or writes is made safe here, once: secrets masked, terminal controls gone.

Two shared mechanisms, so that no call site has to remember them:
- `redact`: every secret briefer knows (the API key, the SMTP password, a password in a URL) is
  masked whole, and so is any 8-character piece of one, before any message is cut short;
- `clean`: escape sequences, other control characters and bidi overrides are removed, so that
  model or article text cannot clear a terminal, ring its bell or reorder what a reader sees.
`say` prints a line to stderr through both.
"""

from __future__ import annotations

import os
import re

from .defaults import MIN_SECRET_LENGTH
from .lazy import lazy_pattern

MASK = "[redacted]"
#: A piece of a secret this long is a leak too (providers echo keys cut short).
WINDOW = 8
#: Texts up to this long are checked for every window; longer ones (files) through a
#: prefilter that catches every piece of WINDOW + 3 characters or more.
_FULL_CHECK = 8192
#: Read only in a text with an @.
_URL_PASSWORD = lazy_pattern(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*:)[^\s/@]+@", re.IGNORECASE)
_registered: set[str] = set()

#: ESC-started sequences (CSI, OSC, two-character escapes) and the 8-bit CSI.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]?")
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = {c: None for c in [*range(0, 9), 11, 12, *range(13, 32), *range(127, 160), *map(ord, _BIDI)]}

_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(127, 160), *map(ord, _BIDI)]}
#: Whether a text holds any of them: most texts hold none, and searching is far cheaper than
#: translating character by character.
_ANY_CONTROL = re.compile("[" + re.escape("".join(map(chr, _CONTROLS))) + "]")
_ANY_JSON_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _JSON_ESCAPES))) + "]")


def register_secret(value: str | None) -> None:
    """Mask this value too (a password read from a file, given in a URL)."""
    if value and len(value.strip()) >= MIN_SECRET_LENGTH:
        _registered.add(value.strip())


def forget_registered() -> None:
    """Start a command with only the secrets of the environment (the CLI calls this first)."""
    _registered.clear()


def secrets() -> tuple[str, ...]:
    """Values that must never appear, whole or in part, in anything briefer prints or writes."""
    values = {os.environ.get(name, "").strip() for name in ("OPENAI_API_KEY", "BRIEFER_SMTP_PASSWORD")}
    return tuple(sorted(v for v in values | _registered if len(v) >= MIN_SECRET_LENGTH))


def checked_key(key: str, where: str = "OPENAI_API_KEY") -> str:
    """The key, if it can be one: printable ASCII, as every provider's keys are (anything else
    could not even be sent in a header). The message shows none of its characters."""
    if not (key.isascii() and key.isprintable()):
        from .errors import MissingCredentials

        raise MissingCredentials(f"{where}: the key holds characters no API key has (non-ASCII, "
                                 "control or binary bytes); set it to the key itself")
    return key


def redact(text: str) -> str:
    """`text` with every secret, every WINDOW-character piece of one and every password in a
    URL's user part masked. Call it before cutting a message short, never after."""
    for secret in secrets():
        text = _mask(text.replace(secret, MASK), secret)
    if "@" in text:
        text = _URL_PASSWORD.sub(rf"\1{MASK}@", text)
    return text


def _mask(text: str, secret: str) -> str:
    windows = {secret[i : i + WINDOW] for i in range(len(secret) - WINDOW + 1)}
    probes = windows if len(text) <= _FULL_CHECK else {secret[i : i + WINDOW] for i in range(0, len(secret) - WINDOW + 1, 4)}
    if not any(probe in text for probe in probes):
        return text
    covered = bytearray(len(text))
    for window in windows:
        start = text.find(window)
        while start != -1:
            covered[start : start + WINDOW] = b"\x01" * WINDOW
            start = text.find(window, start + 1)
    out, position = [], 0
    for match in re.finditer(b"\x01+", bytes(covered)):
        out += [text[position : match.start()], MASK]
        position = match.end()
    return "".join([*out, text[position:]])


def safe_url(url: str | None) -> str | None:
    """A URL as it may be shown: without the password in its user part."""
    return _URL_PASSWORD.sub(rf"\1{MASK}@", url) if url else url


def clean(text: str) -> str:
    """Text without escape sequences, control characters (line breaks and tabs aside) or bidi
    overrides: safe to show in a terminal, a mail client or a Subject line."""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text


def visible(text: str) -> str:
    """Like `clean`, for showing what a text holds: each control character (line breaks and
    tabs aside) and bidi override as a visible escape (`\\x1b`) instead of removed."""
    return "".join(c if c in "\n\t" or ord(c) not in _CONTROLS else repr(c)[1:-1] for c in text)


#: Whatever a terminal or a reader takes for the end of a line.
_LINE_BREAKS = re.compile("[\n\t\u2028\u2029]+")


def visible_line(text: str) -> str:
    """`visible`, and on one line: every line break (LF, and CR, NEL, U+2028 shown as escapes)
    a space, so that a title holding a newline cannot forge a second row of a listing."""
    shown = visible(text)
    return _LINE_BREAKS.sub(" ", shown) if _LINE_BREAKS.search(shown) else shown


def json_safe(text: str) -> str:
    """JSON text with the control characters and bidi overrides JSON allows raw (DEL, the C1
    range, U+202E ...) written as \\u escapes: the same data, inert in a terminal."""
    return text.translate(_JSON_ESCAPES) if _ANY_JSON_ESCAPE.search(text) else text


_SPACES = re.compile(r"\s+")
#: What folding would change: white space other than a plain space, or two spaces in a row.
_UNEVEN_SPACE = re.compile(r"[^\S ]|  ")
#: A no-break space on its own is kept: it holds text together on purpose ("4 434", "« mot »",
#: "L'essentiel :") and never breaks a line.
_NO_BREAK = frozenset("\u00a0\u2007\u202f")


def one_line(text: str) -> str:
    """Safe text folded onto one line, each run of whitespace one space (a lone no-break space
    kept): for error lines, subjects, metadata and every model string a briefing prints."""
    folded = clean(text)
    if _UNEVEN_SPACE.search(folded):  # most text is words and single spaces already
        folded = _SPACES.sub(lambda m: m.group() if m.group() in _NO_BREAK else " ", folded)
    return folded.strip(" \u00a0\u2007\u202f")


def say(message: str, *, single_line: bool = False) -> None:
    """Print to stderr, secrets masked and terminal controls removed."""
    import click

    safe = redact(message)
    click.echo(one_line(safe) if single_line else clean(safe), err=True)


def warn(message: str) -> None:
    """A warning on stderr (also with --quiet): something was not done as asked, but the run
    goes on and nothing is lost."""
    say(f"briefer: warning: {message}", single_line=True)
