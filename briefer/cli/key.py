"""`briefer key set`: keep the API key in a private file, read from a hidden prompt or stdin."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import main
from .printing import notice


@main.group()
def key() -> None:
    """The API key, kept for you: never a flag, never in the config file or the run log.

    \b
    Examples:
      briefer key set                               # asks for it; nothing shows as you type
      printenv OPENAI_API_KEY | briefer key set     # or pipe it in
    """


@key.command("set")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Keep the key in this file. [default: api-key beside the config file]")
@click.pass_context
def key_set(ctx: click.Context, path: Path | None) -> None:
    """Read the key from a hidden prompt (or standard input when piped), write it to a file
    only you can read (mode 0600) and name that file as `api-key-file` in the config file (in
    the profile given with `briefer --profile NAME`). OPENAI_API_KEY, when set, still wins.

    \b
    Examples:
      briefer key set
      briefer --profile work key set --file ~/.config/briefer/work.key
    """
    from ..app.keys import save_key

    if sys.stdin.isatty():
        text = click.prompt("API key", hide_input=True, default="", show_default=False)
    else:
        text = sys.stdin.readline()
    saved, config = save_key(text, path, ctx.obj.profile)
    where = f"profile {ctx.obj.profile}" if ctx.obj.profile else "defaults"
    notice(f"key saved in {saved} (mode 0600); api-key-file set in {config} ({where})")
