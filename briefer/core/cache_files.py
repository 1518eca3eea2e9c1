"""Files briefer keeps for itself so that the next run starts sooner (compiled templates, the
token bound's vocabulary): in briefer's own cache folder (the platform's user cache folder, or
`BRIEFER_CACHE_DIR`), never in TMPDIR, where another user could plant one.

A file is sealed: its first line names what it holds, its second is a SHA-256 digest of its
payload and of everything the payload was made from (a salt), and it is read only when the file
and its folder are this user's, writable by no one else, no symbolic link, within a bound, and
the digest matches. Anything else (a file another user could have written, a damaged, truncated
or stale one, an unwritable folder) is passed over and the work done as before: a cache can make
a run faster, never different, and never fail it. (The digest tells a damaged file from a sound
one; it is no secret.)
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .bounded import owned, read_bytes
from .errors import BrieferError


def cache_folder(kind: str) -> Path:
    """The folder for one kind of kept file: `kind/` in briefer's user cache folder, which
    `BRIEFER_CACHE_DIR` moves (as `BRIEFER_DATA_DIR` moves the run log's)."""
    override = os.environ.get("BRIEFER_CACHE_DIR", "").strip()
    if override:
        return Path(override).expanduser() / kind
    from platformdirs import user_cache_path

    return user_cache_path("briefer", appauthor=False) / kind


def seal(salt: bytes, *parts: bytes) -> bytes:
    """The digest of a payload and what it was made from: each part length-prefixed, so that
    no two different lists of parts seal alike."""
    digest = hashlib.sha256(salt)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest().encode()


def read_sealed(path: Path, magic: bytes, sealed: Callable[[bytes], bytes], limit: int) -> bytes | None:
    """The payload of a kept file, or None when it is missing or is not exactly as briefer left
    it (`sealed(payload)` is the digest it must carry; `magic` its first line)."""
    if not own_folder(path.parent):
        return None
    try:
        data = read_bytes(path, limit=limit, own=True, missing_ok=True)
    except BrieferError:
        return None
    if not data or not data.startswith(magic):
        return None
    digest, _, payload = data[len(magic):].partition(b"\n")
    return payload if digest == sealed(payload) else None


def write_sealed(path: Path, magic: bytes, sealed: Callable[[bytes], bytes], payload: bytes) -> None:
    """Keep a payload for the next run, sealed as `read_sealed` expects; a folder briefer cannot
    make its own, a read-only or full disk: nothing is kept, and nothing fails."""
    from .files import write_atomically  # once, when a cache is first filled

    folder = path.parent
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not own_folder(folder):
            return
        write_atomically(path, magic + sealed(payload) + b"\n" + payload, 0o600)
    except (OSError, BrieferError):
        return


def own_folder(folder: Path) -> bool:
    """The folder is a real folder (not a link) of this user's that no one else may write to."""
    try:
        status = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and owned(status)
