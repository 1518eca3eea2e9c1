"""The `briefer` group: every BrieferError becomes one line on stderr and its own exit code."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click


class BrieferGroup(click.Group):
    """Turns every BrieferError into one line on stderr and its own exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import BrieferError

        try:
            return super().invoke(ctx)
        except BrieferError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)


def fail(message: str, exit_code: int) -> NoReturn:
    from ..config import redact

    click.echo(f"briefer: error: {redact(message)}", err=True)
    sys.exit(exit_code)


@click.group(cls=BrieferGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefer")
def main() -> None:
    """Turn news articles into briefings you can trust and forward.

    \b
    Offline, from the bundled recordings:
      briefer brief fixtures/articles/scholz-putin-call.txt --replay fixtures/cassettes
    Live (OPENAI_API_KEY set; any OpenAI-compatible server with --base-url):
      briefer brief article.txt -o brief.json
      briefer render brief.json
    """
