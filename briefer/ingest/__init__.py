"""Articles in, `Document`s out: files, standard input, web pages and feeds.

`read_source` is the one entry point the pipeline uses; the modules below it each do one job
(text decoding and paragraphs, HTML extraction, files, the web).
"""

from __future__ import annotations

from typing import BinaryIO

from ..models import Document
from .documents import MAX_INPUT_BYTES, document_from_bytes
from .files import STDIN, read_sidecar
from .text import slug, split_paragraphs

__all__ = ["MAX_INPUT_BYTES", "STDIN", "document_from_bytes", "read_sidecar", "read_source", "slug",
           "split_paragraphs"]


def read_source(source: str, stdin: BinaryIO | None = None, meta: dict[str, str] | None = None) -> Document:
    """A file path or `-` for standard input into a Document; `meta` (title, outlet, date,
    url) overrides what the file or its sidecar says."""
    from .files import read_file

    return read_file(source, stdin, meta)
