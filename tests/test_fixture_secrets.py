"""No fixture holds a credential or a header: recordings are safe to commit and share."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

#: What a leaked credential or header looks like in a file.
SECRET_PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}"),  # a key starts a word: "risk-appetite" is prose
    re.compile(r"bearer\s+[A-Za-z0-9._-]{8,}", re.IGNORECASE),
    re.compile(r'"(authorization|api-key|openai-organization|openai-project|cookie|set-cookie)"\s*:', re.IGNORECASE),
    re.compile(r'"headers"\s*:', re.IGNORECASE),
    # a key a web page's scripts carry ("apiKey":"9039...", api_key = "c41b...", AIza...): pages
    # are copied into fixtures with their values replaced by REDACTED
    re.compile(r"(api[_-]?key|access[_-]?token|client[_-]?secret|secret[_-]?key|auth[_-]?token)[\"' :=]{1,4}"
               r"(?!REDACTED)[A-Za-z0-9_-]{16,}", re.IGNORECASE),
    re.compile(r"AIza[0-9A-Za-z_-]{35}"),
]


def secrets_in(path: Path) -> list[str]:
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
    return [match.group(0) for pattern in SECRET_PATTERNS for match in pattern.finditer(text)]


def test_no_fixture_holds_a_header_a_bearer_token_or_a_key() -> None:
    found = {str(p.relative_to(ROOT)): secrets_in(p) for p in FIXTURES.rglob("*") if p.is_file()}
    assert {path: hits for path, hits in found.items() if hits} == {}


@pytest.mark.parametrize(
    "planted",
    ['{"key": "sk-proj-abc123def"}', "Authorization: Bearer abcdefghij",
     '{"headers": {}}', '{"Authorization": "x"}', '{"set-cookie": "id=1"}',
     'gigya.js?apiKey=3_MadeUpForThisTest0123456789', '{"apiKey":"0123456789abcdef0123456789abcdef"}',
     'var api_key = "fedcba9876543210fedcba98";', 'key=AIza' + 'MadeUpForThisTest0123456789abcdefghij'],
)
def test_the_secret_scan_catches_what_it_looks_for(tmp_path: Path, planted: str) -> None:
    path = tmp_path / "leak.json"
    path.write_text(planted)
    assert secrets_in(path)


