"""`briefer templates` and `briefer schema`: what briefer works with, for the curious user."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .main import main
from .options import templates_dir_option


@main.command()
@templates_dir_option
@click.option("--json", "as_json", is_flag=True, help="The templates (name, origin, path) as JSON.")
def templates(templates_dir: Path | None, as_json: bool) -> None:
    """List the templates --template can name, and where each comes from.

    \b
    Examples:
      briefer templates --templates-dir ~/briefer-templates
      briefer templates --json
    """
    from ..render.engine import available_templates, resource_dir

    builtin = resource_dir("templates")
    found = [(name, "built-in" if path.parent == builtin else "yours", path)
             for name, path in available_templates(templates_dir)]
    if as_json:
        click.echo(json.dumps([{"name": n, "origin": o, "path": str(p)} for n, o, p in found], indent=2))
        return
    width = max((len(name) for name, _, _ in found), default=0)
    for name, origin, path in found:
        click.echo(f"{name:<{width}}  {origin:<9} {path}")


@main.command()
def schema() -> None:
    """Print the JSON Schema sent to the model (strict structured outputs).

    \b
    Example:
      briefer schema > chunk_extraction.schema.json
    """
    from ..core.models import ChunkExtraction
    from ..extract.schema import strict_json_schema

    click.echo(json.dumps(strict_json_schema(ChunkExtraction), indent=2, ensure_ascii=False))
