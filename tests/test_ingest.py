"""Specification of `briefer.ingest`: articles in, numbered paragraphs out."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from briefer.core.errors import InputError
from briefer.core.models import Document
from briefer.ingest import read_source, slug

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "articles" / "scholz-putin-call.txt"

WRAPPED = (
    "First paragraph, hard-wrapped\n"
    "over two lines.\n"
    "\n"
    "  Second paragraph,\n"
    "wrapped   with extra   spaces.  \n"
    "\n"
    "\n"
    "Third.\n"
)
WRAPPED_PARAGRAPHS = [
    "First paragraph, hard-wrapped over two lines.",
    "Second paragraph, wrapped with extra spaces.",
    "Third.",
]


def write(tmp_path: Path, data: bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def assert_offsets_point_into_text(doc: Document) -> None:
    for p in doc.paragraphs:
        assert " ".join(doc.text[p.start : p.end].split()) == p.text, f"P{p.number}"


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_source(str(SEED))


# ------------------------------------------------------------------ the seed article


def test_seed_article_has_21_paragraphs_numbered_1_to_21(seed):
    assert [p.number for p in seed.paragraphs] == list(range(1, 22))


def test_seed_paragraph_1_starts_with_the_dateline(seed):
    assert seed.paragraph(1).text.startswith("(Reuters)")


def test_seed_paragraph_18_holds_the_troop_figure(seed):
    assert "11,000" in seed.paragraph(18).text


def test_seed_paragraph_offsets_point_into_the_decoded_text(seed):
    assert_offsets_point_into_text(seed)


def test_sidecar_metadata_gives_title_outlet_and_date(seed):
    assert seed.title == "Scholz speaks with Putin in first call in almost two years"
    assert seed.outlet == "Reuters"
    assert seed.date == "2024-11-15"


def test_document_id_is_the_slug_of_the_file_name(seed):
    assert seed.id == "scholz-putin-call"


def test_sha256_is_the_digest_of_the_decoded_text(seed):
    assert seed.sha256 == hashlib.sha256(seed.text.encode("utf-8")).hexdigest()


def test_sha256_is_stable_across_reads(seed):
    assert read_source(str(SEED)).sha256 == seed.sha256


# ------------------------------------------------------------------ splitting


def test_blank_lines_separate_paragraphs_and_inner_newlines_fold_to_spaces(tmp_path):
    doc = read_source(str(write(tmp_path, WRAPPED.encode())))
    assert texts(doc) == WRAPPED_PARAGRAPHS


def test_offsets_of_hard_wrapped_paragraphs_point_into_the_text(tmp_path):
    doc = read_source(str(write(tmp_path, WRAPPED.encode())))
    assert_offsets_point_into_text(doc)


def test_crlf_line_ends_give_the_same_paragraphs_as_lf(tmp_path):
    doc = read_source(str(write(tmp_path, WRAPPED.replace("\n", "\r\n").encode())))
    assert texts(doc) == WRAPPED_PARAGRAPHS
    assert_offsets_point_into_text(doc)


def test_utf8_bom_is_dropped(tmp_path):
    doc = read_source(str(write(tmp_path, b"\xef\xbb\xbf" + WRAPPED.encode())))
    assert texts(doc) == WRAPPED_PARAGRAPHS
    assert not doc.text.startswith("\ufeff")


def test_bom_and_crlf_together_give_the_same_document_text_as_lf(tmp_path):
    lf = read_source(str(write(tmp_path, WRAPPED.encode(), "lf.txt")))
    crlf = read_source(
        str(write(tmp_path, b"\xef\xbb\xbf" + WRAPPED.replace("\n", "\r\n").encode(), "crlf.txt"))
    )
    assert crlf.text == lf.text
    assert crlf.sha256 == lf.sha256


# ------------------------------------------------------------------ errors


def assert_input_error_naming(path: Path | str, excinfo: pytest.ExceptionInfo) -> None:
    message = str(excinfo.value)
    assert str(path) in message
    assert "\n" not in message


def test_empty_file_is_an_input_error(tmp_path):
    path = write(tmp_path, b"")
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(path, excinfo)


def test_whitespace_only_file_is_an_input_error(tmp_path):
    path = write(tmp_path, b"  \n\t\n\r\n   \n")
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(path, excinfo)


def test_missing_file_is_an_input_error(tmp_path):
    path = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(path, excinfo)


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as excinfo:
        read_source(str(tmp_path))
    assert_input_error_naming(tmp_path, excinfo)


def test_binary_file_with_nul_bytes_is_an_input_error(tmp_path):
    path = write(tmp_path, b"PK\x03\x04\x00\x00\x00binary", "archive.txt")
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(path, excinfo)


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_an_input_error(tmp_path):
    path = write(tmp_path, bytes(range(128, 256)) * 4)
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(path, excinfo)
    assert "convert it to UTF-8" in str(excinfo.value)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_windows_1252_and_latin_1_articles_are_decoded(tmp_path, encoding):
    text = "Der Außenminister sagte am Montag, die Gespräche über das Café seien schwierig gewesen."
    path = write(tmp_path, text.encode(encoding))
    assert texts(read_source(str(path))) == [text]


def test_curly_quotes_in_windows_1252_are_decoded(tmp_path):
    text = "“It was an attempt to mislead voters,” Will Moy said — on Tuesday."
    path = write(tmp_path, text.encode("cp1252"))
    assert texts(read_source(str(path))) == [text]


def test_sidecar_that_is_not_json_is_an_input_error(tmp_path):
    path = write(tmp_path, b"Some paragraph.\n")
    sidecar = write(tmp_path, b'{"title": "unterminated', "article.meta.json")
    with pytest.raises(InputError) as excinfo:
        read_source(str(path))
    assert_input_error_naming(sidecar, excinfo)


# ------------------------------------------------------------------ standard input


def test_dash_reads_standard_input():
    doc = read_source("-", stdin=io.BytesIO(b"The first paragraph says one thing.\nTwo.\n"))
    assert doc.id == "stdin"
    assert doc.origin == "-"
    assert texts(doc) == ["The first paragraph says one thing.", "Two."]


# ------------------------------------------------------------------ slug


def test_slug_makes_a_readable_id():
    assert slug("Scholz Putin Call (2024)") == "scholz-putin-call-2024"


def test_slug_falls_back_to_article_for_a_name_without_letters_or_digits():
    assert slug("--- (!) ---") == "article"


def test_the_byline_comes_from_the_sidecar_or_the_page_and_is_one_clean_line(tmp_path: Path) -> None:
    """An editor could not tell whose opinion a column was: the author is read from the sidecar
    (`authors`: a name or a list) or the page's own metadata, as one clean line, and is carried to
    the briefing's sources, never to the model."""
    column = read_source(str(Path(__file__).parent.parent / "fixtures" / "articles" /
                             "nationalreview_impeachment_clock_2019.html"))
    assert column.author == "Victor Davis Hanson"
    page = tmp_path / "page.html"
    page.write_text('<html><head><meta name="author" content="Ada\nLovelace"><title>T</title></head><body>'
                    "<article><p>" + "A sentence of the article that is long enough to be prose. " * 5 +
                    "</p></article></body></html>", encoding="utf-8")
    assert read_source(str(page)).author == "Ada Lovelace"
    (tmp_path / "plain.txt").write_text("A plain article with enough words in it to count as prose here.\n")
    (tmp_path / "plain.meta.json").write_text('{"authors": ["Jill Lawless", "Danica Kirka"]}')
    assert read_source(str(tmp_path / "plain.txt")).author == "Jill Lawless, Danica Kirka"
