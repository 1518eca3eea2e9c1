"""Issue 24, findings 1 to 3 and the proxy of 12: the SSRF rules of page fetches, on loopback,
with a resolver the test controls. 127.0.0.1 stands for the public web where a test says so
(the address rules are told so); the private network is a second server on 127.0.0.2."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from briefer.core.errors import FetchError
from briefer.ingest import read_source

from .conftest import FIXTURES
from .local_http import _QuietServer
from .page_server import PageServer, Route

PAGE = (FIXTURES / "articles" / "ap_uk_tories_factcheckuk_2019.html").read_bytes()
PUBLIC = "93.184.216.34"  # a public address: never connected to by these tests


class InternalServer(PageServer):
    """A page server on 127.0.0.2: an address on "the private network" in these tests."""

    def __init__(self, routes: dict[str, Route] | None = None):
        super().__init__(routes)
        self._httpd.server_close()
        self._httpd = _QuietServer(("127.0.0.2", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names the test answers itself: each name's answers are given out in turn (the last one
    again once the list is used up), as a rebinding DNS server would."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in answers:
            return real(host, *args, **kwargs)
        address = answers[name].pop(0) if len(answers[name]) > 1 else answers[name][0]
        port = args[0] if args else kwargs.get("port")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 plays a host on the public web; 127.0.0.2 stays private."""
    try:
        from briefer.ingest import guard
    except ImportError:  # before the fix there is no single place that decides
        return
    private = guard.is_private_address
    monkeypatch.setattr(guard, "is_private_address", lambda a: a != "127.0.0.1" and private(a))


def test_a_name_that_rebinds_to_this_machine_after_the_check_is_never_connected_to(resolver) -> None:
    """Finding 1: the name answers a public address when checked, then 127.0.0.1. The fetch
    connects only to an address it checked, so the private page is never read."""
    with PageServer({"/status.html": Route(PAGE)}) as internal:
        port = internal.address.rsplit(":", 1)[1]
        resolver["rebind.example"] = [PUBLIC, "127.0.0.1"]
        with pytest.raises(FetchError) as raised:
            read_source(f"http://rebind.example:{port}/status.html")
    assert internal.requests == []
    assert "refused: it leads to rebind.example (127.0.0.1), a local or private address" in str(raised.value)


@pytest.mark.parametrize("status", [301, 302])
def test_a_public_page_that_redirects_to_the_private_network_is_refused(loopback_is_public, status: int) -> None:
    """Finding 2: trust is the first host's; every hop is checked."""
    with InternalServer({"/secret.html": Route(PAGE)}) as internal, PageServer() as public:
        public.routes["/story"] = Route(status=status, headers={"location": internal.url("/secret.html")},
                                        content_type=None)
        with pytest.raises(FetchError) as raised:
            read_source(public.url("/story"))
    assert internal.requests == [] and [p for p, _ in public.requests] == ["/story"]
    assert "refused: it leads to 127.0.0.2, a local or private address" in str(raised.value)


def test_a_public_feed_that_redirects_to_a_private_feed_does_not_make_its_links_trusted(
        loopback_is_public, run, tmp_path: Path) -> None:
    """Finding 2: a 301 from a public feed to a private one is refused, not taken as the user's
    own private feed whose private links may be fetched."""
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>%s</channel></rss>'
    with InternalServer() as internal, PageServer() as public:
        item = f"<item><title>x</title><link>{internal.url('/secret.html')}</link></item>".encode()
        internal.routes.update({"/feed.xml": Route(rss % item, content_type="application/rss+xml"),
                                "/secret.html": Route(PAGE)})
        public.routes["/feed.xml"] = Route(status=301, headers={"location": internal.url("/feed.xml")},
                                           content_type=None)
        result = run("brief", "--each", public.url("/feed.xml"), "-o", tmp_path / "out",
                     "--base-url", "http://127.0.0.1:9/v1", env={"OPENAI_API_KEY": "sk-test-never-used"})
    assert result.exit_code == 13, result.stderr
    assert "refused: it leads to 127.0.0.2" in result.stderr
    assert internal.requests == []


class FetchClock:
    """The fetch deadline's clock, moved by the server only: `step` seconds each byte it sends."""

    def __init__(self, step: float):
        self.step, self.now = step, 1000.0

    def monotonic(self) -> float:
        return self.now


class Trickle:
    """A server that sends its status line and headers one byte at a time; each byte moves the
    fetch's clock on by `clock.step` seconds (and really pauses `pause`, so the client reads them
    one by one)."""

    def __init__(self, clock: FetchClock, pause: float = 0.01):
        self.clock, self.pause, self.sent, self.total = clock, pause, 0, 0
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._done = threading.Event()

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d/slow.txt" % self._socket.getsockname()[1]

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        connection.recv(65536)
        body = b"A paragraph of a slow article that arrives in the end.\n" * 3
        head = (b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-padding: " + b"." * 40
                + b"\r\ncontent-length: %d\r\n\r\n" % len(body))
        self.total = len(head)
        try:
            for byte in head:
                if self._done.is_set():
                    break
                self.clock.now += self.clock.step
                connection.sendall(bytes([byte]))
                self.sent += 1
                time.sleep(self.pause)
            connection.sendall(body)
        except OSError:
            pass  # the client gave up: what this test wants
        finally:
            connection.close()

    def __enter__(self) -> Trickle:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._socket.close()


def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_one_deadline(monkeypatch) -> None:
    """Finding 3: each byte comes well within the timeout between bytes, but the whole answer
    would take far longer than the fetch's deadline (twice the timeout): it is cut off there,
    with the headers still coming. The deadline's clock is moved by the server, 20 seconds a
    byte (each within the 30-second timeout), so the 60-second deadline passes at the third
    byte of about 110 however loaded the machine, and no real wait for a byte is shorter than
    20 seconds."""
    from briefer.ingest import guard

    clock = FetchClock(step=20.0)
    monkeypatch.setattr(guard, "time", clock)
    monkeypatch.setenv("BRIEFER_FETCH_TIMEOUT", "30")
    with Trickle(clock) as server:
        with pytest.raises(FetchError) as raised:
            read_source(server.url)
        sent, total = server.sent, server.total
    assert "too slow (the page took over 60 seconds" in str(raised.value)
    assert 0 < sent < total  # cut off while the headers were still trickling in


def test_page_fetches_go_through_the_proxy_the_environment_names(resolver, monkeypatch) -> None:
    """Finding 12: HTTP_PROXY is honoured for page fetches, as for any well-behaved client."""
    resolver["news.example"] = [PUBLIC]
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with PageServer() as proxy:
        proxy.routes["http://news.example/story.txt"] = Route(b"A story told through a proxy. " * 4,
                                                              content_type="text/plain")
        monkeypatch.setenv("HTTP_PROXY", f"http://{proxy.address}")
        document = read_source("http://news.example/story.txt")
    assert [p for p, _ in proxy.requests] == ["http://news.example/story.txt"]
    assert document.paragraphs[0].text.startswith("A story told through a proxy.")


def test_a_proxy_does_not_open_the_private_network_to_public_links(resolver, monkeypatch) -> None:
    """Through a proxy the name is resolved here and checked before the request goes."""
    resolver["intranet.example"] = ["10.0.0.7"]
    with PageServer() as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://{proxy.address}")
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        from briefer.ingest.web import fetch

        with pytest.raises(FetchError) as raised:
            fetch("http://intranet.example/", public_only=True)
    assert proxy.requests == [] and "a local or private address" in str(raised.value)


def test_the_guard_is_installed_in_the_transport_httpx2_builds() -> None:
    """The guard sets the network backend of httpx2's connection pool (no public argument for
    it): if an update moved it, this fails rather than fetching unguarded."""
    from briefer.ingest.guard import Deadline, GuardedBackend, Routed

    routed = Routed(Deadline(5), None)
    assert isinstance(routed.via(__import__("httpx2").URL("http://a.example/"))._pool._network_backend,
                      GuardedBackend)
