"""A Chat Completions server on 127.0.0.1, for tests, benchmarks and hand-written recordings.

It speaks the protocol over real HTTP, so the SDK, the transport, the response store and the
retries all run exactly as against a provider. Each request is answered by a `Reply` that the
test scripts: an answer, a status with headers, a delay, or a dropped connection.

Like OpenAI, vLLM and llama.cpp, it streams server-sent events when asked (`stream: true`): a
role delta, content deltas, the finish reason in the last choice chunk, then with
`stream_options.include_usage` a chunk with `choices: []` carrying the usage, then
`data: [DONE]`. It honours the completion budget (`max_completion_tokens` or `max_tokens`): a
longer reply stops there with `finish_reason: "length"`, as a real server's does.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHARS_PER_TOKEN = 4
#: Characters of content a streamed delta carries (real servers send about one token; larger
#: pieces keep recordings readable and change nothing the client relies on).
STREAM_PIECE = 96
#: How much a reply that never ends writes when no budget stops it.
ENDLESS_CAP_TOKENS = 50_000


@dataclass
class Reply:
    """How to answer one request."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str = "server error"
    finish_reason: str = "stop"
    refusal: str | None = None
    delay: float = 0.0
    drop: bool = False
    usage: tuple[int, int] | tuple[int, int, int] | None = None  # prompt, completion[, cached]
    no_choices: bool = False
    content_type: str = "application/json"
    raw_body: bytes | None = None
    endless: bool = False  # a model that loops: writes until the budget stops it
    stream: bool | None = None  # None: as the request asks; False: a server that ignores it
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time


def estimated_usage(request: dict[str, Any], content: str) -> tuple[int, int]:
    """Prompt and completion tokens at about four characters a token, as a stand-in for a
    tokenizer: the figures are plausible, and labelled as estimates wherever they are kept."""
    prompt = sum(len(m.get("content") or "") for m in request.get("messages", []))
    prompt += len(json.dumps(request.get("response_format", "")))
    return max(1, round(prompt / CHARS_PER_TOKEN)), max(1, round(len(content) / CHARS_PER_TOKEN))


def budget_of(request: dict[str, Any]) -> int | None:
    value = request.get("max_completion_tokens", request.get("max_tokens"))
    return int(value) if value is not None else None


def budgeted(request: dict[str, Any], reply: Reply) -> Reply:
    """The reply as the budget lets it out: cut at the budget with finish_reason "length"."""
    budget = budget_of(request)
    content = reply.content
    if reply.endless:
        limit = budget if budget is not None else ENDLESS_CAP_TOKENS
        phrase = '{"title": "The US troops", "key_points": ["The US troops", '
        content = (phrase * (limit * CHARS_PER_TOKEN // len(phrase) + 2))[: limit * CHARS_PER_TOKEN]
        return replace(reply, content=content, finish_reason="length", endless=False)
    if budget is not None and content and len(content) > budget * CHARS_PER_TOKEN:
        return replace(reply, content=content[: budget * CHARS_PER_TOKEN], finish_reason="length")
    return reply


def request_digest(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:12]


def completion_body(request: dict[str, Any], reply: Reply, number: int) -> dict[str, Any]:
    content = reply.content if reply.refusal is None else None
    prompt_tokens, completion_tokens, *cached = reply.usage or estimated_usage(request, content or "")
    return {
        # From the request, not the order requests arrive in: recordings are the same every time.
        "id": f"chatcmpl-local-{request_digest(request)}",
        "object": "chat.completion",
        "created": 1731628800,
        "model": request.get("model", "unknown"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached[0] if cached else 0},
        },
    }


def sse_body(request: dict[str, Any], reply: Reply, number: int) -> bytes:
    """The reply as server-sent events, in the shape OpenAI and llama.cpp stream."""
    whole = completion_body(request, reply, number)
    head = {k: whole[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}

    def event(choices: list[dict[str, Any]], **extra: Any) -> str:
        return "data: " + json.dumps({**head, "choices": choices, **extra}, ensure_ascii=False) + "\n\n"

    def delta(values: dict[str, Any], finish: str | None = None) -> str:
        return event([{"index": 0, "delta": values, "finish_reason": finish, "logprobs": None}])

    events = []
    if not reply.no_choices:
        events.append(delta({"role": "assistant", "content": ""}))
        if reply.refusal is not None:
            events.append(delta({"refusal": reply.refusal}))
        content = whole["choices"][0]["message"]["content"] or ""
        events += [delta({"content": content[i : i + STREAM_PIECE]})
                   for i in range(0, len(content), STREAM_PIECE)]
        events.append(delta({}, reply.finish_reason))
    if (request.get("stream_options") or {}).get("include_usage"):
        events.append(event([], usage=whole["usage"]))
    events.append("data: [DONE]\n\n")
    return "".join(events).encode("utf-8")


Script = Callable[[dict[str, Any], int], Reply]


def model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 1731628800, "owned_by": "local"}


@dataclass
class RateLimits:
    """A provider's rate limits: `requests` and `tokens` per `per` seconds, as token buckets that
    start full and refill continuously. A request's tokens are its estimated prompt tokens plus
    the completion it may write (max_completion_tokens), counted when it arrives. Every answer
    carries the x-ratelimit-* headers; a request over either limit is answered 429."""

    requests: int
    tokens: int
    per: float = 60.0
    rejected: int = 0
    #: What the buckets refill by: a test may pass a clock it moves itself.
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._level = {"requests": float(self.requests), "tokens": float(self.tokens)}
        self._at = self.clock()
        self._lock = threading.Lock()

    def take(self, request: dict[str, Any]) -> tuple[bool, dict[str, str]]:
        cost = {"requests": 1.0,
                "tokens": float(estimated_usage(request, "")[0] + int(request.get("max_completion_tokens") or 0))}
        with self._lock:
            now = self.clock()
            for kind, limit in (("requests", self.requests), ("tokens", self.tokens)):
                self._level[kind] = min(limit, self._level[kind] + (now - self._at) * limit / self.per)
            self._at = now
            fits = all(self._level[k] >= cost[k] for k in cost)
            if fits:
                for kind in cost:
                    self._level[kind] -= cost[kind]
            else:
                self.rejected += 1
            headers = {}
            for kind, limit in (("requests", self.requests), ("tokens", self.tokens)):
                full_in = (limit - self._level[kind]) * self.per / limit
                headers[f"x-ratelimit-limit-{kind}"] = str(limit)
                headers[f"x-ratelimit-remaining-{kind}"] = str(int(self._level[kind]))
                headers[f"x-ratelimit-reset-{kind}"] = f"{full_in * 1000:.0f}ms" if full_in < 1 else f"{full_in:.3f}s"
            return fits, headers


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout, test over) is expected here, not an error."""


class ChatServer:
    """Start with `with ChatServer(replies) as server:`; point the client at `server.url`.

    `replies` is a list (the n-th request gets the n-th reply, the last one repeats) or a
    function of (request body, request number). Every request body is kept in `requests`.
    `models`: what GET /v1/models lists (and /v1/models/ID finds; others are 404).
    `structured_outputs=False` plays a server without them: a request with a `json_schema`
    response format is refused with a 400, as vLLM, llama.cpp or an old API version do.
    `unknown_params`: request fields answered with a 400 (e.g. a server that knows `max_tokens`
    but not `max_completion_tokens`). With `limits`, the server enforces them (a 429 is not kept
    in `requests`) and sends the rate-limit headers.
    """

    def __init__(self, replies: Iterable[Reply] | Script, limits: RateLimits | None = None, *,
                 models: Iterable[str] = ("gpt-4.1-mini", "gpt-4.1"), structured_outputs: bool = True,
                 unknown_params: tuple[str, ...] = (), kind: Any = None):
        self.models = list(models)
        #: A local server's ways (tests/local_servers.py: llama.cpp, vLLM, Ollama): its own
        #: routes, models listing, context limit and stream shape.
        self.kind = kind
        #: The paths of every GET and non-chat POST, in order.
        self.lookups: list[str] = []
        self.structured_outputs = structured_outputs
        #: Request fields this server answers 400 to, as a server that does not know them.
        self.unknown_params = unknown_params
        if callable(replies):
            self._script: Script = replies
        else:
            scripted = list(replies)
            self._script = lambda _request, n: scripted[min(n, len(scripted) - 1)]
        self.requests: list[dict[str, Any]] = []
        self.limits = limits
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, body: dict[str, Any]) -> tuple[Reply, int]:
        with self._lock:
            number = len(self.requests)
            self.requests.append(body)
        return self._script(body, number), number

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                """GET /v1/models and /v1/models/ID like the API; GET /stats: how many requests
                were answered, for benchmarks in another process."""
                rejected = server.limits.rejected if server.limits else 0
                status, payload = 200, {"requests": len(server.requests), "rejected": rejected}
                server.lookups.append(self.path)
                answered = server.kind.route("GET", self.path, None, server.models) if server.kind else None
                if answered is not None:
                    status, payload = answered
                elif self.path.rstrip("/").endswith("/models"):
                    payload = {"object": "list", "data": [model_object(m) for m in server.models]}
                elif "/models/" in self.path:
                    name = self.path.rsplit("/models/", 1)[1]
                    status, payload = (200, model_object(name)) if name in server.models else (
                        404, {"error": {"message": f"The model '{name}' does not exist", "type": "invalid_request_error",
                                        "code": "model_not_found"}})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if server.kind is not None and not self.path.endswith("/chat/completions"):
                    server.lookups.append(self.path)
                    status, payload = server.kind.route("POST", self.path, body, server.models) or (404, {})
                    self._send(status, payload, {})
                    return
                limited: dict[str, str] = {}
                if server.limits is not None:
                    fits, limited = server.limits.take(body)
                    if not fits:
                        self._send(429, {"error": {"message": "Rate limit reached", "type": "requests",
                                                   "code": "rate_limit_exceeded"}}, limited)
                        return
                reply, number = server._next(body)
                response_format = body.get("response_format") or {}
                if not server.structured_outputs and response_format.get("type") == "json_schema":
                    reply = Reply(status=400, error="response_format of type json_schema is not supported "
                                  "by this server; use json_object")
                unknown = [p for p in server.unknown_params if p in body]
                if unknown:
                    reply = Reply(status=400, error=f"Unrecognized request argument supplied: {unknown[0]}")
                if server.kind is not None:
                    reply = server.kind.answer(body, reply)
                reply = budgeted(server.kind.heeded(body) if server.kind else body, reply)
                if reply.delay:
                    time.sleep(reply.delay)
                content_type = reply.content_type
                streamed = body.get("stream") and reply.stream is not False and reply.raw_body is None
                if reply.status == 200 and streamed:
                    data = (server.kind.stream if server.kind else sse_body)(body, reply, number)
                    content_type = "text/event-stream"
                elif reply.status == 200:
                    payload = completion_body(body, reply, number)
                    if reply.no_choices:
                        payload["choices"] = []
                else:
                    payload = {"error": {"message": reply.error, "type": "server_error",
                                         "code": None}}
                if not (reply.status == 200 and streamed):
                    data = reply.raw_body if reply.raw_body is not None else json.dumps(payload).encode()
                self.send_response(reply.status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                for name, value in {**limited, **reply.headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.trickle:
                    for byte in data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                    return
                if reply.drop:
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def main() -> None:
    """Serve one answer for every request, after a fixed delay, until killed: for benchmarks,
    which run briefer in another process. Prints the base URL on its first line."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--answer", required=True, help="a JSON file: the content of every reply")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--requests", type=int, help="rate limit: requests per --per seconds")
    parser.add_argument("--tokens", type=int, help="rate limit: tokens per --per seconds")
    parser.add_argument("--per", type=float, default=60.0)
    args = parser.parse_args()
    with open(args.answer, encoding="utf-8") as handle:
        content = json.dumps(json.load(handle), ensure_ascii=False)
    limits = RateLimits(args.requests, args.tokens, args.per) if args.requests and args.tokens else None
    with ChatServer(lambda _body, _n: Reply(content=content, delay=args.delay), limits) as server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin


if __name__ == "__main__":
    main()
