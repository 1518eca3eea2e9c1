"""`briefer check`: every grounding check run again on a saved briefing (the logic lives in
briefer.grounding.audit; this only parses and prints)."""

from __future__ import annotations

from pathlib import Path

import click

from .main import main


@main.command()
@click.argument("briefing_file", metavar="BRIEFING.json", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("sources", metavar="[SOURCE...]", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the re-checked Briefing (JSON) here.")
@click.option("--strict", is_flag=True, help="Exit 15 when anything is unsupported.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the grounding report and the unsupported items as JSON.")
def check(briefing_file: Path, sources: tuple[str, ...], output: Path | None, strict: bool, as_json: bool) -> None:
    """Run every grounding check again on a saved briefing, against its sources (found from
    where the briefing says they came from, or given), and print the summary line.

    \b
    Examples:
      briefer check brief.json
      briefer check brief.json article.txt -o rechecked.json
      briefer check brief.json --strict     # in CI: fails on anything unsupported
      briefer render brief.json --format json | briefer check - --json
    """
    from ..app.check import check_briefing
    from ..core.errors import GroundingFailed

    checked, failed = check_briefing(briefing_file, list(sources), output)
    if as_json:
        import json

        click.echo(json.dumps({"summary": checked.grounding.summary, "unsupported": failed,
                               "grounding": checked.grounding.model_dump(mode="json")}, indent=2))
    else:
        click.echo(checked.grounding.summary)
    if strict and failed:
        shown = ", ".join(failed[:8]) + (", ..." if len(failed) > 8 else "")
        raise GroundingFailed(f"{len(failed)} unsupported item{'s' * (len(failed) != 1)}: {shown}")
