"""The response store: record, replay and cache, under the SDK at the HTTP transport layer.

Everything above the transport — the SDK's parsing, retries, validation, re-asks — runs the same
in a test as in production. A recording is keyed by the canonical request body (model, messages,
response_format, budget, streaming options), holds that body and the response body, and never a
header: headers carry keys, organisation ids and cookies.

A streamed answer is passed through as it arrives (so progress shows while recording) and kept
byte for byte: its server-sent events as the list of the body's lines, which join back with
"\n" into the exact bytes received. A replayed answer carries the response header
`briefer-replayed: 1`, which the client counts apart from calls made; it is never recorded.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import httpx2

from .defaults import MIN_SECRET_LENGTH
from .errors import RecordingMissing, RecordingUnusable, UsageError, WriteError
from .files import write_atomically
from .llm.stream import REPLAYED_HEADER, Completion, from_body, from_events
from .safety import warn

Mode = Literal["replay", "record", "cache"]
RECORDING_FORMAT = "briefer-recording/1"
LIVE = {"source": "recorded from a live model"}


def canonical_body(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body or b"{}")
    except json.JSONDecodeError:
        raise UsageError("only JSON requests can be recorded") from None
    return parsed if isinstance(parsed, dict) else {"body": parsed}


def request_key(body: dict[str, Any]) -> str:
    """sha256 of the body with sorted keys: the same request, the same key, on any machine."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseStore(httpx2.AsyncBaseTransport, httpx2.BaseTransport):
    """An httpx2 transport that answers from recordings, writes new ones, or both: model calls
    (async, keyed by their JSON body) and web pages fetched for articles (sync GETs, keyed by
    the URL; redirects are recorded too, so a replay follows the same hops)."""

    #: Its answers may carry the replayed header (the client trusts it from a store only).
    replays = True

    def __init__(
        self,
        directory: Path,
        mode: Mode,
        upstream: httpx2.AsyncBaseTransport | None = None,
        provenance: dict[str, str] | None = None,
        secrets: tuple[str, ...] = (),
        max_body: int | None = None,
    ):
        self.directory = Path(directory)
        self.mode = mode
        self.upstream = upstream
        self.provenance = provenance or LIVE
        self.secrets = tuple(s for s in secrets if len(s) >= MIN_SECRET_LENGTH)
        #: A page body longer than this is read only this far (plus a byte) and never recorded.
        self.max_body = max_body
        if mode == "replay" and not self.directory.is_dir():
            raise UsageError(f"--replay {directory}: no such folder of recordings")

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key[:24]}.json"

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body, key = await keyed(request)
        path = self.path_for(key)
        if self.mode in ("replay", "cache") and path.is_file():
            recording = _load(path)
            if self.mode == "replay" or not _in_flux(recording):
                return _response_from(recording, path)
        if self.mode == "replay" or self.upstream is None:
            if "messages" not in body:
                raise RecordingMissing(f"no recording in {self.directory} for {request.method} "
                                       f"{_endpoint(request)} (request {key[:24]}); to re-record: "
                                       f"--record {self.directory} with OPENAI_API_KEY set")
            raise RecordingMissing(explain_miss(self.directory, body, key))
        response = await self.upstream.handle_async_request(request)
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        if response.status_code == 200 and _is_event_stream(response):

            def keep(content: bytes) -> None:
                self._keep(path, key, request, body, content, streamed=True)

            return httpx2.Response(200, headers=headers, stream=_Tee(response, keep))
        content = await response.aread()
        # An HTML page is no answer; a file downloaded from the Files API (JSONL) is one.
        download = request.url.path.endswith("/content") and "/files/" in request.url.path
        if response.status_code == 200 and (_json_object(content) or download):
            self._keep(path, key, request, body, content, content_type=response.headers.get("content-type", ""))
        return httpx2.Response(response.status_code, headers=headers, content=content)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "GET":
            raise UsageError("only JSON model calls and page GETs can be recorded")
        body = {"method": "GET", "url": str(request.url)}
        key = request_key(body)
        path = self.path_for(key)
        if self.mode in ("replay", "cache") and path.is_file():
            try:
                return _page_from(_load(path))
            except (KeyError, TypeError, ValueError):
                raise RecordingUnusable(f"{path}: not a usable recording of a page; delete it and "
                                        "re-record") from None
        if self.mode == "replay" or not isinstance(self.upstream, httpx2.BaseTransport):
            raise RecordingMissing(f"no recording in {self.directory} of GET {request.url}; to record "
                                   f"it: --record {self.directory}, or --cache {self.directory}")
        response = self.upstream.handle_request(request)
        content = _read_capped(response, self.max_body)
        headers = {k: v for k, v in response.headers.items() if k.lower() in _PAGE_HEADERS}
        whole = self.max_body is None or len(content) <= self.max_body
        if whole and (response.status_code == 200 or response.is_redirect):
            try:
                self._save(path, {"format": RECORDING_FORMAT, "key": key, "provenance": _FETCHED,
                                  "request": body, "response": _page_record(response.status_code, headers, content)})
            except WriteError as error:  # the page was fetched: use it, and say so
                warn(f"{error}; the page is used but not recorded")
        return httpx2.Response(response.status_code, headers=headers, content=content)

    def close(self) -> None:
        if isinstance(self.upstream, httpx2.BaseTransport):
            self.upstream.close()

    async def aclose(self) -> None:
        if self.upstream is not None:
            await self.upstream.aclose()

    def _keep(self, path: Path, key: str, request: httpx2.Request, body: dict[str, Any], content: bytes,
              streamed: bool = False, content_type: str = "application/json") -> None:
        """Record an answer; when that fails, the answer (paid for) is still used, and a warning
        says where it could not be kept."""
        try:
            self._write(path, key, request, body, content, streamed, content_type)
        except WriteError as error:
            warn(f"{error}; the answer is used but not recorded")

    def _write(
        self, path: Path, key: str, request: httpx2.Request, body: dict[str, Any], content: bytes,
        streamed: bool = False, content_type: str = "application/json",
    ) -> None:
        if streamed:
            stored: dict[str, Any] = {"status": 200, "content_type": EVENT_STREAM,
                                      "events": content.decode("utf-8").split("\n")}
        elif "json" not in content_type.split(";")[0]:  # a downloaded file (a batch's output, JSONL)
            stored = {"status": 200, "text": content.decode("utf-8")}
        else:
            stored = {"status": 200, "body": json.loads(content)}
        recording = {
            "format": RECORDING_FORMAT,
            "key": key,
            "provenance": self.provenance,
            "request": {"method": request.method, "path": _endpoint(request), "body": body},
            "response": stored,
        }
        self._save(path, recording)

    def _save(self, path: Path, recording: dict[str, Any]) -> None:
        write_recording(path, recording, self.secrets)


def write_recording(path: Path, recording: dict[str, Any], secrets: tuple[str, ...] = ()) -> None:
    """One recording on disk, atomically, with every secret redacted: the one writer for live
    answers, fetched pages and a batch's answers."""
    text = json.dumps(recording, indent=2, ensure_ascii=False) + "\n"
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)


#: Response headers a replay needs to behave like the original; retry hints only matter live.
_KEPT_HEADERS = frozenset({"content-type", "retry-after", "retry-after-ms"})


#: What a replayed page needs: its type and charset, and where a redirect goes. Content
#: encodings are undone before recording (the body is stored decoded).
_PAGE_HEADERS = frozenset({"content-type", "location"})
_FETCHED = {"source": "fetched from the web"}


def _read_capped(response: httpx2.Response, limit: int | None) -> bytes:
    """The decoded body, but never more than `limit` + 1 bytes of it held in memory."""
    content = bytearray()
    try:
        for part in response.iter_bytes():
            content += part
            if limit is not None and len(content) > limit:
                break
    finally:
        response.close()
    return bytes(content)


def _page_record(status: int, headers: dict[str, str], content: bytes) -> dict[str, Any]:
    """A page's response, its body as text when it is UTF-8 (readable in a diff), else base64."""
    try:
        return {"status": status, "headers": headers, "text": content.decode("utf-8")}
    except UnicodeDecodeError:
        return {"status": status, "headers": headers, "base64": base64.b64encode(content).decode("ascii")}


def _page_from(recording: dict[str, Any]) -> httpx2.Response:
    stored = recording["response"]
    content = stored["text"].encode("utf-8") if "text" in stored else base64.b64decode(stored["base64"])
    return httpx2.Response(stored["status"], headers=stored["headers"], content=content)


def _endpoint(request: httpx2.Request) -> str:
    """The API path (and query) without any deployment prefix: the store is not tied to a host."""
    path = request.url.path
    query = request.url.query.decode() if isinstance(request.url.query, bytes) else request.url.query
    for api in ("/chat/", "/files", "/batches"):
        if api in path:
            path = path[path.rfind(api) :]
            break
    return f"{path}?{query}" if query else path


async def keyed(request: httpx2.Request) -> tuple[dict[str, Any], str]:
    """The request's canonical body and its key. A chat completion is keyed by its body alone
    (recordings do not depend on the host); a Files or Batches request by its method, endpoint
    and body, and a file upload by the digest of the file it carries."""
    content = await request.aread()
    if request.url.path.endswith("/chat/completions"):
        body = canonical_body(content)
        return body, request_key(body)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        body = _upload_fields(content, request.headers["content-type"])
    else:
        body = canonical_body(content)
    return body, request_key({"method": request.method, "path": _endpoint(request), "body": body})


def _upload_fields(content: bytes, content_type: str) -> dict[str, Any]:
    """A multipart upload as its form fields, the file by name and sha256: the boundary is random,
    so the raw bytes would give a new key every time."""
    boundary = content_type.partition("boundary=")[2].strip('"').encode()
    fields: dict[str, Any] = {}
    for part in content.split(b"--" + boundary)[1:-1]:
        part = part.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, value = part.partition(b"\r\n\r\n")
        disposition = head.decode("utf-8", "replace")
        name = disposition.partition('name="')[2].partition('"')[0]
        if 'filename="' in disposition:
            filename = disposition.partition('filename="')[2].partition('"')[0]
            fields[name] = {"filename": filename, "sha256": hashlib.sha256(value).hexdigest(),
                            "bytes": len(value)}
        else:
            fields[name] = value.decode("utf-8", "replace")
    return fields


def _in_flux(recording: dict[str, Any]) -> bool:
    """A batch that was still running when recorded: a cache must ask again, or it would never
    see the batch finish (a replay gives the recorded moment)."""
    body = recording["response"].get("body")
    return (isinstance(body, dict) and body.get("object") == "batch"
            and body.get("status") not in ("completed", "expired", "failed", "cancelled"))


EVENT_STREAM = "text/event-stream"


def _is_event_stream(response: httpx2.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip().lower() == EVENT_STREAM


class _Tee(httpx2.AsyncByteStream):
    """The upstream body passed on as it arrives, and handed to `keep` once it is complete (a
    body cut by a dropped connection is never kept)."""

    def __init__(self, response: httpx2.Response, keep: Any):
        self._response, self._keep = response, keep
        #: One pass over the upstream body, whoever iterates (the SDK drains what is left after
        #: `data: [DONE]` with a second iteration).
        self._pieces = response.aiter_bytes()
        self._received = bytearray()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for piece in self._pieces:
            self._received += piece
            yield piece
        if self._keep is not None:
            keep, self._keep = self._keep, None
            keep(bytes(self._received))

    async def aclose(self) -> None:
        await self._response.aclose()


def _json_object(content: bytes) -> bool:
    try:
        return isinstance(json.loads(content), dict)
    except ValueError:
        return False


def _load(path: Path) -> dict[str, Any]:
    """A recording file as a JSON object; one that cannot be read or parsed is one line."""
    try:
        recording = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordingUnusable(f"{path}: cannot read this recording ({error.strerror or error})") from None
    except ValueError:
        recording = None
    if not isinstance(recording, dict):
        raise RecordingUnusable(f"{path}: not a usable briefer recording (cut short, empty or "
                                "another format); delete it and re-record")
    return recording


def _response_from(recording: dict[str, Any], path: Path) -> httpx2.Response:
    """The recorded answer. A recording that cannot be used (cut short, not a briefer
    recording, a recorded error) is one line naming the file: replaying an error again, with
    back-off, could only give the same error."""
    stored = recording.get("response")
    if not isinstance(stored, dict) or not (isinstance(stored.get("events"), list)
                                            or isinstance(stored.get("body"), dict)
                                            or isinstance(stored.get("text"), str)):
        raise RecordingUnusable(f"{path}: not a usable briefer recording (cut short, empty or "
                                "another format); delete it and re-record")
    if stored.get("status") != 200:
        raise RecordingUnusable(f"{path}: the recording holds a {stored.get('status')} error, not an "
                                "answer; delete it and re-record")
    if "text" in stored:  # a downloaded file: not a model's answer, so not a replayed call
        return httpx2.Response(200, headers={"content-type": "application/octet-stream"},
                               content=stored["text"].encode("utf-8"))
    replayed = {REPLAYED_HEADER: "1"}
    if "events" in stored:
        return httpx2.Response(200, headers={"content-type": EVENT_STREAM, **replayed},
                               content="\n".join(map(str, stored["events"])).encode("utf-8"))
    return httpx2.Response(
        200,
        headers={"content-type": "application/json", **replayed},
        content=json.dumps(stored["body"], ensure_ascii=False).encode("utf-8"),
    )


def recorded_completion(recording: dict[str, Any]) -> Completion:
    """What a recording answered, streamed or not: its content, finish reason and usage."""
    stored = recording["response"]
    if "events" in stored:
        return from_events("\n".join(stored["events"]))
    return from_body(stored["body"])


def explain_miss(directory: Path, body: dict[str, Any], key: str) -> str:
    """Why a request has no recording: the nearest recording and what differs from it."""
    what = f"no recording in {directory} for request {key[:24]} (model {body.get('model')})"
    how = f"; to re-record: --record {directory} with OPENAI_API_KEY set, or --cache {directory}"
    nearest = _nearest_recording(directory, body)
    if nearest is None:
        return f"{what}: the folder has no recordings{how}"
    return f"{what}: {_difference(nearest, body)}{how}"


def _nearest_recording(directory: Path, body: dict[str, Any]) -> dict[str, Any] | None:
    best, best_score = None, -1
    for path in sorted(directory.glob("*.json")):
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))["request"]["body"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        score = sum(recorded.get(k) == v for k, v in body.items() if k != "messages")
        score += sum(a == b for a, b in zip(recorded.get("messages", []), body.get("messages", [])))
        if score > best_score:
            best, best_score = recorded, score
    return best


def _difference(recorded: dict[str, Any], body: dict[str, Any]) -> str:
    reasons = []
    if recorded.get("model") != body.get("model"):
        reasons.append(
            f"the model changed (recorded with {recorded.get('model')}, asked {body.get('model')})"
        )
    old, new = recorded.get("messages", []), body.get("messages", [])
    if old[:1] != new[:1]:
        reasons.append("the instructions changed (a new prompt version?)")
    if old[1:2] != new[1:2]:
        reasons.append("the article or its metadata is not one that was recorded")
    elif len(new) > 2 and old[2:] != new[2:]:
        reasons.append("a re-ask that was not recorded (the earlier reply differed)")
    if recorded.get("response_format") != body.get("response_format"):
        reasons.append("the response schema changed")
    rest = (recorded.keys() | body.keys()) - {"model", "messages", "response_format"}
    if any(recorded.get(k) != body.get(k) for k in rest):
        changed = sorted(k for k in rest if recorded.get(k) != body.get(k))
        reasons.append(f"request options differ ({', '.join(changed)})")
    return "; ".join(reasons) or "it differs from every recording"
