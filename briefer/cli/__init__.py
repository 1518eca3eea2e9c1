"""The command line: one module per command, each only parsing options, calling the application
and printing; a command's module is imported only when that command runs.
"""

# The command line: one module per command group, each only parsing options, calling the
# application layer (`briefer.app`) and printing. A command's module is imported when that
# command runs (see `COMMAND_MODULES`), and heavy modules (the openai SDK, pydantic models, Jinja)
# inside the commands, so that `briefer --help` and a run's start-up load only what they use.

from .main import main, run

__all__ = ["main", "run"]
