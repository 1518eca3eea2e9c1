"""Rewrite the golden renders under fixtures/expected/ after an intended change.

    python scripts/update_goldens.py          # every expected file
    python scripts/update_goldens.py --check  # only say which ones differ

Each file is made by the same command its test runs (tests/goldens.py), in the tests' isolated
environment, in-process from this checkout. A test run never writes them; review `git diff
fixtures/expected` before committing what this wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.isolation import isolate  # noqa: E402  (before briefer is imported)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list the files that differ")
    check = parser.parse_args().check
    isolate()
    from click.testing import CliRunner

    from briefer.cli import main as briefer
    from tests.goldens import every_golden

    changed = 0
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        for expected, args in every_golden():
            result = CliRunner().invoke(briefer, args)
            if result.exit_code != 0:
                print(f"{expected.name}: briefer exited {result.exit_code}: {result.stderr.strip()}", file=sys.stderr)
                return 1
            if expected.is_file() and expected.read_text(encoding="utf-8") == result.stdout:
                continue
            changed += 1
            print(f"{'differs' if check else 'rewritten'}: {expected.relative_to(ROOT)}")
            if not check:
                expected.write_text(result.stdout, encoding="utf-8")
    print(f"{changed} of {len(every_golden())} golden renders {'differ' if check else 'rewritten'}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
