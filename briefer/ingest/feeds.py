"""Feeds and lists of links: what `brief --each` briefs one by one.

An RSS or Atom feed (by URL or file, parsed by feedparser) or a file whose every line is a URL
stands for the articles it links to; anything else is an article itself. A nightly run over the
same feed skips every link already briefed (see batch.py), without fetching it again.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ..core.errors import InputError
from .documents import MAX_INPUT_BYTES
from .web import FEED_TYPES, FetchedURL, PageStore, fetch, is_private_host, is_url

_FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>\s*)*"
                         rb"<(rss|feed|rdf:RDF)\b", re.DOTALL | re.IGNORECASE)
_COMMENT = "#"


class ListedURL(str):
    """A URL from a file of URLs: an article or a feed, which only its page tells. The stories
    run tells it by the one fetch that reads it (briefer.app.each.resolve_listed), never by a
    fetch of its own."""


class FeedLink(str):
    """A link a feed on the public web gave: untrusted, so it is fetched only if it (and every
    redirect) leads to a public address, never to this machine or its private network."""

    public_only = True


def feed_links(source: str, store: PageStore | None = None) -> list[str] | None:
    """The article links of a feed or a list of URLs; None when `source` is an article file. A
    URL that is an article stands for itself, with the page fetched to tell (`FetchedURL`)."""
    if is_url(source):
        page = fetch(source, store, feeds=True, public_only=getattr(source, "public_only", False))
        if page.kind not in FEED_TYPES and not _FEED_START.match(page.data[:4096]):
            return [FetchedURL(source, page)]
        links = _links_of_feed(page.data, source, base=page.url)
        # Trust is the first host's, the one the user named, never where a redirect went: a
        # public feed that redirects to this machine does not make its links trusted.
        public = getattr(source, "public_only", False) or not is_private_host(
            urlsplit(source).hostname or "", resolve=not store or store.mode != "replay")
        return [FeedLink(link) for link in links] if public else links
    path = Path(source)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError:
        return None  # reading it as an article will say what is wrong
    if _FEED_START.match(data[:4096]):
        return _links_of_feed(data, source, base=None)
    return _url_list(data)


def _links_of_feed(data: bytes, source: str, base: str | None) -> list[str]:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base} if base else None)
    if parsed.get("bozo") and not parsed.entries:
        raise InputError(f"{source}: not a readable RSS or Atom feed ({parsed.get('bozo_exception')})")
    links = [_entry_link(entry) for entry in parsed.entries]
    found = _unique([link for link in links if link and is_url(link)])
    if not found:
        raise InputError(f"{source}: a feed with no article links")
    return found


def _entry_link(entry: dict) -> str | None:
    """The item's own page: `link`, else its first alternate link."""
    if entry.get("link"):
        return str(entry["link"])
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _url_list(data: bytes) -> list[str] | None:
    """The URLs of a file that is nothing but URLs (blank lines and # comments aside)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(_COMMENT)]
    if not lines or not all(is_url(line) and " " not in line for line in lines):
        return None
    return [ListedURL(line) for line in _unique(lines)]


def _unique(links: list[str]) -> list[str]:
    return list(dict.fromkeys(links))
