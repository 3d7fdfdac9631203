"""The example status page in Chromium: self-contained, light, readable without JavaScript or CSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .conftest import DESKTOP, PHONE, page_paths

BUDGET = 50_000  # bytes on the wire, headers included, served uncompressed (hosts usually gzip: ~1/5 of it)


def status_text(page: Any) -> list[str]:
    """What the page says about status: the banner, then each component's name and status."""
    texts = [page.locator(".banner").inner_text(), *page.locator(".component-head").all_inner_texts()]
    return [" ".join(text.split()) for text in texts]


def test_one_request_nothing_from_elsewhere_under_budget(browser: Any, example_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    requests: list[Any] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("requestfailed", lambda request: requests.append(request))
    page.goto(example_url, wait_until="networkidle")
    origin = urlsplit(example_url).netloc
    # The HTML and the status favicon (Chromium takes the SVG): no font, no script, nothing from elsewhere.
    assert [urlsplit(r.url).path for r in requests] == ["/", "/favicon.svg"]
    assert {urlsplit(r.url).netloc for r in requests} == {origin}
    sizes = requests[0].sizes()
    page.close()
    total = sizes["responseBodySize"] + sizes["responseHeadersSize"] + sizes["requestHeadersSize"]
    assert 20_000 < total < BUDGET, total


def test_same_status_without_javascript(browser: Any, example_url: str) -> None:
    with_js = browser.new_page(viewport=DESKTOP, timezone_id="Europe/Berlin")
    with_js.goto(example_url)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    without_js = context.new_page()
    without_js.goto(example_url)
    expected = status_text(with_js)
    assert expected[0] == "Partial System Outage As of Nov 28, 2026, 15:00 CET"
    assert "REST API Partial outage" in expected
    assert status_text(without_js) == expected
    assert without_js.locator(".card").count() == with_js.locator(".card").count() == 2
    with_js.close()
    context.close()


def test_no_horizontal_scroll_on_a_phone(browser: Any, feature_site: Path, feature_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    wide = {}
    for name, path in page_paths(feature_site).items():
        page.goto(feature_url + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
    page.close()
    assert wide == {}


def test_readable_with_css_off(browser: Any, example_url: str) -> None:
    """Without styles the page is a plain document: small icons, no empty boxes, the status first."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(example_url)
    page.evaluate("document.querySelectorAll('style').forEach(s => s.remove())")
    assert page.evaluate("getComputedStyle(document.querySelector('.banner')).display") == "block"  # really unstyled
    boxes = page.evaluate("[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width)")
    assert max(boxes) <= 16
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    text = page.locator("main").inner_text()
    assert text.index("Partial System Outage") < text.index("Ongoing incidents") < text.index("Components")
    assert "REST API\nPartial outage" in text
    page.close()


def test_prints_the_status_without_navigation(browser: Any, example_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(example_url)
    page.emulate_media(media="print", color_scheme="dark")
    assert page.locator("header.site nav").is_hidden()
    assert page.locator("#subscribe").is_hidden()
    assert page.locator("#banner-text").is_visible()
    # Paper is white whatever the screen's scheme; the bars keep their colours.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.querySelector('.bars')).printColorAdjust") == "exact"
    page.close()


def test_day_bars_are_readable_on_a_phone(browser: Any, feature_url: str) -> None:
    """90 bars on a 390 px screen are 2 px each; a phone shows the last 30, and their first date."""
    page = browser.new_page(viewport=PHONE)
    page.goto(feature_url)
    first = page.locator(".component").first
    widths = first.locator(".bars i").evaluate_all("bars => bars.map(b => b.getBoundingClientRect().width)")
    shown = [w for w in widths if w > 0]
    assert len(widths) == 90 and len(shown) == 30
    assert min(shown) >= 6
    assert first.locator(".legend > span").first.inner_text() == "Feb 19"  # 30 days before Mar 20, today
    page.set_viewport_size(DESKTOP)
    assert len([w for w in first.locator(".bars i").evaluate_all("bs => bs.map(b => b.offsetWidth)") if w]) == 90
    assert first.locator(".legend > span").first.inner_text() == "Dec 21"
    page.close()
