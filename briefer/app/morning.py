"""`briefer stories`: the morning run. Every feed's articles (and any files or pages given)
are read, grouped into stories (briefer.ingest.stories, no model call), and each story is briefed
once: a story several outlets covered as one several-source briefing, a lone article on its own.
The digest's table of contents leads with the stories most outlets covered.

A story's briefing is OUTDIR/story-ID.json (ID: its first article's id). A rerun that finds a
story already briefed from the very same articles leaves it alone; a story that gained an
article keeps its file name (it is found by the articles it shares with the saved one) and is
briefed again, so only what changed is paid for. With --batch, briefer.batch runs the same
stories over the Batch API's answers (`stories_round`), a round at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..core.errors import BrieferError, Deferred, FetchError, InputError, InvalidOutput
from ..core.models import Briefing, Document

if TYPE_CHECKING:
    from ..ingest.stories import Link
    from ..llm import LLMClient
    from ..llm.costs import PriceTable
    from .estimate import Estimate

Report = Callable[[str, str], None]
DIGEST = "digest.md"


@dataclass
class PlannedStory:
    """A story to brief: its articles (in publication order), what joined them, what it costs."""

    key: str
    documents: list[Document]
    links: list[Link]
    estimate: Estimate
    done: bool = False  # briefed before from these very articles
    #: The grouped items' indexes (which the links name) -> this story's articles.
    documents_by_index: dict[int, Document] = field(default_factory=dict)

    @property
    def outlets(self) -> int:
        return len({d.outlet or d.id for d in self.documents})

    def as_json(self) -> dict[str, Any]:
        cost = self.estimate.cost
        return {"story": self.key, "title": self.documents[0].title, "outlets": self.outlets,
                "articles": [{"id": d.id, "source": d.origin, "url": d.url, "title": d.title,
                              "outlet": d.outlet, "date": d.date} for d in self.documents],
                "calls": self.estimate.calls, "estimated_cost": round(cost.amount, 6) if cost else None,
                "already_briefed": self.done,
                "joined_by": [self.reason(link) for link in self.links]}

    def reason(self, link: Link) -> str:
        """Why two of the articles are one story, in one line."""
        return (f"{self.documents_by_index[link.a].id} ~ {self.documents_by_index[link.b].id}: similarity "
                f"{link.similarity:.2f}, shared names: {', '.join(link.shared)}")


@dataclass
class MorningSummary:
    briefed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, BrieferError]] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)  # for a Batch API round's answers
    usage: Any = None  # what the new briefings' calls used (core.models.Usage)


def since_date(window: str | None, now: datetime | None = None) -> date | None:
    """The first day `--since` keeps ("24h", "2d"): articles dated before it are left out."""
    if not window:
        return None
    amount, unit = window[:-1], window[-1:].lower()
    if not amount.isdigit() or unit not in ("h", "d"):
        from ..core.errors import UsageError

        raise UsageError(f"--since {window}: give hours or days, like 24h or 2d")
    span = timedelta(hours=int(amount)) if unit == "h" else timedelta(days=int(amount))
    return ((now or datetime.now(timezone.utc)) - span).date()


def gather(articles: list[str], read: Callable[[str, str], Document], report: Report,
           since: date | None = None) -> tuple[list[Document], int]:
    """The articles read (one that cannot be is reported and left out), and those older than
    `since` left out (and counted); an article without a date is kept."""
    from ..ingest.ids import allocate

    found, old = [], 0
    for source, doc_id in allocate(articles):
        try:
            document = read(source, doc_id)
        except (InputError, FetchError) as error:
            report(source, f"skipped: {error}")
            continue
        day = _day(document.date)
        if since is not None and day is not None and day < since:
            report(source, f"left out: published {document.date}, before {since.isoformat()}")
            old += 1
            continue
        found.append(document)
    return found, old


def plan_stories(documents: list[Document], outdir: Path, model: str, estimate_of: Callable[[list[Document]], Estimate]
                 ) -> list[PlannedStory]:
    """The stories among the documents, most outlets first; each keeps the file name of the
    saved story it shares articles with, and is marked done when saved from the same articles."""
    from ..ingest.stories import Item, group, lead_of

    items = [Item(d.id, d.title or "", lead_of([p.text for p in d.paragraphs]), d.outlet, d.date)
             for d in documents]
    saved = saved_stories(outdir, model)
    planned = []
    for story in group(items):
        members = sorted((documents[n] for n in story.members), key=_first_reported)
        origins = {d.url or d.origin for d in members}
        key = next((k for k, (found, _) in saved.items() if found & origins), f"story-{members[0].id}")
        done = key in saved and saved[key][1] == [d.sha256 for d in members]
        planned.append(PlannedStory(key, members, story.links, estimate_of(members), done,
                                    {n: documents[n] for n in story.members}))
    return sorted(planned, key=lambda p: -p.outlets)


def saved_stories(outdir: Path, model: str) -> dict[str, tuple[set[str], list[str]]]:
    """Each story briefed before in OUTDIR by this model and prompts: its articles' links or
    paths, and their contents' hashes."""
    from ..extract.prompting import prompt_version

    found: dict[str, tuple[set[str], list[str]]] = {}
    for path in sorted(outdir.glob("story-*.json")) if outdir.is_dir() else []:
        try:
            briefing = Briefing.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            continue
        if briefing.model == model and briefing.prompt_version == prompt_version():
            found[path.stem] = ({s.url or s.origin for s in briefing.sources if s.url or s.origin},
                                [s.sha256 for s in briefing.sources])
    return found


async def brief_stories(llm: LLMClient, planned: list[PlannedStory], outdir: Path, *,
                        render: Callable[[Briefing, Path], None], brief: Callable[..., Any],
                        prices: PriceTable | None, report: Report) -> MorningSummary:
    """Brief every story not done yet, each written as it finishes; a failure is counted and the
    other stories go on."""
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
            return
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


def _first_reported(document: Document) -> tuple[bool, str, str]:
    """A story's articles in the order they were published (by id on one day, undated last):
    the same articles make the same request, whichever feed listed them first."""
    return document.date is None, document.date or "", document.id


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


@dataclass
class MorningResult:
    """What a run did (or with --dry-run, would do)."""

    planned: list[PlannedStory]
    summary: MorningSummary | None = None
    digest: Path | None = None
    delivered: list[str] = field(default_factory=list)

    def plan_json(self, model: str) -> dict[str, Any]:
        todo = [p for p in self.planned if not p.done]
        costs = [p.estimate.cost.amount for p in todo if p.estimate.cost]
        return {"model": model, "stories": [p.as_json() for p in self.planned],
                "calls": sum(p.estimate.calls for p in todo),
                "estimated_cost": round(sum(costs), 6) if costs else None}


def run_morning(settings: Any, sources: tuple[str, ...], *, since: str | None = None, dry_run: bool = False,
                report: Report, status: Any = None) -> MorningResult:
    """Gather, group, brief (what changed), write the digest, mail it; with `dry_run` only the
    plan, no model call."""
    from ..llm.costs import price_table
    from .each import expand, prepare, resolve_listed
    from .estimate import check_guards
    from .outputs import check_mail_options
    from .run import client_parts, page_store

    outdir = checked_outdir(settings)
    check_mail_options(settings.mail, settings.origins)
    first_day = since_date(since)
    prices = price_table(settings.prices)
    store = page_store(settings)
    articles = resolve_listed(expand(sources, store, outdir, report), store, report)
    planned = _planned(settings, articles, report, first_day, prices)
    result = MorningResult(planned)
    if dry_run or not planned:
        return result
    check_guards(_estimate(settings, prices, [p.documents for p in planned if not p.done]),
                 settings.max_calls, settings.max_cost)
    prepare(outdir)
    llm_settings, transport, _ = client_parts(settings)
    result.summary = _brief_all(settings, planned, outdir, prices, report, status, llm_settings, transport)
    paths = digest_paths(planned, result.summary)
    result.digest = _write_digest(settings, paths)
    if paths and settings.mail.to:
        from .digest import mail_digest

        result.delivered = mail_digest(paths, settings.mail, settings.output.templates_dir)
    return result


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
    planned = _planned(settings, articles, hooks.on_article, None, prices)
    done = _brief_all(settings, planned, outdir, prices, hooks.on_article, None, llm_settings, transport)
    if not done.waiting:
        _write_digest(settings, digest_paths(planned, done))
    usage = done.usage or Usage()
    cost = prices.cost(settings.model, usage) if done.usage else None
    summary = BatchSummary(briefed=done.briefed, skipped=done.unchanged, failed=done.failed, outputs=done.outputs,
                           order=[p.key for p in planned], waiting=done.waiting, usage=usage,
                           cost=cost.amount if cost else None)
    return RunResult(model=settings.model, batch=summary, outdir=outdir)


def checked_outdir(settings: Any) -> Path:
    from ..core.errors import UsageError

    outdir = settings.output.path
    if outdir is None or outdir.suffix:
        raise UsageError("stories writes one briefing per story and a digest: give -o OUTDIR (a folder)")
    return outdir


def _planned(settings: Any, articles: list[str], report: Report, first_day: date | None,
             prices: PriceTable) -> list[PlannedStory]:
    """The articles read and grouped into stories, each with its estimate; said in two lines."""
    from ..ingest import read_source
    from .run import page_store

    store = page_store(settings)
    documents, old = gather(articles, lambda source, doc_id: read_source(source, store=store, doc_id=doc_id),
                            report, first_day)
    if not documents and old and first_day:  # a quiet morning: nothing new is not a failure
        report("articles", f"{len(articles)} found, none published since {first_day.isoformat()}: nothing to brief")
        return []
    if not documents:
        raise InputError("no articles to brief: none of them could be read")
    report("articles", f"{len(articles)} found, {len(documents)} read"
           + (f", {len(articles) - len(documents)} skipped or left out" if len(articles) > len(documents) else ""))
    planned = plan_stories(documents, checked_outdir(settings), settings.model,
                           lambda docs: _estimate(settings, prices, [docs]))
    several, todo = sum(len(p.documents) > 1 for p in planned), sum(not p.done for p in planned)
    report("stories", f"{len(planned)} grouped, {several} told by several articles; {todo} to brief, "
           f"{sum(p.estimate.calls for p in planned if not p.done)} calls")
    return planned


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
               status: Any, llm_settings: Any, transport: Any) -> MorningSummary:
    from dataclasses import replace

    from ..core.interrupts import run_async
    from ..llm import LLMClient, Progress
    from .outputs import write_briefing
    from .pipeline import brief_documents

    total = sum(p.estimate.calls for p in planned if not p.done)
    progress = Progress(status, total)

    def render(briefing: Briefing, json_path: Path) -> None:
        write_briefing(briefing, replace(settings.output, path=json_path.with_suffix(".md"), fmt="md"))

    def said(name: str, outcome: str) -> None:
        with progress.paused():  # the line goes above the status line, not through it
            report(name, outcome)

    def brief(llm: LLMClient, documents: list[Document], prices: PriceTable | None) -> Any:
        return brief_documents(llm, documents, grounding=settings.grounding, chunk_tokens=settings.chunk_tokens,
                               progress=progress.advance, prices=prices)

    async def run() -> MorningSummary:
        llm = LLMClient(llm_settings, transport, progress)
        try:
            return await brief_stories(llm, planned, outdir, render=render, brief=brief, prices=prices, report=said)
        finally:
            progress.close()
            await llm.close()

    return run_async(run())
