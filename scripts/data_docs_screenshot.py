"""Screenshot of a warehouse's Data Docs in headless Chromium, and a probe of what styled it.

    .venv/bin/python scripts/data_docs_screenshot.py --warehouse DIR --png FILE

Opens DIR/data_docs/index.html from disk (fresh profile, no network; flags as scripts/report_screenshot.py),
saves a PNG, and prints what the page loaded: jQuery and its table plugin, Vega, Bootstrap's layout and
Font Awesome's icon font, none of which is there unless the local assets were found.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_screenshot import CHROMIUM_FLAGS, screenshot  # noqa: E402

PROBE = """<script>
window.addEventListener("load", function () {
  var first = function (selector) { return document.querySelector(selector); };
  var icon = first(".fas, .fa, .far");
  var probe = {
    jquery: typeof window.jQuery, bootstrapTable: !!(window.jQuery && window.jQuery.fn.bootstrapTable),
    bootstrapJs: !!(window.jQuery && window.jQuery.fn.tooltip), vegaEmbed: typeof window.vegaEmbed,
    navDisplay: first(".nav") ? getComputedStyle(first(".nav")).display : null,
    iconFont: icon ? getComputedStyle(icon, "::before").fontFamily : null,
    bodyFont: getComputedStyle(document.body).fontFamily
  };
  var out = document.createElement("pre");
  out.id = "fazhi-probe";
  out.textContent = JSON.stringify(probe);
  document.body.appendChild(out);
});
</script>"""


def probe(index: Path, chromium: str = "chromium") -> dict:
    """Load a copy of `index` beside it with a probe script, and return what the probe saw."""
    page = index.with_name("fazhi-probe.html")
    page.write_text(index.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="fazhi-chromium-") as profile:
            dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                  "--virtual-time-budget=5000", "--dump-dom", page.resolve().as_uri()],
                                 check=True, capture_output=True, text=True, timeout=120).stdout
    finally:
        page.unlink()
    found = re.search(r'<pre id="fazhi-probe">([^<]*)</pre>', dom)
    if not found:
        raise RuntimeError("the probe did not run: the page did not load")
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--png", type=Path, required=True)
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    index = args.warehouse / "data_docs" / "index.html"
    print(f"page: {index}\nscreenshot: {screenshot(index, args.png, args.chromium, size='1280,900')}")
    print(f"probe: {json.dumps(probe(index, args.chromium), ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
