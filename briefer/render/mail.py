"""Briefings as email: a multipart/alternative message (text first, HTML second), written as an
.eml or sent through SMTP.

Built with the standard library's `email` package and its default policy, which refuses CR or
LF in a header: a title or a name with a line break can never inject one. The server certificate
is always verified (`ssl.create_default_context`, against the system's CAs or --smtp-ca-file):
smtplib does not check it otherwise. A failed send keeps the message as an .eml.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Literal

from ..core.errors import DeliveryError, UsageError
from ..core.files import write_atomically
from ..core.models import Briefing
from ..core.safety import one_line
from .engine import inert, render_briefing

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
MAX_SUBJECT = 200


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None = None
    security: Security = "starttls"
    ca_file: Path | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


def addresses(values: tuple[str, ...] | list[str], option: str) -> list[Address]:
    """Parse `Name <a@b>` / `a@b, c@d` values; anything with a line break or no @ is refused."""
    parsed: list[Address] = []
    for value in values:
        if "\r" in value or "\n" in value:
            raise UsageError(f"{option}: an address cannot contain a line break")
        for name, address in getaddresses([value]):
            if "@" not in address:
                raise UsageError(f"{option}: '{value}' is not an email address")
            username, domain = address.rsplit("@", 1)
            try:
                parsed.append(Address(display_name=name, username=username, domain=domain))
            except (ValueError, TypeError) as error:
                raise UsageError(f"{option}: '{value}' is not an email address ({error})") from None
    return parsed


def subject_of(briefing: Briefing) -> str:
    """The title on one line, no longer than a subject should be."""
    subject = inert(briefing.title)
    return subject if len(subject) <= MAX_SUBJECT else subject[: MAX_SUBJECT - 1] + "…"


def build_message(
    briefing: Briefing,
    *,
    sender: Address,
    to: list[Address],
    cc: list[Address] | None = None,
    subject: str | None = None,
    templates_dir: Path | None = None,
    dossier: bool = False,
) -> EmailMessage:
    """The briefing as a multipart/alternative message, rendered from the email templates: the
    short briefing, or with `dossier` everything it holds."""
    if not to:
        raise UsageError("give at least one recipient")
    prefix = "dossier." if dossier else ""
    text = render_briefing(briefing, f"{prefix}email.txt", templates_dir)
    html = render_briefing(briefing, f"{prefix}email.html", templates_dir)
    return compose(subject=subject or subject_of(briefing), text=text, html=html, sender=sender,
                   to=to, cc=cc)


def compose(*, subject: str, text: str, html: str, sender: Address, to: list[Address],
            cc: list[Address] | None = None) -> EmailMessage:
    """A multipart/alternative message, text first and HTML second; the subject on one line."""
    message = EmailMessage()
    message["Subject"] = one_line(subject)
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.domain or None)
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def write_eml(message: EmailMessage, path: Path) -> None:
    write_atomically(path, message.as_string())


def probe(smtp: SmtpSettings) -> None:
    """Connect, secure and log in as a send would, and send nothing (`briefer doctor`)."""
    send(None, smtp)


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system's CAs, or those of `--smtp-ca-file`, with host names checked. The CA file is
    read as every user-named file is (core.bounded: a regular file, its mode checked before a
    byte is read, bounded), not handed to OpenSSL to open: a FIFO or /dev/zero would hang it."""
    from ..core.bounded import SMALL_FILE, read_text

    context = ssl.create_default_context()
    if ca_file is not None:
        pem = read_text(ca_file, limit=SMALL_FILE, error=DeliveryError, what="--smtp-ca-file") or ""
        try:
            context.load_verify_locations(cadata=pem)
        except (ssl.SSLError, ValueError) as error:
            raise DeliveryError(f"--smtp-ca-file {ca_file}: no PEM certificate in it ({error})") from None
    return context


def send(message: EmailMessage | None, smtp: SmtpSettings) -> None:
    """Send through SMTP (None: only connect and log in); every failure becomes one
    DeliveryError line saying why."""
    port = smtp.port or DEFAULT_PORTS[smtp.security]
    where = f"{smtp.host}:{port}"
    context = tls_context(smtp.ca_file)
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            if message is not None:
                client.send_message(message)
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(
            f"the SMTP server {where} has a certificate that is not trusted "
            f"({error.verify_message}); give its CA with --smtp-ca-file"
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"the SMTP server {where} refused the login for "
                            f"{smtp.user} ({error.smtp_code})") from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(f"the SMTP server {where} does not offer STARTTLS or login; "
                            "use --smtp-security ssl, or none on a trusted network") from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(sorted(error.recipients))
        raise DeliveryError(f"the SMTP server {where} refused the recipients {refused}") from None
    except smtplib.SMTPResponseException as error:
        reason = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        raise DeliveryError(f"the SMTP server {where} answered {error.smtp_code}: {reason}") from None
    except (socket.timeout, TimeoutError):
        raise DeliveryError(f"the SMTP server {where} did not answer within {smtp.timeout:g} s") from None
    except ConnectionRefusedError:
        raise DeliveryError(f"cannot connect to the SMTP server {where} (connection refused)") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
        raise DeliveryError(f"sending through {where} failed: {error}") from None


def deliver(
    message: EmailMessage, *, smtp: SmtpSettings | None, eml: Path | None, keep_as: Path
) -> list[str]:
    """Write the .eml and/or send; on a failed send, keep the message (at `eml`, or `keep_as`)
    and say where in the error. Returns what was done, for the user."""
    if smtp is None and eml is None:
        raise UsageError("say where the email goes: --eml FILE, --smtp-host HOST, or both")
    done = []
    if eml is not None:
        write_eml(message, eml)
        done.append(f"wrote {eml}")
    if smtp is not None:
        try:
            send(message, smtp)
        except DeliveryError as error:
            kept = eml or keep_as
            if eml is None:
                write_eml(message, kept)
            raise DeliveryError(f"{error}; the message is kept in {kept}") from None
        done.append(f"sent to {', '.join(str(a) for a in message['To'].addresses)} via {smtp.host}")
    return done
