"""Published Statuspage clients, pointed at a built site served on 127.0.0.1, report what the site shows.

- `statuspage-prometheus-exporter` (PyPI) polls api/v2/summary.json and turns it into metrics.
- `statuspage.io` (npm) reads every endpoint it knows. It needs Node and
  `npm ci --prefix tests/clients`, which .ci/run does; elsewhere the test is skipped.

Both sites are served from sub-paths, as on GitHub Pages; what the clients report is compared
with the status page's HTML, not with our own JSON.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import CONFIG, NOW
from fixtures.notes import NOTES
from prometheus_client.parser import text_string_to_metric_families

from statuspage.cli import main

CLIENTS = Path(__file__).parent / "clients"
CALM = {name: NOTES[name] for name in ("2026-03-14-login.md", "2026-03-05-db.md")}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Shown:
    """What a visitor of the status page sees."""

    banner: str
    components: dict[str, str]  # name -> status, groups included
    ongoing: list[str]  # incident titles
    maintenance: list[str]  # titles of maintenance in progress and scheduled


def shown(site: Path) -> Shown:
    page = BeautifulSoup((site / "index.html").read_bytes(), "html5lib")

    def status_of(element: Any) -> str:
        return str(element.select_one(".state")["class"][1]).removeprefix("s-")

    components = {li.select_one("h3, h4").get_text(strip=True): status_of(li) for li in page.select("li.component")}
    components |= {h.select_one("span").get_text(strip=True): status_of(h) for h in page.select(".group-head")}

    def titles(heading: str) -> list[str]:
        section = page.find(id=heading)
        return [h.get_text(strip=True) for h in section.parent.select(".card h3")] if section else []

    return Shown(
        banner=page.select_one("#banner-text").get_text(strip=True),
        components=components,
        ongoing=titles("ongoing-h"),
        maintenance=titles("active-h") + titles("upcoming-h"),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Two sites, one with everything going on and one all clear, served from sub-paths."""
    root = tmp_path_factory.mktemp("served")
    for name, notes in (("busy", NOTES), ("calm", CALM)):
        project = root / f"{name}-project"
        (project / "incidents").mkdir(parents=True)
        (project / "statuspage.toml").write_text(CONFIG.replace("https://status.test/", f"https://status.test/{name}/"))
        for file, text in notes.items():
            (project / "incidents" / file).write_text(textwrap.dedent(text).lstrip("\n"))
        out = root / "www" / name
        assert main(["build", "--config", str(project / "statuspage.toml"), "--out", str(out), "--now", NOW, "-q"]) == 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "www")))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield root / "www", f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def run_exporter(summary_url: str, workdir: Path) -> dict[str, list[Any]]:
    """One pass of the exporter (RUN_MODE=once) writing a Prometheus textfile; its samples by metric."""
    workdir.mkdir()
    (workdir / "services.json").write_text(json.dumps({"site": {"url": summary_url, "name": "Test Status"}}))
    env = {
        **os.environ,
        "RUN_MODE": "once",
        "SERVICES_JSON_PATH": str(workdir / "services.json"),
        "METRICS_TEXTFILE_PATH": str(workdir / "metrics.prom"),
    }
    exporter = Path(sys.executable).parent / "statuspage-prometheus-exporter"
    done = subprocess.run([str(exporter)], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = (workdir / "metrics.prom").read_text()
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def test_prometheus_exporter_reports_what_the_page_shows(server: tuple[Path, str], tmp_path: Path) -> None:
    www, base = server
    page = shown(www / "busy")
    metrics = run_exporter(base + "busy/api/v2/summary.json", tmp_path / "busy")

    assert [s.value for s in metrics["statuspage_probe_check"]] == [1.0]
    assert [s.value for s in metrics["statuspage_service_status"]] == [0.0]  # something is down
    reported = {s.labels["component_name"]: s.value for s in metrics["statuspage_component_status"]}
    assert reported == {name: float(status == "operational") for name, status in page.components.items()}
    assert set(reported) == {"Web", "Website", "Login", "API"}

    incidents = [s for s in metrics["statuspage_incident_info"] if s.value == 1]
    assert [s.labels["incident_name"] for s in incidents] == page.ongoing == ['API "errors" & <timeouts>']
    assert incidents[0].labels["incident_id"] == "2026-03-20-api"
    assert incidents[0].labels["impact"] == "major"
    assert incidents[0].labels["shortlink"] == "https://status.test/busy/incidents/2026-03-20-api/"
    assert incidents[0].labels["affected_components"] == "API"

    maintenance = [s for s in metrics["statuspage_maintenance_info"] if s.value == 1]
    assert sorted(s.labels["maintenance_name"] for s in maintenance) == sorted(page.maintenance)
    assert len(maintenance) == 3
    upgrade = next(s.labels for s in maintenance if s.labels["maintenance_id"] == "2026-03-24-upgrade")
    assert (upgrade["scheduled_start"], upgrade["scheduled_end"]) == (
        "2026-03-24T22:00:00+01:00",
        "2026-03-24T23:00:00+01:00",
    )


def test_prometheus_exporter_on_an_all_clear_site(server: tuple[Path, str], tmp_path: Path) -> None:
    www, base = server
    page = shown(www / "calm")
    assert page.banner == "All Systems Operational"
    metrics = run_exporter(base + "calm/api/v2/summary.json", tmp_path / "calm")
    assert [s.value for s in metrics["statuspage_service_status"]] == [1.0]
    assert {s.labels["component_name"]: s.value for s in metrics["statuspage_component_status"]} == dict.fromkeys(
        page.components, 1.0
    )
    # With nothing going on the exporter writes one placeholder sample of value 0 per metric.
    for name in ("statuspage_incident_info", "statuspage_maintenance_info"):
        assert [s.labels[name.split("_")[1] + "_id"] for s in metrics[name] if s.value] == []


def test_statuspage_io_npm_client_reads_every_endpoint(server: tuple[Path, str]) -> None:
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules" / "statuspage.io").is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must install Node and run `npm ci --prefix tests/clients` (see .ci/run)")
        pytest.skip("needs Node and `npm ci --prefix tests/clients`")
    www, base = server
    done = subprocess.run(
        [node, str(CLIENTS / "read-statuspage.js"), base + "busy/"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    page = shown(www / "busy")

    assert got["status"]["status"]["description"] == got["summary"]["status"]["description"] == page.banner
    assert {c["name"]: c["status"] for c in got["components"]["components"]} == page.components
    assert [i["name"] for i in got["unresolved"]["incidents"]] == page.ongoing
    assert [i["name"] for i in got["summary"]["incidents"]] == page.ongoing
    assert sorted(m["name"] for m in got["summary"]["scheduled_maintenances"]) == sorted(page.maintenance)
    assert [m["name"] for m in got["upcoming"]["scheduled_maintenances"]] == ["Database upgrade"]
    assert [i["name"] for i in got["incidents"]["incidents"]] == [
        'API "errors" & <timeouts>',
        "Login page offline",
        "Website slow",
    ]
    # What the client got is byte for byte what the site serves.
    assert got["summary"] == json.loads((www / "busy/api/v2/summary.json").read_text())
