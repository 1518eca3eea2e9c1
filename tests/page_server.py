"""A web server on 127.0.0.1 for tests of URL input: pages, redirects, errors, slow answers.

Each path is answered by a `Route` the test sets, and may be changed while the server runs (a
feed gaining an item). Every request's path and headers are kept in `requests`.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from .local_http import LocalServer, QuietHandler


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    #: Send the body in pieces without a length (chunked), as a streaming server does.
    chunked: bool = False
    #: Never answer: hold the connection until the server stops.
    hang: bool = False


class PageServer(LocalServer):
    """`with PageServer({"/story.html": Route(body=...)}) as server:`; `server.url("/story.html")`.
    A client that gives up mid-body is what some tests do on purpose."""

    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._stop = threading.Event()
        super().__init__()

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://{self.address}{path}"

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        super().__exit__()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path, Route(b"no such page", 404, "text/plain"))
                if route.hang:
                    server._stop.wait()
                    return
                body = gzip.compress(route.body) if route.gzip else route.body
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("content-type", route.content_type)
                if route.gzip:
                    self.send_header("content-encoding", "gzip")
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.chunked:
                    self.send_header("transfer-encoding", "chunked")
                    self.end_headers()
                    for piece in _pieces(body, 64 * 1024):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
