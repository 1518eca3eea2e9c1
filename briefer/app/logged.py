"""A row of the run log as briefer writes it: what `briefer log` may show and sum.

SQLite keeps any value in any column, so a row is checked before it is used; counts and costs
are never negative (a provider's or a hand-edited negative count must not net out the totals).
The check is plain Python over one flat row, so that `briefer log` starts without loading a
validation library: each column's type, whether it may be empty, whether it may be negative.
"""

from __future__ import annotations

from typing import Any


class BadRow(ValueError):
    """A row briefer did not write: `where` names the column, the message says what is wrong."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise BadRow(where, "should be text")
    return value


def _whole(value: Any, where: str, *, least: int | None = None) -> int:
    """An integer (SQLite gives back 3.0 stored in an INTEGER column as 3 already)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRow(where, "should be a whole number")
    if least is not None and value < least:
        raise BadRow(where, f"should be at least {least}")
    return value


def _number(value: Any, where: str, *, least: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRow(where, "should be a number")
    if least is not None and not value >= least:  # NaN is not
        raise BadRow(where, f"should be at least {least:g}")
    return float(value)


def _maybe(check: Any, **bounds: Any) -> Any:
    """The check for a column that may be empty (NULL, or absent from an older row)."""
    def maybe(value: Any, where: str) -> Any:
        return None if value is None else check(value, where, **bounds)

    maybe.optional = True  # type: ignore[attr-defined]
    return maybe


def _sources(value: Any, where: str) -> list[dict[str, Any]]:
    """The sources a run read: each an object whose id, sha256 and origin are text or empty;
    other keys are kept as they are."""
    if not isinstance(value, list):
        raise BadRow(where, "should be a list")
    sources = []
    for n, source in enumerate(value):
        if not isinstance(source, dict):
            raise BadRow(f"{where}.{n}", "should be an object")
        known = {key: _maybe(_text)(source.get(key), f"{where}.{n}.{key}") for key in ("id", "sha256", "origin")}
        sources.append({**known, **{k: v for k, v in source.items() if k not in known}})
    return sources


def _texts(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise BadRow(where, "should be a list")
    return [_text(item, f"{where}.{n}") for n, item in enumerate(value)]


#: Every column a logged run has, in the order `--json` shows them, with its check.
COLUMNS: dict[str, Any] = {
    "id": _whole, "started": _text, "seconds": _number, "kind": _text, "model": _text,
    "endpoint": _maybe(_text), "store": _maybe(_text), "prompt_version": _maybe(_text), "title": _maybe(_text),
    "sources": _sources,
    **{name: _maybe(_whole, least=0) for name in ("calls", "replayed", "prompt_tokens", "completion_tokens",
                                                    "cached_tokens")},
    "cost": _maybe(_number, least=0), "replayed_cost": _maybe(_number, least=0),
    "currency": _maybe(_text), "prices_of": _maybe(_text), "outcome": _text, "exit_code": _whole,
    "outputs": _texts,
}


def checked_run(record: dict[str, Any]) -> dict[str, Any]:
    """The row with every column checked (a missing optional column is empty), or BadRow."""
    run = {}
    for name, check in COLUMNS.items():
        if name not in record and not getattr(check, "optional", False):
            raise BadRow(name, "missing")
        run[name] = check(record.get(name), name)
    return run
