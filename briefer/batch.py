"""`brief --each`: one briefing per article, each written the moment it is done.

Articles run concurrently (the client bounds the calls in flight); a finished briefing is on disk
before the next one finishes, written atomically, so an interrupted run loses nothing. A rerun
skips every article whose briefing is already there for the same input, model and prompt
version. One article's failure is reported and counted; the others go on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .errors import BrieferError, InputError, InvalidOutput
from .files import keep_raw_replies, write_atomically
from .ingest import read_source
from .ingest.web import is_url
from .llm import LLMClient
from .costs import PriceTable
from .models import Briefing, Document, GroundingMode, Usage
from .pipeline import brief_documents
from .prompting import prompt_version

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")


@dataclass
class BatchSummary:
    briefed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, BrieferError]] = field(default_factory=list)
    #: Each briefed or already-done source's briefing JSON (for the digest and the run log).
    outputs: dict[str, Path] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the sources in input order
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None  # None while no briefing had a price

    def line(self) -> str:
        return (f"{len(self.briefed)} briefed, {len(self.skipped)} already done, "
                f"{len(self.failed)} failed")


def expand(sources: tuple[str, ...] | list[str], store: tuple[str, Path] | None = None) -> list[str]:
    """Files and URLs as given; a folder stands for the articles in it (sorted; metadata files
    aside), a feed or a file of URLs for the links in it. `store` is where feeds are fetched."""
    from .ingest.feeds import feed_links

    found: list[str] = []
    for source in sources:
        path = Path(source)
        links = None if path.is_dir() else feed_links(source, store)
        if links is not None:
            found += links
        elif path.is_dir():
            articles = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            if not articles:
                raise InputError(f"{source}: no articles in this folder ({', '.join(ARTICLE_SUFFIXES)})")
            found += [str(p) for p in articles]
        else:
            found.append(source)
    return found


def output_path(outdir: Path, document: Document) -> Path:
    return outdir / f"{document.id}.json"


def links_done(outdir: Path, model: str) -> set[str]:
    """The links (as given, and where they led) already briefed in OUTDIR by this model with
    these prompts: a feed's old items are skipped without being fetched again."""
    done: set[str] = set()
    for path in outdir.glob("*.json"):
        try:
            saved = Briefing.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            continue
        if saved.model == model and saved.prompt_version == prompt_version() and len(saved.sources) == 1:
            done |= {link for link in (saved.sources[0].origin, saved.sources[0].url) if link}
    return done


def already_done(path: Path, document: Document, model: str) -> bool:
    """A briefing of this very input, by this model, with these prompts, is on disk."""
    try:
        saved = Briefing.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return False
    return (
        [s.sha256 for s in saved.sources] == [document.sha256]
        and saved.model == model
        and saved.prompt_version == prompt_version()
    )


async def brief_each(
    llm: LLMClient,
    sources: list[str],
    outdir: Path,
    *,
    render: Callable[[Briefing, Path], None],
    grounding: GroundingMode = "mark",
    chunk_tokens: int,
    prices: PriceTable | None = None,
    on_article: Callable[[str, str], None] | None = None,
    store: tuple[str, Path] | None = None,
) -> BatchSummary:
    """Brief every source on its own into OUTDIR/ID.json (and whatever `render` writes beside
    it). `on_article(name, outcome)` hears of every article as it ends."""
    summary = BatchSummary(order=list(sources))
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in outdir.glob(".*.tmp"):  # half-written by a run that was killed; never renamed
        stale.unlink(missing_ok=True)

    def report(name: str, outcome: str) -> None:
        if on_article:
            on_article(name, outcome)

    done = links_done(outdir, llm.settings.model)

    async def one(source: str) -> None:
        if is_url(source) and source in done:
            summary.skipped.append(source)
            report(source, "already done")
            return
        try:
            document = await asyncio.to_thread(read_source, source, store=store)  # a URL is fetched
            path = output_path(outdir, document)
            if already_done(path, document, llm.settings.model):
                summary.skipped.append(source)
                summary.outputs[source] = path
                report(source, "already done")
                return
            briefing = await brief_documents(llm, [document], grounding=grounding,
                                             chunk_tokens=chunk_tokens, prices=prices)
            summary.usage += briefing.usage
            if briefing.cost is not None:
                summary.cost = (summary.cost or 0.0) + briefing.cost.amount
            write_atomically(path, briefing.model_dump_json(indent=2) + "\n")
            render(briefing, path)
        except InvalidOutput as error:
            failure = keep_raw_replies(error, outdir, document.id)
            summary.failed.append((source, failure))
            report(source, f"failed: {failure}")
            return
        except BrieferError as error:
            summary.failed.append((source, error))
            report(source, f"failed: {error}")
            return
        summary.briefed.append(source)
        summary.outputs[source] = path
        report(source, f"briefed ({briefing.usage.calls} calls) -> {path}")

    await asyncio.gather(*(one(s) for s in sources))
    return summary
