"""`briefer key set`: the API key kept in a private file (mode 0600 from its first byte, like
~/.netrc) that the config file's `api-key-file` names, so no one has to hand-make that file or
keep the key in a shell profile. The key never passes through a flag, a log or the config file."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import UsageError
from ..core.files import write_atomically
from .config_file import config_path, store


def default_key_file() -> Path:
    """Beside the config file: `api-key` in briefer's config folder."""
    return config_path().parent / "api-key"


def typed_key(text: str) -> str:
    """The key as typed or piped: one line, no spaces inside, not empty, nothing an API key
    cannot hold (core.safety.checked_key, as for a key from the environment)."""
    from ..core.safety import checked_key

    key = text.strip()
    if not key:
        raise UsageError("no key given: type it at the prompt, or pipe it in (briefer key set < FILE)")
    if any(c.isspace() for c in key):
        raise UsageError("that is not one API key: it holds spaces or line breaks")
    return checked_key(key, "the key given")


def save_key(text: str, path: Path | None, profile: str | None) -> tuple[Path, Path]:
    """Keep the key in its private file and name that file in the config (the defaults, or the
    profile); returns the key file and the config file."""
    key = typed_key(text)
    path = (path or default_key_file()).expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(path, key + "\n", secret=True)
    return path, store("api-key-file", str(path), profile)
