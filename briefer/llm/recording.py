"""The response store: record, replay and cache, under the SDK at the HTTP transport layer.

Everything above the transport — the SDK's parsing, retries, validation, re-asks — runs the same
in a test as in production. What a recording holds, its key and its file are in
briefer/llm/recording_format.py; this module answers requests from recordings and records new ones.

A streamed answer is passed through as it arrives (so progress shows while recording) and kept
byte for byte. A replayed answer carries the response header `briefer-replayed: 1`, which the
client counts apart from calls made; it is never recorded.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import httpx2

from ..core.defaults import MIN_SECRET_LENGTH
from ..core.errors import RecordingMissing, RecordingUnusable, UsageError, WriteError
from ..core.safety import warn
from .recording_format import (
    EVENT_STREAM,
    RECORDING_FORMAT,
    endpoint,
    explain_miss,
    in_flux,
    keyed,
    load_recording,
    page_content,
    page_record,
    recorded_completion,
    request_key,
    stored_answer,
    write_recording,
)
from .servers import LOOKUP_EXTENSION
from .stream import REPLAYED_HEADER, STOPPED_EXTENSION

Mode = Literal["replay", "record", "cache"]

#: The names other modules import from here (the store, and the recording format's helpers).
__all__ = ["LIVE", "RECORDING_FORMAT", "Mode", "ResponseStore", "explain_miss", "keyed", "recorded_completion",
           "request_key", "write_recording"]



class PageStore:
    """The store a run's web pages go through (briefer.ingest.web.PageStore): the folder and mode
    of its model calls, a fresh synchronous transport for each fetch."""

    def __init__(self, mode: Mode, folder: Path) -> None:
        self.mode, self.folder = mode, folder

    def transport(self, network: httpx2.BaseTransport | None = None) -> httpx2.BaseTransport:
        """The store over `network`: the page fetcher's guarded network (None when replaying; a
        replay never reaches a network anyway)."""
        from ..ingest.documents import MAX_INPUT_BYTES

        return ResponseStore(self.folder, self.mode, upstream=network,  # type: ignore[arg-type]
                             max_body=MAX_INPUT_BYTES)


LIVE = {"source": "recorded from a live model"}


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

    def path_for(self, key: str, lookup: bool = False) -> Path:
        """A model call's recording; a look-up of what the server says of itself (its context:
        briefer/llm/servers.py) in the `server/` folder beside them."""
        return self.directory / "server" / f"{key[:24]}.json" if lookup else self.directory / f"{key[:24]}.json"

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body, key = await keyed(request)
        path = self.path_for(key, bool(request.extensions.get(LOOKUP_EXTENSION)))
        if self.mode in ("replay", "cache") and path.is_file():
            recording = load_recording(path)
            if self.mode == "replay" or not in_flux(recording):
                return _response_from(recording, path)
        if self.mode == "replay" or self.upstream is None:
            if "messages" not in body:
                raise RecordingMissing(f"no recording in {self.directory} for {request.method} "
                                       f"{endpoint(request)} (request {key[:24]}); to re-record: "
                                       f"--record {self.directory} with OPENAI_API_KEY set")
            raise RecordingMissing(explain_miss(self.directory, body, key))
        response = await self.upstream.handle_async_request(request)
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        if response.status_code == 200 and _is_event_stream(response):

            def keep(content: bytes) -> None:
                self._keep(path, key, request, body, content, streamed=True)

            return httpx2.Response(200, headers=headers, stream=_Tee(response, keep, request))
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
                return _page_from(load_recording(path))
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
                                  "request": body, "response": page_record(response.status_code, headers, content)})
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
        recording = {
            "format": RECORDING_FORMAT,
            "key": key,
            "provenance": self.provenance,
            "request": {"method": request.method, "path": endpoint(request), "body": body},
            "response": stored_answer(content, streamed, content_type),
        }
        self._save(path, recording)

    def _save(self, path: Path, recording: dict[str, Any]) -> None:
        write_recording(path, recording, self.secrets)


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


def _page_from(recording: dict[str, Any]) -> httpx2.Response:
    stored = recording["response"]
    return httpx2.Response(stored["status"], headers=stored["headers"], content=page_content(stored))


def _is_event_stream(response: httpx2.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip().lower() == EVENT_STREAM


class _Tee(httpx2.AsyncByteStream):
    """The upstream body passed on as it arrives, and handed to `keep` once it is complete, or
    when the reader stopped it on purpose (a looping reply: the request says so); a body cut by
    a dropped connection or a timeout is never kept."""

    def __init__(self, response: httpx2.Response, keep: Any, request: httpx2.Request | None = None):
        self._response, self._keep, self._request = response, keep, request
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
        stopped = self._request is not None and self._request.extensions.get(STOPPED_EXTENSION)
        if stopped and self._keep is not None:  # kept to its last whole event
            keep, self._keep = self._keep, None
            keep(bytes(self._received[: self._received.rfind(b"\n\n") + 2]))
        await self._response.aclose()


def _json_object(content: bytes) -> bool:
    try:
        return isinstance(json.loads(content), dict)
    except ValueError:
        return False


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
