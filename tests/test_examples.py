"""Every example a user is shown, run as a user runs it: a fresh `briefer` process per example.

The examples are read from every command's `--help` and from the README's code blocks, so a new
example is tested the day it is written. Each runs through `bash -c` (pipes, `$(...)` and
variables work as in a shell) with `briefer` on PATH as this checkout's package, in a temporary
HOME with nothing else to go on: no real model (a local server answers), no real mail server (a
local one, TLS and login), no real web (a local page server). A run fails on a traceback, on an
exit code the table below does not expect, or on a write outside its temporary HOME.

Placeholders in the examples become local things: `https://example.org/` the page server,
`http://localhost:PORT/v1` the model server, `smtp.example.org` the SMTP server; the files the
examples name (article.txt, brief.json, inbox/ ...) are made in the working folder first.

`briefer` is this checkout (`python -m briefer`); with BRIEFER_EXAMPLES_BIN it is that script
instead, so .ci/run runs the same examples against the package it installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import trustme

from .answers import synthesis
from .batch_server import BatchServer
from .conftest import CASSETTES, ROOT, SEED, seed_answer
from .page_server import PageServer, Route
from .smtp_server import SmtpServer

#: Examples that end with a non-zero exit on purpose, and why.
EXPECTED_EXIT = {
    # the seed briefing has items its article does not support: --strict says so, as documented
    "briefer check brief.json --strict": (0, 15),
}
#: Examples allowed to end with another exit code than 0, by how they start: none at present.
KNOWN_FAULTS: dict[str, tuple[int, ...]] = {}
#: What SMTP login the examples' `BRIEFER_SMTP_PASSWORD=...` and `--smtp-user briefer` meet.
SMTP_LOGIN = ("briefer", "...")
EXAMPLE_START = re.compile(r"^(?:\$ )?(?:[A-Z_]+=\S+ )*(?:cat \S+ \| )?(?:briefer|\$EDITOR|eval|_BRIEFER_COMPLETE)(?:\s|$)")


def help_examples() -> dict[str, list[str]]:
    """Each command's examples (`briefer`, `briefer brief`, `briefer batch submit`, ...)."""
    from briefer.cli import main

    found: dict[str, list[str]] = {}

    def walk(command: click.Command, path: str, ctx: click.Context) -> None:
        found[path] = example_lines(command.help or "")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{path} {name}: listed but not found"
                walk(sub, f"{path} {name}", click.Context(sub, info_name=name, parent=ctx))

    walk(main, "briefer", click.Context(main, info_name="briefer"))
    return {path: lines for path, lines in found.items() if lines}


def readme_examples() -> list[str]:
    """The README's command lines, from its code blocks, in order (installing aside: CI does it)."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    return [line for block in blocks for line in example_lines(block) if "pip install" not in line]


def example_lines(text: str) -> list[str]:
    """The command lines in a help text or a code block: continuation lines joined, comments cut."""
    lines, pending = [], ""
    for raw in text.splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        pending = ""
        if EXAMPLE_START.match(line):
            lines.append(re.sub(r"\s+#\s.*$", "", line).removeprefix("$ ").strip())
    return lines


class ModelServer(BatchServer):
    """The Batch API server, which answers synchronous calls too, with the models it serves."""

    MODELS = ("gpt-4.1-mini", "gpt-4.1", "llama3.1", "qwen2.5")

    def _route(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        if method == "GET" and "/models" in path:
            name = path.rsplit("/models", 1)[1].strip("/")
            if not name:
                return 200, {"object": "list", "data": [model(m) for m in self.MODELS]}
            return (200, model(name)) if name in self.MODELS else (404, {"error": {"message": "no such model"}})
        return super()._route(method, path, headers, body)


def model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 1764633600, "owned_by": "local"}


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """Every article the examples name is the seed article: its answer fits; a synthesis gets
    an empty one."""
    name = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
    content = {"synthesis": json.dumps(synthesis()), "doctor_probe": '{"ok": true}'}.get(name) or seed_answer()
    return {"id": "chatcmpl-example", "object": "chat.completion", "created": 1764633600,
            "model": body.get("model", "gpt-4.1-mini"),
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": content, "refusal": None}}],
            "usage": {"prompt_tokens": 3000, "completion_tokens": 900, "total_tokens": 3900}}


def html_page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.splitlines() if p.strip())
    return f"<html><head><title>Story</title></head><body><article>{paragraphs}</article></body></html>".encode()


def atom(base: str) -> bytes:
    entries = "".join(f'<entry><title>Story {n}</title><id>{base}/news/story{n}.html</id>'
                      f'<link href="{base}/news/story{n}.html"/><updated>2026-12-06T06:00:00Z</updated></entry>'
                      for n in (3, 4))
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>{entries}</feed>'.encode()


def feed(base: str) -> bytes:
    items = "".join(f"<item><title>Story {n}</title><link>{base}/news/story{n}.html</link></item>" for n in (1, 2))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The model, page and SMTP servers every example may reach, and the CA the SMTP server's
    certificate is signed by."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    page = html_page(SEED.read_text(encoding="utf-8"))
    with ModelServer(answer) as models, PageServer() as pages, SmtpServer(tls=context, login=SMTP_LOGIN) as smtp:
        base = pages.url("")
        pages.routes.update({f"/news/story{n}.html": Route(page) for n in ("", 1, 2, 3, 4)})
        pages.routes.update({"/rss": Route(feed(base), content_type="application/rss+xml"),
                             "/atom.xml": Route(atom(base), content_type="application/atom+xml")})
        yield {"models": models, "pages": base, "smtp": smtp, "ca": ca_file}


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory, servers: dict[str, Any]) -> Path:
    """The files the examples name, made once: articles (all the seed article), a saved
    briefing, a folder of briefings."""
    root = tmp_path_factory.mktemp("assets")
    work, env = root / "home" / "work", environment(root, servers)
    for folder in (work / "inbox", work / "fixtures" / "articles"):
        folder.mkdir(parents=True)
    for name in ("article.txt", "bbc.txt", "ap.txt", "inbox/one.txt", "inbox/two.txt"):
        shutil.copy(SEED, work / name)
    for name in ("page.html", "reuters.html"):
        (work / name).write_bytes(html_page(SEED.read_text(encoding="utf-8")))
    for name in (SEED.name, SEED.with_suffix(".meta.json").name):
        shutil.copy(SEED.parent / name, work / "fixtures" / "articles" / name)
    shutil.copytree(CASSETTES, work / "fixtures" / "cassettes")
    (work / "my-briefing.md.j2").write_text("# {{ briefing.title }}\n", encoding="utf-8")
    (work / "feeds.txt").write_text(f"{servers['pages']}/rss\n{servers['pages']}/atom.xml\n", encoding="utf-8")
    for line in ("briefer brief article.txt -q -o brief.json", "briefer brief --each inbox -q -o ../briefings"):
        done = shell(line, work, env)
        assert done.returncode == 0, done.stderr
    for name in ("a.json", "b.json", "c.json"):
        shutil.copy(work / "brief.json", work / name)
    return work


def environment(root: Path, servers: dict[str, Any]) -> dict[str, str]:
    """A new user with no config file, whose key, endpoint (the local model server) and mail
    server (the local one, its CA trusted as a system CA) are set in the environment, with HOME
    in `root` and nothing else from this machine; `briefer` on PATH is this checkout's package."""
    home = root / "home"
    for folder in (home / "tmp", home / "briefer-templates", home / ".config" / "fish" / "completions"):
        folder.mkdir(parents=True, exist_ok=True)
    bin_dir = root / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "briefer"
    installed = os.environ.get("BRIEFER_EXAMPLES_BIN")  # .ci/run: the installed package's own script
    shim.write_text(f'#!/bin/sh\nexec "{installed}" "$@"\n' if installed else
                    f'#!/bin/sh\nexec "{sys.executable}" -m briefer "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    source = {} if installed else {"PYTHONPATH": str(ROOT)}  # else this checkout, as the suite tests it
    return {"PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "TMPDIR": str(home / "tmp"), **source, "EDITOR": "true",
            "OPENAI_API_KEY": "sk-example-key-for-local-server", "OPENAI_BASE_URL": servers["models"].url,
            "BRIEFER_SMTP_HOST": "127.0.0.1", "BRIEFER_SMTP_PORT": str(servers["smtp"].port),
            "BRIEFER_SMTP_USER": SMTP_LOGIN[0], "BRIEFER_SMTP_PASSWORD": SMTP_LOGIN[1],
            "BRIEFER_MAIL_FROM": "briefer@example.org", "SSL_CERT_FILE": str(servers["ca"])}


def localised(example: str, servers: dict[str, Any]) -> str:
    """The example with its placeholder hosts replaced by the local servers."""
    if example.startswith("eval") and "zsh" in example:  # zsh's script, made here; bash cannot read it
        example = example.removeprefix('eval "$(').removesuffix(')"') + " > /dev/null"
    for host in ("https://example.org", "https://example.net"):
        example = example.replace(host, servers["pages"])
    example = re.sub(r"http://localhost:\d+/v1", servers["models"].url, example)
    return example.replace("smtp.example.org", "127.0.0.1")


def shell(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one line; what a user would type at a prompt (`key set`'s) comes on standard input."""
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, input="sk-example-key-typed-at-the-prompt\n")


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under the folders (but HOME, caches and version control) with its size and time."""
    found = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "__pycache__", "home", ".pytest_cache")]
            for name in filenames:
                path = os.path.join(dirpath, name)
                stat = os.lstat(path)
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def before(example: str, work: Path, env: dict[str, str], assets: Path) -> None:
    """What the user did before an example: briefed a folder, submitted a batch, ran another
    engine on a batch's requests file."""
    config = Path(env["HOME"]) / ".config" / "briefer" / "config.toml"
    made = config.exists() and "[profiles.local]" in config.read_text(encoding="utf-8")
    if "--profile local" in example and "config set" not in example and not made:  # as the README makes it
        for line in (f"base-url {env['OPENAI_BASE_URL']}", "model llama3.1"):
            assert shell(f"briefer --profile local config set {line}", work, env).returncode == 0
    if example.startswith("briefer digest briefings/") and not (work / "briefings").exists():
        shutil.copytree(assets.parent / "briefings", work / "briefings")
    if example.startswith(("briefer batch status briefings/", "briefer batch collect briefings/")) and not (
            work / "briefings").exists():
        assert shell("briefer batch submit inbox/ -o briefings/ -q", work, env).returncode == 0
    if "--results output.jsonl" in example:
        requests = next((work / "out").rglob("*.jsonl"))
        answers = [{"id": f"batch_req_{n}", "custom_id": json.loads(line)["custom_id"],
                    "response": {"status_code": 200, "request_id": f"req_{n}", "body": answer(json.loads(line)["body"])},
                    "error": None}
                   for n, line in enumerate(requests.read_text(encoding="utf-8").splitlines())]
        (work / "output.jsonl").write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")


def run_examples(examples: list[str], tmp_path: Path, servers: dict[str, Any], assets: Path) -> list[str]:
    """Run the examples in order in one workspace; returns what went wrong, one line each."""
    env = environment(tmp_path, servers)
    work = tmp_path / "home" / "work"
    shutil.copytree(assets, work)
    watched = snapshot(ROOT, tmp_path)
    problems = []
    for example in examples:
        before(example, work, env, assets)
        done = shell(localised(example, servers), work, env)
        allowed = EXPECTED_EXIT.get(example) or next(
            (exits for start, exits in KNOWN_FAULTS.items() if example.startswith(start)), (0,))
        output = done.stdout + done.stderr
        print(f"$ {example}\n  -> exit {done.returncode}")
        if "Traceback" in output or done.returncode not in allowed:
            problems.append(f"{example}: exit {done.returncode}: {output.strip()[-800:]}")
    changed = [path for path, state in snapshot(ROOT, tmp_path).items() if watched.get(path) != state]
    changed += [path for path in watched if not os.path.lexists(path)]
    problems += [f"written outside the temporary HOME: {path}" for path in changed]
    return problems


HELP_EXAMPLES = help_examples()


@pytest.mark.parametrize("command", sorted(HELP_EXAMPLES))
def test_every_help_example_runs_in_a_fresh_process(command: str, tmp_path: Path, servers: dict[str, Any],
                                                    assets: Path) -> None:
    problems = run_examples(HELP_EXAMPLES[command], tmp_path, servers, assets)
    assert not problems, "\n".join(problems)


def test_every_readme_example_runs_in_a_fresh_process(tmp_path: Path, servers: dict[str, Any], assets: Path) -> None:
    problems = run_examples(readme_examples(), tmp_path, servers, assets)
    assert not problems, "\n".join(problems)


def test_the_examples_cover_every_command() -> None:
    """A command without an example in its own help or in its group's is a command nobody tried."""
    covered = {line.split()[1] for lines in HELP_EXAMPLES.values() for line in lines
               if line.startswith("briefer ") and not line.startswith("briefer --")}
    from briefer.cli.main import COMMAND_MODULES

    assert set(COMMAND_MODULES) <= covered | {"schema", "templates"} and covered
