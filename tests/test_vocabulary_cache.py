"""The token bound's vocabulary is kept in briefer's own cache folder as a table that loads at
once (briefer/extract/vocabulary.py): it answers exactly as the set read from bpe-openai's file,
a later run reads the table instead of unpacking the file, and a table that is not exactly as
briefer left it is passed over, never trusted."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from briefer.core.cache_files import cache_folder, read_sealed, seal, write_sealed
from briefer.extract import token_bound
from briefer.extract.vocabulary import Vocabulary

#: These tests are about the cache: each keeps its own folder, not the run's shared one.
pytestmark = pytest.mark.own_cache

SAMPLE = ["[P1] Scholz spoke with Putin for an hour on Friday, the first call in almost two years.",
          "[P2] Der Kanzler forderte Russland auf, die Truppen abzuziehen; Moskau lehnte ab.",
          "[P3] Zelenskiy said the call opened “a Pandora's box” — 1,000 days into the war."]


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty cache folder of this test's own, and no vocabulary loaded in this process."""
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    token_bound._vocabulary.cache_clear()
    yield tmp_path / "cache"
    token_bound._vocabulary.cache_clear()


def tokenizer_file() -> Path:
    spec = token_bound.importlib.util.find_spec("bpe_openai")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "o200k_base.tiktoken.gz"


def from_the_file() -> frozenset[bytes]:
    """The vocabulary as read from bpe-openai's file, without any cache."""
    found = token_bound._read_vocabulary(tokenizer_file())
    assert found is not None
    return found


def test_the_table_holds_exactly_the_tokens_it_was_made_of() -> None:
    tokens = from_the_file()
    table = Vocabulary.from_bytes(Vocabulary.of(tokens).to_bytes())
    assert table is not None
    assert all(token in table for token in tokens)
    # near misses (tokens cut short or run on) and the rarer tokens the bound leaves out
    sample = sorted(tokens)[::13]
    near = {t[:-1] for t in sample} | {t + b"A" for t in sample} | {t + b"=" for t in sample}
    assert all((token in table) == (token in tokens) for token in near)
    with gzip.open(tokenizer_file(), "rb") as handle:
        rarer = handle.read(3 * token_bound.VOCABULARY_BYTES).split()[0::2][len(tokens) + 1 :: 13]
    assert rarer and not any(token in table for token in rarer)


def test_a_later_run_reads_the_kept_table_not_the_tokenizer_file(
        fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = token_bound.token_bounds(SAMPLE, "gpt-4.1-mini")
    kept = sorted((fresh_cache / "vocabulary").iterdir())
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert (fresh_cache / "vocabulary").stat().st_mode & 0o777 == 0o700
    token_bound._vocabulary.cache_clear()

    def unpacked(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tokenizer's file was unpacked again")

    monkeypatch.setattr(gzip, "open", unpacked)
    assert token_bound.token_bounds(SAMPLE, "gpt-4.1-mini") == first
    assert isinstance(token_bound._vocabulary(), Vocabulary)


def test_a_table_with_a_token_swapped_is_passed_over(fresh_cache: Path) -> None:
    first = token_bound.token_bounds(SAMPLE, "gpt-4.1-mini")
    (table,) = (fresh_cache / "vocabulary").iterdir()
    data = table.read_bytes()  # the last token rewritten as one that is no token: counted as one if trusted
    last = data.rstrip(b" ").rsplit(b" ", 1)[1]
    table.write_bytes(data[: -len(last) - 1] + b"/" * len(last) + b" ")
    token_bound._vocabulary.cache_clear()
    assert not isinstance(token_bound._vocabulary(), Vocabulary)  # read from the tokenizer's file again
    assert token_bound.token_bounds(SAMPLE, "gpt-4.1-mini") == first


@pytest.mark.parametrize("damage", ["writable by others", "folder writable by others", "a link", "garbage",
                                    "cut short", "payload changed, digest not", "stale"])
def test_a_kept_file_not_exactly_as_briefer_left_it_is_passed_over(tmp_path: Path, damage: str) -> None:
    """The one reader of every kept file (templates, the vocabulary): briefer/core/cache_files.py."""
    path, magic = tmp_path / "cache" / "kind" / "one.kept", b"briefer test kept file 1\n"
    salt = b"made from this"
    write_sealed(path, magic, lambda payload: seal(salt, payload), b"the payload")
    assert read_sealed(path, magic, lambda payload: seal(salt, payload), 1024) == b"the payload"
    if damage == "writable by others":
        path.chmod(0o622)
    elif damage == "folder writable by others":
        path.parent.chmod(0o777)
    elif damage == "a link":
        elsewhere = tmp_path / "elsewhere.kept"
        path.rename(elsewhere)
        path.symlink_to(elsewhere)
    elif damage == "garbage":
        path.write_bytes(os.urandom(200))
    elif damage == "cut short":
        path.write_bytes(path.read_bytes()[:-3])
    elif damage == "payload changed, digest not":
        path.write_bytes(path.read_bytes().replace(b"the payload", b"the pay-off"))
    else:
        salt = b"made from something else"
    assert read_sealed(path, magic, lambda payload: seal(salt, payload), 1024) is None


def test_the_table_is_kept_in_the_cache_folder_only(fresh_cache: Path) -> None:
    token_bound.token_bounds(SAMPLE, "gpt-4.1-mini")
    assert [p.parent for p in fresh_cache.rglob("*") if p.is_file()] == [cache_folder("vocabulary")]
