"""Times are printed in the site's zone, named; where JavaScript runs they switch to the visitor's zone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import DESKTOP, build_feature_site, serve

UPDATE = "incidents/2026-03-20-outage/"


def first_update_time(page: Any) -> tuple[str, str | None]:
    time = page.locator(".timeline time").first
    return time.inner_text(), time.get_attribute("title")


def test_visitor_elsewhere_sees_their_own_time(browser: Any, feature_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, timezone_id="America/New_York")
    page = context.new_page()
    page.goto(feature_url + UPDATE)
    # 11:30 CET is 06:30 in New York (EDT since Mar 8); the site's own time stays in the title.
    assert first_update_time(page) == ("Mar 20, 2026, 06:30 EDT", "Mar 20, 2026, 11:30 CET")
    assert page.locator("#zone").inner_text() == "Times are in your time zone, America/New_York."
    # Dates without a time (the history's days, the uptime table) are calendar days of the site: unchanged.
    page.goto(feature_url)
    assert page.locator("h3.day time").first.inner_text() == "March 20, 2026"
    context.close()


def test_visitor_in_the_site_zone_and_without_javascript_see_the_site_time(browser: Any, feature_url: str) -> None:
    for options in ({"timezone_id": "Europe/Berlin"}, {"timezone_id": "Asia/Tokyo", "java_script_enabled": False}):
        context = browser.new_context(viewport=DESKTOP, **options)
        page = context.new_page()
        page.goto(feature_url + UPDATE)
        assert first_update_time(page) == ("Mar 20, 2026, 11:30 CET", None)
        assert page.locator("#zone").inner_text() == "Times are in Europe/Berlin."
        context.close()


def test_local_times_follow_the_page_language(browser: Any, tmp_path: Path) -> None:
    site = build_feature_site(tmp_path, "de")
    with serve(site) as url:
        context = browser.new_context(viewport=DESKTOP, timezone_id="America/New_York")
        page = context.new_page()
        page.goto(url + UPDATE)
        assert first_update_time(page) == ("20. März 2026, 06:30 GMT-4", "20. März 2026, 11:30 CET")
        assert page.locator("#zone").inner_text() == "Zeitangaben in Ihrer Zeitzone, America/New_York."
        context.close()
