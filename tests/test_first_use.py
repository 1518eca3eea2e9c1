"""The first things a new user does, each in a fresh process as installed, and what the suite
must never do to that user: touch their HOME.

Each test here failed on the main branch of 2026-12-06 (issue 23, points 1, 2, 6, 8 and 9)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from .conftest import CASSETTES, ROOT, SEED, Run, assert_clean_failure


def fresh(args: list[str], home: Path, *, stdin: str | None = None,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`briefer ARGS` as a new process of this checkout, with HOME and nothing else of ours."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "briefer", *args], env={**base, **(env or {})}, cwd=home,
                          capture_output=True, text=True, input=stdin, timeout=120)


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in ("__pycache__", ".git", ".venv", ".pytest_cache")]
        for name in filenames:
            info = os.lstat(os.path.join(dirpath, name))
            found[os.path.join(dirpath, name)] = (info.st_size, info.st_mtime_ns)
    return found


# point 1 ---------------------------------------------------------------------------------------

def test_config_set_and_show_work_in_a_fresh_process(tmp_path: Path) -> None:
    """Commands load lazily: `config` must find `brief`'s options without the suite's imports."""
    for args in (["config", "set", "model", "gpt-4.1"], ["--profile", "work", "config", "set", "concurrency", "4"],
                 ["--profile", "work", "config", "show", "--json"], ["config", "show"]):
        done = fresh(args, tmp_path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    shown = json.loads(fresh(["--profile", "work", "config", "show", "--json"], tmp_path).stdout)
    values = {row["key"]: row["value"] for row in shown["settings"]}
    assert values["model"] == "gpt-4.1" and values["concurrency"] == 4


def test_a_missing_profiles_advice_works(tmp_path: Path) -> None:
    line = fresh(["--profile", "night", "brief", str(SEED)], tmp_path).stderr.strip()
    advice = line.split("create it with `")[1].rstrip("`")
    assert advice == "briefer --profile night config set KEY VALUE"
    assert fresh(["--profile", "night", "config", "set", "model", "gpt-4.1"], tmp_path).returncode == 0


# point 2 ---------------------------------------------------------------------------------------

def test_the_riskiest_commands_and_test_modules_leave_home_alone(tmp_path: Path) -> None:
    """HOME is a watched folder. Commands that write (the run log, a batch's state, the config
    file, a key, compiled templates) run with the data, config and cache folders in temporary ones, and the suite's test
    modules whose fixtures run before its per-test isolation run under that HOME too: afterwards
    nothing in HOME and nothing in the checkout has changed."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (home / ".profile").write_text("# a user's own file\n", encoding="utf-8")
    watched, checkout = files_under(home), files_under(ROOT)
    env = {"BRIEFER_DATA_DIR": str(work / "data"), "BRIEFER_CONFIG": str(work / "config.toml"),
           "BRIEFER_CACHE_DIR": str(work / "cache"), "TMPDIR": str(work)}
    for args in (["brief", str(SEED), "--replay", str(CASSETTES), "-o", str(work / "b.json")],
                 ["brief", "--each", str(SEED), "--replay", str(CASSETTES), "-o", str(work / "out")],
                 ["batch", "submit", str(SEED), "-o", str(work / "batch"), "--file-only"],
                 ["config", "set", "model", "gpt-4.1"], ["key", "set", "--file", str(work / "key")],
                 ["log"], ["digest", str(work / "out"), "--eml", str(work / "d.eml"), "--email-to", "a@example.org",
                           "--email-from", "b@example.org"]):
        done = fresh(args, work, stdin="sk-test-key-0123456789abcdef\n", env={**env, "HOME": str(home)})
        assert done.returncode == 0, (args, done.stderr)
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                            "tests/test_batch_api.py", "-k", "per_batch_limit"],
                           cwd=ROOT, capture_output=True, text=True, timeout=900,
                           env={"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONPATH": str(ROOT)})
    assert suite.returncode == 0, suite.stdout[-2000:]
    assert files_under(home) == watched, sorted(set(files_under(home)) ^ set(watched))
    assert files_under(ROOT) == checkout


# point 6 ---------------------------------------------------------------------------------------

def test_a_replay_miss_for_another_language_says_so(run: Run) -> None:
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES, "--language", "de"), 4)
    assert "the reply language is German (Deutsch), recorded in English, the default (--language)" in line
    assert "max_completion_tokens" not in line and "article or its metadata" not in line


def test_a_replay_miss_for_a_piped_article_names_its_id(run: Run) -> None:
    line = assert_clean_failure(run("brief", "-", "--title", "Scholz speaks with Putin in first call in almost two years",
                                    "--outlet", "Reuters", "--date", "2024-11-15", "--replay", CASSETTES,
                                    input=SEED.read_text(encoding="utf-8")), 4)
    assert "its source id is 'stdin', recorded as 'scholz-putin-call'" in line
    assert "--url" in line and "max_completion_tokens" not in line


def test_each_with_replay_does_not_advise_a_rerun_that_cannot_help(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("A story nobody recorded, told in a paragraph long enough to be one.\n", encoding="utf-8")
    result = run("brief", "--each", SEED, other, "--replay", CASSETTES, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 11
    last = result.stderr.strip().splitlines()[-1]
    assert "rerun the same command" not in last and "--cache" in last


# point 8 ---------------------------------------------------------------------------------------

def test_a_dry_run_over_the_cost_limit_says_it_would_be_refused(run: Run) -> None:
    result = run("brief", SEED, "--dry-run", "--max-cost", "0.0001")
    assert result.exit_code == 12 and "briefer dry run" in result.stdout
    assert result.stderr.startswith("briefer: error: the run would be refused: this run would cost about")


def test_render_and_check_read_standard_input(run: Run, seed_json: Path) -> None:
    text = seed_json.read_text(encoding="utf-8")
    assert run("render", "-", input=text).stdout.startswith("# ")
    checked = run("check", "-", "--json", input=text)
    assert checked.exit_code == 0 and json.loads(checked.stdout)["unsupported"] == []


def test_the_same_words_for_the_same_things(run: Run, seed_json: Path, tmp_path: Path) -> None:
    """email takes --email-to/--email-from as brief and digest do; plurals are English; a typo
    gets a suggestion; unsetting what is not set says so; text's store options are for pages."""
    mailed = run("email", seed_json, "--email-to", "desk@example.org", "--email-from", "b@example.org",
                 "--eml", tmp_path / "m.eml")
    assert mailed.exit_code == 0 and (tmp_path / "m.eml").exists()
    assert "1 extraction + 0 syntheses" in run("brief", SEED, "--dry-run").stdout
    assert "did you mean brief?" in assert_clean_failure(run("breif", SEED), 2)
    assert "nothing to remove" in run("config", "unset", "model").stderr
    assert "Call the model" not in run("text", "--help").stdout
    assert [t["name"] for t in json.loads(run("templates", "--json").stdout)][:1] == ["briefing.md"]
    rendered = json.loads(run("render", seed_json, "--json").stdout)  # --json on every command that reads
    assert rendered == json.loads(seed_json.read_text(encoding="utf-8"))
    assert "two formats" in assert_clean_failure(run("render", seed_json, "--json", "--format", "md"), 2)


def test_a_mailed_digest_is_not_also_printed(run: Run, seed_json: Path, tmp_path: Path) -> None:
    result = run("digest", seed_json, "--email-to", "a@example.org", "--email-from", "b@example.org",
                 "--eml", tmp_path / "d.eml")
    assert result.exit_code == 0 and result.stdout == "" and (tmp_path / "d.eml").exists()


# point 9 ---------------------------------------------------------------------------------------

def test_key_set_keeps_the_key_private_and_doctor_says_where_it_came_from(tmp_path: Path) -> None:
    key = "sk-test-Zq81mN0pLr5sVx3cTb7w"
    done = fresh(["key", "set"], tmp_path, stdin=key + "\n")
    assert done.returncode == 0 and key not in done.stdout + done.stderr
    path = Path(json.loads(fresh(["config", "show", "--json"], tmp_path).stdout)["path"]).parent / "api-key"
    assert path.read_text(encoding="utf-8").strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doctor = fresh(["doctor", "--base-url", "http://127.0.0.1:9/v1", "--json"], tmp_path)
    (first,) = [c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "key"]
    assert first["detail"] == f"read from api-key-file {path}" and key not in doctor.stdout
    env = fresh(["doctor", "--base-url", "http://127.0.0.1:9/v1", "--json"], tmp_path, env={"OPENAI_API_KEY": "sk-x"})
    assert [c["detail"] for c in json.loads(env.stdout)["checks"] if c["name"] == "key"] == ["OPENAI_API_KEY is set"]


def test_key_set_refuses_an_empty_or_broken_key(tmp_path: Path) -> None:
    for text in ("\n", "two words\n"):
        done = fresh(["key", "set"], tmp_path, stdin=text)
        assert done.returncode == 2 and done.stderr.startswith("briefer: error: ")
