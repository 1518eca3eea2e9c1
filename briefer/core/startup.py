"""Start-up without the garbage collector's rounds, and an exit without the teardown.

Importing the SDK and pydantic builds some hundred thousand objects that live as long as the
process (classes, validators, schemas). While they load, the collector scans them again and
again and frees nothing: about a tenth of the time before the first call. The command line
pauses it from its start until the first request has gone out (or the command ends), then
freezes what was loaded (the collector no longer walks it, which also spares every later
collection of a long `--each` run) and collects as usual. What is frozen includes the little
garbage the pause left (about 150 of 95,000 objects on the seed article); it is kept rather
than found by a full collection, which would cost 24 ms here.

The same objects cost again at exit, when Python frees them one by one: `leave` ends the
process once what an exit owes is done.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

_paused = False


def pause() -> None:
    """No collections until `resume()`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collections as usual again, with everything loaded so far frozen; nothing if not paused."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def leave(code: object) -> NoReturn:
    """End the `briefer` process with `code` (a SystemExit's) without taking every module apart.

    A normal exit frees, one by one, every object the SDK, pydantic and briefer made: about a
    tenth of a replayed briefing's time, for memory the system takes back at once anyway. Here
    what an exit must do is done (the `atexit` functions, streams flushed) and the process ends.
    With another thread still running, Python's own exit waits for it instead.
    """
    status = _status(code)
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()  # what Python's own exit runs before tearing down
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: as Python's exit, say nothing
            status = status or 120
    os._exit(status)


def _status(code: object) -> int:
    """The exit status Python gives a SystemExit's code: None 0, a number itself, else (printed) 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
