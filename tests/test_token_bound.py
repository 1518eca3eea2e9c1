"""The cheap token bound that spares a one-chunk article the tokenizer's start-up: never below
the exact count, and the chunks are the same with it as without."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefer.chunking import chunk_document, count_tokens
from briefer.ingest import read_source
from briefer.token_bound import O200K_PATTERN, token_bound, uses_o200k

from .conftest import FIXTURES, ROOT

ARTICLES = sorted(p for p in (FIXTURES / "articles").iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_the_bound_is_never_below_the_exact_count_and_chunks_do_not_change(article) -> None:
    document = read_source(str(article))
    for p in document.paragraphs:
        text = f"[P{p.number}] {p.text}"
        assert token_bound(text, "gpt-4.1-mini") >= count_tokens(text, "gpt-4.1-mini")  # type: ignore[operator]
    for budget in (600, 2000, 8000):
        bounded, exact = chunk_document(document, budget), chunk_document(document, budget, exact=True)
        assert [c.model_dump(exclude={"tokens"}) for c in bounded] == [c.model_dump(exclude={"tokens"}) for c in exact]
        assert all(b.tokens >= e.tokens for b, e in zip(bounded, exact))


def test_the_bound_is_close_enough_to_spare_the_seed_article_the_tokenizer() -> None:
    document = read_source(str(FIXTURES / "articles" / "scholz-putin-call.txt"))
    (chunk,) = chunk_document(document, 2000)
    (exact,) = chunk_document(document, 2000, exact=True)
    assert exact.tokens <= chunk.tokens <= 2000
    assert token_bound("Hello, world", "gpt-4.1-mini") == 3  # "Hello" "," " world"


def test_o200k_pattern_and_models_match_bpe_openai() -> None:
    from bpe_openai import compat, registry

    assert registry.ENCODING_CONSTRUCTORS["o200k_base"]()["pat_str"] == O200K_PATTERN
    for model, metadata in compat.MODEL_REGISTRY.items():
        assert uses_o200k(model) == (metadata.encoding == "o200k_base"), model
    assert uses_o200k("llama3.1") and uses_o200k("gpt-4.1-mini-2025-04-14") and not uses_o200k("gpt-4")


def test_a_one_chunk_run_never_loads_the_tokenizer(tmp_path) -> None:
    """The 0.4 s of bpe-openai's tables is not spent before (or at all in) a one-chunk run."""
    probe = ("import sys, runpy; sys.argv = ['briefer', 'brief', sys.argv[1], '--replay', sys.argv[2], '-q']\n"
             "try:\n    runpy.run_module('briefer', run_name='__main__')\nexcept SystemExit as e:\n"
             "    assert not e.code, e.code\nprint('bpe_openai' in sys.modules)")
    seed = FIXTURES / "articles" / "scholz-putin-call.txt"
    result = subprocess.run([sys.executable, "-c", probe, str(seed), str(FIXTURES / "cassettes")],
                            capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")
