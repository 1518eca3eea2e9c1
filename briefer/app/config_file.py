"""The config file: settings that stay, so that a daily run needs no flags.

TOML in the platform's config folder (`BRIEFER_CONFIG` names another file). Top-level keys are
the defaults; `[profiles.NAME]` tables override them for `--profile NAME`. Keys are the long
option names (`model`, `base-url`, `email-from`, ...). Secrets are never written here: the API key
stays in OPENAI_API_KEY, the SMTP password in BRIEFER_SMTP_PASSWORD or a file named by
`smtp-password-file`. Precedence: flags > environment > profile > file defaults > built-in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import UsageError

#: What the file may set, each the long name of an option it feeds.
SETTABLE = (
    "model", "base-url", "cache", "response-format", "budget-param", "concurrency", "chunk-tokens",
    "max-reasks", "retries", "timeout", "grounding", "template", "templates-dir", "max-calls", "max-cost",
    "prices", "log", "email-to", "email-cc", "email-from", "smtp-host", "smtp-port",
    "smtp-security", "smtp-user", "smtp-ca-file", "smtp-password-file", "smtp-timeout",
    "api-key-file",
)
PATH_KEYS = frozenset({"cache", "templates-dir", "prices", "smtp-ca-file", "smtp-password-file",
                       "api-key-file"})
#: Where each secret lives instead; named by `config show`, never stored.
SECRETS = {"api-key": "OPENAI_API_KEY", "smtp-password": "BRIEFER_SMTP_PASSWORD"}
_SECRET_WORDS = ("key", "password", "token", "secret")


def config_path() -> Path:
    """BRIEFER_CONFIG, or config.toml in the platform's config folder for briefer."""
    override = os.environ.get("BRIEFER_CONFIG", "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("briefer", appauthor=False) / "config.toml"


def check_key(key: str) -> str:
    """The key, if the file may hold it; secrets and unknown keys are refused."""
    if key in SETTABLE:  # "chunk-tokens" counts tokens; it holds no secret
        return key
    if key in SECRETS or any(w in key.split("-") for w in _SECRET_WORDS):
        where = SECRETS.get(key, "the environment")
        raise UsageError(f"{key} is a secret and is never written to the config file: keep it in {where}")
    raise UsageError(f"no setting '{key}'; settable: {', '.join(SETTABLE)}")


@dataclass
class Config:
    """The file's values for one profile, each with where it came from."""

    path: Path
    profile: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)


def read_document(path: Path) -> Any:
    """The file as a tomlkit document, which keeps its comments and layout when `config set`
    writes it back (empty if there is none); a broken file is a usage error."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    text = _text(path)
    if text is None:
        return tomlkit.document()
    _parsed(path, text)  # bounded and checked first: tomlkit recurses as deep as the file nests
    try:
        return tomlkit.parse(text)
    except ParseError as error:
        raise UsageError(f"config file {path}: not valid TOML ({error})") from None


def _read_values(path: Path) -> dict[str, Any]:
    """The file's values for a run, read with the standard library's parser (a tenth of
    tomlkit's import time, and none at all when there is no file)."""
    text = _text(path)
    return {} if text is None else _parsed(path, text)


def _parsed(path: Path, text: str) -> dict[str, Any]:
    """The file's TOML, bounded in depth, with `profiles` (when present) a table of tables."""
    from ..core.bounded import parse_toml

    document = parse_toml(text, where=f"config file {path}", error=UsageError)
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(t, dict) for t in profiles.values()):
        raise UsageError(f"config file {path}: `profiles` must be a table of tables ([profiles.NAME])")
    return document


def _text(path: Path) -> str | None:
    """The file's text (None when there is none): a regular file, read only after its mode is
    checked, so that BRIEFER_CONFIG=/dev/zero or a FIFO is refused, not waited on."""
    from ..core.bounded import SMALL_FILE, read_text

    return read_text(path, limit=SMALL_FILE, error=UsageError, what="config file", missing_ok=True)


def _checked(path: Path, table: Any, where: str) -> dict[str, Any]:
    values = {}
    for key, value in table.items():
        if key == "profiles" and where == "file":
            continue
        try:
            check_key(key)
        except UsageError as error:
            raise UsageError(f"config file {path} ({where}): {error}") from None
        values[key] = str(Path(value).expanduser()) if key in PATH_KEYS and isinstance(value, str) else value
    return values


def load(profile: str | None, *, must_exist: bool = True) -> Config:
    """The file's defaults with the profile's values over them."""
    path = config_path()
    document = _read_values(path)
    profiles = document.get("profiles", {})
    config = Config(path=path, profile=profile, profiles=sorted(profiles))
    for key, value in _checked(path, document, "file").items():
        config.values[key], config.origins[key] = value, f"config file {path}"
    if profile is not None:
        if profile not in profiles:
            if must_exist:
                known = ", ".join(sorted(profiles)) or "none yet"
                raise UsageError(f"no profile '{profile}' in {path} (profiles: {known}); "
                                 f"create it with `briefer --profile {profile} config set KEY VALUE`")
            return config
        for key, value in _checked(path, profiles[profile], f"profile {profile}").items():
            config.values[key], config.origins[key] = value, f"profile {profile} in {path}"
    return config


def store(key: str, value: Any, profile: str | None) -> Path:
    """Set KEY (None removes it) in the file's defaults or in a profile; other lines are kept."""
    import tomlkit

    from ..core.files import write_atomically

    check_key(key)
    path = config_path()
    document = read_document(path)
    table = document
    if profile is not None:
        if "profiles" not in document:
            document["profiles"] = tomlkit.table(is_super_table=True)
        if profile not in document["profiles"]:
            document["profiles"][profile] = tomlkit.table()
        table = document["profiles"][profile]
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value
    target = Path(os.path.realpath(path))  # a symlinked config stays a link, to a file that keeps its mode
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except OSError:
        mode = None
    write_atomically(target, tomlkit.dumps(document), mode=mode)
    return path


def use_key_file(config: Config) -> None:
    """With `api-key-file` set and OPENAI_API_KEY not, read the key from that file, which must be
    private (mode 0600, like ~/.netrc): the key then lives in the environment of this process only,
    where every redaction already looks for it."""
    name = config.values.get("api-key-file")
    if not name or os.environ.get("OPENAI_API_KEY", "").strip():
        return
    from ..core.bounded import read_bytes
    from ..core.safety import checked_key

    path = Path(name)
    data = read_bytes(path, limit=64 * 1024, error=UsageError, what="api-key-file", private=True) or b""
    key = data.decode("latin-1").strip()
    if not key:
        raise UsageError(f"api-key-file {path} is empty")
    key = checked_key(key, f"api-key-file {path}")
    os.environ["OPENAI_API_KEY"] = key
    _KEY_FILES[key] = path


#: Each key this process read from an api-key-file, and that file: where the key came from.
_KEY_FILES: dict[str, Path] = {}


def key_origin() -> str | None:
    """Where the API key in use comes from (`api-key-file PATH` or the environment), or None."""
    key = os.environ.get("OPENAI_API_KEY", "").strip()
    if not key:
        return None
    return f"read from api-key-file {_KEY_FILES[key]}" if key in _KEY_FILES else "OPENAI_API_KEY is set"
