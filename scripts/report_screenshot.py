"""Screenshot of the `fazhi report` page in headless Chromium (Debian's `chromium` package).

    .venv/bin/python scripts/report_screenshot.py --warehouse DIR --png FILE [--html FILE]

Writes the page for the warehouse in DIR (to --html, default DIR/report.html), then has Chromium
render it from disk with a fresh profile and no network, and saves a 1280×2400 PNG.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.report import build_report  # noqa: E402

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


def screenshot(page: Path, png: Path, chromium: str = "chromium", size: str = "1280,2400") -> Path:
    """Render `page` in headless Chromium and save the viewport as `png`."""
    png = png.resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-chromium-") as profile:
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={size}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot to {png}")
    return png


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--png", type=Path, required=True)
    parser.add_argument("--html", type=Path, default=None)
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    page = build_report(args.warehouse, args.html)
    print(f"page: {page}\nscreenshot: {screenshot(page, args.png, args.chromium)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
