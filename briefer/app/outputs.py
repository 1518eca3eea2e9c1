"""Briefings out and back in: rendered or as JSON, to a file or stdout, read back, mailed."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import BriefingFileError, UsageError
from .settings import MailSettings, OutputSettings, SmtpOptions

if TYPE_CHECKING:
    from email.headerregistry import Address

    from ..core.models import Briefing, Document
    from ..render.mail import SmtpSettings


PAGE_SUFFIXES = (".html", ".htm")


def output_format(output: OutputSettings) -> str:
    """json, html (the web page beside the sources) or md: as asked, else by the file's
    extension (.json, .html with the default template), else Markdown."""
    suffix = output.path.suffix.lower() if output.path else ""
    if output.fmt:
        if output.fmt == "html" and output.template != "briefing.md":
            raise UsageError("--format html is the web page beside the sources; it takes no --template "
                             "(for an HTML template, give -o FILE.html --template NAME)")
        return output.fmt
    if suffix == ".json":
        return "json"
    return "html" if suffix in PAGE_SUFFIXES and output.template == "briefing.md" else "md"


def briefing_text(briefing: Briefing, output: OutputSettings, documents: list[Document] | None = None) -> str:
    """The briefing as JSON (`--format json`, or a `.json` file), as the web page beside its
    sources (`--format html`, or an `.html` file: needs the `documents` it was made from), or
    rendered through the template."""
    chosen = output_format(output)
    if chosen == "json":
        from ..core.files import briefing_json

        return briefing_json(briefing)
    if chosen == "html":
        from ..render.page import render_page

        if documents is None:
            raise UsageError("the web page needs the briefing's sources: render it from the saved "
                             "JSON with briefer render BRIEFING.json -o brief.html")
        return render_page([(briefing, documents)])
    from ..render.engine import render_briefing

    return render_briefing(briefing, output.template, output.templates_dir)


def write_briefing(briefing: Briefing, output: OutputSettings, paid: bool = False,
                   documents: list[Document] | None = None) -> str | None:
    """Write the briefing to its file (atomically); without a file, return the text for stdout.
    A `paid` briefing that cannot be written where asked is kept elsewhere (the error says where)."""
    from ..core.errors import WriteError
    from ..core.files import briefing_json, rescue, write_atomically

    text = briefing_text(briefing, output, documents)
    if output.path is None:
        return text
    try:
        write_atomically(output.path, text)
    except WriteError as error:
        if not paid:
            raise
        kept = rescue(briefing_json(briefing), briefing.sources[0].id if briefing.sources else "briefing")
        raise WriteError(f"{error}; the briefing is kept in {kept}" if kept else str(error)) from None
    return None


def show_paid(echo: Callable[[str], None], text: str, briefing: Briefing) -> None:
    """Print a paid briefing; when standard output cannot take it (a full disk), keep the
    briefing elsewhere and say where. A closed pipe (`| head`) is the reader's choice: click's."""
    from ..core.errors import WriteError
    from ..core.files import briefing_json, describe_os_error, rescue

    try:
        echo(text)
    except BrokenPipeError:
        raise
    except OSError as error:
        kept = rescue(briefing_json(briefing), briefing.sources[0].id if briefing.sources else "briefing")
        where = f"the briefing is kept in {kept}" if kept else "the briefing could not be kept anywhere"
        raise WriteError(f"cannot write to standard output: {describe_os_error(error)}; {where}") from None


def briefing_sources(briefing: Briefing, given: list[str], near: Path) -> list[Document]:
    """The texts a saved briefing was made from, for its web page: the files given, else found
    where the briefing says they came from (unchanged, or refused: briefer.grounding.audit)."""
    from ..grounding.audit import documents_for

    return documents_for(briefing, given, near, give="--source FILE (once per article)")


def load_briefing(path: Path) -> Briefing:
    """A saved Briefing JSON (`-`: standard input, as every command reads it), or a one-line
    error saying why it cannot be read."""
    import sys

    from pydantic import ValidationError

    from ..core.bounded import LARGE_FILE, read_bytes
    from ..core.models import Briefing

    piped = str(path) == "-"
    if piped:
        data = sys.stdin.buffer.read(LARGE_FILE + 1)
        if len(data) > LARGE_FILE:
            raise BriefingFileError(f"standard input: more than {LARGE_FILE:,} bytes; not a briefing")
    else:
        data = read_bytes(path, limit=LARGE_FILE, error=BriefingFileError) or b""
    try:
        return Briefing.model_validate_json(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        path = Path("standard input") if piped else path
        raise BriefingFileError(f"{path}: not a briefer briefing ({where}: {first['msg']})") from None


def saved_briefing_in(path: Path) -> Briefing | None:
    """A briefing an earlier run saved in an OUTDIR, or None when the file is none (not a
    regular file, too large, not a briefing): read by `load_briefing` like any saved briefing,
    so a FIFO or a device named `*.json` there is passed over, not waited on."""
    try:
        return load_briefing(path)
    except BriefingFileError:
        return None


def smtp_settings(options: SmtpOptions) -> SmtpSettings | None:
    """The SMTP settings with the password read (environment or file), or None without a host."""
    from ..render.mail import SmtpSettings

    if not options.host:
        return None
    password = os.environ.get("BRIEFER_SMTP_PASSWORD")
    if options.password_file is not None:
        password = read_password_file(options.password_file)
    if options.user and not password:
        raise UsageError("--smtp-user needs a password: set BRIEFER_SMTP_PASSWORD or give --smtp-password-file")
    return SmtpSettings(host=options.host, port=options.port, security=options.security,  # type: ignore[arg-type]
                        ca_file=options.ca_file, user=options.user, password=password,
                        timeout=options.timeout)


def read_password_file(path: Path) -> str:
    """The password in a file: its one line of text. A binary, multi-line or unreadable file is
    one line of error that shows none of its bytes."""
    from ..core.safety import register_secret

    from ..core.bounded import read_bytes

    data = read_bytes(path, limit=64 * 1024, error=UsageError, what="--smtp-password-file") or b""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"--smtp-password-file {path}: not a text file (give a file holding "
                         "only the password)") from None
    lines = text.strip().splitlines()
    if "\x00" in text or len(lines) > 1:
        raise UsageError(f"--smtp-password-file {path}: not a password file (it should hold "
                         "the password alone, on one line)")
    password = lines[0].strip() if lines else ""
    register_secret(password)
    return password


@dataclass(frozen=True)
class Envelope:
    """A message's checked addresses and where it goes."""

    sender: Address
    to: list[Address]
    cc: list[Address]
    smtp: SmtpSettings | None


def check_mail(mail: MailSettings) -> Envelope:
    """Everything about the mail settings that can be wrong, found before any model call."""
    from ..render.mail import addresses

    if not mail.sender:
        raise UsageError("give the sender: --from / --email-from or BRIEFER_MAIL_FROM")
    senders = addresses([mail.sender], "--from")
    if len(senders) != 1:
        raise UsageError("--from takes exactly one address")
    to = addresses(mail.to, "--to")
    if not to:
        raise UsageError("give at least one recipient")
    smtp = smtp_settings(mail.smtp)
    if smtp is None and mail.eml is None:
        raise UsageError("say where the email goes: --eml FILE, --smtp-host HOST, or both")
    return Envelope(sender=senders[0], to=to, cc=addresses(mail.cc, "--cc"), smtp=smtp)


#: Options that only mean something when a briefing is mailed.
MAIL_ONLY = ("eml", "email_cc", "email_subject", "email_from", "smtp_host", "smtp_port",
             "smtp_security", "smtp_ca_file", "smtp_user", "smtp_password_file", "smtp_timeout")


def check_mail_options(mail: MailSettings, origins: dict[str, str]) -> None:
    """With --email-to, everything that would fail the send after a paid call fails now;
    without it, a mail-only flag on the command line is refused rather than ignored (standing
    settings from the environment or the config file are fine)."""
    if mail.to:
        check_mail(mail)
        return
    stray = [origins[name].removeprefix("flag ") for name in MAIL_ONLY
             if origins.get(name, "").startswith("flag ")]
    if stray:
        raise UsageError(f"{stray[0]} applies only when mailing: add --email-to ADDRESS, or drop it")


def mail_briefing(briefing: Briefing, mail: MailSettings, templates_dir: Path | None) -> list[str]:
    """Build the message and deliver it: the one path shared by `email` and `brief --email-to`."""
    from ..ingest import slug
    from ..render.mail import build_message, deliver

    envelope = check_mail(mail)
    message = build_message(briefing, sender=envelope.sender, to=envelope.to, cc=envelope.cc,
                            subject=mail.subject, templates_dir=templates_dir, dossier=mail.dossier)
    name = briefing.sources[0].id if briefing.sources else slug(briefing.title)
    return deliver(message, smtp=envelope.smtp, eml=mail.eml, keep_as=Path.cwd() / f"{name}.eml")
