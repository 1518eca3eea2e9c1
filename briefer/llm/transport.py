"""Run settings from flags and the environment, and the transport they imply.

The API key only ever comes from the environment (OPENAI_API_KEY), never a flag: flags end up in
shell history and process lists.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.defaults import DEFAULT_MODEL as DEFAULT_MODEL
from ..core.errors import MissingCredentials, UsageError
from ..core.safety import checked_key

if TYPE_CHECKING:
    import httpx2

    from .recording import Mode, PageStore

# The store and the HTTP client are imported where a store or a transport is made, not here:
# reading the options imports neither, so commands that call no model start fast.

#: Sent as the key in replay mode, where no request leaves the machine.
REPLAY_KEY = "replay-needs-no-key"


def store_mode(replay: Path | None, record: Path | None, cache: Path | None) -> tuple[Mode, Path] | None:
    chosen = [(mode, path) for mode, path in (("replay", replay), ("record", record), ("cache", cache)) if path]
    if len(chosen) > 1:
        raise UsageError("use only one of --replay, --record and --cache")
    return chosen[0] if chosen else None  # type: ignore[return-value]


def page_store(replay: Path | None, record: Path | None, cache: Path | None) -> PageStore | None:
    """The store web pages go through: the one the flags chose for model calls, if any."""
    chosen = store_mode(replay, record, cache)
    if chosen is None:
        return None
    from .recording import PageStore

    return PageStore(*chosen)


def api_key(mode: Mode | None) -> str:
    key = os.environ.get("OPENAI_API_KEY", "").strip()
    if key:
        return checked_key(key)
    if mode == "replay":
        return REPLAY_KEY
    raise MissingCredentials(
        "OPENAI_API_KEY is not set: export it (any value for a local server), "
        "or brief offline from recordings with --replay DIR"
    )


def transport(
    store: tuple[Mode, Path] | None, key: str, network: httpx2.AsyncBaseTransport | None = None
) -> httpx2.AsyncBaseTransport | None:
    """The response store around the network (`network`, e.g. a rate limiter around it, or plain
    network access), or the network alone; None for the SDK's own."""
    import httpx2

    from .recording import ResponseStore

    if store is None:
        return network
    mode, directory = store
    upstream = None if mode == "replay" else network or httpx2.AsyncHTTPTransport()
    return ResponseStore(directory, mode, upstream=upstream, secrets=(key,))
