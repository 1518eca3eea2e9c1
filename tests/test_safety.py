"""The shared mechanisms of briefer/core/safety.py, exactly: every secret masked whole and in
part (any 8-character piece, as providers echo keys cut short), passwords in URLs, and terminal
controls gone from whatever is printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from briefer.core import safety
from briefer.core.errors import MissingCredentials
from briefer.core.safety import (checked_key, clean, json_safe, one_line, redact, register_secret, safe_url, say,
                                 visible, visible_line, warn)

from .conftest import SENTINEL_KEY as KEY

PASSWORD = "hunter2-Zx9Qw7Lp"


@pytest.fixture(autouse=True)
def no_registered_secrets() -> Iterator[None]:
    safety.forget_registered()
    yield
    safety.forget_registered()


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", f"  {KEY}\n")  # as a file or a shell may give it
    return KEY


def test_the_key_is_masked_whole(key: str) -> None:
    assert redact(f"rejected {key}, try again") == "rejected [redacted], try again"
    assert redact(f"{key}{key}") == "[redacted][redacted]"


def test_a_key_echoed_cut_short_leaves_no_piece_of_it(key: str) -> None:
    echo = f"Incorrect API key provided: {key[:12]}****{key[-4:]}"  # sk-proj-Q7fX****NyJe
    assert redact(echo) == "Incorrect API key provided: [redacted]****NyJe"


def test_every_8_character_piece_is_masked_and_a_7_character_one_is_not(key: str) -> None:
    for start in range(len(key) - 7):
        assert redact(f"<{key[start:start + 8]}>") == "<[redacted]>", start
    for start in range(len(key) - 6):
        assert redact(f"<{key[start:start + 7]}>") == f"<{key[start:start + 7]}>", start


def test_overlapping_and_neighbouring_pieces_are_one_mask(key: str) -> None:
    assert redact(f"a {key[3:20]} b") == "a [redacted] b"
    assert redact(f"a {key[:9]} {key[-9:]} b") == "a [redacted] [redacted] b"
    assert redact(f"{key[:8]}{key[:8]}") == "[redacted]"  # touching pieces, one run
    assert redact(f"{key[:10]}-{key[:10]}-{key[:10]}") == "[redacted]-[redacted]-[redacted]"  # each time


def test_a_secret_with_a_run_of_one_character_is_covered_to_its_end() -> None:
    register_secret("zzzzzzzzzz-9Q")
    assert redact("<zzzzzzzzz>") == "<[redacted]>"  # pieces found at 0 and at 1: all nine covered


def test_a_long_text_is_checked_to_its_last_character(key: str) -> None:
    edge = "x" * (8192 - 10) + f"<{key[1:9]}>"  # 8,192 characters: every window is still tried
    assert redact(edge) == "x" * (8192 - 10) + "<[redacted]>"
    for start in range(len(key) - 10):  # longer texts: any piece of 11 characters, anywhere
        text = "y" * 9000 + key[start:start + 11] + "z"
        assert redact(text) == "y" * 9000 + "[redacted]z", start


def test_a_long_text_catches_the_last_piece_of_a_secret_of_any_length() -> None:
    secret = "pw-7Hq2Lx9Zr4Tb8Nc1Vm5Kd3Ys6Gf0Wj2Pe8Ua4Ri"  # of 41 to 43 characters, the last piece needs the last probe
    for length in range(41, 44):
        safety.forget_registered()
        register_secret(secret[:length])
        tail = secret[length - 11 : length]
        assert redact("y" * 9000 + tail) == "y" * 9000 + "[redacted]", length


def test_a_text_holding_every_piece_but_not_the_whole_key_is_masked(key: str) -> None:
    assert redact(f"{key[:25]} {key[17:]}") == "[redacted] [redacted]"  # two halves that overlap


def test_the_smtp_password_and_registered_secrets_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_SMTP_PASSWORD", PASSWORD)
    register_secret("  from-a-file-9Qx ")
    register_secret("short")  # shorter than 8: not a secret, masking it would mangle text
    assert redact(f"{PASSWORD} from-a-file-9Qx short") == "[redacted] [redacted] short"
    assert safety.secrets() == tuple(sorted([PASSWORD, "from-a-file-9Qx"]))
    safety.forget_registered()
    assert redact("from-a-file-9Qx") == "from-a-file-9Qx" and safety.secrets() == (PASSWORD,)


def test_short_values_are_not_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "x")  # a local server's placeholder key
    assert redact("x marks the spot") == "x marks the spot" and safety.secrets() == ()
    monkeypatch.setenv("OPENAI_API_KEY", "12345678")
    assert redact("call 12345678 now") == "call [redacted] now"
    register_secret(None)
    register_secret("1234567")
    assert safety.secrets() == ("12345678",)
    register_secret("8-chars!")
    assert redact("a 8-chars! b") == "a [redacted] b"


def test_a_password_in_a_url_is_masked() -> None:
    assert redact(f"cannot reach https://desk:{PASSWORD}@api.example/v1 now") == (
        "cannot reach https://desk:[redacted]@api.example/v1 now")
    assert redact("mail desk@example.org") == "mail desk@example.org"
    assert safe_url(f"http://u:{PASSWORD}@127.0.0.1:8/v1") == "http://u:[redacted]@127.0.0.1:8/v1"
    assert safe_url("http://127.0.0.1:8/v1") == "http://127.0.0.1:8/v1"
    assert safe_url(None) is None and safe_url("") == ""


def test_clean_removes_controls_and_keeps_lines_and_tabs() -> None:
    attack = "a\x1b[2Jb\x1b]0;title\x07c\u202ed\u202c\x07e\x9b31mf\x1bMg\x00\x7f\x85h\r"
    assert clean(attack) == "abcdefgh"  # "\x1bM" (reverse line feed) is a two-character escape
    assert clean("line one\n\tline two") == "line one\n\tline two"
    assert clean("plain text, no controls") == "plain text, no controls"
    assert clean("bell\x07 only") == "bell only"
    assert clean("8-bit \x9b31mCSI alone") == "8-bit CSI alone"  # no ESC in the text, the sequence still goes


def test_visible_shows_what_clean_would_remove() -> None:
    assert visible("a\x1b[2Jb\u202ec\n\td") == "a\\x1b[2Jb\\u202ec\n\td"
    assert visible("C:\\news\\a.txt") == "C:\\news\\a.txt"  # a backslash is itself, not an escape


def test_visible_line_puts_every_line_break_on_one_line() -> None:
    assert visible_line("title\nforged row\tand\u2028more\u2029end") == "title forged row and more end"
    assert visible_line("a\rb\x85c") == "a\\rb\\x85c"  # shown, not obeyed
    assert visible_line("plain title") == "plain title"


def test_a_key_that_cannot_be_one_is_refused_without_showing_it() -> None:
    assert checked_key(KEY) == KEY
    for bad in (KEY + "\x00", KEY.replace("Q", "\u0051\u0308"), "sk-\u00e9t\u00e9"):
        with pytest.raises(MissingCredentials) as refused:
            checked_key(bad)
        assert str(refused.value) == ("OPENAI_API_KEY: the key holds characters no API key has (non-ASCII, "
                                      "control or binary bytes); set it to the key itself")
    with pytest.raises(MissingCredentials, match=r"^api-key-file k\.txt: the key holds"):
        checked_key("caf\u00e9-key", "api-key-file k.txt")


def test_json_safe_escapes_what_json_allows_raw() -> None:
    assert json_safe('"a\u202eb\x7fc\x85"') == '"a\\u202eb\\u007fc\\u0085"'
    assert json_safe('"plain"') == '"plain"'


def test_one_line_folds_white_space_and_keeps_a_lone_no_break_space() -> None:
    assert one_line("  a\n b\t\tc  d \x1b[2J") == "a b c d"
    assert one_line("4\u00a0434 euros") == "4\u00a0434 euros"
    assert one_line("a\u00a0\u00a0b") == "a b"  # two in a row are spacing, not a joint
    assert one_line("\u00a0edge\u202f") == "edge"
    assert one_line("already one line") == "already one line"
    assert one_line("Xi Jinping met the envoy in Xinjiang\nX") == "Xi Jinping met the envoy in Xinjiang X"


def test_say_and_warn_print_safe_text(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    say(f"line one {key}\nline two \x1b[31mred")
    say(f"folded\n{key[:9]}\tend", single_line=True)
    warn("kept\nin one line")
    assert capsys.readouterr().err == (
        "line one [redacted]\nline two red\nfolded [redacted] end\nbriefer: warning: kept in one line\n")
