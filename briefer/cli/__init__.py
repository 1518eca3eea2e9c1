"""The command line: one module per command group, each only parsing options, calling the
application layer (`briefer.app`) and printing. Heavy modules (the openai SDK, pydantic models,
Jinja) are imported inside the commands, so that `briefer --help` starts fast."""

from . import (batch, brief, check, config, digest, doctor, info, log,  # noqa: F401  (each registers its commands on main)
               render_email, text)
from .main import main

__all__ = ["main"]
