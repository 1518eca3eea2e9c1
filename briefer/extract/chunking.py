"""Documents into chunks: the unit of one extraction call.

Chunks are paragraph-aligned and stay under a token budget; a paragraph longer than the budget
is split at sentence boundaries. Every piece keeps its [P#] marker, so evidence cites the
paragraph of the original article whatever chunk it was read in. Tokens are counted with the
model's real encoding, offline (bpe-openai ships the encodings; nothing is downloaded), unless a
cheap upper bound (briefer/extract/token_bound.py) already shows that the whole article fits in one
chunk: then the tokenizer is not loaded at all, and the chunk is the same either way.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..core.defaults import DEFAULT_CHUNK_TOKENS, DEFAULT_MODEL
from ..core.lazy import lazy_pattern
from ..core.models import Chunk, Document
from .token_bound import token_bounds

#: Only for a paragraph longer than a whole chunk.
_SENTENCE_END = lazy_pattern(r"(?<=[.!?…])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")


@cache
def _encoding(model: str) -> Any:
    import bpe_openai

    try:
        return bpe_openai.encoding_for_model(model)
    except Exception:  # unknown to the tokenizer (a local model): OpenAI's current encoding
        return bpe_openai.get_encoding("o200k_base")


#: The tokenizer refuses a text of a million characters or more; longer texts are counted in
#: pieces cut at white space (pre-tokenisation splits there too, so the sum is the count).
_PIECE_CHARS = 200_000


def count_tokens(text: str, model: str = DEFAULT_MODEL) -> int:
    encoding = _encoding(model)
    if len(text) < _PIECE_CHARS:
        return len(encoding.encode(text))
    total, start = 0, 0
    while start < len(text):
        end = start + _PIECE_CHARS
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            end = space if space > start else end
        total += len(encoding.encode(text[start:end]))
        start = end
    return total


def chunk_document(
    document: Document, budget: int = DEFAULT_CHUNK_TOKENS, model: str = DEFAULT_MODEL,
    exact: bool = False,
) -> list[Chunk]:
    """The chunks of a document, in paragraph order, each at most `budget` tokens of article.
    `exact`: count every chunk's tokens, even when a bound shows the article fits in one."""
    whole = None if exact else _whole_if_it_fits(document, budget, model)
    if whole is not None:
        return [whole]
    pieces = []
    for p in document.paragraphs:
        whole = count_tokens(f"[P{p.number}] {p.text}", model) + 2
        if whole <= budget:  # the common case: one count a paragraph
            pieces.append((p.number, p.text, whole))
            continue
        pieces += [(p.number, part, count_tokens(f"[P{p.number}] {part}", model) + 2)
                   for part in _parts(p.text, budget, model)]
    chunks: list[Chunk] = []
    current: list[tuple[int, str, int]] = []
    for piece in pieces:
        if current and sum(t for *_, t in current) + piece[2] > budget:
            chunks.append(_chunk(document, current))
            current = []
        current.append(piece)
    chunks.append(_chunk(document, current))
    return chunks


def _whole_if_it_fits(document: Document, budget: int, model: str) -> Chunk | None:
    """The document as one chunk when an upper bound on its tokens is within the budget (then
    the exact count is too, and chunking would give this very chunk). Its `tokens` is that
    bound."""
    bounds = token_bounds([f"[P{p.number}] {p.text}" for p in document.paragraphs], model)
    if not bounds or sum(bounds) + 2 * len(bounds) > budget:
        return None
    return _chunk(document, [(p.number, p.text, bound + 2) for p, bound in zip(document.paragraphs, bounds)])


def _chunk(document: Document, pieces: list[tuple[int, str, int]]) -> Chunk:
    text = "\n\n".join(f"[P{number}] {part}" for number, part, _ in pieces)
    return Chunk(
        document_id=document.id,
        first_paragraph=pieces[0][0],
        last_paragraph=pieces[-1][0],
        text=text,
        tokens=sum(t for *_, t in pieces),
    )


def _parts(text: str, budget: int, model: str) -> list[str]:
    """The paragraph whole when it fits; else runs of whole sentences that fit (a sentence that
    alone exceeds the budget is cut between words). Each sentence is counted once, and a run
    by the sum of its sentences (one token of slack each), so a huge paragraph costs linear
    time, not a count of every growing run."""
    if count_tokens(text, model) + 8 <= budget:
        return [text]
    return _runs(_split_long(_SENTENCE_END.split(text), budget, model), budget - 8, model)


def _runs(pieces: list[str], budget: int, model: str) -> list[str]:
    """Consecutive pieces joined by spaces into runs of at most `budget` tokens."""
    runs: list[str] = []
    current: list[str] = []
    tokens = 0
    for piece in pieces:
        size = count_tokens(piece, model) + 1
        if current and tokens + size > budget:
            runs.append(" ".join(current))
            current, tokens = [], 0
        current.append(piece)
        tokens += size
    return [*runs, " ".join(current)] if current else runs


def _split_long(sentences: list[str], budget: int, model: str) -> list[str]:
    out: list[str] = []
    for sentence in sentences:
        if count_tokens(sentence, model) + 8 <= budget:
            out.append(sentence)
        else:
            out += _runs(sentence.split(), budget // 2, model)
    return out
