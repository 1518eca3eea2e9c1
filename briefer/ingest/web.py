"""Articles from the web: one careful GET per page, through the response store when one is set.

Careful means: a clear user agent, timeouts and an overall deadline, at most a few redirects, a
size cap read as the body streams, compressed bodies undone, the content type checked before
the body is read, and the charset the server names. Every failure is one line (FetchError).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from ..core.errors import FetchError
from .documents import MAX_INPUT_BYTES

if TYPE_CHECKING:
    import httpx2


class PageStore(Protocol):
    """Where a run records and replays the pages it fetches: the same store as its model calls
    (briefer.llm.recording.PageStore), handed down by the run so that reading never reaches up
    to the model boundary."""

    mode: str

    def transport(self, network: httpx2.BaseTransport | None) -> httpx2.BaseTransport:
        """The store, over `network` (the guarded fetch network; None when replaying)."""

USER_AGENT = "briefer/0.1 (article briefing tool; one request per article)"
MAX_REDIRECTS = 5
#: Seconds to connect, and between bytes; the whole fetch may take twice that. Settable with
#: BRIEFER_FETCH_TIMEOUT for slow sites.
DEFAULT_TIMEOUT = 20.0
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml")
_GENERIC_NAMES = frozenset({"index", "article", "story", "default", "amp", "content"})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"


@dataclass(frozen=True)
class Page:
    """What a URL answered: the final URL after redirects, the body, and what it is."""

    url: str
    data: bytes
    html: bool | None  # None: decide by the content (no content type given)
    charset: str | None
    kind: str = ""  # the content type, without parameters


class FetchedURL(str):
    """A URL given as a source whose page was fetched already, to tell a feed from an article:
    reading the article takes this page, so that a run GETs every page once."""

    page: Page

    def __new__(cls, url: str, page: Page) -> FetchedURL:
        fetched = super().__new__(cls, url)
        fetched.page = page
        return fetched


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(url: str, store: PageStore | None = None, feeds: bool = False, public_only: bool = False) -> Page:
    """GET one page (or, with `feeds`, a page or a feed). `store` answers from
    recordings or records, as for model calls; without it the page comes from the network.

    Trust is decided once, by the first host: a URL on this machine or a private network was
    named by the user and may lead anywhere; a URL on the public web (and any link a public feed
    gave, `public_only`) may only lead to public addresses, at every redirect (see guard.py)."""
    import httpx2

    from .guard import Deadline, Routed

    offline = store is not None and store.mode == "replay"
    guarded = public_only or not is_private_host(urlsplit(url).hostname or "", resolve=not offline)
    deadline = Deadline(2 * timeout())
    refuse = _refusal(url, public_only) if guarded else None
    network = None if offline else Routed(deadline, refuse)
    hooks = {"request": [_every_hop(refuse, network)]} if refuse else {}
    try:
        with httpx2.Client(transport=_transport(store, network), follow_redirects=True, max_redirects=MAX_REDIRECTS,
                           timeout=httpx2.Timeout(timeout()), trust_env=True, event_hooks=hooks,
                           headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT}) as client:
            with client.stream("GET", url) as response:
                return _page(url, response, _PAGE_TYPES + _TEXT_TYPES + (FEED_TYPES if feeds else ()), deadline)
    except httpx2.TooManyRedirects:
        raise FetchError(f"{url}: a redirect loop (more than {MAX_REDIRECTS} redirects)") from None
    except httpx2.TimeoutException:
        if deadline.passed():
            raise FetchError(f"{url}: too slow (the page took over {deadline.seconds:g} seconds; "
                             "BRIEFER_FETCH_TIMEOUT sets the limit)") from None
        raise FetchError(f"{url}: too slow, no answer within {timeout():g} seconds "
                         "(BRIEFER_FETCH_TIMEOUT sets the limit)") from None
    except httpx2.ConnectError as error:
        raise FetchError(f"{url}: {_connect_failure(error)}") from None
    except (httpx2.TransportError, httpx2.DecodingError) as error:
        raise FetchError(f"{url}: the transfer failed ({type(error).__name__})") from None
    except httpx2.InvalidURL as error:
        raise FetchError(f"{url}: not a valid URL ({error})") from None


def is_private_host(host: str, resolve: bool = True) -> bool:
    """Whether a host is this machine or a private network: its literal address, or (with
    `resolve`) any address its name resolves to. A name that does not resolve is left to the
    connection to fail."""
    from .guard import addresses_of, is_address, is_local_name, is_private_address

    if is_local_name(host):
        return True
    bare = host.strip("[]")
    if is_address(bare):
        return is_private_address(bare)
    return resolve and any(is_private_address(a) for a in addresses_of(bare))


def _refusal(url: str, public_only: bool):  # noqa: ANN202 - a guard.Refusal
    """The error for a hop that leads to a private address, saying why it may not."""
    why = ("and the link came from a feed on the public web" if public_only else
           f"and {urlsplit(url).hostname}, the address given, is on the public web")

    def refuse(where: str) -> FetchError:
        return FetchError(f"{url}: refused: it leads to {where}, a local or private address, {why}")

    return refuse


def _every_hop(refuse, network):  # noqa: ANN001, ANN202 - an httpx2 request hook
    """Check every request (the first, and each redirect) before it is sent. A literal address
    or a local name is checked here; a name is checked where it is resolved and connected to
    (guard.py), or here when a proxy will connect for us (or the page is replayed)."""

    def check(request) -> None:  # noqa: ANN001 - an httpx2 request
        host = request.url.host
        proxied = network is not None and network.proxied(request.url)
        if is_private_host(host, resolve=proxied):
            raise refuse(host)

    return check


def timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("BRIEFER_FETCH_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def _transport(store: PageStore | None, network: Any):  # noqa: ANN202 - an httpx2 transport
    return store.transport(network) if store is not None else network


def _page(url: str, response, accepted: tuple[str, ...], deadline) -> Page:  # noqa: ANN001 - httpx2's
    """Check status and type before reading; read at most the cap, within the deadline."""
    if response.status_code == 404 or response.status_code == 410:
        raise FetchError(f"{url}: not found (HTTP {response.status_code})")
    if response.status_code >= 400:
        raise FetchError(f"{url}: the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip())
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in FEED_TYPES and kind not in accepted:
        raise FetchError(f"{url}: a feed, not an article: brief its items with --each FEED -o OUTDIR")
    if kind and kind not in accepted:
        what = "a PDF" if kind == "application/pdf" else f"{kind}"
        raise FetchError(f"{url}: {what}, not a web page (briefer reads HTML pages and plain text)")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        raise FetchError(f"{url}: too large ({int(declared) // (1024 * 1024)} MB; the limit is "
                         f"{MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    data = bytearray()
    for part in response.iter_bytes():
        data += part
        if len(data) > MAX_INPUT_BYTES:
            raise FetchError(f"{url}: too large (over {MAX_INPUT_BYTES // (1024 * 1024)} MB; no news "
                             "article is that long)")
        if deadline.passed():
            raise FetchError(f"{url}: too slow (the page took over {deadline.seconds:g} seconds)")
    return Page(url=str(response.url), data=bytes(data), html=kind in _PAGE_TYPES if kind else None,
                charset=response.charset_encoding, kind=kind)


def _connect_failure(error: Exception) -> str:
    text = str(error)
    if "SSL" in text or "TLS" in text or "CERTIFICATE" in text.upper():
        return "the secure connection failed (TLS: a bad certificate or not an https server)"
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "no such host"
    return "could not connect (refused or unreachable)"


def document_id(url: str) -> str:
    """A readable id from the URL: its last path segment, else its host."""
    from .text import slug

    parts = urlsplit(url)
    segments = [s.rsplit(".", 1)[0] for s in parts.path.split("/") if s]
    name = segments[-1] if segments else ""
    if len(name) >= 8 and not name.isdigit() and name.lower() not in _GENERIC_NAMES:
        return slug(name)
    return slug(" ".join([parts.hostname or "page", *segments[-2:]]))  # "index", "12345": say where
