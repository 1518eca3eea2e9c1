"""What a Batch API run keeps in OUTDIR/.briefer-batch/: the state file (the run's settings and
every batch it submitted, by round), the requests files exactly as uploaded, and the answers
that came back, as recordings, so that no answer is ever paid for twice.

A round is one set of requests submitted together (the first: every chunk; each later one: what
the answers still need, such as re-asks and syntheses), split into parts that respect the API's
per-batch limits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ..core.bounded import LARGE_FILE, parse_json, read_bytes, read_text
from ..core.errors import UsageError
from ..core.files import write_atomically
from .api import ENDPOINT

STATE_FORMAT = "briefer-batch/1"
#: The Batch API's limits for one batch: requests per file and the file's size.
MAX_REQUESTS_PER_BATCH = 50_000
MAX_BATCH_BYTES = 200 * 1024 * 1024
#: Times one request is submitted before its article is given up as failed.
MAX_TRIES = 3


class Part(BaseModel):
    """One requests file and the batch that answers it. The file is named as briefer names
    them, in the run folder: a state file edited to name another file (private notes) must not
    get that file uploaded to the provider."""

    file: str = Field(pattern=r"^round-[0-9]+\.part-[0-9]+\.jsonl$")
    requests: int
    file_id: str | None = None
    batch_id: str | None = None
    status: str = "written"
    counts: dict[str, int] = {}
    collected: bool = False


class Round(BaseModel):
    number: int
    parts: list[Part]


class RunState(BaseModel):
    format: str = STATE_FORMAT
    model: str
    base_url: str | None = None
    sources: list[str]
    #: The sources a feed on the public web gave: untrusted, fetched in every round only if
    #: they lead to public addresses (a str subclass does not survive the state file).
    feed_links: list[str] = []
    chunk_tokens: int
    structured_mode: str
    grounding: str
    max_reasks: int
    fmt: str
    template: str
    templates_dir: str | None = None
    file_only: bool = False
    #: `briefer stories --batch`: each round groups the articles and briefs one story at a time.
    stories: bool = False
    rounds: list[Round] = []
    tries: dict[str, int] = {}  # request key -> times submitted
    failed: dict[str, str] = {}  # request key -> why it is not asked again
    #: Sources whose failure a collect has counted in its account (and the run log), once.
    charged: list[str] = []
    finished: bool = False

    def pending_parts(self) -> list[Part]:
        """Parts submitted but not yet collected (only the latest round can have any)."""
        return [p for p in self.rounds[-1].parts if not p.collected] if self.rounds else []


class RunFolder:
    """OUTDIR/.briefer-batch and what is in it."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.root = outdir / ".briefer-batch"
        self.state_path = self.root / "state.json"
        self.answers = self.root / "answers"

    def exists(self) -> bool:
        return self.state_path.is_file()

    def load(self) -> RunState:
        data = read_bytes(self.state_path, limit=LARGE_FILE, error=UsageError, what="batch state", missing_ok=True)
        if data is None:
            raise UsageError(f"{self.outdir}: no batch run here; start one with `briefer batch submit "
                             f"ARTICLES... -o {self.outdir}`")
        try:
            return RunState.model_validate(parse_json(data, where=str(self.state_path), error=UsageError))
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(map(str, first["loc"])) or "file"
            raise UsageError(f"{self.state_path}: not a briefer batch state ({where}: {first['msg']})") from None

    def save(self, state: RunState) -> None:
        write_atomically(self.state_path, state.model_dump_json(indent=2) + "\n")

    def requests_of(self, part: Part) -> dict[str, tuple[str, dict[str, Any]]]:
        """custom_id -> (the synchronous request's key, the body sent in the batch), from the
        requests file as it was uploaded and the keys written beside it."""
        requests_file, keys_file = self.root / part.file, self.root / _keys_file(part.file)
        text = read_text(requests_file, limit=LARGE_FILE, error=UsageError, what="requests file") or ""
        keys = parse_json(read_text(keys_file, limit=LARGE_FILE, error=UsageError) or "", where=str(keys_file),
                          error=UsageError)
        found = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            row = parse_json(line, where=f"{requests_file}, line {number}", error=UsageError)
            try:
                found[row["custom_id"]] = (str(keys[row["custom_id"]]), dict(row["body"]))
            except (KeyError, TypeError, ValueError):
                raise UsageError(f"{requests_file}, line {number}: not a request briefer wrote (or its "
                                 f"key is missing from {keys_file.name})") from None
        return found

    def write_round(self, state: RunState, requests: dict[str, dict[str, Any]],
                    max_requests: int | None = None, max_bytes: int | None = None) -> Round:
        """The requests (key -> body) as Batch JSONL files of a new round, split at the limits
        (the API's, unless given)."""
        max_requests = max_requests or MAX_REQUESTS_PER_BATCH
        max_bytes = max_bytes or MAX_BATCH_BYTES
        number = len(state.rounds) + 1
        parts: list[Part] = []
        lines: list[str] = []
        keys: dict[str, str] = {}
        size = 0

        def flush() -> None:
            nonlocal lines, keys, size
            if lines:
                name = f"round-{number}.part-{len(parts) + 1}.jsonl"
                write_atomically(self.root / _keys_file(name), json.dumps(keys, indent=1) + "\n")
                write_atomically(self.root / name, "".join(lines))
                parts.append(Part(file=name, requests=len(lines)))
                lines, keys, size = [], {}, 0

        for key in sorted(requests, key=lambda k: (custom_id(requests[k], k), k)):
            line = json.dumps({"custom_id": custom_id(requests[key], key), "method": "POST",
                               "url": ENDPOINT, "body": batch_body(requests[key])}, ensure_ascii=False) + "\n"
            if len(lines) == max_requests or size + len(line.encode()) > max_bytes:
                flush()
            lines.append(line)
            keys[custom_id(requests[key], key)] = key
            size += len(line.encode())
            state.tries[key] = state.tries.get(key, 0) + 1
        flush()
        state.rounds.append(Round(number=number, parts=parts))
        return state.rounds[-1]


def batch_body(body: dict[str, Any]) -> dict[str, Any]:
    """The synchronous request as a batch sends it: the same body, but not streamed (a batch
    answers with a whole body; streaming is how the synchronous path shows progress)."""
    return {k: v for k, v in body.items() if k not in ("stream", "stream_options")}


def _keys_file(requests_file: str) -> str:
    return requests_file.removesuffix(".jsonl") + ".keys.json"


def custom_id(body: dict[str, Any], key: str) -> str:
    """A readable, unique id for one request: what it asks about and its key, e.g.
    `scholz-putin-call.p1-21.3f2a9c81d0e4` or `bbc-....synthesis.reask.5d...`."""
    messages = body.get("messages") or [{}]
    user = str(messages[1].get("content", "")) if len(messages) > 1 else ""
    what = "request"
    source = _line_value(user, "Source id: ")
    paragraphs = _line_value(user, "Paragraphs: ")
    if source and paragraphs:
        first, _, rest = paragraphs.partition(" to ")
        what = f"{source[:48]}.p{first}-{rest.partition(' ')[0]}"
    elif user.startswith("Sources:"):
        first = _line_value(user, "- ") or ""
        what = f"{first.partition(' ')[0][:48]}.synthesis"
    if len(messages) > 2:
        what += ".reask"
    return f"{what}.{key[:12]}"


def _line_value(text: str, prefix: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(prefix):
            value = line[len(prefix):].partition(":")[0] if prefix == "- " else line[len(prefix):]
            return "".join(c for c in value if c.isalnum() or c in "-_. ")[:48]
    return None
