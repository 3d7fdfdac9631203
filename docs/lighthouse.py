"""Run Lighthouse 12 on the example site's pages in Debian's Chromium: `python docs/lighthouse.py`.

Needs Node.js; `npx` fetches lighthouse@12 from npm on first use. Prints the four category
scores per page and form factor (mobile is Lighthouse's default: a slow 4G phone).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from example_server import CHROMIUM, CHROMIUM_FLAGS, example_site

PAGES = {"status": "", "incident": "incidents/2026-11-10-traffic-attack/", "history": "history/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse(url: str, desktop: bool, report: Path) -> dict[str, int]:
    command = [
        "npx",
        "--yes",
        "lighthouse@12",
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, check=True)
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    lowest = 100
    with example_site() as url, tempfile.TemporaryDirectory() as reports:
        print(f"{'page':<10} {'device':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for name, path in PAGES.items():
            for desktop in (False, True):
                scores = lighthouse(url + path, desktop, Path(reports) / f"{name}-{desktop}.json")
                lowest = min(lowest, *scores.values())
                device = "desktop" if desktop else "mobile"
                print(f"{name:<10} {device:<8} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES), flush=True)
    return 0 if lowest >= 95 else 1


if __name__ == "__main__":
    sys.exit(main())
