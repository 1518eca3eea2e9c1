"""The run log: one SQLite row per run, in the user's data folder, so that what was briefed,
when, with which model and at what cost is never a guess.

Nothing secret is stored: no key, no header, no prompt; endpoints and input links lose their
user info and query strings, and every text goes through the same redaction as error messages.
`BRIEFER_DATA_DIR` moves the data folder (tests point it into a temporary folder).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..core.errors import UsageError
from ..core.safety import one_line

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    seconds REAL NOT NULL,
    kind TEXT NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT,
    store TEXT,
    prompt_version TEXT,
    title TEXT,
    sources TEXT NOT NULL,
    calls INTEGER,
    replayed INTEGER,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    cached_tokens INTEGER,
    cost REAL,
    replayed_cost REAL,
    currency TEXT,
    prices_of TEXT,
    outcome TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    outputs TEXT NOT NULL
)
"""
COLUMNS = ("started", "seconds", "kind", "model", "endpoint", "store", "prompt_version", "title",
           "sources", "calls", "replayed", "prompt_tokens", "completion_tokens", "cached_tokens",
           "cost", "replayed_cost", "currency", "prices_of", "outcome", "exit_code", "outputs")
#: Columns added since the first version, with their types: added to an older database on open.
#: `prices_of`: the price table's date, and "Batch API" for batch prices.
ADDED = {"replayed": "INTEGER", "replayed_cost": "REAL", "prices_of": "TEXT"}
JSON_COLUMNS = ("sources", "outputs")
#: What `briefer log -q TEXT` looks in.
SEARCHED = ("title", "sources", "outcome", "outputs", "model", "kind")


def data_dir() -> Path:
    override = os.environ.get("BRIEFER_DATA_DIR", "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("briefer", appauthor=False)


def database() -> Path:
    return data_dir() / "runs.sqlite3"


def without_secrets(link: str | None) -> str | None:
    """A path or URL as it may be kept: no user info, no query or fragment, known secrets masked."""
    from ..core.safety import redact

    if link is None:
        return None
    parts = urlsplit(link)
    if parts.scheme in ("http", "https") and parts.hostname:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        link = urlunsplit((parts.scheme, host, parts.path, "", ""))
    return redact(link)


def broken(why: str, path: Path | None = None) -> UsageError:
    """The one error for a run log briefer cannot use: which file, why, and how to go on."""
    path = path or database()
    return UsageError(f"the run log {path} cannot be used ({' '.join(why.split())[:160]}); move it aside "
                      f"(mv {path} {path}.old) and briefer starts a new one")


def connect() -> sqlite3.Connection:
    """The log, opened defensively: a file that is not a database, a folder in its place or a
    `runs` table of another shape is one line of error (`broken`), never a traceback."""
    path = database()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"the run log could not be written ({path.parent}: {error.strerror or error})") from None
    try:
        if path.exists() and not path.is_file():
            raise broken("it is not a file", path)
        connection = sqlite3.connect(path, timeout=10)
    except OSError as error:
        raise broken(error.strerror or str(error), path) from None
    except sqlite3.Error as error:
        raise broken(str(error), path) from None
    connection.text_factory = lambda data: data.decode("utf-8", "replace")  # bytes that are not UTF-8
    try:
        connection.execute(SCHEMA)
        present = {row[1] for row in connection.execute("PRAGMA table_info(runs)")}
        missing = sorted(set(COLUMNS) - present - ADDED.keys())
        if missing:
            raise broken(f"its runs table has another shape: no column {', '.join(missing[:4])}", path)
        for column, kind in ADDED.items():
            if column not in present:
                connection.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
    except sqlite3.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            raise UsageError(f"the run log {path} is busy (another briefer is writing it); try again") from None
        raise broken(str(error), path) from None
    except sqlite3.DatabaseError as error:
        connection.close()
        raise broken(str(error), path) from None
    except UsageError:
        connection.close()
        raise
    return connection


def append(entry: dict[str, Any]) -> int:
    """Add one run; returns its number."""
    from ..core.safety import redact

    row = [json.dumps(entry[c]) if c in JSON_COLUMNS else entry.get(c) for c in COLUMNS]
    row = [redact(v) if isinstance(v, str) else v for v in row]
    with connect() as connection:
        cursor = connection.execute(
            f"INSERT INTO runs ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", row)
        number = cursor.lastrowid or 0
    connection.close()
    return number


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`2026-12-01`, `2026-12-01T08:00`, `today`, or an age like `7d`, `12h`, `30m`."""
    now = now or datetime.now(timezone.utc)
    value = text.strip().lower()
    if value == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    units = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}
    try:
        if value[:-1].isdigit() and value[-1:] in units:
            return now - timedelta(**{units[value[-1]]: int(value[:-1])})
        moment = datetime.fromisoformat(text.strip())
    except OverflowError:
        raise UsageError(f"--since {one_line(text)[:40]}: further back than any date (give a date like "
                         "2026-12-01 or an age like 7d)") from None
    except ValueError:
        raise UsageError(f"--since {text}: give a date (2026-12-01), a time (2026-12-01T08:00), "
                         "today, or an age (7d, 12h, 30m)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def runs(since: datetime | None = None, model: str | None = None, *, search: str | None = None,
         outcome: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The logged runs, newest first: since a moment, of one model, whose title, sources,
    outcome or outputs hold `search` (any case), whose outcome starts with `outcome`; at most
    `limit` (None or 0: all)."""
    if not database().exists():
        return []
    query, args = "SELECT id, " + ", ".join(COLUMNS) + " FROM runs WHERE 1=1", []
    if since is not None:
        query += " AND started >= ?"
        args.append(since.astimezone(timezone.utc).isoformat(timespec="seconds"))
    if model is not None:
        query += " AND model = ?"
        args.append(model)
    if search:
        query += " AND (" + " OR ".join(f"instr(lower(coalesce({c}, '')), ?)" for c in SEARCHED) + ")"
        args += [search.lower()] * len(SEARCHED)
    if outcome:
        query += " AND outcome LIKE ? ESCAPE '\\'"
        args.append(outcome.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    query += " ORDER BY id DESC" + (" LIMIT ?" if limit else "")
    args += [limit] if limit else []
    connection = connect()
    try:
        rows = connection.execute(query, args).fetchall()
    except sqlite3.DatabaseError as error:
        raise broken(str(error)) from None
    finally:
        connection.close()
    return [_checked(dict(zip(("id", *COLUMNS), row))) for row in rows]


def _checked(record: dict[str, Any]) -> dict[str, Any]:
    """A row as briefer wrote it, or `broken`: SQLite keeps any type in any column, and a row
    written by something else (text in a count, a list that is not JSON) must not reach the
    listing as a traceback."""
    from .logged import BadRow, checked_run

    try:
        for column in JSON_COLUMNS:
            record[column] = json.loads(record[column]) if isinstance(record[column], str) else record[column]
        return checked_run(record)
    except (ValueError, RecursionError) as error:
        why = str(error) if isinstance(error, BadRow) else "a column that should hold JSON does not"
        raise broken(f"row {record.get('id')} is not a run briefer logged: {why}") from None


def totals(records: Iterable[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Runs, calls, tokens and cost summed per day (`by="day"`) or per model: one line each.
    A run without a price (failed before any answer, or a model not in the table) adds its runs
    and tokens to its day's line, not a line of its own; only a second currency splits a line."""
    sums: dict[tuple[str, str | None], dict[str, Any]] = {}
    items = list(records)
    priced = {}
    for record in items:
        if record["currency"]:
            priced.setdefault(_group(record, by), record["currency"])
    for record in items:
        group = _group(record, by)
        currency = record["currency"] or priced.get(group)
        total = sums.setdefault((group, currency), {by: group, "runs": 0, "calls": 0, "replayed": 0,
                                                    "prompt_tokens": 0, "completion_tokens": 0, "cost": None,
                                                    "replayed_cost": None, "currency": currency})
        total["runs"] += 1
        for name in ("calls", "replayed", "prompt_tokens", "completion_tokens"):
            total[name] += record[name] or 0  # None: a run that failed before any answer
        for name in ("cost", "replayed_cost"):
            if record[name] is not None:
                total[name] = round((total[name] or 0.0) + record[name], 6)
    return [sums[key] for key in sorted(sums, key=lambda k: (k[0], k[1] or ""))]


def _group(record: dict[str, Any], by: str) -> str:
    return record["started"][:10] if by == "day" else record["model"]
