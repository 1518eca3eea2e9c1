"""`briefer stories`: the morning run, feeds in, one briefing per story out, and a digest."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .main import main
from .options import briefing_run_options
from .printing import notice


@main.command()
@click.argument("sources", metavar="FEED|URL|FILE|DIR...", nargs=-1, required=True)
@click.option("--since", metavar="24h|2d", help="Leave out articles published before this long ago "
              "(an article without a date is kept).")
@click.option("--explain", is_flag=True, help="Say what joined the articles of each story: their "
              "similarity and the names they share.")
@briefing_run_options
@click.option("--json", "json_plan", is_flag=True,
              help="Print the plan as JSON on stdout (with --dry-run, instead of running it): each "
              "story, its articles' links or paths, its calls and cost, what joined them.")
@click.option("--batch", "use_batch", is_flag=True,
              help="Through the provider's Batch API (half the price, answers within a day): submit "
              "now; `briefer batch collect OUTDIR` later writes the stories and the digest.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the result and errors.")
def stories(sources: tuple[str, ...], since: str | None, explain: bool, dry_run: bool, json_plan: bool,
            use_batch: bool, quiet: bool, **params: Any) -> None:
    """The morning briefing: gather the articles of every feed (and the pages, files and
    folders given), group them into stories (no model call: the words and names they share),
    brief each story of several articles as one several-source briefing and each lone article
    on its own, into -o OUTDIR, and write OUTDIR/digest.md, the stories most outlets covered
    first. A rerun briefs only the stories that are new or gained an article.

    \b
    Examples:
      briefer stories https://example.org/rss https://example.net/atom.xml -o morning/
      briefer stories feeds.txt -o morning/ --since 24h --email-to desk@example.org
      briefer stories inbox/ -o morning/ --dry-run --explain      # the stories and their cost
      briefer stories feeds.txt -o morning/ --batch && briefer batch collect morning/   # next morning
    """
    from ..app.morning import run_morning
    from ..app.settings import run_settings
    from .defaults import origins

    settings = run_settings(params, origins(click.get_current_context()))
    silent = quiet or json_plan
    if use_batch and not dry_run:
        submit(settings, sources, since, quiet)
        return

    def said(name: str, outcome: str) -> None:
        if not silent or outcome.startswith(("failed", "skipped")):
            notice(f"{name}: {outcome}", single_line=True)

    from ..app.result import Hooks

    hooks = Hooks(status=None if silent else sys.stderr, on_article=said, notice=notice, quiet=quiet)
    result = run_morning(settings, sources, since=since, dry_run=dry_run, hooks=hooks)
    if json_plan:  # after a run: the plan it carried out
        click.echo(json.dumps(result.plan_json(settings.model), indent=2))
    elif dry_run or explain:
        for line in plan_lines(result, explain):
            click.echo(line)
    if result.summary is not None and not quiet:
        summary = result.summary
        for line in result.delivered:
            notice(line)
        notice(f"{len(summary.briefed)} stories briefed, {len(summary.unchanged)} unchanged, "
               f"{len(summary.failed)} failed; digest: {result.digest}"
               + (f"; {result.spent}" if result.spent else ""))
    if result.summary is not None and result.summary.failed:
        from ..core.errors import BatchIncomplete

        raise BatchIncomplete(f"{len(result.summary.failed)} of {len(result.planned)} stories failed; "
                              "rerun the same command to retry them")


def plan_lines(result: Any, explain: bool) -> list[str]:
    """The stories, most outlets first: articles, cost, and with `explain` what joined them."""
    from ..core.safety import one_line

    lines = []
    for story in result.planned:
        cost = story.estimate.cost
        price = f"about {cost.amount:.4f} {cost.currency}" if cost else "cost unknown"
        state = "already briefed" if story.done else f"{story.estimate.calls} calls, {price}"
        lines.append(f"{story.key}: {len(story.documents)} article{'s' * (len(story.documents) != 1)}, "
                     f"{story.outlets} outlet{'s' * (story.outlets != 1)}; {state}")
        for document in story.documents:
            lines.append(f"  {document.id}: {one_line(document.title or '')} ({one_line(document.outlet or '?')}, "
                         f"{document.date or 'undated'}) {one_line(document.url or document.origin)}")
        if explain:
            lines += [f"  joined: {one_line(story.reason(link))}" for link in story.links]
    return lines


def submit(settings: Any, sources: tuple[str, ...], since: str | None, quiet: bool) -> None:
    """`--batch`: the run's state and first batch, as `briefer batch submit` makes them."""
    from ..app.morning import checked_outdir
    from ..batch.run import batch_run, new_state
    from ..core.errors import UsageError
    from .batch import hooks, say

    if since or settings.mail.to:
        raise UsageError(f"--batch with {'--since' if since else '--email-to'}: a batch run briefs every "
                         "article given and mails nothing; mail its digest with `briefer digest` after collect")
    outdir = checked_outdir(settings)
    told = hooks(quiet)
    state = new_state(settings, sources, outdir, file_only=False, stories=True, report=told.on_article)
    say(batch_run(state, outdir, settings, told).submit(state), quiet, outdir)
