"""Templates are compiled once and kept in briefer's own cache folder, never in TMPDIR; a kept
file is run only when it is this user's, writable by no one else, no link, and sound. Every
template file (built-in, from --templates-dir, a prompt) is read by the one bounded reader.
Each run here is a fresh interpreter, as a user's is: within one process Jinja keeps its
templates in memory and never asks the cache twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefer.core.templating import MAX_TEMPLATE_BYTES, cache_folder

from .conftest import ROOT, Run, assert_clean_failure

#: These tests are about the cache: each keeps its own folder, not the run's shared one.
pytestmark = pytest.mark.own_cache

TEMPLATE = "Title: {{ briefing.title }}\n"


def render(*args: object, tmpdir: Path) -> subprocess.CompletedProcess[str]:
    """`briefer render ...` in a fresh interpreter of this checkout, TMPDIR its own folder."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "briefer", "render", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture
def tmpdir_watched(tmp_path: Path) -> Path:
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    return folder


def test_templates_compile_once_into_the_cache_folder_and_render_the_same(
        run: Run, seed_json: Path, tmpdir_watched: Path) -> None:
    expected = run("render", seed_json).stdout
    shutil.rmtree(cache_folder(), ignore_errors=True)  # what runs in this process kept: start without
    first = render(seed_json, tmpdir=tmpdir_watched)
    kept = sorted(cache_folder().iterdir())
    assert first.returncode == 0 and first.stdout == expected
    assert kept and all(path.stat().st_mode & 0o777 == 0o600 for path in kept)
    assert cache_folder().stat().st_mode & 0o777 == 0o700
    inodes = {path: path.stat().st_ino for path in kept}
    second = render(seed_json, tmpdir=tmpdir_watched)
    assert second.returncode == 0 and second.stdout == expected
    assert {path: path.stat().st_ino for path in sorted(cache_folder().iterdir())} == inodes  # read, not rewritten
    assert list(tmpdir_watched.iterdir()) == []


def plant(templates: Path, name: str, source: str) -> Path:
    """A sound compiled file, as briefer itself would keep it, for template `name` of the folder
    `templates` as it is now, but holding the code of `source`: what a planted file could do."""
    from briefer.render.engine import environment, kind_of, resolve_template

    folders, found = resolve_template(name, templates)
    env = environment(tuple(folders), kind_of(found))
    text, filename, _ = env.loader.get_source(env, found)
    cache = env.bytecode_cache
    bucket = cache.get_bucket(env, found, filename, text)
    bucket.code = compile(env.compile(source, found, filename, raw=True), filename, "exec")
    cache.dump_bytecode(bucket)
    return cache._path(cache_folder(), bucket)


@pytest.fixture
def own_template(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mine.md.j2").write_text(TEMPLATE, encoding="utf-8")
    return templates


@pytest.mark.parametrize("damage", ["writable by others", "folder writable by others", "a link", "garbage",
                                    "cut short", "code swapped, digest not"])
def test_a_compiled_template_someone_else_could_have_written_is_never_run(
        seed_json: Path, own_template: Path, tmpdir_watched: Path, tmp_path: Path, damage: str) -> None:
    args = (seed_json, "--templates-dir", own_template, "--template", "mine.md")
    planted = plant(own_template, "mine.md", "PLANTED CODE RAN\n")
    assert render(*args, tmpdir=tmpdir_watched).stdout == "PLANTED CODE RAN\n"  # a sound own file is run
    if damage == "writable by others":
        planted.chmod(0o622)
    elif damage == "folder writable by others":
        cache_folder().chmod(0o777)
    elif damage == "a link":
        elsewhere = tmp_path / "elsewhere.cache"
        planted.rename(elsewhere)
        planted.symlink_to(elsewhere)
    elif damage == "garbage":
        planted.write_bytes(os.urandom(4096))
    elif damage == "cut short":
        planted.write_bytes(planted.read_bytes()[:200])
    else:
        data = planted.read_bytes()
        planted.write_bytes(data.replace(b"PLANTED CODE RAN", b"PLANTED CODE RUN"))
    done = render(*args, tmpdir=tmpdir_watched)
    assert done.returncode == 0 and done.stdout.startswith("Title: Scholz"), done.stdout + done.stderr
    assert list(tmpdir_watched.iterdir()) == []


def test_a_template_that_is_not_a_regular_file_is_one_line_not_a_hang(
        run: Run, seed_json: Path, own_template: Path) -> None:
    os.mkfifo(own_template / "briefing.md.j2")  # shadows the built-in by name
    line = assert_clean_failure(run("render", seed_json, "--templates-dir", own_template), 8)
    assert "briefing.md.j2" in line and "not a regular file" in line


def test_a_template_larger_than_any_template_is_one_line(run: Run, seed_json: Path, own_template: Path) -> None:
    (own_template / "mine.md.j2").write_text(TEMPLATE + "x" * MAX_TEMPLATE_BYTES, encoding="utf-8")
    line = assert_clean_failure(run("render", seed_json, "--templates-dir", own_template, "--template", "mine.md"), 8)
    assert "mine.md.j2" in line and "larger than" in line
