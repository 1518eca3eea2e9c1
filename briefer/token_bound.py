"""An upper bound on a text's token count without loading a tokenizer: what lets a one-chunk
article go to the model without the 0.4 s that loading bpe-openai's tables takes (it loads
every encoding at import).

The bound follows how the encoding counts: the text is split into pieces by the encoding's own
pattern, a piece that is itself in the vocabulary is one token (tiktoken's rule, which
bpe-openai reproduces), and any other piece is at most one token a byte. The vocabulary is read
from the very file bpe-openai ships, on first use;
only its first VOCABULARY_BYTES (about 66,000 entries) (the most frequent merges, which cover nearly every word
of a news article), so that reading it costs a few hundredths of a second, not half a second.
Only o200k_base is known here; other encodings are counted exactly.
"""

from __future__ import annotations

import binascii
import gzip
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

#: o200k_base's pre-tokenizer pattern, as tiktoken and bpe-openai define it (a test compares).
O200K_PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
#: How much of the vocabulary file the bound reads: rarer tokens count as one a byte (still a
#: bound).
VOCABULARY_BYTES = 1 << 20
#: Model names bpe-openai maps to another encoding (briefer counts every name bpe-openai does
#: not know with o200k_base); a test checks this against its registry. A name wrongly caught
#: here is only counted exactly, never wrongly bounded.
_OTHER_ENCODINGS = ("gpt-3.5", "gpt-35", "gpt-4-", "gpt2", "gpt-2", "text-", "code-", "davinci",
                    "curie", "babbage", "ada", "cushman", "cl100k", "r50k", "p50k", "voyage")


def uses_o200k(model: str) -> bool:
    return model != "gpt-4" and not model.startswith(_OTHER_ENCODINGS)


def token_bound(text: str, model: str) -> int | None:
    """At least the number of tokens `text` has for `model`; None when no bound is known."""
    if not uses_o200k(model):
        return None
    parts = _parts()
    if parts is None:
        return None
    pattern, vocabulary = parts
    total = 0
    for piece in pattern.findall(text):
        encoded = piece.encode("utf-8")
        total += 1 if encoded in vocabulary else len(encoded)
    return total


@cache
def _parts() -> tuple[Any, frozenset[bytes]] | None:
    import regex

    spec = importlib.util.find_spec("bpe_openai")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "o200k_base.tiktoken.gz"
    try:
        with gzip.open(data, "rb") as handle:  # "TOKEN-BASE64 RANK" per line, by rank
            head = handle.read(VOCABULARY_BYTES)
    except OSError:
        return None
    words = head[: head.rfind(b"\n")].split()  # whole lines only
    return regex.compile(O200K_PATTERN), frozenset(map(binascii.a2b_base64, words[0::2]))
