"""`briefer doctor` against the local servers: all checks pass; a server without structured
outputs fails that check with the advice; a refused SMTP login fails that check."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from .chat_server import ChatServer, Reply
from .conftest import SENTINEL_KEY, Run, assert_clean_failure
from .smtp_server import SmtpServer

PASSWORD = "smtp-doctor-password-3b7d"
PROBE_REPLY = Reply(content='{"ok": true}', usage=(80, 4))


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[SmtpServer, Path]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with SmtpServer(tls=context, login=("briefer", PASSWORD)) as server:
        yield server, ca_file


def doctor(run: Run, url: str, *args: object, password: str = PASSWORD) -> tuple[int, dict[str, dict[str, str]], str]:
    result = run("doctor", "--base-url", url, "--json", *args,
                 env={"OPENAI_API_KEY": SENTINEL_KEY, "BRIEFER_SMTP_PASSWORD": password})
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    return result.exit_code, checks, result.stderr


def smtp_args(server: SmtpServer, ca_file: Path) -> list[object]:
    return ["--smtp-host", "127.0.0.1", "--smtp-port", server.port, "--smtp-user", "briefer",
            "--smtp-ca-file", ca_file]


def test_every_check_passes_against_working_servers(run: Run, smtp: tuple[SmtpServer, Path]) -> None:
    server, ca_file = smtp
    with ChatServer([PROBE_REPLY]) as chat:
        result = run("doctor", "--base-url", chat.url, *smtp_args(server, ca_file),
                     env={"OPENAI_API_KEY": SENTINEL_KEY, "BRIEFER_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["ok"] * 5
    assert [line.split()[1] for line in lines] == ["key:", "endpoint:", "model:", "structured", "smtp:"]
    assert "gpt-4.1-mini is listed" in lines[2]
    assert "80 prompt + 4 completion tokens, about 0.000038 USD" in lines[3]  # 80 x 0.40 + 4 x 1.60 per M
    assert "logged in as briefer" in lines[4] and server.logins == ["briefer"] and server.messages == []
    assert len(chat.requests) == 1  # one tiny request, strict schema
    sent = chat.requests[0]
    assert sent["response_format"]["type"] == "json_schema" and sent["response_format"]["json_schema"]["strict"]
    assert SENTINEL_KEY not in result.output and PASSWORD not in result.output


def test_the_tiny_request_is_in_the_run_log_unless_told_not_to(run: Run) -> None:
    with ChatServer([PROBE_REPLY]) as chat:
        doctor(run, chat.url)
        doctor(run, chat.url, "--no-log")
    runs = json.loads(run("log", "--json").stdout)["runs"]
    assert len(runs) == 1 and runs[0]["kind"] == "doctor" and runs[0]["outcome"] == "ok"
    assert (runs[0]["calls"], runs[0]["prompt_tokens"], runs[0]["completion_tokens"]) == (1, 80, 4)
    assert runs[0]["cost"] == pytest.approx(0.0000384, abs=1e-6)  # the price table rounds to 6 places


def test_a_server_without_structured_outputs_fails_with_the_advice(run: Run) -> None:
    with ChatServer([PROBE_REPLY], structured_outputs=False) as chat:
        code, checks, stderr = doctor(run, chat.url)
    assert code == 14 and stderr == "briefer: error: 1 of 5 checks failed: structured outputs\n"
    assert checks["structured outputs"]["status"] == "fail"
    assert "--response-format json_object" in checks["structured outputs"]["detail"]
    assert checks["endpoint"]["status"] == checks["model"]["status"] == "ok"
    with ChatServer([PROBE_REPLY], structured_outputs=False) as chat:
        code, checks, _ = doctor(run, chat.url, "--response-format", "json_object")
    assert code == 0 and checks["JSON mode"]["status"] == "ok"


def test_a_server_that_ignores_the_schema_fails_the_check(run: Run) -> None:
    with ChatServer([Reply(content="Sure! The server works.")]) as chat:
        code, checks, _ = doctor(run, chat.url)
    assert code == 14 and "did not follow the schema" in checks["structured outputs"]["detail"]


def test_a_refused_smtp_login_fails_that_check(run: Run, smtp: tuple[SmtpServer, Path]) -> None:
    server, ca_file = smtp
    with ChatServer([PROBE_REPLY]) as chat:
        code, checks, stderr = doctor(run, chat.url, *smtp_args(server, ca_file), password="wrong-password-123")
    assert code == 14 and "checks failed: smtp" in stderr
    assert checks["smtp"]["status"] == "fail" and "refused the login for briefer" in checks["smtp"]["detail"]
    assert "wrong-password-123" not in json.dumps(checks)


def test_a_missing_model_fails_and_the_probe_still_says_what_the_server_does(run: Run) -> None:
    with ChatServer([PROBE_REPLY]) as chat:
        code, checks, _ = doctor(run, chat.url, "--model", "gpt-9")
    assert code == 14 and "no model 'gpt-9'" in checks["model"]["detail"] and "gpt-4.1-mini" in checks["model"]["detail"]
    assert checks["structured outputs"]["status"] == "ok" and [r["model"] for r in chat.requests] == ["gpt-9"]


def test_no_key_and_no_server(run: Run) -> None:
    result = run("doctor", "--base-url", "http://127.0.0.1:9/v1")
    assert result.exit_code == 14 and result.stdout.splitlines()[0].startswith("fail  key: OPENAI_API_KEY is not set")
    result = run("doctor", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2", env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert result.exit_code == 14 and "fail  endpoint: cannot reach http://127.0.0.1:9/v1" in result.stdout


def test_doctor_takes_its_settings_from_the_config_profile(run: Run) -> None:
    with ChatServer([PROBE_REPLY]) as chat:
        assert run("--profile", "local", "config", "set", "base-url", chat.url).exit_code == 0
        assert run("--profile", "local", "config", "set", "model", "gpt-4.1").exit_code == 0
        result = run("--profile", "local", "doctor", env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert result.exit_code == 0, result.output
    assert "gpt-4.1 is listed" in result.stdout and chat.requests[0]["model"] == "gpt-4.1"


def test_a_bad_option_is_still_one_line(run: Run) -> None:
    assert "is not an http:// or https:// URL" in assert_clean_failure(run("doctor", "--base-url", "localhost"), 2)
