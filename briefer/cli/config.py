"""`briefer config path|show|set|unset`: the settings that stay between runs."""

from __future__ import annotations

import json
import os
from typing import Any

import click

from ..core.defaults import DEFAULT_MODEL
from .main import main
from .printing import notice, terminal_safe


def option_for(ctx: click.Context, key: str) -> tuple[str, click.Parameter] | None:
    """The command option a config key feeds (brief's, when several commands share it)."""
    from .defaults import config_key

    root = ctx.find_root()
    group = root.command
    assert isinstance(group, click.Group)
    names = ["brief", *(n for n in group.list_commands(root) if n != "brief")]
    for name in names:
        command = group.get_command(root, name)  # loads its module: commands register lazily
        for param in command.params if command is not None else ():
            if config_key(name, param) == key:
                return name, param
    return None


def settings_table(ctx: click.Context) -> list[dict[str, Any]]:
    """Every setting with its value and where that value comes from (flags aside)."""
    from ..app.config_file import SECRETS, SETTABLE

    config = ctx.obj
    rows = []
    for key in SETTABLE:
        found = option_for(ctx, key)
        param = found[1] if found else None
        envvar = param.envvar if param is not None and isinstance(param.envvar, str) else None
        if envvar and os.environ.get(envvar):
            value, origin = os.environ[envvar], f"environment {envvar}"
        elif key in config.values:
            value, origin = config.values[key], config.origins[key]
        else:
            default = DEFAULT_MODEL if key == "model" else param.default if param is not None else None
            plain = isinstance(default, str | int | float | bool | list | tuple)
            value, origin = (default if plain else None), "default"
        rows.append({"key": key, "value": _shown(value), "origin": origin})
    for key, envvar in SECRETS.items():
        state = "set" if os.environ.get(envvar, "").strip() else "not set"
        rows.append({"key": key, "value": f"({state}; never stored)", "origin": f"environment {envvar}"})
    return rows


def _shown(value: Any) -> Any:
    """A value as it may be shown: a URL without the password in its user part, secrets masked."""
    from ..core.safety import redact, safe_url

    if isinstance(value, str):
        return redact(safe_url(value) or value)
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    return value


@main.group()
def config() -> None:
    """The config file: defaults for every run, and profiles (`briefer --profile NAME ...`).
    Precedence: flags > environment > profile > file defaults. Secrets are never written to it.

    \b
    Examples:
      briefer config set model gpt-4.1
      briefer --profile work config set base-url http://localhost:8000/v1
      briefer --profile work config show
      briefer config path
    """


@config.command("path")
@click.pass_context
def config_path(ctx: click.Context) -> None:
    """Print where the config file is (BRIEFER_CONFIG overrides it).

    \b
    Example:
      $EDITOR "$(briefer config path)"
    """
    click.echo(str(ctx.obj.path))


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="The settings as JSON.")
@click.pass_context
def config_show(ctx: click.Context, as_json: bool) -> None:
    """Show every setting, its value and where it comes from.

    \b
    Example:
      briefer --profile work config show
    """
    rows = settings_table(ctx)
    if as_json:
        click.echo(json.dumps({"path": str(ctx.obj.path), "profile": ctx.obj.profile, "settings": rows},
                              indent=2, default=str))
        return
    click.echo(f"# {ctx.obj.path}" + (f", profile {ctx.obj.profile}" if ctx.obj.profile else ""))
    for row in rows:
        value = ", ".join(map(str, row["value"])) if isinstance(row["value"], list | tuple) else row["value"]
        click.echo(terminal_safe(f"{row['key']:<20} {'' if value is None else value!s:<32} ({row['origin']})"))


@config.command("set")
@click.argument("key")
@click.argument("values", metavar="VALUE...", nargs=-1, required=True)
@click.pass_context
def config_set(ctx: click.Context, key: str, values: tuple[str, ...]) -> None:
    """Set KEY in the file's defaults, or in a profile with `briefer --profile NAME config set`.

    \b
    Examples:
      briefer config set model gpt-4.1
      briefer config set email-to desk@example.org editor@example.org
      briefer config set log false
    """
    from ..app.config_file import check_key, store
    from ..core.errors import UsageError

    found = option_for(ctx, check_key(key))
    param = found[1] if found else click.Option(["--" + key], type=click.Path(dir_okay=False))
    if len(values) > 1 and not param.multiple:
        raise UsageError(f"{key} takes one value")
    try:
        converted = param.type_cast_value(ctx, list(values) if param.multiple else values[0])
    except click.BadParameter as error:
        raise UsageError(f"{key}: {error.message}") from None
    value: Any = converted if isinstance(converted, bool | int | float) else values[0]
    path = store(key, list(values) if param.multiple else value, ctx.obj.profile)
    where = f"profile {ctx.obj.profile}" if ctx.obj.profile else "defaults"
    notice(f"{key} set in {path} ({where})")


@config.command("unset")
@click.argument("key")
@click.pass_context
def config_unset(ctx: click.Context, key: str) -> None:
    """Remove KEY from the file's defaults (or from the profile given with --profile).

    \b
    Example:
      briefer --profile work config unset model
    """
    from ..app.config_file import check_key, read_document, store

    table = read_document(ctx.obj.path)
    if ctx.obj.profile is not None:
        table = table.get("profiles", {}).get(ctx.obj.profile, {})
    where = f"profile {ctx.obj.profile}" if ctx.obj.profile else "the defaults"
    if check_key(key) not in table:
        notice(f"{key} is not set in {where} of {ctx.obj.path}: nothing to remove")
        return
    path = store(key, None, ctx.obj.profile)
    notice(f"{key} removed from {path} ({where})")
