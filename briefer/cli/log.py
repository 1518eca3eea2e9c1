"""`briefer log`: the runs briefer made, what they cost, and totals per day and per model."""

from __future__ import annotations

import json
from typing import Any

import click

from .main import main
from .printing import terminal_safe


def calls_and_money(row: dict[str, Any]) -> str:
    """`3 calls (1 replayed), 9,888 + 14,622 tokens, 0.0456 USD (replayed: 0.0088 not spent)`."""
    calls, replayed = row["calls"], row.get("replayed") or 0
    text = (f"{calls} call{'s' * (calls != 1)}" + (f" ({replayed} replayed)" if replayed else "")
            + f", {row['prompt_tokens']:,} + {row['completion_tokens']:,} tokens")
    if row["cost"] is not None:
        text += f", {row['cost']:.4f} {row['currency']}"
        if replayed:
            text += f" (replayed: {row.get('replayed_cost') or 0:.4f} not spent)"
    return text


def run_line(record: dict[str, Any]) -> str:
    usage = "usage unknown" if record["calls"] is None else calls_and_money(record)
    if "Batch API" in (record.get("prices_of") or ""):  # half the price: say so beside the figure
        usage += f" at the prices of {record['prices_of']}"
    what = record["title"] or ", ".join(s["id"] or s["origin"] or "?" for s in record["sources"])
    outputs = f" -> {', '.join(record['outputs'])}" if record["outputs"] else ""
    return terminal_safe(f"#{record['id']} {record['started'][:16].replace('T', ' ')} {record['model']} "
                         f"[{record['outcome']}] {usage}: {what}{outputs}")


def total_line(total: dict[str, Any], by: str) -> str:
    return terminal_safe(f"  {total[by]}: {total['runs']} run{'s' * (total['runs'] != 1)}, "
                         f"{calls_and_money(total)}")


@main.command("log")
@click.option("--since", metavar="WHEN", help="Only runs since a date (2026-12-01), a time "
              "(2026-12-01T08:00), today, or an age (7d, 12h, 30m).")
@click.option("--model", help="Only runs with this model.")
@click.option("--json", "as_json", is_flag=True, help="The runs and the totals as JSON.")
def log_command(since: str | None, model: str | None, as_json: bool) -> None:
    """List past runs (what was briefed, model, calls, tokens, cost, outcome, outputs), with
    totals per day and per model: `brief` runs, `doctor` requests and each `batch collect` that
    wrote briefings (at Batch API prices). `--no-log` on those, or `log = false` in the config
    file, turns the log off.

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
