"""The one writer: nothing a user produced is ever half-written, holds a secret, or is lost.

Every file goes to a temporary file in the same folder and is renamed into place. The temporary
names carry a mark only this writer uses (`.NAME.briefer-XXXX.tmp`), so the sweep of a killed
run's leftovers never touches anyone else's `.tmp` files. A failure (a full disk, a file where a
folder should be, no permission) is one `WriteError` line naming the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InvalidOutput, WriteError
from .safety import json_safe, redact

if TYPE_CHECKING:
    from .models import Briefing

TEMP_MARK = ".briefer-"
TEMP_SUFFIX = ".tmp"


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str | bytes, mode: int | None = None, *, secret: bool = False) -> None:
    """Write via a temporary file in the same folder and a rename: a reader, a crash, Ctrl-C or
    SIGTERM never leaves half a file behind. Secrets are masked on the way out. The file gets
    the mode any program's output gets (0666 less the umask), not the temporary file's 0600;
    `mode` keeps the mode of a file being rewritten (a private config stays private). `secret`:
    the text is itself a secret (`briefer key set`): written as given, 0600 from its first byte.
    Bytes (briefer's own cache files) are written as given."""
    path = Path(path)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMP_MARK}",
                                             suffix=TEMP_SUFFIX)
        if hasattr(os, "fchmod"):  # POSIX; Windows files have no such modes
            os.fchmod(handle, 0o600 if secret else 0o666 & ~current_umask() if mode is None else mode)
        with os.fdopen(handle, "wb") as out:
            out.write(text if isinstance(text, bytes) else (text if secret else redact(text)).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {describe_os_error(error)}") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            Path(temporary).unlink(missing_ok=True)


def describe_os_error(error: OSError) -> str:
    """The reason in a few words ("No space left on device"), without a traceback's noise."""
    return error.strerror or str(error) or type(error).__name__


def sweep_temporary_files(folder: Path) -> None:
    """Remove what a killed run of briefer left half-written in `folder`, and nothing else."""
    for stale in Path(folder).glob(f".*{TEMP_MARK}*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def rescue(text: str, name: str) -> Path | None:
    """Keep a paid result that could not be written where asked, in the system's temporary
    folder; the path, or None when that fails too."""
    try:
        handle, kept = tempfile.mkstemp(prefix=f"briefer-{name}-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(redact(text))
        return Path(kept)
    except OSError:
        return None


def briefing_json(briefing: Briefing) -> str:
    """The canonical Briefing JSON, as every command writes it: the same data, with the
    controls JSON allows raw escaped, so that it is inert in a terminal too."""
    return json_safe(briefing.model_dump_json(indent=2)) + "\n"


def write_paid(path: Path, text: str, name: str) -> None:
    """Write a result that was paid for; when that fails, keep it elsewhere and say where."""
    try:
        write_atomically(path, text)
    except WriteError as error:
        kept = rescue(text, name)
        raise WriteError(f"{error}; the briefing is kept in {kept}" if kept else
                         f"{error}; the briefing could not be kept anywhere") from None


#: Raw replies of failed runs older than this are removed when another run fails in the folder.
RAW_REPLIES_DAYS = 30
RAW_REPLIES = ".raw-replies"


def keep_raw_replies(error: InvalidOutput, folder: Path, name: str) -> InvalidOutput:
    """Save the model's replies, as received, as `folder/NAME.raw-replies.STAMP.json` (the
    run's UTC time: a later failed run of the same article keeps its own beside it), prune those
    older than RAW_REPLIES_DAYS, and return the error saying where: a failed run loses nothing."""
    import json

    text = json.dumps(error.raw_replies, indent=2, ensure_ascii=False) + "\n"
    path = raw_replies_path(folder, name)
    try:
        write_atomically(path, text)
    except WriteError as failure:
        kept = rescue(text, f"{name}{RAW_REPLIES}")
        where = f"they are kept in {kept}" if kept else "they could not be kept anywhere"
        return InvalidOutput(f"{error}; {failure}, {where}", error.raw_replies)
    prune_raw_replies(folder)
    return InvalidOutput(f"{error}; the raw replies are kept in {path}", error.raw_replies)


def raw_replies_path(folder: Path, name: str) -> Path:
    """A new file for this run's raw replies: named by the time, numbered within a second."""
    from datetime import datetime, timezone

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"{name}{RAW_REPLIES}.{stamp}.json", 1
    while path.exists():
        n += 1
        path = folder / f"{name}{RAW_REPLIES}.{stamp}-{n}.json"
    return path


def is_raw_replies(path: Path) -> bool:
    return RAW_REPLIES + "." in path.name and path.suffix == ".json"


def prune_raw_replies(folder: Path, days: float = RAW_REPLIES_DAYS) -> list[Path]:
    """Remove the raw replies older than `days` from the folder; what cannot be removed stays."""
    import time

    cutoff, removed = time.time() - days * 86400, []
    for path in folder.glob(f"*{RAW_REPLIES}*.json"):
        try:
            if is_raw_replies(path) and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed