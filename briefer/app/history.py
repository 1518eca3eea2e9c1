"""What a run leaves in the run log: built from its settings and its result (or its failure)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .runlog import append, without_secrets
from .settings import RunSettings

if TYPE_CHECKING:
    from ..core.models import Briefing, Document
    from .result import RunResult


def articles(count: int) -> str:
    return f"{count} article{'s' * (count != 1)}"


def _source(item: Any) -> dict[str, Any]:
    return {"id": item.id, "sha256": item.sha256, "origin": without_secrets(item.origin)}


def base_entry(settings: RunSettings, started: datetime, kind: str) -> dict[str, Any]:
    from ..extract.prompting import prompt_version

    store = next((m for m in ("replay", "record", "cache") if getattr(settings, m)), None)
    return {"started": started.isoformat(timespec="seconds"), "kind": kind, "model": settings.model,
            "endpoint": without_secrets(settings.base_url), "store": store,
            "prompt_version": prompt_version(),
            "seconds": round((datetime.now(timezone.utc) - started).total_seconds(), 3)}


def usage_fields(usage: Any, cost: Any) -> dict[str, Any]:
    """Calls and tokens (replayed ones included, and counted apart); the money spent on calls
    made, and apart from it what the replayed calls would have cost."""
    return {"calls": usage.calls, "replayed": usage.replayed, "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens, "cached_tokens": usage.cached_tokens,
            "cost": round(cost.amount, 6) if cost else None,
            "replayed_cost": round(cost.replayed_amount, 6) if cost else None,
            "currency": cost.currency if cost else None, "prices_of": cost.prices_of if cost else None}


def success_entry(settings: RunSettings, started: datetime, result: RunResult) -> dict[str, Any]:
    """A finished run: one briefing, or --each (complete or with failures)."""
    if result.batch is None:
        briefing: Briefing = result.briefing  # type: ignore[assignment]
        outputs = [os.path.abspath(p) for p in (settings.output.path, settings.mail.eml) if p is not None]
        return {**base_entry(settings, started, "brief"), "title": briefing.title,
                "sources": [_source(s) for s in briefing.sources],
                **usage_fields(briefing.usage, result.cost),
                "outcome": "ok", "exit_code": 0, "outputs": outputs}
    batch = result.batch
    sources = []
    for source in batch.order:  # new briefings' sources as written; others as given
        path = batch.outputs.get(source)
        if path in result.written:
            sources += [_source(s) for s in result.written[path]]
        else:
            sources.append({"id": path.stem if path else None, "sha256": None, "origin": without_secrets(source)})
    outcome = f"incomplete: {batch.line()}" if batch.failed else f"ok: {batch.line()}"
    return {**base_entry(settings, started, "each"), "title": articles(len(sources)),
            "sources": sources, **usage_fields(batch.usage, result.cost),
            "outcome": outcome, "exit_code": 11 if batch.failed else 0,
            "outputs": [os.path.abspath(p) for p in (*result.written, settings.mail.eml) if p is not None]}


def failure_entry(settings: RunSettings, started: datetime, each: bool, sources: tuple[str, ...],
                  documents: list[Document] | None, error: BaseException, usage: Any = None,
                  cost: Any = None, kind: str | None = None) -> dict[str, Any]:
    """A run that failed: what it was for, what it spent (None: no answer came back), why, and
    with --each how far it got. `kind`: the command's, when not `brief` or `each`."""
    code = getattr(error, "exit_code", 130 if isinstance(error, KeyboardInterrupt) else 1)
    message = str(error) or type(error).__name__
    items = [_source(d) for d in documents] if documents else [
        {"id": None, "sha256": None, "origin": without_secrets(s)} for s in sources]
    spent = usage_fields(usage, cost) if usage is not None else {
        "calls": None, "replayed": None, "prompt_tokens": None, "completion_tokens": None,
        "cached_tokens": None, "cost": None, "replayed_cost": None, "currency": None, "prices_of": None}
    outcome = message if message.startswith("interrupted") else f"failed: {message}"
    return {**base_entry(settings, started, kind or ("each" if each else "brief")),
            "title": articles(len(items)) if each or kind else None, "sources": items, **spent,
            "outcome": " ".join(outcome.split()),
            "exit_code": code, "outputs": []}


def stories_entry(settings: RunSettings, started: datetime, planned: list[Any], summary: Any, usage: Any,
                  cost: Any, digest: Any) -> dict[str, Any]:
    """A `stories` run (kind `stories`): every article of the morning, what the calls made
    used and cost (a story's old articles taken from their saved extractions are not calls),
    the stories briefed, unchanged and failed, and the briefings and digest written."""
    sources = [_source(d) for story in planned for d in story.documents]
    line = (f"{len(summary.briefed)} stories briefed, {len(summary.unchanged)} unchanged, "
            f"{len(summary.failed)} failed")
    written = [summary.outputs[key] for key in summary.briefed]
    return {**base_entry(settings, started, "stories"),
            "title": f"{len(planned)} stor{'ies' if len(planned) != 1 else 'y'} from {articles(len(sources))}",
            "sources": sources, **usage_fields(usage, cost),
            "outcome": f"incomplete: {line}" if summary.failed else f"ok: {line}",
            "exit_code": 11 if summary.failed else 0,
            "outputs": [os.path.abspath(p) for p in (*written, digest, settings.mail.eml) if p is not None]}


def collect_entry(settings: RunSettings, started: datetime, result: RunResult, finished: bool) -> dict[str, Any]:
    """A `batch collect` that wrote briefings, as one run (kind `batch`): `result` is its rounds
    together (app/batch.py `combined`), priced as its briefings are."""
    entry = success_entry(settings, started, result)
    failed = result.batch is not None and result.batch.failed
    entry.update(kind="batch", exit_code=11 if failed and finished else 0)
    return entry


def remember(entry: dict[str, Any]) -> str | None:
    """Append the entry; a log that cannot be written is a warning, never a lost run."""
    import sqlite3

    from ..core.errors import BrieferError

    try:
        append(entry)
    except BrieferError as error:  # a log briefer cannot use: which file, and how to go on
        return f"{error}; the run itself is done"
    except (sqlite3.Error, OSError) as error:
        return f"the run log could not be written ({error}); the run itself is done"
    return None
