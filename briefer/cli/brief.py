"""`briefer brief`: parse the options into RunSettings, run, print the result."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .main import main
from .options import article_meta, article_options, briefing_run_options
from .printing import notice


@main.command()
@click.argument("sources", metavar="FILE|URL|DIR|-...", nargs=-1, required=True)
@click.option("--each", is_flag=True,
              help="One briefing per article into -o OUTDIR (folders, feeds and files of URLs stand "
              "for their articles); a rerun skips the ones already done.")
@article_options
@briefing_run_options
@click.option("--json", "json_summary", is_flag=True,
              help="Print the run summary (calls, tokens, cost, outcomes), or with --dry-run the "
              "plan, as JSON on stdout; needs -o so the briefing does not go there too.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the result and errors.")
def brief(sources: tuple[str, ...], each: bool, dry_run: bool, json_summary: bool, quiet: bool,
          **params: Any) -> None:
    """Brief articles: text files, HTML pages, web pages by URL, or - for standard input. Several
    articles make one combined briefing; with --each, one briefing per article.

    \b
    Examples:
      briefer brief article.txt
      briefer brief page.html -o brief.json --cache recordings/
      briefer brief https://example.org/news/story.html   # fetched; --record keeps the page
      briefer brief bbc.txt reuters.html ap.txt          # one briefing, every item sourced
      briefer brief --each inbox/ -o briefings/          # one per article; reruns resume
      briefer brief --each https://example.org/rss -o briefings/   # a feed: only new items
      cat article.txt | briefer brief - --title "..." --outlet Reuters --date 2024-11-15
      briefer brief article.txt --base-url http://localhost:11434/v1 --model llama3.1
    """
    from ..app import run
    from ..app.outputs import output_format
    from ..app.settings import run_settings
    from .defaults import origins

    meta = article_meta(params)
    settings = run_settings(params, origins(click.get_current_context()))
    silent = quiet or json_summary

    def said(name: str, outcome: str) -> None:
        if not silent or outcome.startswith(("failed", "skipped")):
            notice(f"{name}: {outcome}", single_line=True)

    def failed(summary: dict[str, Any]) -> None:
        if json_summary:
            click.echo(json.dumps(summary, indent=2))

    hooks = run.Hooks(status=None if silent else sys.stderr, on_article=said, quiet=quiet,
                      stdout=lambda text: click.echo(text, nl=False), notice=notice, failed=failed)
    result = run.brief(settings, sources, each=each, dry_run=dry_run, json_summary=json_summary,
                       hooks=hooks, meta=meta)
    if result.plan is not None:
        plan = {**result.plan, "refused": result.refused} if json_summary else result.plan
        click.echo(json.dumps(plan, indent=2) if json_summary else result.dry_run_report)
        if result.refused:
            from ..core.errors import GuardRefused

            raise GuardRefused(f"the run would be refused: {result.refused}")
        return
    if json_summary:
        click.echo(json.dumps(result.summary, indent=2))
    elif not quiet or (result.batch is not None and result.batch.failed):
        shown = settings.output.template if output_format(settings.output) == "md" else None  # a rendering
        for line in run.summary_lines(result, settings.output.path, shown):
            notice(line)
    result.raise_for_failures()
