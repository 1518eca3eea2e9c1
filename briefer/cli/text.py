"""`briefer text`: the article as briefer reads it, before anyone pays for a briefing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .main import main
from .options import article_meta, article_options, page_store_options
from .printing import terminal_safe


@main.command()
@click.argument("source", metavar="FILE|URL|-")
@article_options
@page_store_options
@click.option("--json", "as_json", is_flag=True, help="Print the Document (metadata, text, paragraphs) as JSON.")
def text(source: str, as_json: bool, replay: Path | None, record: Path | None, cache: Path | None,
         **params: Any) -> None:
    """Show what the model will read: title, outlet, date and link, then the numbered
    paragraphs ([P1], [P2], ... as evidence cites them). No model is called; a URL is fetched
    (through the recordings with --replay/--record/--cache).

    \b
    Examples:
      briefer text page.html
      briefer text https://example.org/news/story.html
      cat article.txt | briefer text - --title "..." --json
    """
    from ..app.reading import read_article

    document = read_article(source, article_meta(params), replay, record, cache)
    if as_json:
        click.echo(document.model_dump_json(indent=2))
        return
    for line in document_lines(document):
        click.echo(terminal_safe(line))


def document_lines(document: Any) -> list[str]:
    """A header of what is known about the article, a blank line, then one line a paragraph."""
    words = sum(len(p.text.split()) for p in document.paragraphs)
    header = [("Title", document.title), ("Outlet", document.outlet), ("Date", document.date),
              ("Link", document.url), ("Language", document.language),
              ("Source", f"{document.origin} (id {document.id})")]
    lines = [f"{name + ':':<10}{value or 'unknown'}" for name, value in header]
    lines.append(f"{len(document.paragraphs)} paragraphs, {words:,} words")
    return [*lines, "", *(f"[P{p.number}] {p.text}" for p in document.paragraphs)]
