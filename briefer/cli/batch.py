"""`briefer batch submit|status|collect|cancel`: parse into RunSettings, run (app/batch.py over
batchrun.py), print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..core.defaults import DEFAULT_CHUNK_TOKENS, DEFAULT_CONCURRENCY, MIN_CHUNK_TOKENS
from .main import main
from .options import (
    Amount,
    base_url_option,
    model_option,
    prices_option,
    response_format_option,
    stack,
    store_options,
    templates_dir_option,
)
from .printing import notice

OUTDIR = click.argument("outdir", metavar="OUTDIR", type=click.Path(file_okay=False, path_type=Path))

#: The provider (with --base-url, or the one the run was submitted to), the store, prices, quiet.
provider_options = stack(
    base_url_option,
    store_options,
    prices_option,
    click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
)


@main.group()
def batch() -> None:
    """Brief many articles through the provider's Batch API: half the price, no rate limits,
    answers within 24 hours. Same inputs and the same briefings as `brief --each`.

    \b
    Examples:
      briefer batch submit inbox/ -o briefings/          # plan, upload, create the batch
      briefer batch status briefings/                    # its state and request counts
      briefer batch collect briefings/                   # write the briefings; follow-ups go out
      briefer batch submit inbox/ -o out/ --file-only    # the JSONL only, for another engine
      briefer batch collect out/ --results output.jsonl  # that engine's answers
    """


@batch.command()
@click.argument("sources", metavar="FILE|DIR...", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              metavar="OUTDIR", help="Where the briefings (and the run's state) go.")
@model_option
@provider_options
@click.option("--chunk-tokens", type=click.IntRange(MIN_CHUNK_TOKENS, 100_000), default=DEFAULT_CHUNK_TOKENS,
              show_default=True, help="Most article tokens one request reads.")
@click.option("--max-reasks", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Times an invalid answer is asked again (each in a follow-up batch).")
@response_format_option
@click.option("--grounding", type=click.Choice(["mark", "strict", "off"]), default="mark", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="json: only ID.json; md: ID.md beside it.")
@click.option("--template", default="briefing.md", show_default=True, metavar="NAME|PATH")
@templates_dir_option
@click.option("--file-only", is_flag=True,
              help="Write the requests as Batch JSONL and upload nothing (for an engine that reads "
              "the batch format); give its answers to `collect --results`.")
@click.option("--dry-run", is_flag=True, help="Show the chunks, requests, tokens and the batch price; "
              "send nothing.")
@click.option("--max-calls", type=click.IntRange(1), metavar="N",
              help="Refuse a run that would make more requests than this.")
@click.option("--max-cost", type=Amount(), metavar="AMOUNT",
              help="Refuse a run whose estimated cost at batch prices is higher.")
def submit(sources: tuple[str, ...], file_only: bool, dry_run: bool, quiet: bool, **params: Any) -> None:
    """Plan the chunks of every article, write the requests as Batch JSONL, upload it and create
    the batch. A rerun never submits twice.

    \b
    Example:
      briefer batch submit inbox/ -o briefings/ --max-cost 5
    """
    from ..app.settings import run_settings
    from ..batch.run import batch_run, dry_run_report, new_state

    settings = run_settings(params)
    report = dry_run_report(settings, sources, dry_run)
    if report is not None:
        click.echo(report)
        return
    outdir = params["output"]
    state = new_state(settings, sources, outdir, file_only)
    say(batch_run(state, outdir, settings, hooks(quiet)).submit(state), quiet, outdir)


@batch.command()
@OUTDIR
@provider_options
@click.option("--json", "as_json", is_flag=True, help="The state and counts as JSON on stdout.")
def status(outdir: Path, as_json: bool, quiet: bool, **params: Any) -> None:
    """The state of the run's current batch and its request counts, in one line.

    \b
    Example:
      briefer batch status briefings/ --json
    """
    from ..batch.run import status_report

    click.echo(status_report(run_over(outdir, params, quiet), as_json))


@batch.command()
@OUTDIR
@provider_options
@click.option("--results", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Answers in the batch output format, produced elsewhere (repeatable).")
@click.option("--now", is_flag=True, help="Ask what is still needed (re-asks, syntheses) with "
              "synchronous calls instead of a follow-up batch.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=DEFAULT_CONCURRENCY, show_default=True,
              help="Calls in flight with --now.")
@click.option("--json", "json_summary", is_flag=True, help="The run summary as JSON on stdout.")
@click.option("--log/--no-log", default=True, show_default=True,
              help="Record a collect that writes briefings in the run log (`briefer log`), at the "
              "prices it paid; `log = false` in the config file turns it off for good.")
def collect(outdir: Path, results: tuple[Path, ...], now: bool, json_summary: bool, quiet: bool,
            **params: Any) -> None:
    """Download the answers, write every finished briefing as `brief --each` does, and submit a
    follow-up batch for what still needs a call. Re-runnable: nothing is paid twice.

    \b
    Example:
      briefer batch collect briefings/
    """
    import time

    from ..app.settings import run_settings
    from ..batch.run import collect as collect_answers
    from ..batch.run import collect_summary
    from ..core.errors import BatchIncomplete

    started = time.monotonic()
    _, outcome, result = collect_answers(outdir, run_settings(params), hooks(quiet or json_summary),
                                         list(results) or None, now, params.get("concurrency"))
    say(outcome, quiet or json_summary, outdir, result)
    summary = outcome.summary
    if json_summary and result is not None:
        click.echo(json.dumps(collect_summary(result, params["prices"], started), indent=2))
    if outcome.finished and summary is not None and summary.failed:
        raise BatchIncomplete(f"{summary.line()}; each failure is reported above, every answer is "
                              f"kept in {outdir}")


@batch.command()
@OUTDIR
@provider_options
def cancel(outdir: Path, quiet: bool, **params: Any) -> None:
    """Cancel the run's current batch. What it answered before it stopped is kept by `collect`,
    which resubmits the rest."""
    for line in run_over(outdir, params, quiet).cancel():
        notice(line)


def run_over(outdir: Path, params: dict[str, Any], quiet: bool) -> Any:
    """The run saved in OUTDIR, with this command's provider options."""
    from ..app.settings import run_settings
    from ..batch.run import open_run

    return open_run(outdir, run_settings(params), hooks(quiet), params.get("concurrency"))


def hooks(quiet: bool) -> Any:
    from ..app.result import Hooks

    def said(name: str, outcome: str) -> None:
        if not quiet or outcome.startswith("failed"):
            notice(f"{name}: {outcome}")

    return Hooks(on_article=said, notice=notice, quiet=quiet)


def say(outcome: Any, quiet: bool, outdir: Path, result: Any = None) -> None:
    """What a round did: the articles' count and, for a collect that wrote briefings, what its
    rounds cost (the briefings, meant to be forwarded, do not say); then what was sent or is
    awaited."""
    if quiet:
        return
    if outcome.summary is not None:
        from ..batch.run import spent

        paid = f"; {spent(result)}" if result is not None and result.batch is not None else ""
        notice(f"{outcome.summary.line()}, in {outdir}{paid}")
    for line in outcome.lines:
        notice(line)
