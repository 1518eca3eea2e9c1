"""`brief --each`: one briefing per article, each written the moment it is done.

Articles run concurrently (the client bounds the calls in flight); a finished briefing is on disk
before the next one finishes, written atomically, so an interrupted run loses nothing. An article
is done when its briefing (same input, model and prompt version) and every rendering of it are on
disk: a rerun skips it, renders what is missing from the saved briefing without a call, and
briefs the rest. One article's failure (a read, the model, a write) is reported and counted;
the others go on.

Folders stand for the regular files in them. A symbolic link inside a folder is skipped and
reported (name a file to brief it): a link in an inbox must not send, say, a private file to a
provider. The output folder is never read as input.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import BrieferError, Deferred, FetchError, InputError, InvalidOutput, UsageError
from ..core.files import briefing_json, keep_raw_replies, sweep_temporary_files, write_paid
from ..core.models import Briefing, Document, GroundingMode, Usage
from ..extract.prompting import prompt_version
from ..ingest import read_source
from ..ingest.ids import allocate
from ..ingest.web import PageStore, is_url
from ..llm import LLMClient
from ..llm.costs import PriceTable
from ..llm.work import count_this_task
from .outputs import saved_briefing_in
from .pipeline import brief_documents

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")
Report = Callable[[str, str], None]


@dataclass
class BatchSummary:
    briefed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, BrieferError]] = field(default_factory=list)
    #: Each briefed or already-done source's briefing JSON (for the digest and the run log).
    outputs: dict[str, Path] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the sources in input order
    waiting: list[str] = field(default_factory=list)  # for a Batch API round's answers
    usage: Usage = field(default_factory=Usage)  # what the run's calls used (its cost is priced from it)
    #: Sources whose failure an earlier Batch API collect already counted: failing again from
    #: the same saved answers costs nothing new.
    charged_before: frozenset[str] = frozenset()

    def paid(self, briefing: Briefing) -> None:
        """Count what a briefing's calls used."""
        self.usage += briefing.usage

    def failure(self, source: str, error: BrieferError, usage: Usage) -> None:
        """An article failed: its answers were paid for all the same (unless an earlier collect
        counted them; nothing a run paid for disappears)."""
        self.failed.append((source, error))
        if source not in self.charged_before:
            self.usage += usage

    def news(self) -> bool:
        """Whether the run briefed an article or failed one not failed and counted before."""
        return bool(self.briefed) or any(source not in self.charged_before for source, _ in self.failed)

    def line(self) -> str:
        waiting = f", {len(self.waiting)} waiting for the next batch" if self.waiting else ""
        return (f"{len(self.briefed)} briefed, {len(self.skipped)} already done, "
                f"{len(self.failed)} failed{waiting}")


def expand(sources: tuple[str, ...] | list[str], store: PageStore | None = None,
           outdir: Path | None = None, report: Report | None = None) -> list[str]:
    """Files and URLs as given; a folder stands for the article files in it (sorted; metadata
    files, symbolic links and the output folder aside), a feed or a file of URLs for the links
    in it. `store` is where URLs are fetched; a URL that is an article keeps the page fetched to
    tell (briefer.ingest.web.FetchedURL), so reading it fetches nothing again."""
    from ..ingest.feeds import feed_links

    found: list[str] = []
    for source in sources:
        path = Path(source)
        links = None if path.is_dir() else feed_links(source, store)
        if links is not None:
            found += links
            continue
        if not path.is_dir():
            found.append(source)
            continue
        if outdir is not None and outdir.exists() and path.resolve() == outdir.resolve():
            raise UsageError(f"-o {outdir} is a folder being briefed: briefer never reads its own "
                             "output folder (give another -o)")
        entries = sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        articles = [p for p in entries if p.is_file() and not p.is_symlink()]
        for link in (p for p in entries if p.is_symlink()):
            if report:
                report(str(link), "skipped: a symbolic link (give the file itself to brief it)")
        if not articles:
            raise InputError(f"{source}: no articles in this folder ({', '.join(ARTICLE_SUFFIXES)})")
        found += [str(p) for p in articles]
    return found


def resolve_listed(sources: list[str], store: PageStore | None, report: Report) -> list[str]:
    """The sources with each URL a list file gave (ListedURL) told apart by its own fetch: a
    feed stands for its links, an article for itself with its page kept (FetchedURL), so that
    reading it fetches nothing again. One that cannot be fetched is reported and left out: a
    dead link is one article the less, not a failed run."""
    from ..ingest.feeds import ListedURL, feed_links

    found: list[str] = []
    for source in sources:
        if not isinstance(source, ListedURL):
            found.append(source)
            continue
        try:
            found += feed_links(str(source), store) or [source]
        except (InputError, FetchError) as error:
            report(source, f"skipped: {error}")
    return found


def links_done(outdir: Path, model: str) -> set[str]:
    """The links (as given, and where they led) already briefed in OUTDIR by this model with
    these prompts: a feed's old items are skipped without being fetched again."""
    done: set[str] = set()
    for path in outdir.glob("*.json"):
        saved = saved_briefing_in(path)
        if saved is None:
            continue
        if saved.model == model and saved.prompt_version == prompt_version() and len(saved.sources) == 1:
            done |= {link for link in (saved.sources[0].origin, saved.sources[0].url) if link}
    return done


def saved_briefing(path: Path, document: Document, model: str) -> Briefing | None:
    """The briefing on disk of this very input, by this model, with these prompts, if any."""
    saved = saved_briefing_in(path)
    if saved is None:
        return None
    same = ([s.sha256 for s in saved.sources] == [document.sha256] and saved.model == model
            and saved.prompt_version == prompt_version())
    return saved if same else None


def origin_of(path: Path) -> str | None:
    """The source a saved briefing was made from, or None."""
    saved = saved_briefing_in(path)
    if saved is None:
        return None
    return saved.sources[0].origin if len(saved.sources) == 1 else None


def pending(sources: list[str], outdir: Path, model: str, companions: Callable[[Path], list[Path]],
            report: Report, store: PageStore | None = None) -> list[Document]:
    """The articles a run would still brief (for --dry-run and the guards): the ones already
    done are left out, and one that cannot be read is reported, not a reason to refuse all."""
    todo = []
    for source, doc_id in allocate(sources, owner=lambda i: origin_of(outdir / f"{i}.json")):
        try:
            document = read_source(source, store=store, doc_id=doc_id)
        except (InputError, FetchError) as error:
            report(source, f"skipped: {error}")
            continue
        path = outdir / f"{doc_id}.json"
        if saved_briefing(path, document, model) is None:
            todo.append(document)
    return todo


def prepare(outdir: Path) -> None:
    """The output folder made, and what a killed run left half-written in it removed."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"-o {outdir}: cannot make this folder ({error.strerror or error})") from None
    sweep_temporary_files(outdir)


def resume(path: Path, document: Document, model: str, companions: Callable[[Path], list[Path]],
           render: Callable[[Briefing, Path], None]) -> str | None:
    """How an article already briefed is done without a call ("already done", or its missing
    rendering made from the saved briefing); None when it must be briefed."""
    saved = saved_briefing(path, document, model)
    if saved is None:
        return None
    if all(c.is_file() for c in companions(path)):
        return "already done"
    render(saved, path)  # paid for earlier; only a rendering is missing
    return "already done; its missing rendering was made from the saved briefing"


async def read_article(source: str, store: PageStore | None, doc_id: str) -> Document:
    """A fetch runs in a thread, so the other articles' calls go on; a file is read at once (no
    thread to stop on Ctrl-C or SIGTERM; the page store serves only URLs)."""
    if is_url(source):
        return await asyncio.to_thread(read_source, source, store=store, doc_id=doc_id)
    return read_source(source, doc_id=doc_id)


async def brief_each(
    llm: LLMClient,
    sources: list[str],
    outdir: Path,
    *,
    render: Callable[[Briefing, Path], None],
    companions: Callable[[Path], list[Path]],
    grounding: GroundingMode,
    chunk_tokens: int,
    prices: PriceTable | None,
    on_article: Report,
    store: PageStore | None,
    summary: BatchSummary,
    notice: Callable[[str], None],
) -> BatchSummary:
    """Brief each source on its own into OUTDIR/ID.json (and the `companions` `render` writes);
    `on_article` and `summary` hear of each as it ends: an interrupted caller knows how far it got;
    `notice` hears an article's warnings, named by its source. (Its one caller, app/run.py
    `run_each`, gives every argument: none has a default.)"""
    prepare(outdir)
    report = on_article
    done = links_done(outdir, llm.settings.model)

    async def one(source: str, doc_id: str) -> None:
        path = outdir / f"{doc_id}.json"
        if is_url(source) and source in done:
            summary.skipped.append(source)
            report(source, "already done")
            return
        work = count_this_task()  # this article's answers, whatever becomes of it
        try:
            document = await read_article(source, store, doc_id)
            resumed = resume(path, document, llm.settings.model, companions, render)
            if resumed is not None:
                summary.skipped.append(source)
                summary.outputs[source] = path
                report(source, resumed)
                return
            briefing = await brief_documents(llm, [document], grounding=grounding, chunk_tokens=chunk_tokens,
                                             prices=prices, notice=lambda line: notice(f"{source}: {line}"))
            summary.paid(briefing)
            write_paid(path, briefing_json(briefing), doc_id)
            render(briefing, path)  # a failure here leaves the article not done: a rerun renders
        except Deferred:
            summary.waiting.append(source)
            report(source, "waiting for the next batch")
            return
        except BrieferError as error:  # an invalid reply's raw text is kept beside the briefings
            failure = keep_raw_replies(error, outdir, doc_id) if isinstance(error, InvalidOutput) else error
            summary.failure(source, failure, work.usage)
            report(source, f"failed: {failure}")
            return
        summary.briefed.append(source)
        summary.outputs[source] = path
        report(source, f"briefed ({briefing.usage.calls} call{'s' * (briefing.usage.calls != 1)}) -> {path}")

    owned = allocate(sources, owner=lambda i: origin_of(outdir / f"{i}.json"))
    await asyncio.gather(*(one(s, i) for s, i in owned))
    return summary

