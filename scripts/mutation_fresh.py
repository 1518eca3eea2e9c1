"""Every test computes from scratch under mutation testing (scripts/mutation.py puts this beside the
copy's tests/conftest.py, which imports it; the suite itself never loads it).

briefer keeps what it works out: a document's Source and its memo (quotations, who speaks, the
search order of paragraphs), functools caches of names, figures and number words, and the
`cached_property` values of module-level objects (the tables of verbs of saying). mutmut
learns which tests reach a function from one run of them all, in one process, and then tries each
mutant in a process forked after the tests were collected: a function whose result an earlier test
(or the collection) had already kept is never called again, so the tests that rely on it are not
tried against its mutants, or are tried with the original's answer still kept. Emptying every
cache before each test makes each test reach all it relies on, and each mutant run it afresh.
"""

from __future__ import annotations

import functools
import sys
import weakref
from typing import Any

from briefer.grounding import text as _text

_LIVE: weakref.WeakSet[Any] = weakref.WeakSet()
_init = _text.Source.__init__


def _kept(self: Any, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    _LIVE.add(self)


if not getattr(_text.Source.__init__, "_fresh", False):
    _kept._fresh = True  # type: ignore[attr-defined]
    _text.Source.__init__ = _kept  # type: ignore[method-assign]


def _forget_cached_properties(value: Any) -> None:
    """Drop what a `functools.cached_property` of the object kept, so that it is made again."""
    if isinstance(value, type) or not hasattr(value, "__dict__"):
        return
    for klass in type(value).__mro__:
        for name, attribute in vars(klass).items():
            if isinstance(attribute, functools.cached_property):
                vars(value).pop(name, None)


def pytest_runtest_setup(item: Any) -> None:
    """Forget what briefer and the tests' helpers kept: Sources, their memos, functools caches,
    the values of cached properties."""
    _text._SOURCES.clear()
    for source in list(_LIVE):
        source.memo.clear()
    for name, module in list(sys.modules.items()):
        if module is None or not (name.startswith(("briefer", "tests")) or name.startswith("test_")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
            else:
                _forget_cached_properties(value)
