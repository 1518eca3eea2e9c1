"""Screenshots of the seed briefing's web page at phone and desktop widths, for the README:

    python docs/screenshots.py

Makes the page from the recordings (`briefer brief ... --replay`, then `briefer render -o
brief.html`) and photographs it in the system's Chromium (tests/browser.py)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, missing, tab  # noqa: E402

SEED = ROOT / "fixtures" / "articles" / "scholz-putin-call.txt"
SHOTS = {"page-phone.png": (390, 844), "page-desktop.png": (1280, 800)}


def make_page(folder: Path) -> Path:
    """The seed briefing from the recordings, rendered as a page."""
    briefer = [sys.executable, "-m", "briefer"]
    saved, page = folder / "brief.json", folder / "brief.html"
    for args in (["brief", str(SEED), "--replay", str(ROOT / "fixtures" / "cassettes"), "-q", "--no-log",
                  "-o", str(saved)], ["render", str(saved), "-o", str(page)]):
        subprocess.run([*briefer, *args], check=True, cwd=ROOT)
    return page


def main() -> None:
    why = missing()
    if why:
        sys.exit(f"screenshots: {why}")
    with tempfile.TemporaryDirectory() as folder, chromium() as browser:
        page_file = make_page(Path(folder))
        for name, (width, height) in SHOTS.items():
            shot = tab(browser, width, height, reduced_motion="reduce")
            shot.goto(page_file.as_uri())
            if width >= 1000:  # a citation clicked: its paragraph beside, the cited words lit
                shot.locator("#kp1 a.cite").first.click()
            shot.wait_for_timeout(300)
            shot.screenshot(path=str(ROOT / "docs" / name))
            shot.context.close()
            print(f"docs/{name}")


if __name__ == "__main__":
    main()
