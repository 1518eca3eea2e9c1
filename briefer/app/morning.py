"""`briefer stories`: the morning run. Every feed's articles (and any files or pages given)
are read, grouped into stories (briefer.ingest.stories, no model call), and each story is briefed
once: a story several outlets covered as one several-source briefing, a lone article on its own.
The digest's table of contents leads with the stories most outlets covered.

A story's briefing is OUTDIR/story-ID.json (ID: its first article's id). A rerun that finds a
story already briefed from the very same articles leaves it alone; a story that gained an
article keeps its file name (it is found by the articles it shares with the saved one) and is
briefed again from its old articles' saved extractions (briefer.app.saved): only the new article
is extracted and the synthesis redone. Every run but a dry one is in the run log. With --batch, briefer.batch runs the same
stories over the Batch API's answers (`stories_round`), a round at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import BrieferError, Deferred, InputError, InvalidOutput
from ..core.models import Briefing, Document
from .story_plan import PlannedStory, gather, plan_stories, since_date

if TYPE_CHECKING:
    from ..llm import LLMClient
    from ..llm.costs import PriceTable
    from .account import Account
    from .estimate import Estimate
    from .result import Hooks

Report = Callable[[str, str], None]
DIGEST = "digest.md"


@dataclass
class MorningSummary:
    briefed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, BrieferError]] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)  # for a Batch API round's answers
    usage: Any = None  # what the new briefings' calls used (core.models.Usage)


async def brief_stories(llm: LLMClient, planned: list[PlannedStory], outdir: Path, *,
                        render: Callable[[Briefing, Path], None], brief: Callable[..., Any],
                        prices: PriceTable | None, report: Report,
                        ended: Callable[[bool], None] = lambda failed: None) -> MorningSummary:
    """Brief every story not done yet, each written as it finishes (`ended` hears of it); a
    failure is counted and the other stories go on."""
    from ..core.files import briefing_json, keep_raw_replies, write_paid

    summary = MorningSummary()

    async def one(story: PlannedStory) -> None:
        path = outdir / f"{story.key}.json"
        if story.done and path.is_file():
            summary.unchanged.append(story.key)
            summary.outputs[story.key] = path
            report(story.key, "unchanged, already briefed")
            return
        try:
            briefing = await brief(llm, story.documents, prices=prices)
            write_paid(path, briefing_json(briefing), story.key)
            render(briefing, path)
        except Deferred:
            summary.waiting.append(story.key)
            report(story.key, "waiting for the next batch")
            return
        except BrieferError as error:
            failure = keep_raw_replies(error, outdir, story.key) if isinstance(error, InvalidOutput) else error
            summary.failed.append((story.key, failure))
            report(story.key, f"failed: {failure}")
            ended(True)
            return
        ended(False)
        summary.briefed.append(story.key)
        summary.outputs[story.key] = path
        summary.usage = briefing.usage if summary.usage is None else summary.usage + briefing.usage
        sources = len(story.documents)
        report(story.key, f"briefed from {sources} article{'s' * (sources != 1)} -> {path}")

    await asyncio.gather(*(one(story) for story in planned))
    return summary


def digest_paths(planned: list[PlannedStory], summary: MorningSummary) -> list[Path]:
    """The briefings of this morning's stories, most outlets first (the plan's order)."""
    return [summary.outputs[p.key] for p in planned if p.key in summary.outputs]


@dataclass
class MorningResult:
    """What a run did (or with --dry-run, would do)."""

    planned: list[PlannedStory]
    summary: MorningSummary | None = None
    digest: Path | None = None
    delivered: list[str] = field(default_factory=list)
    spent: str | None = None  # what the calls used and cost, for the summary line (llm.costs.spending)

    def plan_json(self, model: str) -> dict[str, Any]:
        todo = [p for p in self.planned if not p.done]
        costs = [p.estimate.cost.amount for p in todo if p.estimate.cost]
        return {"model": model, "stories": [p.as_json() for p in self.planned],
                "calls": sum(p.estimate.calls for p in todo),
                "estimated_cost": round(sum(costs), 6) if costs else None}


def run_morning(settings: Any, sources: tuple[str, ...], *, since: str | None = None, dry_run: bool = False,
                hooks: Hooks) -> MorningResult:
    """Gather, group, brief (what changed), write the digest, mail it, and log the run; with
    `dry_run` only the plan, no model call. `hooks`: each article's and story's outcome, the
    status line (a terminal's), warnings."""
    from ..llm.costs import price_table
    from .each import expand, resolve_listed
    from .estimate import check_guards
    from .outputs import check_mail_options
    from .run import page_store

    outdir = checked_outdir(settings)
    check_mail_options(settings.mail, settings.origins)
    first_day = since_date(since)
    prices = price_table(settings.prices)
    store = page_store(settings)
    articles = resolve_listed(expand(sources, store, outdir, hooks.on_article), store, hooks.on_article)
    planned, lead = _planned(settings, articles, hooks.on_article, first_day, prices, hooks.status)
    result = MorningResult(planned)
    if dry_run or not planned:
        return result
    check_guards(_estimate(settings, prices, [p.documents for p in planned if not p.done]),
                 settings.max_calls, settings.max_cost)
    _run(settings, result, outdir, prices, hooks, lead)
    return result


def _run(settings: Any, result: MorningResult, outdir: Path, prices: PriceTable, hooks: Hooks, lead: str) -> None:
    """Brief the planned stories, write the digest and mail it; the run logged, failed or not."""
    from ..core.interrupts import Terminated
    from .account import Account
    from .each import prepare
    from ..llm.costs import spending
    from .history import failure_entry, stories_entry
    from .run import client_parts, log_run

    started, began, account = time.monotonic(), datetime.now(timezone.utc), Account()
    documents = [d for p in result.planned for d in p.documents]
    try:
        prepare(outdir)
        llm_settings, transport, _ = client_parts(settings)
        result.summary = _brief_all(settings, result.planned, outdir, prices, hooks.on_article, hooks.status,
                                    llm_settings, transport, account, lead)
        paths = digest_paths(result.planned, result.summary)
        result.digest = _write_digest(settings, paths)
    except (BrieferError, KeyboardInterrupt, Terminated) as error:  # Ctrl-C: `Interrupted`, what was spent
        failure, _ = account.failure(settings.model, prices, started, error)
        usage = account.usage()
        log_run(settings, hooks, lambda: failure_entry(settings, began, False, (), documents, failure,
                                                       usage if usage.calls else None,
                                                       prices.cost(settings.model, usage), kind="stories"))
        raise failure from None
    usage = account.usage()
    result.spent = spending(usage, prices.cost(settings.model, usage))
    entry = stories_entry(settings, began, result.planned, result.summary, usage, prices.cost(settings.model, usage),
                          result.digest)
    try:
        if paths and settings.mail.to:
            from .digest import mail_digest

            result.delivered = mail_digest(paths, settings.mail, settings.output.templates_dir)
    except BrieferError as error:
        entry.update(outcome=f"briefed, not mailed: {error}", exit_code=error.exit_code)
        raise
    finally:
        log_run(settings, hooks, lambda: entry)


def stories_round(settings: Any, llm_settings: Any, transport: Any, articles: list[str], prices: PriceTable,
                  hooks: Any) -> Any:
    """A Batch API round of `briefer stories --batch` (briefer.batch.run): the same stories, their
    calls answered from the batch's answers or deferred to the next batch; the digest is written
    once no story waits. What it did, as `brief --each`'s rounds say it."""
    from ..core.models import Usage
    from .each import BatchSummary, prepare
    from .result import RunResult

    outdir = checked_outdir(settings)
    prepare(outdir)
    planned, _ = _planned(settings, articles, hooks.on_article, None, prices)
    # No saved extractions here: the batch keeps its own answers, each priced as the batch paid it.
    done = _brief_all(settings, planned, outdir, prices, hooks.on_article, None, llm_settings, transport,
                      reuse=False)
    if not done.waiting:
        _write_digest(settings, digest_paths(planned, done))
    summary = BatchSummary(briefed=done.briefed, skipped=done.unchanged, failed=done.failed, outputs=done.outputs,
                           order=[p.key for p in planned], waiting=done.waiting, usage=done.usage or Usage())
    return RunResult(model=settings.model, batch=summary, outdir=outdir)


def checked_outdir(settings: Any) -> Path:
    from ..core.errors import UsageError

    outdir = settings.output.path
    if outdir is None or outdir.suffix:
        raise UsageError("stories writes one briefing per story and a digest: give -o OUTDIR (a folder)")
    return outdir


def _planned(settings: Any, articles: list[str], report: Report, first_day: date | None,
             prices: PriceTable, status: Any = None) -> tuple[list[PlannedStory], str]:
    """The articles read (counted on the status line as they are) and grouped into stories,
    each with its estimate; said in two lines. And what that came to, for the status line."""
    from ..ingest import read_source
    from ..llm import Progress
    from .run import page_store

    store = page_store(settings)
    fetching = Progress(status)
    fetching.articles, fetching.ended_as, fetching.calls_shown = len(articles), "fetched", False

    def said(name: str, outcome: str) -> None:
        with fetching.paused():
            report(name, outcome)

    try:
        documents, old = gather(articles, lambda source, doc_id: read_source(source, store=store, doc_id=doc_id),
                                said, first_day, fetching.article_ended)
    finally:
        fetching.close()
    if not documents and old and first_day:  # a quiet morning: nothing new is not a failure
        report("articles", f"{len(articles)} found, none published since {first_day.isoformat()}: nothing to brief")
        return [], ""
    if not documents:
        raise InputError("no articles to brief: none of them could be read")
    report("articles", f"{len(articles)} found, {len(documents)} read"
           + (f", {len(articles) - len(documents)} skipped or left out" if len(articles) > len(documents) else ""))
    planned = plan_stories(documents, checked_outdir(settings), settings.model,
                           lambda docs: _estimate(settings, prices, [docs]))
    several, todo = sum(len(p.documents) > 1 for p in planned), sum(not p.done for p in planned)
    report("stories", f"{len(planned)} grouped, {several} told by several articles; {todo} to brief, "
           f"{sum(p.estimate.calls for p in planned if not p.done)} calls")
    lead = (f"{len(articles)} articles found, {len(documents)} fetched, {fetching.articles_failed} failed, "
            f"{len(planned)} stories grouped")
    return planned, lead


def _estimate(settings: Any, prices: PriceTable, groups: list[list[Document]]) -> Estimate:
    from .estimate import estimate

    return estimate(groups, model=settings.model, chunk_tokens=settings.chunk_tokens,
                    mode=settings.structured_mode, prices=prices)


def _write_digest(settings: Any, paths: list[Path]) -> Path | None:
    """OUTDIR/digest.md of these briefings, in this order (None when there is none)."""
    if not paths:
        return None
    from ..core.files import write_paid
    from .digest import digest_markdown, stories

    digest = checked_outdir(settings) / DIGEST
    write_paid(digest, digest_markdown(stories(paths), settings.output.templates_dir), "digest")
    return digest


def _brief_all(settings: Any, planned: list[PlannedStory], outdir: Path, prices: PriceTable, report: Report,
               status: Any, llm_settings: Any, transport: Any, account: Account | None = None,
               lead: str = "", reuse: bool = True) -> MorningSummary:
    """Brief the stories not done yet, the old articles of a story that grew from their saved
    extractions; the status line counts the stories briefed and failed, and the calls."""
    from dataclasses import replace

    from ..core.interrupts import run_async
    from ..llm import LLMClient, Progress
    from .outputs import write_briefing
    from .pipeline import brief_documents
    from .saved import FOLDER, SavedExtractions

    progress = Progress(status, sum(p.estimate.calls for p in planned if not p.done))
    progress.articles, progress.items, progress.ended_as = sum(not p.done for p in planned), ("story", "stories"), "briefed"
    progress.lead = lead
    saved = SavedExtractions(outdir / FOLDER) if reuse else None

    def render(briefing: Briefing, json_path: Path) -> None:
        write_briefing(briefing, replace(settings.output, path=json_path.with_suffix(".md"), fmt="md"))

    def said(name: str, outcome: str) -> None:
        with progress.paused():  # the line goes above the status line, not through it
            report(name, outcome)

    def brief(llm: LLMClient, documents: list[Document], prices: PriceTable | None) -> Any:
        return brief_documents(llm, documents, grounding=settings.grounding, chunk_tokens=settings.chunk_tokens,
                               progress=progress.advance, prices=prices, saved=saved,
                               notice=lambda line: said(f"the story of {documents[0].id}", line))

    async def run() -> MorningSummary:
        llm = LLMClient(llm_settings, transport, progress)
        if account is not None:
            account.clients.append(llm)
        try:
            return await brief_stories(llm, planned, outdir, render=render, brief=brief, prices=prices, report=said,
                                       ended=progress.article_ended)
        finally:
            progress.close()
            await llm.close()

    return run_async(run())
