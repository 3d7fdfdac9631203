"""Real-browser fixtures: a site with every feature, served from 127.0.0.1, opened in Debian's Chromium.

Playwright drives the system Chromium (its own browser download cannot work on these machines).
Without a browser the tests skip with the reason in the summary; with STATUSPAGE_REQUIRE_TOOLS=1
(set by .ci/run) a missing browser or validator fails them instead, so CI never passes by skipping.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, build_example_site, unavailable

from statuspage.cli import main

CHROMIUM = os.environ.get("STATUSPAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VNU_JAR = Path(os.environ.get("STATUSPAGE_VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))
NOW = "2026-03-20T12:00:00+01:00"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


FEATURE_CONFIG = """\
title = "Feature Status"
url = "https://status.feature.test/"
description = "Every feature of the theme at once."
timezone = "Europe/Berlin"
language = "{language}"
homepage = "https://feature.test/"

[[components]]
id = "web"
name = "Website"
group = "Web"
description = "The public website."

[[components]]
id = "login"
name = "Login"
group = "Web"

[[components]]
id = "api"
name = "API"
group = "Platform"

[[components]]
id = "db"
name = "Database"
group = "Platform"

[[components]]
id = "search"
name = "Search"
since = 2026-02-01

[[components]]
id = "mail"
name = "Email"
"""

FEATURE_NOTES = {
    "2026-03-20-outage.md": """
        ---
        title: Customers in several regions cannot sign in, load the dashboard or call the API while we investigate
        components:
          web: degraded_performance
          login: major_outage
          api: partial_outage
        ---
        ## 2026-03-20 11:30 · Identified
        A faulty configuration change reached the edge. **We are rolling it back.**

        ## 2026-03-20 11:00 · Investigating
        We are investigating reports of failed sign-ins.
        """,
    "2026-03-20-db-maintenance.md": """
        ---
        title: Database failover drill
        kind: maintenance
        scheduled: 2026-03-20 11:00
        until: 2026-03-20 13:00
        components: [db]
        ---
        ## 2026-03-20 11:00 · In progress
        The drill has started.

        ## 2026-03-18 09:00 · Scheduled
        We will practise a database failover.
        """,
    "2026-03-25-upgrade.md": """
        ---
        title: Search index upgrade
        kind: maintenance
        scheduled: 2026-03-25 22:00
        until: 2026-03-25 23:00
        components: [search]
        ---
        ## 2026-03-19 10:00 · Scheduled
        Search may return stale results for a few minutes.
        """,
    "2026-03-02-email.md": """
        ---
        title: Email delivery delayed
        components:
          mail: partial_outage
        ---
        ## 2026-03-06 10:00 · Postmortem
        ### What happened
        A queue filled up. We added an alert.

        ![The mail queue on 2 March: flat, then a climb from 16:00 to 18:30](../../images/queue.svg)

        <img src="missing.png">

        ## 2026-03-02 18:30 · Resolved
        All queued email has been delivered.

        ## 2026-03-02 16:05 · Investigating
        Some emails arrive late.
        """,
    "2026-01-10-api.md": """
        ---
        title: API errors
        components:
          api: major_outage
        ---
        ## 2026-01-10 09:40 · Resolved
        Fixed.

        ## 2026-01-10 09:00 · Investigating
        Errors on every endpoint.
        """,
}


QUEUE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120" role="img">
<title>Mail queue length</title><polyline fill="none" stroke="#9a6700" stroke-width="2" points="0,110 200,110 260,20 320,110"/>
</svg>
"""


def build_feature_site(folder: Path, language: str = "en") -> Path:
    """Write and build the site with every feature; return the built folder."""
    (folder / "incidents").mkdir(parents=True)
    (folder / "statuspage.toml").write_text(FEATURE_CONFIG.format(language=language), encoding="utf-8")
    for name, text in FEATURE_NOTES.items():
        (folder / "incidents" / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    # A note's image lives in static/; the postmortem also has an image without alt text and a
    # source the site lacks (a warning, yet the page must stay valid and accessible).
    (folder / "static" / "images").mkdir(parents=True)
    (folder / "static" / "images" / "queue.svg").write_text(QUEUE_SVG, encoding="utf-8")
    out = folder / "site"
    assert main(["build", "--config", str(folder / "statuspage.toml"), "--out", str(out), "--now", NOW, "-q"]) == 0
    return out


def page_paths(site: Path) -> dict[str, str]:
    """The kinds of page to check, by name -> URL path. New page kinds join here."""
    paths = {
        "status": "",
        "incident": "incidents/2026-03-20-outage/",
        "postmortem": "incidents/2026-03-02-email/",
        "history": "history/",
        "not-found": "404.html",
    }
    components = sorted((site / "components").glob("*/index.html"))
    if components:  # per-component pages, where the build makes them
        paths["component"] = components[0].parent.relative_to(site).as_posix() + "/"
    return paths


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (plain bytes, no compression) for the duration; yield its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile (Playwright's default temporary one)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set STATUSPAGE_CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def feature_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_feature_site(tmp_path_factory.mktemp("feature"))


@pytest.fixture(scope="package")
def feature_url(feature_site: Path) -> Iterator[str]:
    with serve(feature_site) as url:
        yield url


@pytest.fixture(scope="package")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="package")
def example_url(example_site: Path) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="package")
def vnu() -> list[str]:
    """The Nu Html Checker's command line (npm vnu-jar, run by the system Java)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        unavailable(f"the Nu Html Checker needs java and {VNU_JAR} (npm install --ignore-scripts)")
    return [java, "-jar", str(VNU_JAR)]
