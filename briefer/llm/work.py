"""What the answers for one piece of work came to (one article of an `--each` run), whichever
call made them: a failed article's paid answers are counted like a briefed one's."""

from __future__ import annotations

from contextvars import ContextVar

from ..core.models import Usage


class WorkSpending:
    """The answers received for one piece of work, summed."""

    def __init__(self) -> None:
        self.usage = Usage()


_CURRENT: ContextVar[WorkSpending | None] = ContextVar("briefer_work_spending", default=None)


def count_this_task() -> WorkSpending:
    """Count from now the answers this task receives (and the tasks it starts, which share its
    context): each article of an --each run is its own task, so their counts stay apart."""
    work = WorkSpending()
    _CURRENT.set(work)
    return work


def add_to_current_work(usage: Usage) -> None:
    """An answer was received: count it for the work in progress, if any is being counted."""
    work = _CURRENT.get()
    if work is not None:
        work.usage += usage
