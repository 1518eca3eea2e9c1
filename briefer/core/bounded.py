"""Every file briefer reads, read one careful way: a user-named file must be a regular file (its
mode checked before a byte is read, so a FIFO or /dev/zero is refused, not waited on), no larger
than a bound, and JSON or TOML in it no deeper than a bound.

Python's parsers recurse: a file nested 100,000 levels deep would otherwise end in a
RecursionError traceback, and one hostile sidecar abort a whole `--each` run. Each caller says
which error (and so which exit code) a bad file is for it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from .errors import BrieferError, InputError

#: Deeper structures are refused: no file briefer reads nests more than a few dozen levels (a
#: recording's JSON schema is the deepest, about 20).
MAX_DEPTH = 100
#: Bounds by kind of file: small settings files, and the larger files of runs.
SMALL_FILE = 1024 * 1024
LARGE_FILE = 512 * 1024 * 1024

ErrorType = type[BrieferError]


def read_bytes(path: Path | str, *, limit: int, error: ErrorType = InputError, what: str = "",
               missing_ok: bool = False, private: bool = False, own: bool = False) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes; None for a missing file when
    `missing_ok`. The file is opened without blocking and its mode checked on the open
    descriptor before reading: a FIFO, a device or a socket is refused at once, and with
    `private` (a file holding a secret) so is a file that others may read. `own` (a file briefer
    wrote for itself, such as a compiled template): not a symbolic link, and owned by this user
    and writable by no one else, so that no other user can have put it there."""
    name = f"{what} {path}".strip()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | (getattr(os, "O_NOFOLLOW", 0) if own else 0))
    except FileNotFoundError:
        if missing_ok:
            return None
        raise error(f"{name}: no such file") from None
    except IsADirectoryError:
        raise error(f"{name} is a directory, not a file") from None
    except OSError as failure:
        raise error(f"{name}: cannot read it ({failure.strerror or failure})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(f"{name} is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise error(f"{name}: not a regular file (a pipe, a device or a socket); give a file")
        if private and os.name == "posix" and mode & 0o077:
            raise error(f"{name} can be read by others (mode {mode & 0o777:04o}): chmod 600 {path}")
        if own and not owned(os.fstat(fd)):
            raise error(f"{name} is not this user's own file, or others may change it")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as failure:
        raise error(f"{name}: cannot read it ({failure.strerror or failure})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise error(f"{name}: larger than {_size(limit)}, more than briefer reads from such a file")
    return b"".join(chunks)


def owned(status: os.stat_result) -> bool:
    """Whether a file (or folder) belongs to this user and no one else may write to it."""
    return os.name != "posix" or status.st_uid == os.geteuid() and not status.st_mode & 0o022


def read_text(path: Path | str, *, limit: int, error: ErrorType = InputError, what: str = "",
              missing_ok: bool = False) -> str | None:
    """A regular file's UTF-8 text (a BOM dropped); undecodable bytes are one line of error."""
    data = read_bytes(path, limit=limit, error=error, what=what, missing_ok=missing_ok)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(f"{what} {path}: not UTF-8 text (a byte {data[failure.start]:#04x} "
                    f"at offset {failure.start})".strip()) from None


def parse_json(data: str | bytes, *, where: str, error: ErrorType = InputError) -> Any:
    """JSON, or one line of error: malformed, or nested deeper than MAX_DEPTH."""
    import json

    try:
        value = json.loads(data)
    except RecursionError:
        raise error(f"{where}: nested too deeply (over {MAX_DEPTH} levels)") from None
    except UnicodeDecodeError as failure:
        raise error(f"{where}: not UTF-8 text (offset {failure.start})") from None
    except ValueError as failure:
        raise error(f"{where}: not valid JSON ({_first_line(failure)})") from None
    return _within_depth(value, where, error)


def parse_toml(text: str, *, where: str, error: ErrorType = InputError) -> dict[str, Any]:
    """TOML (with the standard library's parser), or one line of error."""
    import tomllib

    try:
        value = tomllib.loads(text)
    except RecursionError:
        raise error(f"{where}: nested too deeply (over {MAX_DEPTH} levels)") from None
    except tomllib.TOMLDecodeError as failure:
        raise error(f"{where}: not valid TOML ({_first_line(failure)})") from None
    return _within_depth(value, where, error)  # type: ignore[no-any-return]


def embedded_json(text: str) -> Any | None:
    """JSON a page or a reply embeds (a JSON-LD script): the value, or None when it is not JSON
    or nests deeper than MAX_DEPTH (walking it would recurse as deep)."""
    import json

    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if depth(value) <= MAX_DEPTH else None


def read_json(path: Path | str, *, limit: int = SMALL_FILE, error: ErrorType = InputError,
              what: str = "") -> Any:
    """A JSON file read with the bounds above."""
    data = read_bytes(path, limit=limit, error=error, what=what)
    return parse_json(data or b"", where=f"{what} {path}".strip(), error=error)


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed value (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


def _within_depth(value: Any, where: str, error: ErrorType) -> Any:
    if depth(value) > MAX_DEPTH:
        raise error(f"{where}: nested too deeply (over {MAX_DEPTH} levels)")
    return value


def _first_line(failure: Exception) -> str:
    text = " ".join(str(failure).split())
    return text[:120]


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
