"""The environment the tests run in, set before anything from briefer is imported.

Nothing of the machine may change what a test checks or where a run writes: briefer's own
settings, the provider's, proxies and certificate bundles are cleared; HOME and the XDG folders
(where the config file and the run log live by default) point into a throw-away folder; and a
`python -m briefer` started by a test runs this checkout, not some installed copy. Goldens are
never rewritten by a test run: `scripts/update_goldens.py` does that, on purpose.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Every variable whose name starts so is cleared (BRIEFER_UPDATE_GOLDEN, BRIEFER_CONFIG,
#: BRIEFER_PROFILE, BRIEFER_SMTP_PASSWORD, OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_LOG ...).
CLEARED_PREFIXES = ("BRIEFER_", "OPENAI_")
#: And these: a proxy or a CA bundle would change what a local server's test sees.
CLEARED = frozenset({
    *(name for base in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY") for name in (base, base.lower())),
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
})
#: Settings of the test run itself, not of briefer: which browser the page tests drive, and
#: whether a missing one fails them (CI sets BRIEFER_BROWSER_TESTS=required); which `briefer`
#: the examples run (.ci/run sets BRIEFER_EXAMPLES_BIN to the package it installed).
KEPT = frozenset({"BRIEFER_BROWSER_TESTS", "BRIEFER_CHROMIUM", "BRIEFER_AXE", "BRIEFER_EXAMPLES_BIN"})
#: Where HOME and the XDG folders point, under a folder of their own.
HOME_FOLDERS = {"HOME": "home", "XDG_CONFIG_HOME": "home/.config", "XDG_DATA_HOME": "home/.local/share",
                "XDG_CACHE_HOME": "home/.cache", "XDG_STATE_HOME": "home/.local/state"}


def cleared(name: str) -> bool:
    """Whether a variable of the machine's environment is removed for the tests."""
    return name not in KEPT and (name in CLEARED or name.startswith(CLEARED_PREFIXES))


def point_home_at(folder: Path) -> None:
    """HOME, the XDG folders, briefer's config file and data folder, all under `folder` (made
    when something writes there, so a test sees only what the run wrote)."""
    for name, sub in HOME_FOLDERS.items():
        os.environ[name] = str(folder / sub)
    os.environ["BRIEFER_CONFIG"] = str(folder / "config" / "config.toml")
    os.environ["BRIEFER_DATA_DIR"] = str(folder / "data")


def isolate() -> Path:
    """Clear the machine's settings, point every home folder into a new temporary folder (removed
    at exit), and make a `python -m briefer` of any test import this checkout first."""
    for name in [n for n in os.environ if cleared(n)]:
        del os.environ[name]
    session = Path(tempfile.mkdtemp(prefix="briefer-tests-"))
    atexit.register(shutil.rmtree, session, ignore_errors=True)
    point_home_at(session)
    paths = [str(ROOT), *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(ROOT))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    return session
