"""The cheap token bound that spares a one-chunk article the tokenizer's start-up: never below
the exact count, and the chunks are the same with it as without."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from briefer.extract.chunking import chunk_document, count_tokens
from briefer.extract.token_bound import O200K_PATTERN, PLAIN_BLOCKS, plain_classes, token_bounds, uses_o200k
from briefer.ingest import read_source

from .conftest import FIXTURES, ROOT

ARTICLES = sorted(p for p in (FIXTURES / "articles").iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_the_bound_is_never_below_the_exact_count_and_chunks_do_not_change(article) -> None:
    document = read_source(str(article))
    for p in document.paragraphs:
        text = f"[P{p.number}] {p.text}"
        assert token_bounds([text], "gpt-4.1-mini")[0] >= count_tokens(text, "gpt-4.1-mini")  # type: ignore[index]
    for budget in (600, 2000, 8000):
        bounded, exact = chunk_document(document, budget), chunk_document(document, budget, exact=True)
        assert [c.model_dump(exclude={"tokens"}) for c in bounded] == [c.model_dump(exclude={"tokens"}) for c in exact]
        assert all(b.tokens >= e.tokens for b, e in zip(bounded, exact))


def test_the_bound_is_close_enough_to_spare_the_seed_article_the_tokenizer() -> None:
    document = read_source(str(FIXTURES / "articles" / "scholz-putin-call.txt"))
    (chunk,) = chunk_document(document, 2000)
    (exact,) = chunk_document(document, 2000, exact=True)
    assert exact.tokens <= chunk.tokens <= 2000
    assert token_bounds(["Hello, world"], "gpt-4.1-mini") == [3]  # "Hello" "," " world"


def test_o200k_pattern_and_models_match_bpe_openai() -> None:
    from bpe_openai import compat, registry

    assert registry.ENCODING_CONSTRUCTORS["o200k_base"]()["pat_str"] == O200K_PATTERN
    for model, metadata in compat.MODEL_REGISTRY.items():
        assert uses_o200k(model) == (metadata.encoding == "o200k_base"), model
    assert uses_o200k("llama3.1") and uses_o200k("gpt-4.1-mini-2025-04-14") and not uses_o200k("gpt-4")


def test_a_one_chunk_run_never_loads_the_tokenizer(tmp_path) -> None:
    """The 0.4 s of bpe-openai's tables is not spent before (or at all in) a one-chunk run."""
    probe = ("import atexit, sys, runpy; sys.argv = ['briefer', 'brief', sys.argv[1], '--replay', sys.argv[2], '-q']\n"
             "atexit.register(lambda: print('bpe_openai' in sys.modules))  # `briefer` ends with its exit functions\n"
             "runpy.run_module('briefer', run_name='__main__')")
    seed = FIXTURES / "articles" / "scholz-putin-call.txt"
    result = subprocess.run([sys.executable, "-c", probe, str(seed), str(FIXTURES / "cassettes")],
                            capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")


def test_the_standard_library_spelling_classes_every_character_as_regex_does() -> None:
    """The plain pattern lists each Unicode class by hand; `regex` decides, for every character
    of PLAIN_BLOCKS this Python knows."""
    import regex

    from briefer.extract.token_bound import _plain

    alphabet = frozenset(chr(code) for start, end in PLAIN_BLOCKS for code in range(start, end + 1)
                         if _plain(chr(code)))
    assert len(alphabet) > 1500  # Latin, Greek, Cyrillic, punctuation, currency
    classes = {name: re.compile(f"[{body}]") for name, body in plain_classes(alphabet).items()}
    regex_classes = {"upper": r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", "lower": r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]",
                     "letter": r"\p{L}", "number": r"\p{N}", "space": r"\s"}
    for char in alphabet:
        for name, unicode_class in regex_classes.items():
            assert bool(classes[name].match(char)) == bool(regex.match(unicode_class, char)), (name, hex(ord(char)))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_the_plain_pattern_cuts_every_article_into_the_same_pieces_as_regex(article) -> None:
    import regex

    from briefer.extract.token_bound import _pattern_for

    text = "\n\n".join(f"[P{p.number}] {p.text}" for p in read_source(str(article)).paragraphs)
    assert _pattern_for(frozenset(text)).findall(text) == regex.compile(O200K_PATTERN).findall(text)
    emoji = "meth_njcom" in article.name  # its tweets end in emoji: those go through `regex`
    assert isinstance(_pattern_for(frozenset(text)), type(regex.compile(""))) == emoji


def test_a_text_beyond_the_plain_blocks_is_cut_by_regex_and_still_bounded() -> None:
    import regex

    from briefer.extract.token_bound import _pattern_for

    text = "Tokyo (東京) said 👍 on Tuesday: «ça va», 1,234,567 people — \x1c ok"
    assert isinstance(_pattern_for(frozenset(text)), type(regex.compile("")))
    assert token_bounds([text], "gpt-4.1-mini")[0] >= count_tokens(text, "gpt-4.1-mini")  # type: ignore[index]
    for edge in ("x\x1c\x1dy  \u00a0\u2009z\u2028\r\n\n  end 12345 don't SHOUTING'LL éÉ ǅungla ſ'S",
                 "no digits nor spaces", "42", "   ", "\n\n\r\n"):
        assert _pattern_for(frozenset(edge)).findall(edge) == regex.compile(O200K_PATTERN).findall(edge), edge
