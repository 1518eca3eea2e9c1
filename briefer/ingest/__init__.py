"""Articles in, `Document`s out: files, standard input, web pages and feeds, decoded, cleaned of
boilerplate and cut into numbered paragraphs; hands each Document to extraction.
"""

# Articles in, `Document`s out: files, standard input, web pages and feeds.
#
# `read_source` is the one entry point the pipeline uses; the modules below it each do one job
# (text decoding and paragraphs, HTML extraction, files, the web).

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from ..core.models import Document
from .documents import MAX_INPUT_BYTES, document_from_bytes

if TYPE_CHECKING:
    from .web import PageStore
from .files import STDIN, read_sidecar
from .text import slug, split_paragraphs

__all__ = ["MAX_INPUT_BYTES", "STDIN", "document_from_bytes", "read_sidecar", "read_source", "slug",
           "split_paragraphs"]


def read_source(source: str, stdin: BinaryIO | None = None, meta: dict[str, str] | None = None,
                store: PageStore | None = None, doc_id: str | None = None) -> Document:
    """A URL, a file path or `-` for standard input into a Document; `meta` (title, outlet,
    date, url) overrides what the page, the file or its sidecar says. `store` (mode, folder)
    is the response store a URL is fetched through, as model calls are. `doc_id` is the id the
    run allocated (briefer.ingest.ids); by default one from the URL or the file name."""
    from .web import is_url

    if is_url(source):
        from .web import FetchedURL, document_id, fetch

        if isinstance(source, FetchedURL):  # fetched once already, to tell it from a feed
            page = source.page
        else:
            page = fetch(source, store, public_only=getattr(source, "public_only", False))
        given = {k: v for k, v in (meta or {}).items() if v}
        return document_from_bytes(page.data, doc_id=doc_id or document_id(page.url), origin=source,
                                   html=page.html, charset=page.charset, **{"url": page.url, **given})
    from .files import read_file

    return read_file(source, stdin, meta, doc_id)
