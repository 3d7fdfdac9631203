"""Regenerate the README's screenshots of the example site: `python docs/screenshots.py`.

Desktop (1280 wide) and phone (390 wide), light and dark, in Debian's Chromium through
Playwright, in the site's own time zone so the times read as the notes wrote them.
"""

from __future__ import annotations

from pathlib import Path

from example_server import CHROMIUM, CHROMIUM_FLAGS, example_site
from playwright.sync_api import sync_playwright

DOCS = Path(__file__).parent
SIZES = {"desktop": ({"width": 1280, "height": 800}, 1500), "phone": ({"width": 390, "height": 844}, 1300)}


def main() -> None:
    with example_site() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, (viewport, height) in SIZES.items():
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport=viewport, color_scheme=scheme, timezone_id="Europe/Berlin")
                page.goto(url)
                path = DOCS / f"status-{name}-{scheme}.png"
                page.screenshot(path=path, clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
                page.close()
                print(path.relative_to(DOCS.parent))
        browser.close()


if __name__ == "__main__":
    main()
