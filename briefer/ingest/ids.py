"""The one id allocator for sources: every source of a run gets its own id, the same every run.

An id is the file name's slug (`reuters/article.txt` -> `article`). Two sources whose slugs clash
(`reuters/article.txt` and `ap/article.txt`; `talks.txt`, `talks.html` and `Talks.md`) get
`article`, `article-2`, ... in the order given (folders list their files sorted), so a rerun over
the same inputs gives the same ids; `--each` first lets each source keep the id its own earlier
briefing has. The same file given twice (by any path to it) is one source.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.models import Document
    from .web import PageStore

STDIN = "-"


def source_slug(source: str) -> str:
    """The id a source would have alone: from the file's name, or the page's URL."""
    from . import slug
    from .web import document_id, is_url

    if is_url(source):
        return document_id(source)
    return "stdin" if source == STDIN else slug(os.path.splitext(os.path.basename(source))[0])


def identity(source: str) -> str:
    """What makes two arguments the same source: the file they resolve to (or the URL)."""
    from .web import is_url

    return source if source == STDIN or is_url(source) else os.path.realpath(source)


def distinct(sources: list[str]) -> list[str]:
    """The sources in order, each file once however often (or by whatever path) it was given."""
    seen: set[str] = set()
    kept = []
    for source in sources:
        if (key := identity(source)) not in seen:
            seen.add(key)
            kept.append(source)
    return kept


def allocate(sources: list[str], owner: Callable[[str], str | None] | None = None) -> list[tuple[str, str]]:
    """(source, id) for every distinct source, in order. `owner(id)` names the source an
    existing output under that id belongs to (its origin), so that a source keeps its id when
    others with the same slug arrive later."""
    kept = distinct(sources)
    bases = [source_slug(s) for s in kept]
    ids: dict[str, str] = {}
    taken: set[str] = set()
    if owner is not None:
        clashing = {b for b in bases if bases.count(b) > 1}
        for base in sorted(clashing):
            for candidate in _candidates(base, bases.count(base) * 2):
                holder = owner(candidate)
                match = next((s for s, b in zip(kept, bases) if b == base and s not in ids
                              and holder is not None and identity(holder) == identity(s)), None)
                if match is not None:
                    ids[match] = candidate
                    taken.add(candidate)
    for source, base in zip(kept, bases):
        if source in ids:
            continue
        ids[source] = next(c for c in _candidates(base) if c not in taken)
        taken.add(ids[source])
    return [(s, ids[s]) for s in kept]


def _candidates(base: str, limit: int | None = None) -> Iterator[str]:
    """`base`, `base-2`, `base-3`, ... (up to `base-LIMIT`)."""
    yield base
    n = 2
    while limit is None or n <= limit:
        yield f"{base}-{n}"
        n += 1


def read_sources(sources: list[str] | tuple[str, ...], meta: dict[str, str] | None = None,
                 store: PageStore | None = None) -> list[Document]:
    """The Documents of one run, each file once, each with its own id (`meta`: what the
    options say of a single article; `store`: where a URL is fetched through)."""
    from . import read_source

    return [read_source(source, meta=meta, store=store,
                        doc_id=None if (source, doc_id) == (STDIN, "stdin") else doc_id)  # --url names it
            for source, doc_id in allocate(list(sources))]
