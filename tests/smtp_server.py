"""A real SMTP server on 127.0.0.1 (aiosmtpd), with STARTTLS and login when asked, for tests."""

from __future__ import annotations

import socket
import ssl
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """aiosmtpd's Controller does not take port 0, so ask the OS for a free one first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """`with SmtpServer(tls=context, login=("user", "pw")) as server:`; messages land in
    `server.messages` as raw bytes, with the envelope recipients in `server.recipients`."""

    def __init__(self, tls: ssl.SSLContext | None = None, login: tuple[str, str] | None = None):
        self.messages: list[bytes] = []
        self.recipients: list[list[str]] = []
        self.logins: list[str] = []
        self.port = free_port()
        self._login = login
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, tls_context=tls,
            require_starttls=tls is not None, auth_required=login is not None,
            auth_require_tls=tls is not None, authenticator=self._authenticate,
        )

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._controller.stop()

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword) or self._login is None:
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        self.logins.append(user)
        return AuthResult(success=(user, password) == self._login, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's naming)
        self.messages.append(envelope.content)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"
