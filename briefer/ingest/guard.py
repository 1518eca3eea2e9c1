"""What a page fetch may reach, and for how long: the address rules and the one deadline.

A fetch the public web decides (a URL on a public host, or a link a public feed gave) may only
reach public addresses. The name is resolved once, here, each address checked, and the
connection made to an address that was checked: a name that answers a public address when
checked and 127.0.0.1 when connected (DNS rebinding) cannot slip through. Every redirect is
checked the same way, as a new connection.

One deadline covers the whole fetch: connecting, TLS, the headers and the body. A server that
trickles its headers a byte at a time is cut off at the deadline like one that trickles its body.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore2
import httpx2

from ..core.errors import FetchError

def addresses_of(host: str) -> list[str]:
    """Every address a host name (or literal) stands for; empty when it does not resolve."""
    host = host.strip("[]")
    try:
        return [ipaddress.ip_address(host).compressed]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)  # looked up now: a test's own too
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in found))


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_private_address(address: str) -> bool:
    """Whether an address is this machine or a private network (anything not global: loopback,
    private ranges, link-local, the cloud metadata address, and IPv4 inside IPv6)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return True  # not an address at all: refuse rather than guess
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


def is_local_name(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


class Deadline:
    """One moment by which a whole fetch must be done."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        """The time left (at most `timeout`); past the deadline, a timeout now."""
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise httpcore2.ReadTimeout(f"the fetch took over {self.seconds:g} seconds")
        return remaining if timeout is None else min(timeout, remaining)

    def passed(self) -> bool:
        return time.monotonic() >= self.end


class _TimedStream(httpcore2.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, stream: httpcore2.NetworkStream, deadline: Deadline):
        self._stream, self._deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore2.NetworkStream:
        secure = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout))
        return _TimedStream(secure, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


Refusal = Callable[[str], FetchError]


class GuardedBackend(httpcore2.NetworkBackend):
    """Connections within the deadline; with `refuse`, only to public addresses, resolved
    once and connected to as checked. Without it (a trusted fetch, or a proxy the user set)
    the name is connected to as given."""

    def __init__(self, deadline: Deadline, refuse: Refusal | None = None):
        self._backend = httpcore2.SyncBackend()
        self._deadline, self._refuse = deadline, refuse

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        targets = [host]
        if self._refuse is not None:
            targets = addresses_of(host)
            if not targets:
                raise httpcore2.ConnectError(f"{host}: Name or service not known")
            private = next((a for a in targets if is_private_address(a)), None)
            if is_local_name(host) or private is not None:
                raise self._refuse(f"{host} ({private or 'this machine'})")
        failure: Exception | None = None
        for target in targets:
            try:
                stream = self._backend.connect_tcp(target, port, self._deadline.left(timeout), local_address,
                                                   socket_options)
                return _TimedStream(stream, self._deadline)
            except httpcore2.ConnectError as error:
                failure = error
        raise failure or httpcore2.ConnectError(f"{host}: could not connect")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        raise httpcore2.ConnectError("page fetches use TCP only")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.left()))


def guard(transport: Any, deadline: Deadline, refuse: Refusal | None) -> Any:
    """An httpx2 HTTPTransport whose connections go through GuardedBackend. httpx2 takes no
    network backend as an argument; its pool (direct or through a proxy) has one attribute."""
    pool = transport._pool  # noqa: SLF001 - see above; test_web checks it is still there
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpx2's connection pool changed: the page fetch guard cannot be installed")
    pool._network_backend = GuardedBackend(deadline, refuse)  # noqa: SLF001
    return transport


class Routed(httpx2.BaseTransport):
    """The network for page fetches: direct, or through the proxy HTTP(S)_PROXY names (NO_PROXY
    respected), routed as httpx2 routes when given no transport; every connection under the
    deadline, and a direct one under the address rules (a proxy resolves the name itself, so
    the request hook checks what the name resolves to here, before the request goes)."""

    def __init__(self, deadline: Deadline, refuse: Refusal | None) -> None:
        from httpx2._utils import URLPattern, get_environment_proxies

        self._direct = guard(httpx2.HTTPTransport(retries=1), deadline, refuse)
        self._routes = sorted(
            (URLPattern(pattern), guard(httpx2.HTTPTransport(retries=1, proxy=proxy), deadline, None) if proxy else None)
            for pattern, proxy in get_environment_proxies().items())

    def via(self, url: httpx2.URL) -> httpx2.BaseTransport:
        for pattern, transport in self._routes:
            if pattern.matches(url):
                return transport or self._direct
        return self._direct

    def proxied(self, url: httpx2.URL) -> bool:
        return self.via(url) is not self._direct

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self.via(request.url).handle_request(request)

    def close(self) -> None:
        for transport in {self._direct, *(t for _, t in self._routes if t is not None)}:
            transport.close()
