"""`briefer log`: the runs briefer made, what they cost, and totals per day and per model."""

from __future__ import annotations

import json
from typing import Any

import click

from .main import main
from .printing import terminal_safe


def run_line(record: dict[str, Any]) -> str:
    calls = record["calls"]
    usage = ("usage unknown" if calls is None else
             f"{calls} call{'s' * (calls != 1)}, {record['prompt_tokens']:,} + "
             f"{record['completion_tokens']:,} tokens")
    cost = f", {record['cost']:.4f} {record['currency']}" if record["cost"] is not None else ""
    what = record["title"] or ", ".join(s["id"] or s["origin"] or "?" for s in record["sources"])
    outputs = f" -> {', '.join(record['outputs'])}" if record["outputs"] else ""
    return terminal_safe(f"#{record['id']} {record['started'][:16].replace('T', ' ')} {record['model']} "
                         f"[{record['outcome']}] {usage}{cost}: {what}{outputs}")


def total_line(total: dict[str, Any], by: str) -> str:
    cost = f", {total['cost']:.4f} {total['currency']}" if total["cost"] is not None else ""
    return terminal_safe(f"  {total[by]}: {total['runs']} run{'s' * (total['runs'] != 1)}, "
                         f"{total['calls']} call{'s' * (total['calls'] != 1)}, {total['prompt_tokens']:,} + "
                         f"{total['completion_tokens']:,} tokens{cost}")


@main.command("log")
@click.option("--since", metavar="WHEN", help="Only runs since a date (2026-12-01), a time "
              "(2026-12-01T08:00), today, or an age (7d, 12h, 30m).")
@click.option("--model", help="Only runs with this model.")
@click.option("--json", "as_json", is_flag=True, help="The runs and the totals as JSON.")
def log_command(since: str | None, model: str | None, as_json: bool) -> None:
    """List past runs (what was briefed, model, calls, tokens, cost, outcome, outputs), with
    totals per day and per model. `brief --no-log`, or `log = false` in the config file, turns
    the log off.

    \b
    Examples:
      briefer log --since 7d
      briefer log --since today --json
    """
    from ..app import runlog

    records = runlog.runs(runlog.parse_since(since) if since else None, model)
    by_day, by_model = runlog.totals(records, "day"), runlog.totals(records, "model")
    if as_json:
        click.echo(json.dumps({"database": str(runlog.database()), "runs": records,
                               "totals": {"by_day": by_day, "by_model": by_model}}, indent=2))
        return
    if not records:
        click.echo(f"no runs logged{' since ' + since if since else ''} (in {runlog.database()})")
        return
    for record in records:
        click.echo(run_line(record))
    click.echo("totals per day:")
    for total in by_day:
        click.echo(total_line(total, "day"))
    click.echo("totals per model:")
    for total in by_model:
        click.echo(total_line(total, "model"))
