"""What every test server on 127.0.0.1 shares: a free port, a thread that serves it, `with` to
start and stop it, and a handler that keeps the test output clean. The servers (chat_server.py,
batch_server.py, page_server.py) only say how each request is answered."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

Server = TypeVar("Server", bound="LocalServer")


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as the clients under test expect), and no log line per request."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *_: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout, a test over, a body cut on purpose) is expected."""


class LocalServer:
    """A server on a free port of 127.0.0.1, served by a daemon thread between `__enter__` and
    `__exit__`. Subclasses give `_handler_class()` (a QuietHandler) and call this `__init__`
    once what the handler reads is set."""

    def __init__(self) -> None:
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`: where the server listens."""
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self: Server) -> Server:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
