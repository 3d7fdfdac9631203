"""axe-core in Chromium: no WCAG 2.1 A/AA violations on any kind of page, light and dark, desktop and phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE, page_paths

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
#: Checked on every page too: Lighthouse scores them, and they matter to screen-reader users.
BEST_PRACTICE = {
    "runOnly": {"type": "rule", "values": ["heading-order", "landmark-unique", "region", "page-has-heading-one"]}
}


def violations(page: Any, options: dict[str, Any]) -> list[str]:
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_wcag_violations(
    browser: Any, feature_site: Path, feature_url: str, scheme: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme, timezone_id="Europe/Berlin")
    page = context.new_page()
    found = {}
    for name, path in page_paths(feature_site).items():
        page.goto(feature_url + path)
        # Open every disclosure so the day tables are checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        problems = violations(page, WCAG_21_AA) + violations(page, BEST_PRACTICE)
        if problems:
            found[name] = problems
    context.close()
    assert found == {}


def test_uptime_bars_cost_one_tab_stop_per_component(browser: Any, feature_url: str) -> None:
    """The bars are hidden from assistive technology; each component's days are behind one disclosure."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(feature_url)
    assert page.locator(".bars").count() == 6
    assert page.locator(".bars[aria-hidden=true]").count() == 6
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent.trim()"))
        if stops[-1].startswith("BODY") or stops.count(stops[-1]) > 1:
            break
    summaries = [s for s in stops if s.startswith("SUMMARY")]
    assert summaries == [
        f"SUMMARY Daily uptime of {name}" for name in ("Website", "Login", "API", "Database", "Search", "Email")
    ]
    assert len(stops) < 45  # every link and disclosure on the page, but no bar
    # 1 hour of major outage in the 12 hours of today: 1 - 3600/43200 = 91.66 % (floored).
    # The disclosure opens from the keyboard and reads as a table of the notable days.
    page.locator("summary", has_text="Daily uptime of Login").focus()
    page.keyboard.press("Enter")
    table = page.locator("details[open] table")
    caption = "Days with downtime, degraded performance, maintenance, incidents or missing data for Login"
    assert table.locator("caption").inner_text() == caption
    assert table.locator("tbody tr").first.inner_text().split("\t")[:3] == ["Mar 20, 2026", "91.66%", "Major outage"]
    page.close()


def test_status_is_never_colour_alone(browser: Any, feature_url: str) -> None:
    """Every coloured status also has words; a bar's day says its uptime and incidents on hover."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(feature_url)
    states = page.locator(".component .state").all_inner_texts()
    assert states == [
        "Degraded performance",
        "Major outage",
        "Partial outage",
        "Under maintenance",
        "Operational",
        "Operational",
    ]
    assert page.locator(".state svg.icon").count() == page.locator(".state").count()
    login_today = page.locator(".component", has_text="Login").locator(".bars i").last
    login_today.hover()
    tip = page.evaluate("e => getComputedStyle(e, '::after').content", login_today.element_handle())
    assert (
        tip
        == '"Mar 20: 91.66% · Customers in several regions cannot sign in, load the dashboard or call the API while we investigate"'
    )
    email_bars = page.locator(".component", has_text="Email").locator(".bars i")
    before_the_first_note = email_bars.first  # Email has no `since`: its history starts with the site's first note
    before_the_first_note.hover()
    tip = page.evaluate("e => getComputedStyle(e, '::after').content", before_the_first_note.element_handle())
    assert tip == '"Dec 21: no data"'
    quiet_day = email_bars.nth(21)  # Jan 11, the day after the first note
    quiet_day.hover()
    assert (
        page.evaluate("e => getComputedStyle(e, '::after').content", quiet_day.element_handle()) == '"Jan 11: 100.00%"'
    )
    before_search_existed = page.locator(".component", has_text="Search").locator(".bars i").first
    before_search_existed.hover()
    tip = page.evaluate("e => getComputedStyle(e, '::after').content", before_search_existed.element_handle())
    assert tip == '"Dec 21: no data"'
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_third_party_status_has_no_violations(browser: Any, example_url: str, scheme: str) -> None:
    """The example depends on GitHub: its group, and the website shown beside GitHub's trouble."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in ("", "components/website/"):
        page.goto(example_url + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.locator(".s-third_party").count() >= 1
        problems = violations(page, WCAG_21_AA) + violations(page, BEST_PRACTICE)
        if problems:
            found[path or "status"] = problems
    context.close()
    assert found == {}
