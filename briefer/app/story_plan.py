"""The morning's plan: the articles read (those older than `--since` left out), grouped into
stories (briefer.ingest.stories, no model call), each story with its estimate and, when it was
briefed before, its saved file's name; a story saved from the very same articles is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import FetchError, InputError
from ..core.models import Document
from .outputs import saved_briefing_in

if TYPE_CHECKING:
    from ..ingest.stories import Link
    from .estimate import Estimate

Report = Callable[[str, str], None]


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
           since: date | None = None, ended: Callable[[bool], None] = lambda failed: None
           ) -> tuple[list[Document], int]:
    """The articles read (one that cannot be is reported and left out), and those older than
    `since` left out (and counted); an article without a date is kept. `ended` hears of each
    article read (True: it could not be)."""
    from ..ingest.ids import allocate

    found, old = [], 0
    for source, doc_id in allocate(articles):
        try:
            document = read(source, doc_id)
        except (InputError, FetchError) as error:
            report(source, f"skipped: {error}")
            ended(True)
            continue
        ended(False)
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
        briefing = saved_briefing_in(path)
        if briefing is None:
            continue
        if briefing.model == model and briefing.prompt_version == prompt_version():
            found[path.stem] = ({s.url or s.origin for s in briefing.sources if s.url or s.origin},
                                [s.sha256 for s in briefing.sources])
    return found


def _first_reported(document: Document) -> tuple[bool, str, str]:
    """A story's articles in the order they were published (by id on one day, undated last):
    the same articles make the same request, whichever feed listed them first."""
    return document.date is None, document.date or "", document.id


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
