"""What a command may never need, loaded when first asked for: a package's names, each imported
from its module (PEP 562), and patterns compiled on first use.

A package that re-exports its modules' names in `__init__` loads every module whenever any one of
them is imported. Commands that need one small module (the outcome of an item, the Document
dataclass) would then load the fuzzy matcher or the validation library as well; with these
names looked up lazily they load what they use.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any, cast


def lazy_names(package: str, names: dict[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name of `names` (module -> its names), loaded
    from `package.module` the first time it is asked for, and kept."""
    modules = {name: module for module, defined in names.items() for name in defined}

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__


class _LazyPattern:
    """A regular expression compiled the first time it is used: see `lazy_pattern`."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags, self._compiled = source, flags, None

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:  # search, match, sub, finditer, pattern, ...
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return getattr(self._compiled, name)


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """A module's pattern that most runs never use, compiled on first use rather than when the
    module is imported (compiling a pattern takes up to a millisecond): used like the compiled
    pattern itself."""
    return cast("re.Pattern[str]", _LazyPattern(source, flags))
