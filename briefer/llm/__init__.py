"""The model boundary: one client asks, streams, retries and repairs within a completion budget and
the rate limits, every exchange recorded or replayed and priced; hands back validated replies.
"""

# The names below load when first used (PEP 562): importing one small module of this package
# (the stream format, the transport's settings) never imports the SDK; only a model call does.

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: Each name this package offers, and its module.
_EXPORTS = {"LLMClient": "client", "LLMSettings": "client", "StructuredReply": "client", "usage_of": "client",
            "describe_validation_error": "reading", "Progress": "progress", "describe_api_error": "retries",
            "is_transient": "retries", "retry_after_seconds": "retries"}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .client import LLMClient, LLMSettings, StructuredReply, usage_of
    from .progress import Progress
    from .reading import describe_validation_error
    from .retries import describe_api_error, is_transient, retry_after_seconds


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
