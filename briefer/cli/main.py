"""The `briefer` group: every error is one line on stderr with its own exit code, and the config
file's values become the commands' defaults (flags > environment > profile > file)."""

from __future__ import annotations

import errno
import importlib
import sys
from typing import Any, NoReturn

import click

#: Each command and the module of briefer.cli that defines it. A module is imported when its
#: command runs (or a listing needs it), so that a run loads its own command's code only.
COMMAND_MODULES = {"batch": "batch", "brief": "brief", "check": "check", "config": "config",
                   "digest": "digest", "doctor": "doctor", "email": "render_email", "key": "key", "log": "log",
                   "render": "render_email", "schema": "info", "stories": "stories", "templates": "info",
                   "text": "text"}


#: Why standard output can refuse what a command prints (a closed pipe is click's: exit 1, quietly).
_OUTPUT_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class BrieferGroup(click.Group):
    """Turns every BrieferError, and click's own usage errors, into one line on stderr; loads
    each command's module when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command name gets the nearest ones offered (`breif`: did you mean brief?)."""
        name = args[0] if args else ""
        if args and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            near = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            ctx.fail(f"no command '{name}'{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"{__package__}.{COMMAND_MODULES[cmd_name]}")  # registers it
        return self.commands.get(cmd_name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        from ..core.startup import pause, resume

        pause()
        try:
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)
        finally:
            resume()

    def _main(self, args: Any, prog_name: str | None, complete_var: str | None, standalone_mode: bool,
              **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:  # `briefer` alone: the help, as asked
            error.show()
            sys.exit(error.exit_code)
        except click.ClickException as error:
            fail(one_line(error), error.exit_code)
        except click.Abort:
            fail("interrupted", 130)
        except OSError as error:
            if error.errno not in _OUTPUT_FULL or error.filename is not None:
                raise  # a file's error is the command's to say; this one is a fault to fix
            from ..core.errors import WriteError
            from ..core.files import describe_os_error

            fail(f"cannot write the output: {describe_os_error(error)}", WriteError.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from ..core.errors import BrieferError
        from ..core.interrupts import Terminated, on_sigterm, raise_terminated
        from ..core.safety import forget_registered

        forget_registered()
        previous = on_sigterm(raise_terminated)
        try:
            return super().invoke(ctx)
        except BrieferError as error:
            fail(str(error) + spent(error), error.exit_code)
        except Terminated as error:
            fail("terminated (SIGTERM); finished work is kept" + spent(error), 143)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        finally:
            on_sigterm(previous)


def run() -> NoReturn:
    """The `briefer` program (and `python -m briefer`): the group, then an exit that skips
    freeing every loaded module (core/startup.py). Tests call `main` itself."""
    from ..core.startup import leave

    try:
        main(prog_name="briefer")
    except SystemExit as done:
        leave(done.code)
    leave(0)


def spent(error: BaseException) -> str:
    """What a failed run had spent (app/account.py), to end its error line: ` (3 calls made; ...)`."""
    note = getattr(error, "spent", None)
    return f" ({note})" if note else ""


def one_line(error: click.ClickException) -> str:
    """Click's message on one line, with where to find help instead of the usage text."""
    message = " ".join(error.format_message().split())
    context = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and context is not None:
        message += f" (see '{context.command_path} --help')"
    return message


def fail(message: str, exit_code: int) -> NoReturn:
    """The one error line: secrets masked, terminal controls removed, on one line."""
    from ..core.safety import say

    say(f"briefer: error: {message}", single_line=True)
    sys.exit(exit_code)


@click.group(cls=BrieferGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "-V", "--version", package_name="briefer")
@click.option("--profile", envvar="BRIEFER_PROFILE", show_envvar=True, metavar="NAME",
              help="Use this profile of the config file (`briefer config path`).")
@click.pass_context
def main(ctx: click.Context, profile: str | None) -> None:
    """Turn news articles into briefings you can trust and forward.

    \b
    Offline, from the bundled recordings:
      briefer brief fixtures/articles/scholz-putin-call.txt --replay fixtures/cassettes
    Live (OPENAI_API_KEY set; any OpenAI-compatible server with --base-url):
      briefer brief article.txt -o brief.json
      briefer render brief.json
    Settings that stay (see `briefer config --help`):
      briefer config set model gpt-4.1
    """
    from ..app.config_file import load, use_key_file
    from .defaults import config_defaults

    setting_up = ctx.invoked_subcommand in ("config", "key")  # may name a profile not made yet
    config = load(profile, must_exist=not setting_up)
    if not setting_up:
        use_key_file(config)
    ctx.obj = config
    ctx.default_map = config_defaults(ctx, config)
