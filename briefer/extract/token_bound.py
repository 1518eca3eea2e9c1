"""An upper bound on a text's token count without loading a tokenizer: what lets a one-chunk
article go to the model without the 0.4 s that loading bpe-openai's tables takes (it loads
every encoding at import).

The bound follows how the encoding counts: the text is split into pieces by the encoding's own
pattern, a piece that is itself in the vocabulary is one token (tiktoken's rule, which
bpe-openai reproduces), and any other piece is at most one token a byte. The vocabulary is read
from the very file bpe-openai ships, on first use, and only its first VOCABULARY_BYTES (about
66,000 entries: the most frequent merges, which cover nearly every word of a news article), kept
base64-encoded as the file has them; unpacking and reading them costs about 25 ms, so the set is
kept in briefer's cache folder as a table that loads in a few (briefer/extract/vocabulary.py).

The pattern needs Unicode classes (\\p{L}) that only the `regex` package knows; importing and
compiling it is a twentieth of a second of start-up. For texts whose characters all lie in the
scripts of European news (Latin, Greek, Cyrillic, general punctuation and currency signs), the
same pattern is spelled with the standard library's `re`, each class listed over the texts' own
characters from `unicodedata` (a test checks every such character against `regex`); any other
text goes through `regex`. Only o200k_base is known here; other encodings are counted exactly.
"""

from __future__ import annotations

import binascii
import importlib.util
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .vocabulary import Vocabulary, kept_vocabulary

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


def token_bounds(texts: list[str], model: str) -> list[int] | None:
    """For each text, at least the number of tokens it has for `model` (one pattern for them
    all); None when no bound is known."""
    if not uses_o200k(model):
        return None
    vocabulary = _vocabulary()
    if vocabulary is None:
        return None
    pattern = _pattern_for(frozenset().union(*texts))
    return [_bound(pattern.findall(text), vocabulary) for text in texts]


def _bound(pieces: list[str], vocabulary: Vocabulary | frozenset[bytes]) -> int:
    total = 0
    for piece in pieces:
        encoded = piece.encode("utf-8")
        total += 1 if binascii.b2a_base64(encoded, newline=False) in vocabulary else len(encoded)
    return total


@cache
def _vocabulary() -> Vocabulary | frozenset[bytes] | None:
    """The most frequent tokens, base64-encoded as the file has them: kept in briefer's cache
    folder in a form that loads at once (briefer/extract/vocabulary.py)."""
    spec = importlib.util.find_spec("bpe_openai")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "o200k_base.tiktoken.gz"
    return kept_vocabulary(data, VOCABULARY_BYTES, lambda: _read_vocabulary(data))


def _read_vocabulary(data: Path) -> frozenset[bytes] | None:
    """The first VOCABULARY_BYTES of the file's tokens, whole lines only."""
    import gzip  # only when the kept table cannot be used

    try:
        with gzip.open(data, "rb") as handle:  # "TOKEN-BASE64 RANK" per line, by rank
            head = handle.read(VOCABULARY_BYTES)
    except OSError:
        return None
    return frozenset(head[: head.rfind(b"\n")].split()[0::2])


#: Where the standard library's `re` can spell the pattern: blocks whose characters' categories
#: have been settled for many Unicode versions (unassigned code points in them excepted). The
#: IPA block is left out: Unicode 16 moved U+0295 from Ll to Lo, and news has no use for it.
PLAIN_BLOCKS = ((0x0000, 0x024F), (0x02B0, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x206F),
                (0x20A0, 0x20CF), (0x2100, 0x214F))


def _pattern_for(alphabet: frozenset[str]) -> Any:
    """The pieces pattern for texts made of `alphabet`: the standard library's when every
    character is in PLAIN_BLOCKS, else `regex`'s."""
    if all(_plain(char) for char in alphabet):
        return _plain_pattern(alphabet)
    return _regex_pattern()


def _plain(char: str) -> bool:
    code = ord(char)
    return any(start <= code <= end for start, end in PLAIN_BLOCKS) and unicodedata.category(char) != "Cn"


@cache
def _regex_pattern() -> Any:
    import regex

    return regex.compile(O200K_PATTERN)


@lru_cache(maxsize=64)
def _plain_pattern(alphabet: frozenset[str]) -> re.Pattern[str]:
    """`O200K_PATTERN` for `re`, each Unicode class listed over `alphabet` (the classes only
    need to be right for the characters the text has: short lists, compiled in a millisecond)."""
    c = plain_classes(alphabet)
    spelled = {  # the bracketed constructs first, then the bare ones
        r"[^\r\n\p{L}\p{N}]": rf"[^\r\n{c['letter']}{c['number']}]",
        r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]": f"[{c['upper']}]",
        r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]": f"[{c['lower']}]",
        r"[^\s\p{L}\p{N}]": f"[^{c['space']}{c['letter']}{c['number']}]",
        r"\p{N}": f"[{c['number']}]",
        r"(?!\S)": f"(?![^{c['space']}])",
        r"\s": f"[{c['space']}]",
    }
    pattern = O200K_PATTERN
    for construct, listed in spelled.items():
        pattern = pattern.replace(construct, listed)
    assert "\\p" not in pattern and "\\s" not in pattern and "\\S" not in pattern
    return re.compile(pattern)


def plain_classes(alphabet: frozenset[str]) -> dict[str, str]:
    """The `re` class bodies for `regex`'s classes, over the characters of `alphabet`. An empty
    class is spelled as a character no text can hold (U+FFFF), since `[]` is not a class."""
    members: dict[str, list[int]] = {k: [] for k in ("upper", "lower", "letter", "number", "space")}
    for code in sorted(map(ord, alphabet)):
        char, category = chr(code), unicodedata.category(chr(code))
        if category in ("Lu", "Lt", "Lm", "Lo") or category[0] == "M":
            members["upper"].append(code)
        if category in ("Ll", "Lm", "Lo") or category[0] == "M":
            members["lower"].append(code)
        if category[0] == "L":
            members["letter"].append(code)
        if category[0] == "N":
            members["number"].append(code)
        if char.isspace() and not 0x1C <= code <= 0x1F:  # `regex` follows White_Space
            members["space"].append(code)
    return {name: _ranges(codes) for name, codes in members.items()}


def _ranges(codes: list[int]) -> str:
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in spans) or "\\uffff"
