"""A package's names, each imported from its module when first asked for (PEP 562).

A package that re-exports its modules' names in `__init__` loads every module whenever any one of
them is imported. Commands that need one small module (the outcome of an item, the Document
dataclass) would then load the fuzzy matcher or the validation library as well; with these
names looked up lazily they load what they use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


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
