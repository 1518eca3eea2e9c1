"""`briefer batch`: the Batch API driver of the one pipeline.

The pipeline runs exactly as `brief --each` runs it, over a transport (`Deferrals`) that answers
each request from the answers a batch brought back; a request with no answer yet is noted and
its article waits. So the requests in a batch are, byte for byte, the ones the synchronous path
sends, and everything after a reply (validation, re-asks, grounding, merge, writing ID.json) is
the synchronous code itself. A round: run the pipeline, put what it still asks for into a batch,
collect the answers, run again; the first round asks for every chunk, later rounds for re-asks
and syntheses. Answers are saved as recordings the moment they are downloaded, so a killed
`collect` resumes and no answer is paid for twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from ..app.each import BatchSummary
from ..core.bounded import LARGE_FILE, parse_json, read_text
from ..core.errors import Deferred, ProviderError, RecordingMissing, UsageError
from ..core.interrupts import run_async
from ..core.safety import secrets
from ..llm import wire
from ..llm.recording import RECORDING_FORMAT, ResponseStore, keyed, write_recording
from ..llm.retries import one_line
from ..llm.servers import LOOKUP_EXTENSION
from ..llm.wire import BatchLine
from .api import BatchAPI, BatchInfo
from .state import MAX_TRIES, Part, RunFolder, RunState

#: Errors a request would meet again if resubmitted: its article fails instead.
FINAL_STATUS = frozenset({400, 401, 403, 404, 413, 422})
#: The `brief --each` round over a transport; True when that transport calls the model live.
BriefRound = Callable[[httpx2.AsyncBaseTransport, bool], BatchSummary]


class Deferrals(httpx2.AsyncBaseTransport):
    """Answers from the run's saved answers; a request without one is kept in `pending` and its
    article waits (`Deferred`). A request given up on fails its article with the reason."""

    def __init__(self, answers: Path, failed: dict[str, str]):
        answers.mkdir(parents=True, exist_ok=True)
        self.store = ResponseStore(answers, "replay")
        self.failed = failed
        self.pending: dict[str, dict[str, Any]] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.extensions.get(LOOKUP_EXTENSION):  # a batch asks no server what it is
            return httpx2.Response(404)
        body, key = await keyed(request)
        if key in self.failed:
            raise ProviderError(self.failed[key])
        try:
            return await self.store.handle_async_request(request)
        except RecordingMissing:
            self.pending[key] = body
            raise Deferred(key) from None


class _PaidAnswers(ResponseStore):
    """The run's answers, and live calls for the rest (`collect --now`). A batch's answer was
    paid for, once, and is first used here: it counts as a call made, not a replay."""

    replays = False


@dataclass
class Outcome:
    """What a command did, for the CLI to print; `summary` when the pipeline ran."""

    lines: list[str] = field(default_factory=list)
    summary: BatchSummary | None = None
    finished: bool = False


@dataclass
class BatchRun:
    """One OUTDIR's run: its folder, the provider (built only when a request is needed) and the
    pipeline round (`brief --each` over a transport)."""

    folder: RunFolder
    api: Callable[[], BatchAPI]
    brief_round: BriefRound
    live: Callable[[], httpx2.AsyncBaseTransport | None] = lambda: None

    def submit(self, state: RunState) -> Outcome:
        """Plan the first round and send it (or, with --file-only, only write it). A rerun
        finishes a submit that was killed half-way and never submits twice."""
        if self.folder.exists():
            saved = self.folder.load()
            if saved.rounds:
                if _unsent(saved):
                    return Outcome(self.send(saved))
                return Outcome([f"already submitted: {describe_round(saved)}; see `briefer batch status "
                                f"{self.folder.outdir}`"])
        outcome = self._next_round(state)
        if _unsent(state):
            outcome.lines += self.send(state)
        return outcome

    def send(self, state: RunState) -> list[str]:
        """Upload and create every part of the latest round that is not yet on the provider."""
        run_async(self._send(state))
        return [f"submitted {describe_round(state)}"]

    def status(self) -> tuple[RunState, list[BatchInfo]]:
        state = self.folder.load()
        parts = [p for p in state.pending_parts() if p.batch_id]
        return state, run_async(self._retrieve(state, parts)) if parts else []

    def cancel(self) -> list[str]:
        state = self.folder.load()
        parts = [p for p in state.pending_parts() if p.batch_id and p.status not in ("cancelled", "completed")]
        return [f"{i.id}: {i.status}" for i in run_async(self._cancel(state, parts))]

    def collect(self, results: list[Path] | None = None, now: bool = False) -> Outcome:
        """Bring in the answers of the latest round, write every briefing they finish, and
        submit what is still needed (or, with `now`, ask for it synchronously)."""
        state = self.folder.load()
        if _unsent(state):  # a submit or collect killed before its batch was created
            return Outcome(self.send(state))
        parts = state.pending_parts()
        came_back: list[str] = []
        if parts:
            if results:
                self._ingest_results(state, parts, results)
            elif state.file_only:
                raise UsageError("this run was submitted with --file-only: give the answers with "
                                 f"--results FILE (the engine's output for {', '.join(p.file for p in parts)})")
            else:
                infos = run_async(self._download(state, parts))
                waiting = [i for i in infos if not i.finished]
                if waiting:
                    return Outcome([f"not finished yet: {describe(i)}" for i in waiting])
                came_back = [f"{describe(i)}; " + ("refused, so its articles fail" if i.status == "failed"
                                                   else "what it did not answer is asked again")
                             for i in infos if i.status != "completed"]
        elif results:
            raise UsageError("no requests are waiting for answers in this run; --results is not needed")
        deferrals = Deferrals(self.folder.answers, state.failed)
        summary = self.brief_round(deferrals, False)
        if deferrals.pending and now:
            live = self.live()
            summary = self.brief_round(_PaidAnswers(self.folder.answers, "cache", upstream=live), True)
            self.folder.save(charge(state, summary))
            return Outcome(["the rest was asked synchronously (--now)"], summary, finished=True)
        charge(state, summary)
        outcome = self._next_round(state, deferrals.pending, summary)
        outcome.lines[:0] = came_back
        if _unsent(state):
            outcome.lines += self.send(state)
        return outcome

    # ------------------------------------------------------------------ rounds

    def _next_round(self, state: RunState, pending: dict[str, dict[str, Any]] | None = None,
                    summary: BatchSummary | None = None) -> Outcome:
        if pending is None:
            deferrals = Deferrals(self.folder.answers, state.failed)
            summary = self.brief_round(deferrals, False)
            pending = deferrals.pending
        if not pending:
            self.folder.save(state)
            return Outcome(["finished: nothing is left to ask the model"], summary, finished=True)
        round_ = self.folder.write_round(state, pending)
        self.folder.save(state)
        lines = []
        if state.file_only:
            files = ", ".join(str(self.folder.root / p.file) for p in round_.parts)
            lines.append(f"round {round_.number}: {len(pending)} requests written to {files}; answer them "
                         f"with any engine that reads the batch format, then `briefer batch collect "
                         f"{self.folder.outdir} --results OUTPUT.jsonl`")
        return Outcome(lines, summary)

    async def _send(self, state: RunState) -> None:
        api = self.api()
        try:
            for part in state.rounds[-1].parts:
                if part.file_id is None:
                    part.file_id = await api.upload(self.folder.root / part.file)
                    self.folder.save(state)
                if part.batch_id is None:
                    info = await api.find(part.file_id) if part.status == "creating" else None
                    if info is None:
                        part.status = "creating"
                        self.folder.save(state)
                        info = await api.create(part.file_id, {"briefer": part.file})
                    part.batch_id, part.status, part.counts = info.id, info.status, info.counts
                    self.folder.save(state)
        finally:
            await api.close()

    async def _retrieve(self, state: RunState, parts: list[Part]) -> list[BatchInfo]:
        api = self.api()
        try:
            infos = [await api.retrieve(p.batch_id) for p in parts if p.batch_id]
        finally:
            await api.close()
        for part, info in zip(parts, infos):
            part.status, part.counts = info.status, info.counts
        self.folder.save(state)
        return infos

    async def _cancel(self, state: RunState, parts: list[Part]) -> list[BatchInfo]:
        api = self.api()
        try:
            return [await api.cancel(p.batch_id) for p in parts if p.batch_id]
        finally:
            await api.close()

    async def _download(self, state: RunState, parts: list[Part]) -> list[BatchInfo]:
        """Retrieve every part; when all are finished, save each one's answers and errors."""
        infos = await self._retrieve(state, parts)
        if not all(i.finished for i in infos):
            return infos
        api = self.api()
        try:
            for part, info in zip(parts, infos):
                output = await api.download(info.output_file_id) if info.output_file_id else ""
                errors = await api.download(info.error_file_id) if info.error_file_id else ""
                self._ingest(state, part, output + "\n" + errors, info)
                part.collected = True
                self.folder.save(state)
        finally:
            await api.close()
        return infos

    # ------------------------------------------------------------------ answers

    def _ingest_results(self, state: RunState, parts: list[Part], results: list[Path]) -> None:
        """Answers produced elsewhere (an engine that reads the batch format), for these parts."""
        texts = [read_text(path, limit=LARGE_FILE, error=UsageError, what="--results") or "" for path in results]
        for part in parts:
            self._ingest(state, part, "\n".join(texts), None)
            part.collected = True
        self.folder.save(state)

    def _ingest(self, state: RunState, part: Part, text: str, info: BatchInfo | None) -> None:
        """Save every answer of this part as a recording; note the requests that will not be
        asked again, and why."""
        requests = self.folder.requests_of(part)
        keys = [key for key, _ in requests.values()]
        store = ResponseStore(self.folder.answers, "cache")
        reasons: dict[str, str] = {}
        for line in answer_lines(text, part.file):
            asked = requests.get(line.custom_id)
            if asked is None:
                continue  # an answer to another part's request
            key, body = asked
            if line.answer is not None:
                write_recording(store.path_for(key), {
                    "format": RECORDING_FORMAT, "key": key,
                    "provenance": {"source": "Batch API", "batch": info.id if info else "results file",
                                   "custom_id": line.custom_id, "note": "asked without streaming"},
                    "request": {"method": "POST", "path": "/chat/completions", "body": body},
                    "response": {"status": 200, "body": line.answer}}, secrets())
                continue
            status, reason = line.failure()
            if status in FINAL_STATUS:
                state.failed[key] = f"the batch answered {reason}"
            reasons[key] = reason
        if info is not None and info.status == "failed":
            why = info.errors[0] if info.errors else "no reason given"
            for key in keys:
                state.failed[key] = f"batch {info.id} failed validation: {why}"
        for key in keys:
            if key not in state.failed and not store.path_for(key).is_file() and state.tries.get(key, 0) >= MAX_TRIES:
                state.failed[key] = (f"no answer after {state.tries[key]} batches"
                                     + (f" (last: {reasons[key]})" if key in reasons else ""))


def answer_lines(text: str, where: str) -> list[BatchLine]:
    """The lines of a batch's output (or an engine's results), each checked (wire.BatchLine). A
    request answered twice is refused: which answer is the right one cannot be told, and
    keeping either silently could put one article's title on another's briefing."""
    lines: list[BatchLine] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        value = parse_json(raw, where=f"{where} answers, line {number}", error=UsageError)
        try:
            line = wire.parse(BatchLine, value)
        except wire.WrongShape as wrong:
            raise UsageError(f"{where} answers, line {number}: not a batch output line ({one_line(str(wrong), 120)})") from None
        if line.custom_id in seen:
            raise UsageError(f"{where} answers, line {number}: a second answer for {one_line(line.custom_id, 80)} "
                             f"(the first is on line {seen[line.custom_id]}); give each request's answer once")
        seen[line.custom_id] = number
        lines.append(line)
    return lines


def charge(state: RunState, summary: BatchSummary) -> RunState:
    """Note the round's failed articles as counted, so a later collect that fails them again
    from the same saved answers does not count their cost twice."""
    state.charged = sorted(set(state.charged) | {source for source, _ in summary.failed})
    return state


def _unsent(state: RunState) -> bool:
    """The latest round has a part not yet on the provider (and is meant to go there)."""
    return bool(state.rounds) and not state.file_only and any(p.batch_id is None for p in state.rounds[-1].parts)


def describe(info: BatchInfo) -> str:
    counts = info.counts
    done = f", {counts.get('completed', 0)}/{counts.get('total', 0)} done, {counts.get('failed', 0)} failed" if counts else ""
    return f"batch {info.id}: {info.status}{done}"


def describe_round(state: RunState) -> str:
    round_ = state.rounds[-1]
    ids = ", ".join(p.batch_id or p.file for p in round_.parts)
    requests = sum(p.requests for p in round_.parts)
    return f"round {round_.number}, {requests} request{'s' * (requests != 1)} ({ids})"
