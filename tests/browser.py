"""Debian's Chromium driven by Playwright's Python API: the browser the page tests, the
accessibility check and the screenshot script use. Playwright's own browser downloads are never
used (`playwright install` is not needed): the system's executable is launched with flags that
keep it from calling home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Where the system's Chromium is; BRIEFER_CHROMIUM names another executable.
CHROMIUM = Path(os.environ.get("BRIEFER_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
#: axe-core as `.ci/run` installs it from npm (BRIEFER_AXE names another copy of axe.min.js).
AXE = Path(os.environ.get("BRIEFER_AXE", ROOT / ".ci" / "cache" / "node_modules" / "axe-core" / "axe.min.js"))


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BRIEFER_CHROMIUM)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A running Chromium (Playwright's Browser); each context it opens starts from a fresh,
    temporary profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def tab(browser: Any, width: int = 1280, height: int = 800, **options: Any) -> Any:
    """A new tab in a context of its own at this viewport size; `options` are Playwright's
    context options (java_script_enabled=False, color_scheme="dark", ...). Closing the tab's
    context is the caller's (`tab(...).context.close()`), or the browser's at its end."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    return context.new_page()
