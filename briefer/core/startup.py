"""Start-up without the garbage collector's rounds.

Importing the SDK and pydantic builds some hundred thousand objects that live as long as the
process (classes, validators, schemas). While they load, the collector scans them again and
again and frees nothing: about a tenth of the time before the first call. The command line
pauses it from its start until the first request has gone out (or the command ends), then
freezes what was loaded (the collector no longer walks it, which also spares every later
collection of a long `--each` run) and collects as usual. What is frozen includes the little
garbage the pause left (about 150 of 95,000 objects on the seed article); it is kept rather
than found by a full collection, which would cost 24 ms here.
"""

from __future__ import annotations

import gc

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
