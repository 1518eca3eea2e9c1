"""`briefer log`: the runs briefer made, newest first, one short line each, and what they cost."""

from __future__ import annotations

import json
import shutil
from typing import Any

import click

from .main import main
from .printing import terminal_safe

#: `--outcome`: what each choice finds at the start of a run's outcome.
OUTCOMES = {"ok": "ok", "failed": "failed", "incomplete": "incomplete", "interrupted": "interrupted",
            "not-mailed": "briefed, not mailed"}
#: A run's line when standard output is not a terminal.
PLAIN_WIDTH = 120


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


def short_money(record: dict[str, Any]) -> str:
    """`3 calls 0.0456 USD`, `1 call replayed`, `no answer`: what a run took, in a few words."""
    calls = record["calls"]
    if not calls:
        return "no answer"
    text = f"{calls} call{'s' * (calls != 1)}"
    if record.get("replayed") == calls:
        return text + " replayed"
    if record["cost"] is not None:
        text += f" {record['cost']:.4f} {record['currency']}"
        if "Batch API" in (record.get("prices_of") or ""):
            text += " (Batch API)"
    return text


def run_line(record: dict[str, Any], width: int) -> str:
    """`#12 2026-12-06 14:02 gpt-4.1-mini ok 3 calls 0.0456 USD: Title`, cut to the width."""
    what = record["title"] or ", ".join(s["id"] or s["origin"] or "?" for s in record["sources"])
    outcome = " ".join((record["outcome"] or "").split()).split(":")[0]
    line = (f"#{record['id']} {record['started'][:16].replace('T', ' ')} {record['model']} {outcome} "
            f"{short_money(record)}: {' '.join((what or '').split())}")
    line = terminal_safe(line)
    return line if len(line) <= width else line[: width - 1] + "…"


def total_line(total: dict[str, Any], by: str) -> str:
    return terminal_safe(f"  {total[by]}: {total['runs']} run{'s' * (total['runs'] != 1)}, "
                         f"{calls_and_money(total)}")


def screenful() -> int:
    """How many runs fit on the terminal above the totals (20 when not a terminal)."""
    lines = shutil.get_terminal_size((0, 0)).lines
    return max(5, lines - 10) if lines else 20


@main.command("log")
@click.option("-n", "--count", type=click.IntRange(0), metavar="N",
              help="Show the N newest runs (0: all). [default: a screenful; 20 when not a terminal]")
@click.option("-q", "--search", metavar="TEXT", help="Only runs whose title, sources, outcome or outputs hold TEXT.")
@click.option("--since", metavar="WHEN", help="Only runs since a date (2026-12-01), a time "
              "(2026-12-01T08:00), today, or an age (7d, 12h, 30m).")
@click.option("--model", "model_filter", metavar="NAME", help="Only runs with this model.")
@click.option("--outcome", type=click.Choice(list(OUTCOMES)), help="Only runs that ended so.")
@click.option("--totals/--no-totals", default=True, show_default=True,
              help="Add the totals per day and per model of the runs found (all of them, not only the N shown).")
@click.option("--json", "as_json", is_flag=True, help="Every field of the runs shown, and the totals, as JSON.")
def log_command(count: int | None, search: str | None, since: str | None, model_filter: str | None,
                outcome: str | None, totals: bool, as_json: bool) -> None:
    """List past runs, newest first, one line each (number, time, model, outcome, calls and
    cost, what was briefed); `--json` has every field (tokens, sources, outputs, endpoint).
    `brief` and `stories` runs, `doctor` requests and each `batch collect` that wrote briefings are logged;
    `--no-log` on those, or `log = false` in the config file, turns the log off.

    \b
    Examples:
      briefer log
      briefer log -n 3 --outcome failed
      briefer log -q reuters --since 7d
      briefer log --since today --json
    """
    from ..app import runlog

    found = runlog.runs(runlog.parse_since(since) if since else None, model_filter, search=search,
                        outcome=OUTCOMES[outcome] if outcome else None)
    shown = found[: count if count is not None else screenful()] if count != 0 else found
    by_day, by_model = runlog.totals(found, "day"), runlog.totals(found, "model")
    if as_json:
        click.echo(json.dumps({"database": str(runlog.database()), "runs": shown, "found": len(found),
                               "totals": {"by_day": by_day, "by_model": by_model}}, indent=2))
        return
    if not found:
        click.echo(f"no runs logged{' that match' if search or model_filter or outcome or since else ''} "
                   f"(in {runlog.database()})")
        return
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns
    for record in shown:
        click.echo(run_line(record, width))
    if len(shown) < len(found):
        click.echo(f"({len(found) - len(shown)} older run{'s' * (len(found) - len(shown) != 1)} not shown: -n 0 shows all)")
    if totals:
        click.echo("totals per day:")
        for total in by_day:
            click.echo(total_line(total, "day"))
        click.echo("totals per model:")
        for total in by_model:
            click.echo(total_line(total, "model"))
