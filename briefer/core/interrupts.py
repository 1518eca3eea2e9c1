"""How briefer stops when asked to: SIGTERM ends a run like Ctrl-C.

A signal handler that raises wherever the program happens to be can land inside the event loop's
own machinery, and asyncio then finalises the other tasks with a CancelledError that escapes as a
traceback. So while an event loop runs, SIGTERM cancels the run's main task instead: every
pending write unwinds through its own cleanup (temporary files removed, finished files kept), and
`Terminated` is raised once the loop has closed. Outside an event loop the handler raises at once.
asyncio is imported by `run_async` only: every command installs the handler, few run a loop.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Terminated(KeyboardInterrupt):
    """SIGTERM: the run ends like Ctrl-C (temporary files removed, finished work kept)."""


def raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def on_sigterm(handler: Any) -> Any:
    """Install a SIGTERM handler (only the main thread may); the previous one, to restore."""
    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, with SIGTERM cancelling the run's main task and then raising Terminated."""
    import asyncio

    terminated = False

    async def main() -> T:
        nonlocal terminated
        loop, task = asyncio.get_running_loop(), asyncio.current_task()

        def cancel() -> None:
            nonlocal terminated
            terminated = True
            if task is not None:
                task.cancel()

        previous = signal.getsignal(signal.SIGTERM) if _main_thread() else None
        if previous is not None:
            loop.add_signal_handler(signal.SIGTERM, cancel)
        try:
            return await coroutine
        finally:
            if previous is not None:
                loop.remove_signal_handler(signal.SIGTERM)
                signal.signal(signal.SIGTERM, previous)

    try:
        return asyncio.run(main())
    except asyncio.CancelledError:
        if terminated:
            raise Terminated() from None
        raise


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
