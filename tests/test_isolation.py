"""The suite's own isolation (tests/isolation.py, done by conftest.py at import): no setting of the
machine reaches a test, no test reaches the real HOME, and a `python -m briefer` started by a test
runs this checkout."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SENTINEL_KEY, SHARED_CACHE
from .goldens import EXPECTED, every_golden
from .isolation import cleared

#: What a machine may have set, each of which would change what some test checks or where it writes.
MACHINE = {"BRIEFER_UPDATE_GOLDEN": "1", "BRIEFER_PROFILE": "work", "BRIEFER_MODEL": "o3",
           "BRIEFER_SMTP_PASSWORD": "hunter2-Zx9Qw7Lp", "OPENAI_API_KEY": SENTINEL_KEY,
           "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "HTTPS_PROXY": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "SSL_CERT_FILE": "/nowhere.pem"}

#: Imports tests/conftest.py as pytest does, noting the environment at briefer's first import.
PROBE = """
import builtins, json, os
seen = {}
real_import = builtins.__import__

def spy(name, *args, **kwargs):
    if name.startswith("briefer") and not seen:
        seen.update(os.environ)
    return real_import(name, *args, **kwargs)

builtins.__import__ = spy
import tests.conftest
print(json.dumps(seen))
"""


def real_home() -> str:
    return pwd.getpwuid(os.getuid()).pw_dir


def test_the_machines_settings_are_cleared_before_briefer_is_imported(tmp_path: Path) -> None:
    env = {**os.environ, **MACHINE, "HOME": real_home(), "XDG_CONFIG_HOME": real_home() + "/.config",
           "BRIEFER_BROWSER_TESTS": "required"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen, "briefer was never imported"
    assert not set(MACHINE) & set(seen)
    assert seen["BRIEFER_BROWSER_TESTS"] == "required"  # a setting of the test run, kept
    home = Path(seen["HOME"])
    assert home.name == "home" and not home.is_relative_to(real_home())
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        assert Path(seen[name]).is_relative_to(home), name
    for name in ("BRIEFER_CONFIG", "BRIEFER_DATA_DIR"):
        assert Path(seen[name]).is_relative_to(home.parent), name
    assert seen["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)


def test_each_test_has_its_own_home_config_and_data_folder(tmp_path: Path) -> None:
    from briefer.app.config_file import config_path
    from briefer.app.runlog import data_dir
    from briefer.core.cache_files import cache_folder

    assert sorted(n for n in os.environ if cleared(n)) == ["BRIEFER_CACHE_DIR", "BRIEFER_CONFIG", "BRIEFER_DATA_DIR"]
    assert config_path().is_relative_to(tmp_path) and data_dir().is_relative_to(tmp_path)
    # the cache folder is the run's (conftest.SHARED_CACHE), in the session's folder, not the real HOME
    assert Path(os.environ["BRIEFER_CACHE_DIR"]) == SHARED_CACHE and not SHARED_CACHE.is_relative_to(real_home())
    del os.environ["BRIEFER_CACHE_DIR"]
    assert Path(os.environ["HOME"]).is_relative_to(tmp_path)
    del os.environ["BRIEFER_CONFIG"], os.environ["BRIEFER_DATA_DIR"]  # the platform's folders: under HOME
    assert config_path().is_relative_to(tmp_path) and data_dir().is_relative_to(tmp_path)
    assert cache_folder("templates").is_relative_to(tmp_path)


def test_a_python_dash_m_briefer_of_a_test_runs_this_checkout(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import briefer; print(briefer.__file__)"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert Path(done.stdout.strip()) == ROOT / "briefer" / "__init__.py"


def test_no_test_writes_a_golden_render() -> None:
    """Goldens change only through scripts/update_goldens.py: no test file writes under
    fixtures/expected/ or reads BRIEFER_UPDATE_GOLDEN."""
    assert {path for path, _ in every_golden()} == set(EXPECTED.glob("*.md"))
    for test in (ROOT / "tests").glob("test_*.py"):
        if test.name != Path(__file__).name:
            assert "BRIEFER_UPDATE_GOLDEN" not in test.read_text(encoding="utf-8"), test.name
