"""`briefer templates` and `briefer schema`: what briefer works with, for the curious user."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .main import main
from .options import templates_dir_option


@main.command()
@templates_dir_option
def templates(templates_dir: Path | None) -> None:
    """List the templates --template can name, and where each comes from.

    \b
    Example:
      briefer templates --templates-dir ~/briefer-templates
    """
    from ..render.engine import available_templates, resource_dir

    builtin = resource_dir("templates")
    found = available_templates(templates_dir)
    width = max((len(name) for name, _ in found), default=0)
    for name, path in found:
        origin = "built-in" if path.parent == builtin else "yours"
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
