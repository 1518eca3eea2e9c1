"""What a run has spent and done so far, readable however the run ends: finished, failed or
interrupted. The model clients keep the money (every answer received, `LLMClient.spent`), so
calls made for work that then failed are counted like any other."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .each import BatchSummary
    from ..llm.costs import PriceTable
    from ..core.models import Usage


@dataclass
class Account:
    """The run's model clients, and with --each the articles in it and what is done so far."""

    clients: list[Any] = field(default_factory=list)
    total: int | None = None
    summary: BatchSummary | None = None

    def usage(self) -> Usage:
        from ..core.models import Usage

        return sum((client.spent for client in self.clients), Usage())

    def done_line(self) -> str | None:
        """`8 of 60 briefed, 2 already done, 1 failed` for --each; None for one briefing."""
        summary = self.summary
        if summary is None or self.total is None:
            return None
        line = f"{len(summary.briefed)} of {self.total} briefed"
        if summary.skipped:
            line += f", {len(summary.skipped)} already done"
        if summary.failed:
            line += f", {len(summary.failed)} failed"
        return line

    def failure(self, model: str, prices: PriceTable, started: float,
                error: BaseException) -> tuple[BaseException, dict[str, Any]]:
        """The error to raise (Ctrl-C becomes `Interrupted`, saying how far the run got), with
        what was spent in its `spent` (the error line ends with it), and the summary --json prints."""
        from ..llm.costs import spending, summary_fields
        from ..core.errors import Interrupted
        from ..core.interrupts import Terminated

        usage = self.usage()
        cost = prices.cost(model, usage)
        done = self.done_line()
        if isinstance(error, KeyboardInterrupt) and not isinstance(error, Terminated):
            error = Interrupted(f"interrupted: {done}; rerun the same command to finish" if done else "interrupted")
        summary = {"model": model, "outcome": f"failed: {' '.join(str(error).split())}",
                   "exit_code": getattr(error, "exit_code", 1), **summary_fields(usage, cost),
                   "currency": prices.currency, "prices_of": prices.date,
                   "seconds": round(time.monotonic() - started, 3)}
        if self.summary is not None:
            summary.update(briefed=len(self.summary.briefed), skipped=len(self.summary.skipped),
                           failed=len(self.summary.failed), articles=self.total)
        if usage.made:  # money spent; replays cost nothing
            error.spent = spending(usage, cost)  # type: ignore[attr-defined]
        return error, summary
