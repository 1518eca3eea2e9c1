"""The briefing as one web page beside its sources: every citation a link to the source's own
words, highlighted at the offsets the grounding checker found, and each source paragraph
saying which items cite it.

This module works out what the page shows (the items and their anchors, the source paragraphs
cut into pieces at the excerpts, the timeline and the outlet strip); templates/page.html.j2
lays it out. Every model and article string reaches the page through the one escaping filter
(briefer/escaping.py, then HTML autoescape): article pieces through `inert_piece`, which keeps
the spaces at a piece's edges. The page loads nothing: its one style sheet and one script are
inline, allowed by their hashes in a Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core.models import Briefing, Document, Evidence, Quote, SourceDispute
from ..grounding import item_status, not_checked
from .escaping import Escaped, inert, inert_piece

#: The one mapping from the statuses a briefing holds to the marks the page shows: (label, sign,
#: what it means). When the checker's statuses change, only this changes.
MARKS: dict[str, tuple[str, str, str]] = {
    "verified": ("verified", "✓", "found word for word in the cited paragraph"),
    "approximate": ("approximate", "≈", "close to the cited paragraph but not word for word; the source's "
                    "own words are shown beside it"),
    "unsupported": ("unsupported", "✗", "not found in the cited paragraph; the source's closest words, when "
                    "there are any, are shown beside it"),
    "flagged": ("attribution unconfirmed", "?", "the words are in the source, but not clearly said by whom "
                "the briefing says"),
    "unchecked": ("not checked", "–", "could not be checked (no figure, date or source text to check against)"),
}

#: The briefing's lists, the name each item is called by on the page, and its id prefix.
KINDS = (("key_points", "Key point", "kp"), ("findings", "Finding", "fi"), ("positions", "Position", "po"),
         ("disputed_claims", "Disputed claim", "cl"), ("source_disputes", "Difference", "sd"), ("facts", "Figure", "fa"),
         ("events", "Event", "ev"), ("quotes", "Quote", "qu"))


@dataclass(eq=False)
class Entry:
    """An item of the briefing as the page shows it: its anchor and its name."""

    id: str
    kind: str  # "Key point": the template's word, in the briefing's language
    number: int | None
    item: Any
    target: str = ""  # where the sources' "cited by" links go: the briefing, else the dossier


@dataclass(eq=False)
class Excerpt:
    """Cited words in a source: where they are and which items cite them."""

    id: str
    start: int
    end: int
    status: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Piece:
    """A run of a paragraph's text: plain, or the opening or closing of an excerpt's mark."""

    kind: str  # "text", "open", "close"
    text: str = ""
    excerpt: Excerpt | None = None
    first: bool = True  # the excerpt's first part carries its id


@dataclass
class Para:
    id: str
    number: int
    pieces: list[Piece]
    cited_by: list[Entry]


@dataclass
class PageSource:
    id: str
    label: str
    source: Any
    paragraphs: list[Para]


@dataclass
class Link:
    """A citation: where it goes, what it says (`¶6`, `S2 ¶6`) and how it held."""

    href: str
    text: str
    status: str
    located: Any


@dataclass
class TimePoint:
    x: float
    y: float
    number: int
    href: str
    label: str


@dataclass
class Timeline:
    """The drawing: its points, its height and where its axis runs (it is 600 wide), and the
    first and last days it spans."""

    points: list[TimePoint]
    height: int
    axis: int
    first: str
    last: str


class Page:
    """Everything the page template needs for one briefing (a digest has one a story)."""

    def __init__(self, briefing: Briefing, documents: list[Document], view: Any, prefix: str = "") -> None:
        self.briefing, self.view, self.prefix = briefing, view, prefix
        self.labels = {s.id: f"S{n}" for n, s in enumerate(briefing.sources, 1)}
        self.documents = {d.id: d for d in documents}
        self.entries: dict[int, Entry] = {}
        self.excerpts: dict[tuple[str, int, int], Excerpt] = {}
        self.paragraph_entries: dict[tuple[str, int], list[Entry]] = {}
        self._links: dict[int, list[Link]] = {}
        self._collect()
        self.sources = [self._source(s) for s in briefing.sources]

    # ---------------------------------------------------------------- the items

    def _collect(self) -> None:
        origins = getattr(self.view, "origins", {})
        shown = {id(i) for i in self.body_items()} | {id(origins[id(m)][1][0]) for m in self.body_items()
                                                      if id(m) in origins}
        found: list[tuple[Any, str, int | None, str]] = [(self.briefing.bottom_line, "Bottom line", None, "bl")]
        for name, kind, short in KINDS:
            found += [(item, kind, n, f"{short}{n}") for n, item in enumerate(getattr(self.briefing, name), 1)]
        for item, kind, number, short in found:
            entry = Entry(id=self.prefix + short, kind=kind, number=number, item=item)
            entry.target = entry.id if id(item) in shown else self.dossier_id(item, entry)
            self.entries[id(item)] = entry
            self._links[id(item)] = once([self._link(entry, located) for located in located_in(item)])
        for merged, items in getattr(self.view, "origins", {}).values():  # one line for several items
            self.entries[id(merged)] = self.entries[id(items[0])]
            first = self._links[id(items[0])]  # then one link for each other source, as the line cites it
            more = {link.located.source: link for i in items[1:] for link in reversed(self._links[id(i)])}
            self._links[id(merged)] = once([*first, *(link for source, link in more.items()
                                                     if source not in {f.located.source for f in first})])
            for other in items[1:] if id(items[0]) in shown else ():  # their citations land on that line
                self.entries[id(other)].target = self.entries[id(items[0])].target

    def dossier_id(self, item: Any, entry: Entry | None = None) -> str:
        """The anchor of an item's line in the dossier."""
        return f"{self.prefix}d-{(entry or self.entries[id(item)]).id.removeprefix(self.prefix)}"

    def body_items(self) -> list[Any]:
        """The items the briefing side shows, in order: the short briefing's sections."""
        v = self.view
        return [self.briefing.bottom_line, *v.points, *v.contested, *v.disputes, *v.unconfirmed,
                *v.figures, *v.dates, *v.quotes, *v.moved_points]

    def _link(self, entry: Entry, located: Evidence | Quote) -> Link:
        label = self.labels.get(located.source, located.source)
        text = f"{label} ¶{located.paragraph}" if len(self.labels) > 1 else f"¶{located.paragraph}"
        document = self.documents.get(located.source)
        paragraph = document.paragraph(located.paragraph) if document else None
        href = f"#{self.paragraph_id(label, located.paragraph)}" if paragraph else ""
        if paragraph and located.start is not None and located.end is not None \
                and paragraph.start <= located.start < located.end <= paragraph.end:
            key = (located.source, located.start, located.end)
            excerpt = self.excerpts.get(key)
            if excerpt is None:
                excerpt = self.excerpts[key] = Excerpt(f"{self.prefix}x{len(self.excerpts) + 1}", located.start,
                                                       located.end, located.status)
            if entry not in excerpt.entries:
                excerpt.entries.append(entry)
            href = f"#{excerpt.id}"
        if paragraph:
            cited = self.paragraph_entries.setdefault((located.source, located.paragraph), [])
            if entry not in cited:
                cited.append(entry)
        return Link(href=href, text=text, status=located.status, located=located)

    def paragraph_id(self, label: str, number: int) -> str:
        return f"{self.prefix}{label}-p{number}"

    def entry(self, item: Any) -> Entry:
        return self.entries[id(item)]

    def links(self, items: Any) -> list[Link]:
        """The citations of an item, or of a list of evidence (a who's-who line), each once."""
        if isinstance(items, list):
            return once([link for i in items for link in self._links.get(id(i), [])])
        return self._links.get(id(items), [])

    def marks(self, item: Any) -> list[str]:
        """The keys of MARKS an item shows: its standing, a doubtful attribution, and what could
        not be checked; with grounding off, only "not checked"."""
        if self.briefing.grounding.mode == "off":
            return ["unchecked"]
        status = item_status(item)
        found = [status]
        if isinstance(item, Quote) and item.attribution == "flagged":
            found = [s for s in found if s != "unsupported"] + ["flagged"]
        if status != "unchecked" and not_checked(item):
            found.append("unchecked")
        return found

    def doubtful(self, item: Any) -> list[Link]:
        """The citations that did not hold word for word: shown with the source's own words."""
        return [link for link in self.links(item) if link.status in ("approximate", "unsupported")]

    # ------------------------------------------------------------- the sources

    def _source(self, source: Any) -> PageSource:
        label = self.labels[source.id]
        document = self.documents.get(source.id)
        paragraphs = []
        for p in document.paragraphs if document else []:
            inside = sorted((x for (s, _, _), x in self.excerpts.items()
                             if s == source.id and p.start <= x.start and x.end <= p.end),
                            key=lambda x: (x.start, -x.end))
            paragraphs.append(Para(id=self.paragraph_id(label, p.number), number=p.number,
                                   pieces=list(pieces(document.text, p.start, p.end, inside)),
                                   cited_by=self.paragraph_entries.get((source.id, p.number), [])))
        return PageSource(id=f"{self.prefix}{label}", label=label, source=source, paragraphs=paragraphs)

    def split_excerpts(self) -> list[str]:
        """Ids of the excerpts cut into several marks (they cross another): each needs its own
        `:target` rule so that every part lights up, not just the first."""
        split = set()
        for source in self.sources:
            for para in source.paragraphs:
                split.update(p.excerpt.id for p in para.pieces if p.kind == "open" and not p.first and p.excerpt)
        return sorted(split)

    # ----------------------------------------------------- timeline and strip

    def timeline(self, events: list[Any]) -> Timeline | None:
        """The dated events placed to scale on a line 600 wide, those too close to tell apart
        stacked above one another (the drawing grows to hold them)."""
        dated = [(day, e) for e in events if (day := iso_day(e.date)) is not None]
        if not dated:
            return None
        first, last = min(d for d, _ in dated), max(d for d, _ in dated)
        span = max((last - first).days, 1)
        placed, stacked = [], {}
        for n, (day, event) in enumerate(dated, 1):
            x = 30 + 540 * (day - first).days / span
            level = stacked[round(x / 26)] = stacked.get(round(x / 26), -1) + 1
            links = self.links(event)
            href = links[0].href if links and links[0].href else f"#{self.entry(event).target}"
            placed.append((x, level, n, href, inert(f"{n}. {event.date_text}: {event.what}")))
        axis = 46 + 28 * max(level for _, level, *_ in placed)
        points = [TimePoint(x=round(x, 1), y=axis - 18 - 28 * level, number=n, href=href, label=label)
                  for x, level, n, href, label in placed]
        earliest, latest = (min(dated, key=lambda d: d[0])[1], max(dated, key=lambda d: d[0])[1])
        return Timeline(points=points, height=axis + 12, axis=axis, first=earliest.date, last=latest.date)

    def strip(self) -> list[tuple[PageSource, list[tuple[Entry, bool]]]]:
        """For several sources: each outlet, and for each item of the briefing side whether
        that outlet's article is among its citations."""
        items = list({id(i): i for i in self.body_items()}.values())
        rows = []
        for source in self.sources:
            rows.append((source, [(self.entry(i), any(link.located.source == source.source.id
                                                       for link in self.links(i))) for i in items]))
        return rows


def once(links: list[Link]) -> list[Link]:
    """Each place cited once, in order."""
    return list({link.text + link.href: link for link in links}.values())


def located_in(item: Any) -> list[Evidence | Quote]:
    """Every place an item cites: its evidence (and rebuttal), a quote and where else it
    appears, a difference's accounts."""
    if isinstance(item, Quote):
        return [item, *item.also_in]
    if isinstance(item, SourceDispute):
        return list(item.accounts)
    return [*getattr(item, "evidence", []), *getattr(item, "rebuttal", [])]


def pieces(text: str, start: int, end: int, excerpts: list[Excerpt]) -> Iterator[Piece]:
    """A paragraph's text with its excerpts marked, marks nested; an excerpt that crosses an
    open one is closed and opened again (its later parts without the id)."""
    bounds = sorted({start, end, *(b for x in excerpts for b in (x.start, x.end))})
    stack: list[Excerpt] = []
    opened: set[str] = set()
    for left, right in zip(bounds, bounds[1:]):
        covering = [x for x in excerpts if x.start <= left and right <= x.end]
        keep = 0
        while keep < len(stack) and stack[keep] in covering:
            keep += 1
        for _ in stack[keep:]:
            yield Piece("close")
        del stack[keep:]
        for x in sorted((x for x in covering if x not in stack), key=lambda x: (x.start, -x.end)):
            yield Piece("open", excerpt=x, first=x.id not in opened)
            opened.add(x.id)
            stack.append(x)
        yield Piece("text", text=inert_piece(text[left:right]))
    for _ in stack:
        yield Piece("close")


def iso_day(value: str | None) -> date | None:
    """The day an ISO date (`2024-11-15`, `2024-11`, `2024`) stands for, its first."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(*numbers[:3])
    except (ValueError, TypeError):
        return None


def csp_hash(text: str) -> str:
    """A CSP source for an inline block: its SHA-256, base64."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_policy(style: str, script: str) -> str:
    """Nothing from anywhere: no fetch, no image, no font, no frame, no form; the one style
    sheet and the one script by their hashes."""
    return (f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
            "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
            "frame-src 'none'; base-uri 'none'; form-action 'none'")


def style_sheet(pages: list[Page]) -> str:
    """The page's one style sheet: the built-in rules, and one rule for each excerpt cut in
    parts, so that `:target` lights every part without a script."""
    rules = "".join(f'.para:has(#{x}:target) mark[data-x="{x}"]{{background:var(--target)}}'
                    for page in pages for x in page.split_excerpts())
    return _static("page.css") + rules


def _static(name: str) -> str:
    from ..core.resources import resource_dir

    return (resource_dir("templates") / name).read_text(encoding="utf-8")


def render_page(stories: list[tuple[Briefing, list[Document]]], title: str | None = None) -> str:
    """One self-contained page: each briefing beside the paragraphs of its sources (`documents`,
    the texts the briefing was made from); several briefings make a digest."""
    import jinja2
    from markupsafe import Markup

    from ..core.errors import TemplateError
    from ..core.resources import resource_dir
    from .engine import appendix, environment, positions_by_actor, short_view
    from .memo import session

    env = environment((resource_dir("templates"),), "html")
    several = len(stories) > 1
    try:
        with session():
            pages = [Page(b, docs, short_view(b)[0], prefix=f"s{n}-" if several else "")
                     for n, (b, docs) in enumerate(stories, 1)]
            story = env.get_template("_page_story.html.j2")
            bodies = [Markup(story.render(page=page, briefing=page.briefing, level=2 if several else 1,
                                          MARKS=MARKS, appendix=appendix(page.briefing),
                                          positions_by_actor=positions_by_actor(page.briefing)))
                      for page in pages]
            css, script = style_sheet(pages), _static("page.js")
            first = pages[0].briefing
            heading = title or (f"Digest: {len(pages)} stories" if several else first.title)
            return env.get_template("page.html.j2").render(
                stories=bodies, pages=pages, briefing=first, title=heading, language=first.language,
                css=Markup(css), script=Markup(script), policy=content_policy(css, script), MARKS=MARKS)
    except jinja2.TemplateError as error:
        raise TemplateError(f"page.html: {getattr(error, 'message', error)}") from None


__all__ = ["MARKS", "Escaped", "Page", "content_policy", "iso_day", "pieces", "render_page"]
