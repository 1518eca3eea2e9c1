"""What a run hands back and how it talks while it works: kept apart from the run itself so that
the run log (history.py) can read a result without importing the run that made it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..core.errors import BatchIncomplete

if TYPE_CHECKING:
    from ..core.models import Briefing, Cost
    from .each import BatchSummary


@dataclass
class Hooks:
    """How a run talks back while it works: live progress, and each article's outcome."""

    #: Where the status line (calls, tokens received, seconds) and retry notices go; shown
    #: only when it is a terminal (briefer/llm/progress.py). None: nowhere.
    status: TextIO | None = None
    on_article: Callable[[str, str], None] = lambda name, outcome: None  # noqa: E731
    #: The briefing when it goes to stdout: printed the moment it exists, before any mailing.
    stdout: Callable[[str], None] = lambda text: None  # noqa: E731
    #: A warning that does not stop the run (the run log could not be written).
    notice: Callable[[str], None] = lambda line: None  # noqa: E731
    #: A failed or interrupted run's summary, for --json (stderr's error line says what it spent).
    failed: Callable[[dict[str, Any]], None] = lambda summary: None  # noqa: E731
    quiet: bool = False


@dataclass
class RunResult:
    """What a run did; the command prints it."""

    model: str
    dry_run_report: str | None = None
    plan: dict[str, Any] | None = None
    briefing: Briefing | None = None
    batch: BatchSummary | None = None
    outdir: Path | None = None
    delivered: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    #: --each: the sources of each briefing this run wrote, by its JSON path.
    written: dict[Path, list[Any]] = field(default_factory=dict)
    cost: Cost | None = None  # of the whole run, calls made and replayed apart
    rate_limited: int = 0  # 429 answers (each retried)
    paced: float = 0.0  # seconds the rate limiter held requests back
    replay_only: bool = False  # --replay: a rerun cannot do better
    refused: str | None = None  # a dry run: why the guards would refuse the run

    def raise_for_failures(self) -> None:
        """`--each` with failed articles ends with exit 11, after everything was printed."""
        if self.batch is not None and self.batch.failed:
            advice = ("--replay answers from recordings only: record what is missing with --cache DIR "
                      "(OPENAI_API_KEY set), then rerun" if self.replay_only
                      else "rerun the same command to retry the failed ones")
            raise BatchIncomplete(f"{self.batch.line()}; {advice}")
