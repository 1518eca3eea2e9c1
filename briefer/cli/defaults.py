"""From the config file to click's defaults, and where each value of a command came from."""

from __future__ import annotations

from typing import Any

import click

#: Options whose parameter name differs from their config key.
ALIASES = {("email", "to"): "email-to", ("email", "cc"): "email-cc", ("email", "sender"): "email-from"}
RENAMED = {"structured_mode": "response-format"}


def config_key(command: str, param: click.Parameter) -> str | None:
    """The config key that feeds this option, if any: the one named like its parameter. An
    option named otherwise is not a setting, whatever its flag (`log --model` filters the list;
    the config file's `model` must not)."""
    from ..app.config_file import SETTABLE

    if not isinstance(param, click.Option) or not param.name:
        return None
    key = ALIASES.get((command, param.name)) or RENAMED.get(param.name) or param.name.replace("_", "-")
    return key if key in SETTABLE else None


def config_defaults(ctx: click.Context, config: Any) -> dict[str, dict[str, Any]]:
    """click's default_map: each command's options that the config file sets, checked now."""
    group = ctx.command
    assert isinstance(group, click.Group)
    defaults: dict[str, dict[str, Any]] = {}
    if not config.values:
        return defaults
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None:
            continue
        if isinstance(command, click.Group):  # `batch submit|collect|...`: each has its own options
            nested = {sub: found for sub, subcommand in command.commands.items()
                      if (found := _defaults_of(ctx, sub, subcommand, config))}
            if nested:
                defaults[name] = nested
        elif found := _defaults_of(ctx, name, command, config):
            defaults[name] = found
    return defaults


def _defaults_of(ctx: click.Context, name: str, command: click.Command, config: Any) -> dict[str, Any]:
    """One command's options that the config file sets, each checked against its type."""
    from ..core.errors import UsageError

    found: dict[str, Any] = {}
    for param in command.params:
        key = config_key(name, param)
        if key is None or key not in config.values:
            continue
        value = config.values[key]
        if param.multiple and not isinstance(value, list):
            value = [value]
        try:
            param.type_cast_value(ctx, value)
        except click.BadParameter as error:
            raise UsageError(f"{key} = {value!r} ({config.origins[key]}): {error.message}") from None
        except (TypeError, ValueError, OverflowError, AttributeError):  # a list, a table or inf where a word belongs
            raise UsageError(f"{key} = {str(value)[:60]!r} ({config.origins[key]}): not a {param.type.name} "
                             "value") from None
        found[param.name or key] = value
    return found


def origins(ctx: click.Context) -> dict[str, str]:
    """Where each parameter's value came from: a flag, the environment, the config, a default."""
    from click.core import ParameterSource

    config_origins = getattr(ctx.obj, "origins", {})
    found = {}
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name or "")
        if source is ParameterSource.COMMANDLINE:
            found[param.name or ""] = f"flag {max(param.opts, key=len)}" if param.opts else "argument"
        elif source is ParameterSource.ENVIRONMENT:
            found[param.name or ""] = f"environment {param.envvar}"
        elif source is ParameterSource.DEFAULT_MAP:
            key = config_key(ctx.info_name or "", param)
            found[param.name or ""] = config_origins.get(key, "config file")
        else:
            found[param.name or ""] = "default"
    return found
