"""The command line: one module per command group, each only parsing options, calling the
application layer (`briefer.app`) and printing. Heavy modules (the openai SDK, pydantic models,
Jinja) are imported inside the commands, so that `briefer --help` starts fast."""

from . import brief, check, config, digest, doctor, info, log, render_email, text  # noqa: F401  (each registers its commands on main)
from .main import main

__all__ = ["main"]
