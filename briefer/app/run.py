"""A run of `brief`, from settings to delivered briefings: plan, guards, one briefing or one per
article, delivery (file or stdout, mail) and the summary. Nothing here prints: the command gets
a RunResult and the hooks it passed in hear of progress and of each article."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..core.errors import BrieferError, InputError, UsageError
from ..core.interrupts import Terminated, run_async
from .account import Account
from .outputs import check_mail_options, mail_briefing, show_paid, write_briefing
from .result import Hooks, RunResult
from .settings import RunSettings

if TYPE_CHECKING:
    from ..core.models import Briefing, Document
    from ..ingest.web import PageStore
    from ..llm.costs import PriceTable
    from .each import BatchSummary
    from .estimate import Estimate

#: How this one run goes, rather than what it uses: not listed among its settings.
RUN_FLAGS = frozenset({"sources", "each", "dry_run", "json_summary", "quiet"})


def check_options(settings: RunSettings, sources: tuple[str, ...], *, each: bool, dry_run: bool,
                  json_summary: bool) -> None:
    """Contradictory options, and mail settings that would fail after the paid call, are refused
    before anything is read or called."""
    output = settings.output.path
    if json_summary and output is None and not dry_run:
        raise UsageError("--json prints the run summary on stdout: give -o FILE for the briefing")
    if each and (output is None or output.suffix):
        raise UsageError("--each writes one briefing per article: give -o OUTDIR (a folder)")
    if each and settings.output.fmt == "html":
        raise UsageError("--format html is one briefing's web page: brief --each into a folder, then "
                         "briefer render OUTDIR/ID.json -o ID.html")
    if not each and output is not None and output.is_dir():
        raise UsageError(f"-o {output} is a folder; without --each, -o names one file")
    check_mail_options(settings.mail, settings.origins)
    folders = [s for s in sources if not each and s != "-" and Path(s).is_dir()]
    if folders:
        raise InputError(f"{folders[0]} is a directory: brief each article in it with --each -o OUTDIR, "
                         "or name the article files")


def planned_first(settings: RunSettings, dry_run: bool) -> bool:
    """Whether the run is planned before it starts: a dry run, or guards to check."""
    return dry_run or settings.max_calls is not None or settings.max_cost is not None


def each_articles(settings: RunSettings, sources: tuple[str, ...], report: Callable[[str, str], None]) -> list[str]:
    """--each: the articles the sources stand for (folders, feeds and lists of links opened); a
    URL carries the page fetched to tell it from a feed, so reading it fetches nothing again."""
    from .each import expand

    return expand(sources, page_store(settings), settings.output.path, report)


def plan_of(settings: RunSettings, articles: list[str] | None, documents: list[Document] | None,
            prices: PriceTable, dry_run: bool, report: Callable[[str, str], None]) -> Estimate | None:
    """The dry run's plan; or, with --max-calls/--max-cost, refuse a plan that exceeds them.
    `documents` is None for --each (each of the `articles` is its own group)."""
    if not planned_first(settings, dry_run):
        return None
    from .each import pending
    from .estimate import check_guards, estimate

    store = page_store(settings)
    if documents is not None:
        groups = [documents]
    else:  # only what a run would still brief; an unreadable file is reported, not fatal
        outdir = settings.output.path
        assert outdir is not None and articles is not None  # check_options saw to the folder
        # A dry run reports what it leaves out; a run reports it once, as failed, when it gets there.
        todo = pending(articles, outdir, settings.model, companions(settings.output.fmt or "md"),
                       report if dry_run else lambda _source, _outcome: None, store=store)
        groups = [[document] for document in todo]
    planned = estimate(groups, model=settings.model, chunk_tokens=settings.chunk_tokens,
                       mode=settings.structured_mode, prices=prices,  # type: ignore[arg-type]
                       max_reasks=settings.max_reasks, base_url=settings.base_url)
    if not dry_run:
        check_guards(planned, settings.max_calls, settings.max_cost)
    return planned


def guard_verdict(planned: Estimate, settings: RunSettings) -> str | None:
    """Why the run planned would be refused by --max-calls/--max-cost, or None: a dry run says
    so (and exits as the run would), instead of passing in silence."""
    from ..core.errors import GuardRefused
    from .estimate import check_guards

    try:
        check_guards(planned, settings.max_calls, settings.max_cost)
    except GuardRefused as refused:
        return str(refused)
    return None


def settings_line(settings: RunSettings) -> str:
    """What the run would use that did not come from a built-in default, and from where."""
    chosen = [f"{name.replace('_', '-')} ({origin})" for name, origin in settings.origins.items()
              if origin not in ("default", "argument") and name not in RUN_FLAGS]
    return "\nsettings: " + "; ".join(chosen) if chosen else ""


def plan_json(planned: Estimate, settings: RunSettings) -> dict[str, Any]:
    """The dry run as data, for `--dry-run --json`."""
    cost = planned.cost
    return {
        "model": planned.model, "calls": planned.calls, "extractions": planned.extractions,
        "syntheses": planned.syntheses,
        "chunks": [{"source": d.id, "first_paragraph": c.first_paragraph, "last_paragraph": c.last_paragraph,
                    "tokens": c.tokens} for d, c in planned.chunks],
        "prompt_tokens": planned.prompt_tokens, "static_tokens": planned.static_tokens,
        "article_tokens": planned.article_tokens, "completion_tokens_estimate": planned.completion_tokens,
        "estimated_cost": round(cost.amount, 6) if cost else None,
        "currency": cost.currency if cost else None, "prices_of": cost.prices_of if cost else None,
        "settings": {k.replace("_", "-"): v for k, v in settings.origins.items()
                     if v not in ("default", "argument") and k not in RUN_FLAGS},
    }


def page_store(settings: RunSettings) -> PageStore | None:
    """The response store web pages are fetched through: the one model calls use."""
    from ..llm import transport as config

    return config.page_store(settings.replay, settings.record, settings.cache)


def client_parts(settings: RunSettings) -> tuple[Any, Any, Any]:
    """The client settings (with the key from the environment), the transport for the store, and
    the rate limiter every live call goes through (None when nothing goes out)."""
    from ..llm import transport as config
    from ..llm.client import network_transport
    from ..llm.ratelimit import RateLimiter

    store = config.store_mode(settings.replay, settings.record, settings.cache)
    key = config.api_key(store[0] if store else None)
    limiter = None if store and store[0] == "replay" else RateLimiter(network_transport(settings.base_url),
                                                                         settings.concurrency)
    return settings.llm_settings(key), config.transport(store, key, limiter), limiter


def brief(settings: RunSettings, sources: tuple[str, ...], *, each: bool = False, dry_run: bool = False,
          json_summary: bool = False, hooks: Hooks | None = None, meta: dict[str, str] | None = None) -> RunResult:
    """Brief SOURCES: one combined briefing, or with `each` one per article into the output folder.
    `meta` (title, outlet, date, url) describes the one article given."""
    from ..ingest.ids import read_sources
    from ..llm.costs import price_table

    hooks = hooks or Hooks()
    started = time.monotonic()
    check_options(settings, sources, each=each, dry_run=dry_run, json_summary=json_summary)
    prices = price_table(settings.prices)
    if meta and (each or len(sources) != 1):
        raise UsageError(f"--{', --'.join(meta)}: these describe one article; give a single FILE, URL or -")
    documents = None if each else read_sources(sources, meta=meta, store=page_store(settings))
    articles = each_articles(settings, sources, hooks.on_article) if each and planned_first(settings, dry_run) else None
    planned = plan_of(settings, articles, documents, prices, dry_run, hooks.on_article)
    if dry_run:
        assert planned is not None
        return RunResult(model=settings.model, dry_run_report=planned.report() + settings_line(settings),
                         plan=plan_json(planned, settings), refused=guard_verdict(planned, settings))
    llm_settings, transport, limiter = client_parts(settings)
    began = datetime.now(timezone.utc)
    account = Account()
    try:
        if documents is None:
            if articles is None:  # not planned first: opened now, after the key was checked
                articles = each_articles(settings, sources, hooks.on_article)
            result = run_each(settings, llm_settings, transport, articles, prices, hooks, account)
        else:
            result = run_one(settings, llm_settings, transport, documents, prices, hooks, account)
    except (BrieferError, KeyboardInterrupt, Terminated) as error:
        failed(settings, hooks, account, prices, started, began, (each, sources, documents), error)
    result.replay_only = bool(settings.replay)
    if result.batch is not None:  # failed articles' calls too: all that was paid for
        result.batch.usage = account.usage()
    if limiter is not None:
        result.rate_limited, result.paced = limiter.throttled, limiter.paused
    result.summary = run_summary(result, prices, started)
    usage = result.batch.usage if result.batch is not None else result.briefing.usage  # type: ignore[union-attr]
    result.cost = prices.cost(result.model, usage)
    entry = _success_entry(settings, began, result) if settings.log else {}  # --no-log: nothing to write
    try:
        deliver(settings, result)
    except BrieferError as error:
        entry.update(outcome=f"briefed, not mailed: {error}", exit_code=error.exit_code)
        raise
    finally:
        log_run(settings, hooks, lambda: entry)
    return result


def _success_entry(settings: RunSettings, began: datetime, result: RunResult) -> dict[str, Any]:
    from .history import success_entry  # the run log's module (and sqlite3), needed once the run is over

    return success_entry(settings, began, result)


def failed(settings: RunSettings, hooks: Hooks, account: Account, prices: PriceTable, started: float,
           began: datetime, what: tuple[bool, tuple[str, ...], list[Document] | None],
           error: BaseException) -> NoReturn:
    """A run that failed or was interrupted: what it spent and did is told (stderr, or --json on
    stdout) and logged like any run's, then the error goes on (Ctrl-C as `Interrupted`)."""
    from .history import failure_entry

    error, summary = account.failure(settings.model, prices, started, error)
    hooks.failed(summary)
    each, sources, documents = what
    usage = account.usage()
    log_run(settings, hooks, lambda: failure_entry(settings, began, each, sources, documents, error,
                                                   usage if usage.calls else None,
                                                   prices.cost(settings.model, usage)))
    raise error


def deliver(settings: RunSettings, result: RunResult) -> None:
    """Mail what the run made: the briefing, or with --each the digest of the briefings it
    wrote (those already done before are left out, so a feed's old items are not sent again)."""
    if not settings.mail.to:
        return
    if result.batch is None:
        assert result.briefing is not None
        result.delivered = mail_briefing(result.briefing, settings.mail, settings.output.templates_dir)
    else:
        from .digest import mail_digest

        new = set(result.batch.briefed)  # yesterday's stories are not news: no repeats in a digest
        paths = [result.batch.outputs[s] for s in result.batch.order if s in new]
        if not paths:
            result.delivered = ["no new briefings in this run: no digest sent"]
            return
        result.delivered = mail_digest(paths, settings.mail, settings.output.templates_dir)


def log_run(settings: RunSettings, hooks: Hooks, entry: Callable[[], dict[str, Any]]) -> None:
    """Append the run to the run log, unless --no-log or `log = false`."""
    if not settings.log:
        return
    from .history import remember

    warning = remember(entry())
    if warning:
        hooks.notice(warning)


def run_one(settings: RunSettings, llm_settings: Any, transport: Any, documents: list[Document],
            prices: PriceTable, hooks: Hooks, account: Account) -> RunResult:
    """One briefing of all the documents, written to its file or handed to stdout."""
    from ..core.errors import InvalidOutput
    from ..llm import LLMClient, Progress
    from .pipeline import brief_documents, calls_for, plan

    total = calls_for(plan(documents, settings.chunk_tokens, settings.model))

    async def run() -> Briefing:
        progress = Progress(None if hooks.quiet else hooks.status, total)
        llm = LLMClient(llm_settings, transport, progress)
        account.clients.append(llm)
        try:
            return await brief_documents(llm, documents, grounding=settings.grounding,  # type: ignore[arg-type]
                                         chunk_tokens=settings.chunk_tokens, progress=progress.advance,
                                         prices=prices, notice=hooks.notice)
        finally:
            progress.close()
            await llm.close()

    output = settings.output
    try:
        briefing = run_async(run())
    except InvalidOutput as error:
        from ..core.files import keep_raw_replies

        folder = output.path.parent if output.path else Path.cwd()
        raise keep_raw_replies(error, folder, documents[0].id) from None
    result = RunResult(model=settings.model, briefing=briefing, documents=[d.id for d in documents])
    text = write_briefing(briefing, output, paid=True, documents=documents)
    if text is not None:
        show_paid(hooks.stdout, text, briefing)
    return result


def run_each(settings: RunSettings, llm_settings: Any, transport: Any, articles: list[str],
             prices: PriceTable, hooks: Hooks, account: Account | None = None,
             charged: frozenset[str] = frozenset()) -> RunResult:
    """`brief --each`: a briefing per article (`each_articles`), written as each finishes;
    failures counted (`charged`: a Batch API round's failures counted by an earlier collect)."""
    from dataclasses import replace

    from ..llm import LLMClient, Progress
    from .each import BatchSummary, brief_each

    outdir = settings.output.path
    assert outdir is not None  # check_options saw to it
    fmt = settings.output.fmt or "md"

    written: dict[Path, list[Any]] = {}  # what each new briefing was of, for the run log

    def render(briefing: Briefing, json_path: Path) -> None:
        written[json_path] = briefing.sources
        if fmt == "md":
            write_briefing(briefing, replace(settings.output, path=json_path.with_suffix(".md"), fmt="md"))

    progress = Progress(None if hooks.quiet else hooks.status)
    progress.articles = len(articles)

    def on_article(name: str, outcome: str) -> None:
        with progress.paused():  # the line goes above the status line, not through it
            hooks.on_article(name, outcome)
        progress.article_ended(failed=outcome.startswith("failed"))

    account = account or Account()
    account.summary, account.total = BatchSummary(order=list(articles), charged_before=charged), len(articles)

    async def run() -> BatchSummary:
        llm = LLMClient(llm_settings, transport, progress)
        account.clients.append(llm)
        try:
            summary = await brief_each(llm, articles, outdir, render=render, companions=companions(fmt),
                                       grounding=settings.grounding,  # type: ignore[arg-type]
                                       chunk_tokens=settings.chunk_tokens, prices=prices,
                                       on_article=on_article, store=page_store(settings), summary=account.summary,
                                       notice=hooks.notice)
        finally:
            progress.close()
            await llm.close()
        return summary

    return RunResult(model=settings.model, batch=run_async(run()), outdir=outdir, written=written)


def companions(fmt: str) -> Callable[[Path], list[Path]]:
    """The files `brief --each` writes beside OUTDIR/ID.json, in this format."""
    return lambda json_path: [json_path.with_suffix(".md")] if fmt == "md" else []


def run_summary(result: RunResult, prices: PriceTable, started: float) -> dict[str, Any]:
    """The machine-readable account of a run: what it did, what it cost, what it replayed."""
    from ..llm.costs import summary_fields

    if result.batch is not None:
        batch = result.batch
        outcomes = {"briefed": len(batch.briefed), "skipped": len(batch.skipped), "failed": len(batch.failed)}
        usage = batch.usage
    else:
        assert result.briefing is not None
        outcomes = {"briefed": 1, "skipped": 0, "failed": 0}
        usage = result.briefing.usage
    return {
        "model": result.model,
        **outcomes,
        **summary_fields(usage, prices.cost(result.model, usage)),
        "currency": prices.currency,
        "prices_of": prices.date,
        "rate_limited": result.rate_limited,
        "paced_seconds": round(result.paced, 3),
        "seconds": round(time.monotonic() - started, 3),
    }


def summary_lines(result: RunResult, output: Path | None, template: str | None = None) -> list[str]:
    """The human account of a run for stderr (without the `briefer: ` prefix): what it cost, what
    the check found and, after a short briefing (`template`), where the rest is; the briefing
    itself, meant to be forwarded, says none of it."""
    from ..llm.costs import spending

    limits = [f"rate limits: {result.rate_limited} answer{'s' * (result.rate_limited != 1)} of 429, "
              f"requests held back {result.paced:.1f} s in all"] if result.rate_limited or result.paced else []
    if result.batch is not None:
        return [*result.delivered, f"{result.batch.line()}, in {result.outdir}; "
                f"{spending(result.batch.usage, result.cost)}", *limits]
    briefing = result.briefing
    assert briefing is not None
    line = (f"{', '.join(result.documents)}: {spending(briefing.usage, briefing.cost)}"
            + (f"; written to {output}" if output else ""))
    rest = [f"the short briefing shows the main items; all {inventory(briefing)}: --template dossier"] \
        if template in SHORT_TEMPLATES else []
    return [*result.delivered, line, f"grounding: {briefing.grounding.summary}", *rest, *limits]


#: The templates that show the short briefing, not the full inventory.
SHORT_TEMPLATES = ("briefing.md", "email.txt", "email.html")


def inventory(briefing: Briefing) -> str:
    """How many items the full inventory holds ("31 items")."""
    count = sum(map(len, (briefing.key_points, briefing.positions, briefing.disputed_claims, briefing.quotes,
                          briefing.facts, briefing.events, briefing.source_disputes)))
    return f"{count} item{'s' * (count != 1)}"
