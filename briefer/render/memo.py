"""What rendering one briefing works out once.

`layout.fit` renders the short briefing several times to find where to stop, and every one of
those renderings escapes the same texts and cites, marks and quotes the same items. Within one
`render_briefing` call (a session) a filter's answer for a text, or for an item of the briefing
being rendered, is kept and reused. Nothing outlives the session, so no work done for one
briefing is ever taken for another's, and outside a session the filters simply compute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])

#: key -> (the argument, the answer); the argument is held so that its id is not reused.
_SESSION: ContextVar[dict[tuple[Any, ...], tuple[Any, Any]] | None] = ContextVar("render_memo", default=None)


@contextmanager
def session() -> Iterator[None]:
    """Keep the filters' answers until the block ends (sessions nest, each with its own)."""
    token = _SESSION.set({})
    try:
        yield
    finally:
        _SESSION.reset(token)


def text_once(function: F) -> F:
    """For a filter that depends on its one argument alone (`md`, `inert`): kept by text."""

    @wraps(function)
    def once(value: Any) -> Any:
        memo = _SESSION.get()
        if memo is None or type(value) is not str:
            return function(value)
        key = (function, value)
        found = memo.get(key)
        if found is None:
            found = memo[key] = (value, function(value))
        return found[1]

    return once  # type: ignore[return-value]


def item_once(function: F) -> F:
    """For a filter (taking Jinja's context) that depends on its argument, the briefing being
    rendered and the template's kind of output: kept per template and escaping, for a text by
    its value and for an item of the briefing (a model) by its identity. Anything else (a list
    built while rendering is new each time) is worked out every time."""

    @wraps(function)
    def once(context: Any, value: Any) -> Any:
        memo = _SESSION.get()
        if memo is None:
            return function(context, value)
        if type(value) is str:
            key: tuple[Any, ...] = (function, context.name, context.eval_ctx.autoescape, value)
        elif isinstance(value, BaseModel):
            key = (function, context.name, context.eval_ctx.autoescape, id(value))
        else:
            return function(context, value)
        found = memo.get(key)
        if found is None or (found[0] is not value and type(value) is not str):
            found = memo[key] = (value, function(context, value))  # the item held: its id stays its own
        return found[1]

    return once  # type: ignore[return-value]
