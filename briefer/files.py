"""Writing files so that nothing a user produced is ever half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InvalidOutput


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


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and a rename: a reader, a crash or Ctrl-C
    never leaves half a file behind. The file gets the mode any program's output gets (0666 less
    the umask), not the temporary file's private 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows files have no such modes
            os.fchmod(handle, 0o666 & ~current_umask())
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def keep_raw_replies(error: InvalidOutput, folder: Path, name: str) -> InvalidOutput:
    """Save the model's replies, as received, as `folder/NAME.raw-replies.json`, and return the
    error saying where: a failed run loses nothing."""
    import json

    path = folder / f"{name}.raw-replies.json"
    write_atomically(path, json.dumps(error.raw_replies, indent=2, ensure_ascii=False) + "\n")
    return InvalidOutput(f"{error}; the raw replies are kept in {path}", error.raw_replies)
