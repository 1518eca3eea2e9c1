"""A recording on disk: the key a request gets, what the file holds, reading and writing it, and
why a request has none. The transport that answers from recordings is briefer/llm/recording.py.

A recording is keyed by the canonical request body (model, messages, response_format, budget,
streaming options), holds that body and the response body, and never a header: headers carry
keys, organisation ids and cookies. A streamed answer is kept as the list of the body's lines,
which join back with "\\n" into the exact bytes received.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.bounded import parse_json, read_bytes
from ..core.errors import RecordingUnusable, UsageError
from ..core.files import write_atomically
from .stream import Completion, from_body, from_events

if TYPE_CHECKING:
    import httpx2

RECORDING_FORMAT = "briefer-recording/1"
#: A recording is a request and its answer: far smaller than this.
MAX_RECORDING_BYTES = 64 * 1024 * 1024
EVENT_STREAM = "text/event-stream"


# ---------------------------------------------------------------------- keys


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


async def keyed(request: httpx2.Request) -> tuple[dict[str, Any], str]:
    """The request's canonical body and its key. A chat completion is keyed by its body alone
    (recordings do not depend on the host); a Files or Batches request by its method, endpoint
    and body, and a file upload by the digest of the file it carries."""
    content = await request.aread()
    if request.url.path.endswith("/chat/completions"):
        body = canonical_body(content)
        return body, request_key(body)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        body = upload_fields(content, request.headers["content-type"])
    else:
        body = canonical_body(content)
    return body, request_key({"method": request.method, "path": endpoint(request), "body": body})


def endpoint(request: httpx2.Request) -> str:
    """The API path (and query) without any deployment prefix: the store is not tied to a host."""
    path = request.url.path
    query = request.url.query.decode() if isinstance(request.url.query, bytes) else request.url.query
    for api in ("/chat/", "/files", "/batches"):
        if api in path:
            path = path[path.rfind(api) :]
            break
    return f"{path}?{query}" if query else path


def upload_fields(content: bytes, content_type: str) -> dict[str, Any]:
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


# ---------------------------------------------------------------------- the file


def stored_answer(content: bytes, streamed: bool = False, content_type: str = "application/json") -> dict[str, Any]:
    """An answer's body as a recording keeps it: a stream's events, a downloaded file's text (a
    batch's output, JSONL), or the JSON body."""
    if streamed:
        return {"status": 200, "content_type": EVENT_STREAM, "events": content.decode("utf-8").split("\n")}
    if "json" not in content_type.split(";")[0].lower():  # a media type's case means nothing
        return {"status": 200, "text": content.decode("utf-8")}
    return {"status": 200, "body": json.loads(content)}


def page_record(status: int, headers: dict[str, str], content: bytes) -> dict[str, Any]:
    """A page's response, its body as text when it is UTF-8 (readable in a diff), else base64."""
    try:
        return {"status": status, "headers": headers, "text": content.decode("utf-8")}
    except UnicodeDecodeError:
        return {"status": status, "headers": headers, "base64": base64.b64encode(content).decode("ascii")}


def page_content(stored: dict[str, Any]) -> bytes:
    """A recorded page's body, as `page_record` kept it."""
    return stored["text"].encode("utf-8") if "text" in stored else base64.b64decode(stored["base64"])


def write_recording(path: Path, recording: dict[str, Any], secrets: tuple[str, ...] = ()) -> None:
    """One recording on disk, atomically, with every secret redacted: the one writer for live
    answers, fetched pages and a batch's answers."""
    text = json.dumps(recording, indent=2, ensure_ascii=False) + "\n"
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)


def load_recording(path: Path) -> dict[str, Any]:
    """A recording file as a JSON object; one that cannot be read or parsed is one line."""
    data = read_bytes(path, limit=MAX_RECORDING_BYTES, error=RecordingUnusable, what="recording")
    try:
        recording = parse_json(data or b"", where=str(path), error=RecordingUnusable)
    except RecordingUnusable as error:
        if "nested too deeply" in str(error):
            raise
        recording = None
    if not isinstance(recording, dict) or not isinstance(recording.get("response"), dict):
        raise RecordingUnusable(f"{path}: not a usable briefer recording (cut short, empty or "
                                "another format); delete it and re-record")
    return recording


def in_flux(recording: dict[str, Any]) -> bool:
    """A batch that was still running when recorded: a cache must ask again, or it would never
    see the batch finish (a replay gives the recorded moment)."""
    body = recording["response"].get("body")
    return (isinstance(body, dict) and body.get("object") == "batch"
            and body.get("status") not in ("completed", "expired", "failed", "cancelled"))


def recorded_completion(recording: dict[str, Any]) -> Completion:
    """What a recording answered, streamed or not: its content, finish reason and usage."""
    stored = recording.get("response")
    if isinstance(stored, dict) and isinstance(stored.get("events"), list):
        return from_events("\n".join(map(str, stored["events"])))
    if isinstance(stored, dict) and isinstance(stored.get("body"), dict):
        return from_body(stored["body"])
    raise RecordingUnusable("a recording that holds no answer (cut short, empty or another format); "
                            "delete it and re-record")


# ---------------------------------------------------------------------- a miss


#: Fields of the completion budget, which briefer works out from the request's text.
BUDGET_FIELDS = frozenset({"max_completion_tokens", "max_tokens"})


def explain_miss(directory: Path, body: dict[str, Any], key: str) -> str:
    """Why a request has no recording: the nearest recording and what differs from it."""
    what = f"no recording in {directory} for request {key[:24]} (model {body.get('model')})"
    how = f"; to re-record: --record {directory} with OPENAI_API_KEY set, or --cache {directory}"
    nearest = _nearest_recording(directory, body)
    if nearest is None:
        return f"{what}: the folder has no recordings{how}"
    return f"{what}: {_difference(nearest, body)}{how}"


def _nearest_recording(directory: Path, body: dict[str, Any]) -> dict[str, Any] | None:
    """The recording most like the request: one of the same article text first (then the most
    header lines alike), else the one with most options and messages alike."""
    best, best_score = None, (-1, -1)
    article = _article_of(body)
    for path in sorted(directory.glob("*.json")):
        try:
            recorded = load_recording(path)["request"]["body"]
            assert isinstance(recorded, dict) and isinstance(recorded.get("messages", []), list)
        except (RecordingUnusable, KeyError, TypeError, AssertionError):
            continue
        same_text = int(article is not None and _article_of(recorded) == article)
        score = sum(recorded.get(k) == v for k, v in body.items() if k != "messages")
        score += sum(a == b for a, b in zip(recorded.get("messages", []), body.get("messages", [])))
        score += len(set(_header_of(recorded).items()) & set(_header_of(body).items()))
        if (same_text, score) > best_score:
            best, best_score = recorded, (same_text, score)
    return best


def _user_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    content = messages[1].get("content") if len(messages) > 1 and isinstance(messages[1], dict) else None
    return content if isinstance(content, str) else ""


def _article_of(body: dict[str, Any]) -> str | None:
    """The article's paragraphs as the request carries them (between its markers)."""
    text = _user_text(body)
    start, end = text.find(">>>\n"), text.rfind("\n<<<END ARTICLE")
    return text[start + 4 : end] if start != -1 and end > start else None


def _header_of(body: dict[str, Any]) -> dict[str, str]:
    """The lines before the article: `Source id: ...`, `Title: ...`, the reply language, ..."""
    text = _user_text(body).split("<<<ARTICLE", 1)[0]
    header = {}
    for line in text.splitlines():
        name, _, value = line.partition(": ")
        if value and name != "Marker":  # the marker follows the text; its change says nothing more
            header[name] = value
    return header


def _article_differences(recorded: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """What differs in the article part of the request: its text, its metadata, the language."""
    if _article_of(recorded) != _article_of(body):
        return ["this article's text is in no recording here (recorded from another file, or edited since)"]
    old, new = _header_of(recorded), _header_of(body)
    language = "Reply language"
    reasons = [f"its {name.lower()} is {new.get(name, 'not given')!r}, recorded as {old.get(name, 'not given')!r}"
               for name in sorted((old.keys() | new.keys()) - {language}) if old.get(name) != new.get(name)]
    if old.get(language) != new.get(language):
        asked, was = (side.get(language, "English, the default").split(".")[0] for side in (new, old))
        reasons.append(f"the reply language is {asked}, recorded in {was} (--language)")
    if new.get("Source id") == "stdin" != old.get("Source id"):
        reasons.append("a piped article is named 'stdin' unless --url gives it the link's name")
    return reasons or ["the article's request differs from its recording"]


def _difference(recorded: dict[str, Any], body: dict[str, Any]) -> str:
    """Only what truly differs, and what follows from it left out: the completion budget is
    worked out from the article and the language, so it changes with them."""
    reasons = []
    if recorded.get("model") != body.get("model"):
        reasons.append(
            f"the model changed (recorded with {recorded.get('model')}, asked {body.get('model')})"
        )
    old, new = recorded.get("messages", []), body.get("messages", [])
    if old[:1] != new[:1]:
        reasons.append("the instructions changed (a new prompt version?)")
    article_differs = old[1:2] != new[1:2]
    if article_differs:
        reasons += _article_differences(recorded, body)
    elif len(new) > 2 and old[2:] != new[2:]:
        reasons.append("a re-ask that was not recorded (the earlier reply differed)")
    if recorded.get("response_format") != body.get("response_format"):
        reasons.append("the response schema changed")
    derived = BUDGET_FIELDS if article_differs or old[:1] != new[:1] else frozenset()
    rest = (recorded.keys() | body.keys()) - {"model", "messages", "response_format"} - derived
    changed = sorted(k for k in rest if recorded.get(k) != body.get(k))
    if changed:
        reasons.append(f"request options differ ({', '.join(changed)})")
    return "; ".join(reasons) or "it differs from every recording"
