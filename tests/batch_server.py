"""A Batch API server on 127.0.0.1, for tests: the Files API (upload, retrieve, download) and
batches (create, retrieve, list, cancel), over real HTTP so the SDK and the response store run
exactly as against the provider.

A batch moves one state per retrieve: `validating` (at creation) -> `in_progress` (for
`in_progress_retrieves` retrieves) -> its outcome. The outcome of the n-th batch created comes
from `outcomes` (the last one repeats): `completed`; `expired` (only the first `answered` share
of its requests answered, the rest in the error file as `batch_expired`); `failed` (the file is
refused at validation, nothing answered). A cancelled batch answers the first half before it
stops. Each request is answered by `answer(body)`: a chat completion body, or an `Error` that goes
to the error file with its status. POST /v1/chat/completions is answered the same way, directly.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlparse

from .local_http import LocalServer, QuietHandler

TERMINAL = ("completed", "expired", "failed", "cancelled")


@dataclass
class Error:
    """A per-request failure, as the error file reports it."""

    status: int = 500
    message: str = "The server had an error while processing your request."
    code: str | None = None


@dataclass
class Outcome:
    status: str = "completed"
    answered: float = 1.0  # for `expired`: the share of requests answered before the window closed


Answer = Callable[[dict[str, Any]], "dict[str, Any] | Error"]


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, str]
    outcome: Outcome
    status: str = "validating"
    retrieves: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id, "object": "batch", "endpoint": self.endpoint, "completion_window": "24h",
            "input_file_id": self.input_file_id, "status": self.status, "created_at": 1764633600,
            "output_file_id": self.output_file_id, "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "request_counts": self.counts, "metadata": self.metadata,
        }


class BatchServer(LocalServer):
    """`with BatchServer(answer) as server:`; point the client at `server.url`. Every request is
    kept in `requests` as (method, path)."""

    def __init__(
        self,
        answer: Answer,
        outcomes: list[Outcome] | None = None,
        in_progress_retrieves: int = 1,
        max_requests_per_batch: int = 50_000,
    ):
        self.answer = answer
        self.outcomes = outcomes or [Outcome()]
        self.in_progress_retrieves = in_progress_retrieves
        self.max_requests_per_batch = max_requests_per_batch
        self.requests: list[tuple[str, str]] = []
        self.files: dict[str, tuple[bytes, dict[str, Any]]] = {}
        self.batches: dict[str, _Batch] = {}
        self.answered: list[dict[str, Any]] = []  # every request body a batch answered
        self.answered_ids: list[str] = []  # and its custom_id
        self.synchronous: list[dict[str, Any]] = []  # every chat completion asked directly
        self._lock = threading.Lock()
        super().__init__()

    @property
    def url(self) -> str:
        return f"http://{self.address}/v1"

    # ------------------------------------------------------------------ the API

    def _new_file(self, content: bytes, purpose: str, filename: str) -> dict[str, Any]:
        file_id = f"file-{len(self.files) + 1:04}"
        meta = {"id": file_id, "object": "file", "bytes": len(content), "created_at": 1764633600,
                "filename": filename, "purpose": purpose, "status": "processed"}
        self.files[file_id] = (content, meta)
        return meta

    def upload(self, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: " + content_type.encode() + b"\r\n\r\n" + body)
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        if "file" not in fields or "purpose" not in fields:
            return 400, _error("a file and its purpose are required")
        purpose = fields["purpose"].get_payload(decode=True).decode()
        content = fields["file"].get_payload(decode=True)
        return 200, self._new_file(content, purpose, fields["file"].get_filename() or "upload")

    def create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file = self.files.get(body.get("input_file_id", ""))
        if file is None:
            return 404, _error("no such file")
        if file[1]["purpose"] != "batch":
            return 400, _error("the input file must be uploaded with purpose 'batch'")
        if body.get("completion_window") != "24h":
            return 400, _error("completion_window must be 24h")
        outcome = self.outcomes[min(len(self.batches), len(self.outcomes) - 1)]
        batch = _Batch(f"batch_{len(self.batches) + 1:04}", body["input_file_id"], body.get("endpoint", ""),
                       body.get("metadata") or {}, outcome)
        self.batches[batch.id] = batch
        return 200, batch.json()

    def retrieve(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, _error("no such batch")
        batch.retrieves += 1
        if batch.status == "validating":
            problems = self._validate(batch)
            if problems or batch.outcome.status == "failed":
                batch.errors = problems or [{"code": "invalid_request", "message": "refused", "line": 1}]
                batch.status = "failed"
            else:
                batch.status = "in_progress"
                batch.counts["total"] = len(self._lines(batch))
        elif batch.status == "in_progress" and batch.retrieves > self.in_progress_retrieves:
            share = batch.outcome.answered if batch.outcome.status == "expired" else 1.0
            self._run(batch, share, batch.outcome.status)
        elif batch.status == "cancelling":
            self._run(batch, 0.5, "cancelled")
        return 200, batch.json()

    def cancel(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        batch = self.batches.get(batch_id)
        if batch is None:
            return 404, _error("no such batch")
        if batch.status in TERMINAL:
            return 409, _error(f"cannot cancel a batch that is {batch.status}")
        batch.status = "cancelling"
        return 200, batch.json()

    def _lines(self, batch: _Batch) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.files[batch.input_file_id][0].decode().splitlines() if line]

    def _validate(self, batch: _Batch) -> list[dict[str, Any]]:
        try:
            lines = self._lines(batch)
        except ValueError:
            return [{"code": "invalid_json_line", "message": "a line is not JSON", "line": None}]
        if len(lines) > self.max_requests_per_batch:
            return [{"code": "too_many_requests", "message": f"more than {self.max_requests_per_batch} requests",
                     "line": None}]
        seen: set[str] = set()
        for number, line in enumerate(lines, 1):
            wrong = (line.get("method") != "POST" or line.get("url") != batch.endpoint
                     or "model" not in line.get("body", {}) or line.get("custom_id") in seen)
            if wrong:
                return [{"code": "invalid_request", "message": "bad line", "line": number}]
            seen.add(line["custom_id"])
        return []

    def _run(self, batch: _Batch, share: float, status: str) -> None:
        """Answer the first `share` of the requests; the rest did not run in time."""
        lines = self._lines(batch)
        ran = round(len(lines) * share)
        output, errors = [], []
        for number, line in enumerate(lines):
            request_id = f"req_{batch.id}_{number}"
            if number >= ran:
                errors.append({"id": f"batch_req_{number}", "custom_id": line["custom_id"], "response": None,
                               "error": {"code": f"batch_{status}",
                                         "message": "This request could not be executed before the "
                                         "completion window expired." if status == "expired"
                                         else "The batch was cancelled before this request ran."}})
                continue
            reply = self.answer(line["body"])
            self.answered.append(line["body"])
            self.answered_ids.append(line["custom_id"])
            if isinstance(reply, Error):
                errors.append({"id": f"batch_req_{number}", "custom_id": line["custom_id"], "error": None,
                               "response": {"status_code": reply.status, "request_id": request_id,
                                            "body": _error(reply.message, reply.code)}})
            else:
                output.append({"id": f"batch_req_{number}", "custom_id": line["custom_id"], "error": None,
                               "response": {"status_code": 200, "request_id": request_id, "body": reply}})
        jsonl = lambda rows: "".join(json.dumps(r) + "\n" for r in rows).encode()  # noqa: E731
        if output:
            batch.output_file_id = self._new_file(jsonl(output), "batch_output", "output.jsonl")["id"]
        if errors:
            batch.error_file_id = self._new_file(jsonl(errors), "batch_output", "errors.jsonl")["id"]
        batch.counts = {"total": len(lines), "completed": len(output), "failed": len(errors)}
        batch.status = status

    # ------------------------------------------------------------------ HTTP

    def _route(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        with self._lock:
            self.requests.append((method, path))
            parts = urlparse(path).path.removeprefix("/v1/").strip("/").split("/")
            if method == "POST" and parts == ["files"]:
                return self.upload(headers.get("content-type", ""), body)
            if method == "GET" and len(parts) == 2 and parts[0] == "files":
                file = self.files.get(parts[1])
                return (200, file[1]) if file else (404, _error("no such file"))
            if method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
                file = self.files.get(parts[1])
                return (200, file[0]) if file else (404, _error("no such file"))
            if method == "POST" and parts == ["chat", "completions"]:  # the synchronous endpoint too
                request = json.loads(body or b"{}")
                reply = self.answer(request)
                self.synchronous.append(request)
                return (reply.status, _error(reply.message, reply.code)) if isinstance(reply, Error) else (200, reply)
            if method == "POST" and parts == ["batches"]:
                return self.create(json.loads(body or b"{}"))
            if method == "GET" and parts == ["batches"]:
                data = [b.json() for b in reversed(self.batches.values())]
                return 200, {"object": "list", "data": data, "has_more": False,
                             "first_id": data[0]["id"] if data else None, "last_id": data[-1]["id"] if data else None}
            if method == "GET" and len(parts) == 2 and parts[0] == "batches":
                return self.retrieve(parts[1])
            if method == "POST" and len(parts) == 3 and parts[0] == "batches" and parts[2] == "cancel":
                return self.cancel(parts[1])
            return 404, _error(f"no route {method} {path}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("content-length", 0))
                status, payload = server._route(method, self.path, self.headers, self.rfile.read(length))
                raw = isinstance(payload, bytes)
                data = payload if raw else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/octet-stream" if raw else "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._answer("POST")

        return Handler


def _error(message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}
