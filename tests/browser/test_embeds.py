"""The embeds in Chromium: one small request, no script, no axe violations in light and dark; framed
at the README's sizes without scrollbars; embed.js's banner in another origin's page."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import serve
from .test_accessibility import BEST_PRACTICE, WCAG_21_AA, violations

EMBEDS = ["embed/status.html", "embed/incident.html", "components/api/embed.html"]
#: The <iframe> sizes the README gives, by embed.
SIZES = {"embed/status.html": (320, 80), "embed/incident.html": (400, 240), "components/api/embed.html": (320, 80)}


@pytest.mark.parametrize("path", EMBEDS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_embed_is_one_small_request_without_script_or_violations(
    browser: Any, example_url: str, path: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 400, "height": 300})
    page = context.new_page()
    requests: list[Any] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("requestfailed", lambda request: requests.append(request))
    page.goto(example_url + path, wait_until="networkidle")
    assert [urlsplit(r.url).path for r in requests] == ["/" + path]
    if path == "embed/status.html":
        assert requests[0].sizes()["responseBodySize"] < 2000
    assert page.locator("script").count() == 0
    assert violations(page, WCAG_21_AA) + violations(page, BEST_PRACTICE) == []
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(13, 17, 23)" if scheme == "dark" else "rgb(255, 255, 255)")
    context.close()


def test_the_status_embed_says_what_the_page_says(browser: Any, example_url: str) -> None:
    page = browser.new_page()
    page.goto(example_url + "embed/status.html")
    assert page.locator("h1").inner_text().splitlines()[0] == "Partial System Outage"
    page.goto(example_url + "embed/incident.html")
    assert page.locator("li a").all_inner_texts() == ["Elevated error rates on the API"]  # the ongoing one
    page.close()


@contextmanager
def host(body: str) -> Iterator[str]:
    """Another origin: a page holding `body`, as a site that embeds the status would."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = f"<!doctype html><html lang=en><head><title>Host</title></head><body>{body}</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_framed_at_the_readme_sizes_without_scrollbars(browser: Any, example_url: str) -> None:
    frames = "".join(
        f'<iframe src="{example_url}{path}" width="{w}" height="{h}" title="Status" style="border:0"></iframe>'
        for path, (w, h) in SIZES.items()
    )
    with host(frames) as url:
        page = browser.new_page()
        page.goto(url, wait_until="networkidle")
        for frame in page.frames[1:]:
            width, height = SIZES[urlsplit(frame.url).path.lstrip("/")]
            assert frame.evaluate("document.documentElement.scrollWidth") <= width, frame.url
            assert frame.evaluate("document.documentElement.scrollHeight") <= height, frame.url
        page.close()


@contextmanager
def with_cors(root: Path) -> Iterator[str]:
    """The site served with the header embed.js needs on api/v2/ (as the README says to set)."""

    class Cors(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            if self.path.startswith("/api/"):
                self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Cors, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def script_for(site_url: str, example: Path) -> str:
    """embed.js as the example site's, pointed at where the test serves it."""
    return (example / "embed.js").read_text().replace("https://status.acme.example/", site_url)


def test_embed_js_shows_a_banner_while_something_is_going_on(browser: Any, example_site: Path) -> None:
    with with_cors(example_site) as site_url, host('<p id="app">Our app</p>') as url:
        page = browser.new_page()
        page.goto(url)
        page.add_script_tag(content=script_for(site_url, example_site))
        banner = page.locator(".statuspage-banner")
        banner.wait_for(timeout=5000)
        assert banner.get_attribute("role") == "status"
        text = banner.inner_text()
        assert text.startswith("Partial System Outage: ")
        hrefs = banner.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs == [site_url + "incidents/2026-11-28-api-errors/"]  # the ongoing incident's page
        assert violations(page, WCAG_21_AA) == []
        page.close()


def test_embed_js_without_the_cors_header_or_trouble_shows_nothing(browser: Any, example_site: Path) -> None:
    with serve(example_site) as site_url, host('<p id="app">Our app</p>') as url:
        page = browser.new_page()
        page.goto(url)
        page.add_script_tag(content=script_for(site_url, example_site))
        page.wait_for_timeout(500)
        assert page.locator(".statuspage-banner").count() == 0  # blocked by the browser: no header
        page.close()


def test_the_png_favicon_is_a_64_pixel_image(browser: Any, example_url: str) -> None:
    page = browser.new_page()
    page.goto(example_url + "favicon.png")
    assert page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [64, 64]
    page.goto(example_url + "favicon.svg")
    assert page.evaluate("document.documentElement.tagName") == "svg"
    page.close()
