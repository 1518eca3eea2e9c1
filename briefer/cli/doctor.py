"""`briefer doctor`: check, before paying, that a run can work."""

from __future__ import annotations

import json
from typing import Any

import click

from .main import main
from .options import (
    base_url_option,
    model_option,
    prices_option,
    response_format_option,
    smtp_server_options,
    timeout_option,
)
from .printing import notice, terminal_safe


@main.command()
@model_option
@base_url_option
@response_format_option
@timeout_option
@prices_option
@smtp_server_options
@click.option("--json", "as_json", is_flag=True, help="The checks as JSON.")
@click.option("--log/--no-log", default=True, show_default=True,
              help="Record the check's tiny request in the run log (`briefer log`).")
def doctor(as_json: bool, **params: Any) -> None:
    """Check that a run can work, before paying for one: the API key is set, the endpoint
    answers, the model exists, strict structured outputs work (one tiny request; its cost is
    shown), and the SMTP settings connect and log in. One line per check; exit 14 if any fails.
    Settings come from flags, the environment and the config file, as for `brief`.

    \b
    Examples:
      briefer doctor
      briefer --profile local doctor --json
      briefer doctor --base-url http://localhost:8000/v1 --model qwen2.5 --smtp-host smtp.example.org
    """
    from ..app.doctor import as_json as checks_json
    from ..app.doctor import diagnose
    from ..app.settings import run_settings
    from ..core.errors import ChecksFailed
    from ..core.safety import redact

    checks, warning = diagnose(run_settings(params))
    if as_json:
        click.echo(redact(json.dumps(checks_json(checks), indent=2)))
    else:
        for check in checks:
            click.echo(terminal_safe(redact(check.line())))  # server replies are untrusted text
    if warning:
        notice(warning)
    failed = [c.name for c in checks if c.status == "fail"]
    if failed:
        raise ChecksFailed(f"{len(failed)} of {len(checks)} checks failed: {', '.join(failed)}")
