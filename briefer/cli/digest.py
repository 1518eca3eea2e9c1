"""`briefer digest`: several saved briefings as one document, and as one email."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .main import main
from .options import email_options, templates_dir_option
from .printing import notice


@main.command()
@click.argument("briefings", metavar="BRIEFING.json...|DIR", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the digest here (- is stdout, the default); FILE.html: the web page.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]),
              help="md: Markdown; html: one self-contained web page, each briefing beside its "
              "sources' paragraphs. [default: by the extension of -o, else md]")
@templates_dir_option
@email_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the digest and errors.")
def digest(briefings: tuple[str, ...], output: Path | None, fmt: str | None, templates_dir: Path | None,
           quiet: bool, **params: Any) -> None:
    """Gather saved briefings into one digest: a table of contents (each story's title, bottom
    line and a link to its section), then the stories. Markdown on stdout or -o; with
    --email-to, one email (text and HTML). A folder stands for the briefings in it.

    \b
    Examples:
      briefer digest briefings/ -o digest.md
      briefer digest a.json b.json c.json -o digest.html
      briefer digest a.json b.json c.json --email-to desk@example.org --email-from me@example.org --eml digest.eml
      briefer brief --each inbox/ -o briefings/ --email-to desk@example.org   # mails the digest
    """
    from ..app.digest import make_digest
    from ..app.outputs import check_mail_options
    from ..app.settings import mail_settings
    from .defaults import origins

    mail = mail_settings(params)
    check_mail_options(mail, origins(click.get_current_context()))
    text, delivered = make_digest(briefings, output, mail, templates_dir, fmt)
    if text is not None and not (mail.eml or mail.smtp.host):  # mailed: said below, not printed too
        click.echo(text, nl=False)
    if not quiet:
        for line in delivered:
            notice(line)
