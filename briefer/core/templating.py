"""How Jinja templates are loaded, the renderings' (templates/, `--templates-dir`) and the
prompts' (prompts/): every file read through the one bounded reader of files (a regular file,
its mode checked before a byte is read, at most MAX_TEMPLATE_BYTES), and compiled once, not on
every run: Jinja's parsing and code generation take about 40 ms of a `briefer render` and 30 ms
of every briefing's prompts, the same work for the same template each time.

The compiled code is kept in briefer's own cache folder (`templates/` in the platform's user
cache folder, or in `BRIEFER_CACHE_DIR`; never in TMPDIR, where another user could plant code for briefer to run). A file
is loaded only when everything about it is as briefer left it: the folder and the file are this
user's and writable by no one else, the file is no symbolic link, it is no larger than a bound,
and it starts with a SHA-256 digest of the rest, of the template's source, of Jinja's and
Python's versions, of the environment's options and of briefer's own code. Anything else (a file another user could
have written, a damaged, truncated or stale one, an unwritable folder) is passed over and the
template compiled as before: the cache can make a run faster, never different, and never fail
it. (The digest tells a damaged file from a sound one; it is no secret. Whoever can write this
user's own files can run code as this user anyway, the cache or not.)
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from . import cache_files
from .bounded import read_text
from .errors import TemplateError

#: The first line of every file, and the bound on its size (the largest template compiles to
#: about 60 KB).
MAGIC = b"briefer compiled template 1\n"
MAX_BYTES = 4 * 1024 * 1024
#: No template is larger (the largest built-in one is under 20 KB).
MAX_TEMPLATE_BYTES = 1024 * 1024


class BoundedLoader(jinja2.FileSystemLoader):
    """Jinja's loader of template folders, reading each file through the bounded reader: a
    FIFO, a device or a huge file named like a template is one line of error, not a hang."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)  # no `..`: nothing outside the folders
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.exists(filename) and not os.path.isdir(filename):  # a FIFO too: refused below
                break
        else:
            plural = "path" if len(self.searchpath) == 1 else "paths"
            raise jinja2.TemplateNotFound(template, f"{template!r} not found in search {plural}: "
                                          + ", ".join(repr(p) for p in self.searchpath))
        text = read_text(filename, limit=MAX_TEMPLATE_BYTES, error=TemplateError, what="template") or ""
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return text, os.path.normpath(filename), uptodate


def cache_folder() -> Path:
    """Where compiled templates are kept: `templates/` in briefer's user cache folder."""
    return cache_files.cache_folder("templates")


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, kept as described above. `options` says how the environment
    compiles: code compiled one way is never loaded for an environment that compiles another."""

    def __init__(self, options: str, folder: Path | None = None) -> None:
        self._folder = folder
        self.salt = f"{jinja2.__version__}|{sys.version}|{options}".encode()

    @property
    def folder(self) -> Path:
        """The folder given, else `cache_folder()` as of now (an environment outlives a change
        of HOME within one process, as in the tests)."""
        return self._folder or cache_folder()

    def _path(self, folder: Path, bucket: jinja2.bccache.Bucket) -> Path:
        return folder / f"{hashlib.sha256(self.salt + bucket.key.encode()).hexdigest()[:40]}.cache"

    def _digest(self, bucket: jinja2.bccache.Bucket, payload: bytes) -> bytes:
        return cache_files.seal(self.salt, bucket.key.encode(), bucket.checksum.encode(), payload)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = cache_files.read_sealed(self._path(self.folder, bucket), MAGIC,
                                          lambda payload: self._digest(bucket, payload), MAX_BYTES)
        if payload is not None:
            bucket.bytecode_from_string(payload)  # Jinja's own checks follow (versions, source)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache_files.write_sealed(self._path(self.folder, bucket), MAGIC,
                                 lambda payload: self._digest(bucket, payload), bucket.bytecode_to_string())


def environment(folders: list[str], options: dict[str, Any], variant: str, **settings: Any) -> jinja2.Environment:
    """A Jinja environment loading from `folders` as described above. `options` are Jinja's
    settings that change the compiled code (escaping, whitespace); `variant` names the rest
    that does (which finalize and filters the environment has: Jinja applies them to constant
    text at compile time). Compiled code is kept apart by both, and by briefer's own code."""
    fingerprint = f"{variant}|{sorted(options.items())}|{code_fingerprint()}"
    return jinja2.Environment(loader=BoundedLoader(folders), bytecode_cache=CompiledTemplates(fingerprint),
                              **options, **settings)


@cache
def code_fingerprint() -> str:
    """A digest of the name, size and time of change of every module of briefer: the filters
    Jinja ran at compile time are briefer's code, so code compiled by another version (or an
    edited checkout) is never taken for this one's. About 120 files: 2 ms once per run."""
    package = Path(__file__).resolve().parent.parent
    seal = hashlib.sha256()
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            status = os.stat(os.path.join(folder, name))
            seal.update(f"{os.path.relpath(folder, package)}/{name}|{status.st_size}|{status.st_mtime_ns}\n".encode())
    return seal.hexdigest()
