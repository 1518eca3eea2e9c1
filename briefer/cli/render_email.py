"""`briefer render` and `briefer email`: a saved briefing, rendered again or mailed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .main import main
from .options import output_options, smtp_options, templates_dir_option
from .printing import notice


@main.command()
@click.argument("briefing_file", metavar="BRIEFING.json",
                type=click.Path(dir_okay=False, path_type=Path))
@output_options
@click.option("--source", "sources", multiple=True, metavar="FILE",
              help="An article the briefing was made from, for the web page (repeatable) "
              "[default: found where the briefing says it came from].")
@click.option("--json", "as_json", is_flag=True,
              help="The briefing as JSON on stdout (the same as --format json).")
def render(briefing_file: Path, sources: tuple[str, ...], as_json: bool, **params: Any) -> None:
    """Re-render a saved briefing, with no model call. `-o brief.html` (or `--format html`)
    writes one self-contained web page: the briefing beside its sources' paragraphs, every
    citation a link to the words it cites.

    \b
    Examples:
      briefer render brief.json
      briefer render brief.json -o brief.html
      briefer render brief.json --template email.html -o email.html
      briefer render brief.json --template my-briefing.md.j2 -o brief.md
      briefer render brief.json --json
    """
    from ..app.outputs import briefing_sources, load_briefing, output_format, write_briefing
    from ..app.settings import output_settings

    if as_json:
        if params.get("fmt") not in (None, "json"):
            raise click.UsageError(f"--json and --format {params['fmt']} ask for two formats; give one")
        params["fmt"] = "json"
    output = output_settings(params)
    briefing = load_briefing(briefing_file)
    documents = briefing_sources(briefing, list(sources), briefing_file.parent) \
        if output_format(output) == "html" else None
    text = write_briefing(briefing, output, documents=documents)
    if text is not None:
        click.echo(text, nl=False)


@main.command()
@click.argument("briefing_file", metavar="BRIEFING.json",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "--email-to", "to", multiple=True, required=True, metavar="ADDRESS",
              help="A recipient, 'Name <a@b>' or 'a@b' (repeatable).")
@click.option("--cc", "--email-cc", "cc", multiple=True, metavar="ADDRESS")
@click.option("--from", "--email-from", "sender", envvar="BRIEFER_MAIL_FROM", show_envvar=True, metavar="ADDRESS")
@click.option("--subject", help="[default: the briefing's title]")
@click.option("--dossier", is_flag=True,
              help="Send everything the briefing holds (the dossier templates), not the short briefing.")
@templates_dir_option
@smtp_options
def email(briefing_file: Path, to: tuple[str, ...], cc: tuple[str, ...], sender: str | None,
          subject: str | None, dossier: bool, templates_dir: Path | None, eml: Path | None,
          **smtp: Any) -> None:
    """Email a saved briefing: text and HTML in one message, as an .eml file or through SMTP.

    \b
    Examples:
      briefer email brief.json --to desk@example.org --from briefer@example.org --eml brief.eml
      briefer email brief.json --dossier --to desk@example.org --from briefer@example.org --eml all.eml
      BRIEFER_SMTP_PASSWORD=... briefer email brief.json --to desk@example.org \\
          --from briefer@example.org --smtp-host smtp.example.org --smtp-user briefer
    """
    from ..app.outputs import load_briefing, mail_briefing
    from ..app.settings import MailSettings
    from ..app.settings import smtp_options as smtp_settings

    mail = MailSettings(to=to, cc=cc, sender=sender, subject=subject, eml=eml, smtp=smtp_settings(smtp),
                        dossier=dossier)
    for line in mail_briefing(load_briefing(briefing_file), mail, templates_dir):
        notice(line)
