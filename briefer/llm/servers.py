"""What a local OpenAI-compatible server says about itself: its kind and its context size.

Each says it its own way: llama.cpp's `llama-server` in `GET /v1/models` (`meta.n_ctx`) and,
per slot, in `GET /props` (`default_generation_settings.n_ctx`); vLLM in `GET /v1/models`
(`max_model_len`, `owned_by: "vllm"`); Ollama in `POST /api/show` (`num_ctx` among the
model's parameters when set, else its default applies; the trained `context_length` in
`model_info`). None of them has to answer: every lookup that fails leaves the fact unknown.
The OpenAI API itself is never asked (its models have no such fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: How long one look-up may take: they are small, and a run must not wait on them.
LOOKUP_SECONDS = 10.0
#: The request extension that marks a look-up: the response store keeps those apart, in the
#: recordings' `server/` folder, so that a folder of recordings stays one of model calls.
LOOKUP_EXTENSION = "briefer.lookup"
_MARKED = {LOOKUP_EXTENSION: True}


@dataclass(frozen=True)
class ServerFacts:
    kind: str | None = None  # "llama.cpp", "vLLM", "Ollama"
    #: Tokens a request may take, prompt and reply together, as the server enforces it.
    context: int | None = None
    #: Where `context` was read, for people ("/props n_ctx").
    said_by: str | None = None
    #: The model's trained context, when the server says only that (Ollama).
    trained: int | None = None

    def describe(self) -> str:
        """"llama.cpp, context 8,192 tokens (/props n_ctx)", or "" when nothing is known."""
        parts = [self.kind] if self.kind else []
        if self.context:
            parts.append(f"context {self.context:,} tokens ({self.said_by})")
        elif self.trained:
            parts.append(f"trained context {self.trained:,} tokens; the server's own context "
                         "size applies (Ollama: num_ctx, OLLAMA_CONTEXT_LENGTH)")
        return ", ".join(parts)


def root_of(base_url: str) -> str:
    """The server's root: the base URL without its `/v1` (where /props and /api live)."""
    return re.sub(r"/v1/?$", "", base_url.rstrip("/"))


def listed_model(listing: Any, model: str) -> dict[str, Any] | None:
    """The entry for `model` in a `GET /v1/models` body, matched exactly."""
    data = listing.get("data") if isinstance(listing, dict) else None
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict) and entry.get("id") == model:
            return entry
    return None


def kind_of(listing: Any, entry: dict[str, Any] | None) -> str | None:
    owner = str((entry or {}).get("owned_by") or "").lower()
    if owner == "llamacpp" or (isinstance(listing, dict) and isinstance(listing.get("models"), list)):
        return "llama.cpp"
    if owner == "vllm" or "max_model_len" in (entry or {}):
        return "vLLM"
    return None


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def facts_from(listing: Any, model: str, props: Any = None, show: Any = None) -> ServerFacts:
    """The facts in the bodies the server answered (any may be None)."""
    entry = listed_model(listing, model)
    kind = kind_of(listing, entry)
    if isinstance(props, dict):
        settings = props.get("default_generation_settings")
        n_ctx = _positive(settings.get("n_ctx")) if isinstance(settings, dict) else None
        if n_ctx:
            return ServerFacts("llama.cpp", n_ctx, "/props n_ctx")
    if entry is not None:
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        if kind == "llama.cpp" and _positive(meta.get("n_ctx")):
            return ServerFacts(kind, meta["n_ctx"], "/v1/models meta.n_ctx")
        if _positive(entry.get("max_model_len")):
            return ServerFacts(kind or "vLLM", entry["max_model_len"], "/v1/models max_model_len")
    if isinstance(show, dict):
        return _ollama(show)
    return ServerFacts(kind)


def _ollama(show: dict[str, Any]) -> ServerFacts:
    parameters = show.get("parameters")
    match = re.search(r"(?m)^\s*num_ctx\s+(\d+)", parameters) if isinstance(parameters, str) else None
    info = show.get("model_info") if isinstance(show.get("model_info"), dict) else {}
    trained = next((_positive(v) for k, v in info.items() if k.endswith(".context_length")), None)
    if match:
        return ServerFacts("Ollama", int(match.group(1)), "/api/show num_ctx", trained)
    return ServerFacts("Ollama", None, None, trained)


async def server_facts(http: Any, base_url: str | None, model: str, listing: Any = None,
                       headers: dict[str, str] | None = None) -> ServerFacts:
    """Ask the server at `base_url` (an httpx2 AsyncClient does the asking, so a response store
    under it records and replays the look-ups like any call). `listing`: the `GET /v1/models`
    body when the caller has it already."""
    if not base_url or "api.openai.com" in base_url:
        return ServerFacts()
    async def ask(url: str, body: dict[str, Any] | None = None) -> Any:
        return await _get_json(http, url, body, headers)

    if listing is None:
        listing = await ask(base_url.rstrip("/") + "/models")
    facts = facts_from(listing, model)
    if facts.kind == "vLLM":
        return facts
    root = root_of(base_url)
    props = await ask(root + "/props")
    if isinstance(props, dict) and "default_generation_settings" in props:
        return facts_from(listing, model, props=props)
    version = await ask(root + "/api/version") if facts.kind is None else None
    if isinstance(version, dict) and "version" in version:
        show = await ask(root + "/api/show", {"model": model})
        if isinstance(show, dict):
            return facts_from(listing, model, show=show)
    return facts


async def _get_json(http: Any, url: str, body: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None) -> Any:
    """A look-up's JSON body, or None for any failure (no answer, an error, not JSON, no
    recording of it in a replay)."""
    try:
        if body is None:
            response = await http.get(url, headers=headers, timeout=LOOKUP_SECONDS, extensions=_MARKED)
        else:
            response = await http.post(url, json=body, headers=headers, timeout=LOOKUP_SECONDS,
                                       extensions=_MARKED)
        if response.status_code != 200:
            return None
        return response.json()
    except Exception:  # noqa: BLE001 (a look-up never fails a run: the fact is just unknown)
        return None
