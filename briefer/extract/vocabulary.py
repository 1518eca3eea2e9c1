"""The token bound's vocabulary kept in a form that loads at once: reading it from bpe-openai's
file means unpacking a megabyte and building a set of 66,000 strings, about 25 ms of every run
that briefs an article; the same set, kept as a hash table in a file of briefer's own cache
folder (briefer/core/cache_files.py: sealed, this user's, never in TMPDIR), is read in a
millisecond and answers the same question.

The table: a power of two of 4-byte slots, each empty or the offset of one token in a string of
the tokens, each followed by a space (base64 has none). A token's first slot is its CRC-32 (the
same on every run, unlike Python's string hash) modulo the slot count; a taken slot sends it to
the next one. A token is in the vocabulary when one of the slots from its first to the next
empty one points at it, followed by its space: the very set the file gave, nothing more.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core import cache_files

MAGIC = b"briefer token-bound vocabulary 1\n"
#: No vocabulary file the bound reads makes a larger table (1 MB of tokens: about 1.3 MB).
MAX_BYTES = 16 * 1024 * 1024
_EMPTY = 0xFFFFFFFF


class Vocabulary:
    """A set of base64-encoded tokens, as a hash table over one string (described above)."""

    def __init__(self, slots: array, tokens: bytes) -> None:  # type: ignore[type-arg]
        self._slots, self._tokens, self._mask = slots, tokens, len(slots) - 1

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, bytes):
            return False
        wanted, slots, mask = token + b" ", self._slots, self._mask
        at = zlib.crc32(token) & mask
        while (offset := slots[at]) != _EMPTY:
            if self._tokens.startswith(wanted, offset):
                return True
            at = (at + 1) & mask
        return False

    @classmethod
    def of(cls, tokens: Iterable[bytes]) -> Vocabulary:
        """The table of these tokens, at most two thirds of its slots taken."""
        ordered = sorted(set(tokens))  # the same file for the same tokens
        slots = array("I", [_EMPTY]) * (1 << max(4, (len(ordered) * 3 // 2).bit_length()))
        mask, text = len(slots) - 1, bytearray()
        for token in ordered:
            at = zlib.crc32(token) & mask
            while slots[at] != _EMPTY:
                at = (at + 1) & mask
            slots[at] = len(text)
            text += token + b" "
        return cls(slots, bytes(text))

    def to_bytes(self) -> bytes:
        return len(self._slots).to_bytes(8, "big") + self._slots.tobytes() + self._tokens

    @classmethod
    def from_bytes(cls, data: bytes) -> Vocabulary | None:
        count = int.from_bytes(data[:8], "big")
        slots = array("I")
        if count < 16 or count & (count - 1) or len(data) < 8 + count * slots.itemsize:
            return None
        slots.frombytes(data[8 : 8 + count * slots.itemsize])
        return cls(slots, data[8 + count * slots.itemsize :])


def kept_vocabulary(source: Path, size: int,
                    read: Callable[[], frozenset[bytes] | None]) -> Vocabulary | frozenset[bytes] | None:
    """The vocabulary of the first `size` bytes of `source`: from the cache folder when it was
    kept from this very file (its path, size and time of change), else `read()` and kept."""
    try:
        status = source.stat()
    except OSError:
        return read()
    salt = (f"{source.resolve()}|{status.st_size}|{status.st_mtime_ns}|{size}|"
            f"{sys.byteorder}|{array('I').itemsize}").encode()
    path = cache_files.cache_folder("vocabulary") / f"{zlib.crc32(salt):08x}.table"

    def sealed(payload: bytes) -> bytes:
        return cache_files.seal(salt, payload)

    payload = cache_files.read_sealed(path, MAGIC, sealed, MAX_BYTES)
    kept = Vocabulary.from_bytes(payload) if payload is not None else None
    if kept is not None:
        return kept
    tokens = read()
    if tokens is not None:
        cache_files.write_sealed(path, MAGIC, sealed, Vocabulary.of(tokens).to_bytes())
    return tokens
