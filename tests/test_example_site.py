"""The repository's own example site: what a newcomer sees after the README's build command."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import README_NOW, ROOT, build_example_site, text_of


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory.mktemp("example") / "site")


def test_readme_quick_start_uses_this_time() -> None:
    assert f"statuspage build --now {README_NOW}" in (ROOT / "README.md").read_text()


def test_example_shows_every_feature(example: Path) -> None:
    page = BeautifulSoup((example / "index.html").read_bytes(), "html5lib")
    assert text_of(page.select_one(".banner")) == "Partial System Outage As of Nov 28, 2026, 15:00 CET"
    assert page.find(id="ongoing-h") is not None
    assert page.find(id="upcoming-h") is not None
    bar_classes = {cls for bar in page.select(".bars i[class]") for cls in bar["class"]}
    assert bar_classes >= {
        "d-major_outage",
        "d-partial_outage",
        "d-degraded_performance",
        "d-under_maintenance",
        "d-none",
    }
    assert len(page.select(".group")) == 3  # Web, API, and the third-party services
    # The website's docs are on GitHub, in trouble at that time: shown beside it, never as ours.
    website = page.select_one(".components .component")
    assert text_of(website.select_one(".component-head .state")) == "Affected by a third party"
    assert "Affected by a third party: GitHub (Actions: Partial outage, Pages: Degraded performance)" in text_of(
        website
    )
    assert "GitHub As of Nov 28, 2026, 14:59 CET" in text_of(page.select_one(".vendor"))
    postmortem = (example / "incidents/2026-11-10-traffic-attack/index.html").read_text()
    assert "Postmortem" in postmortem


def test_status_page_is_small(example: Path) -> None:
    assert (example / "index.html").stat().st_size < 50_000


def test_example_shows_what_probes_saw_from_the_committed_data(example: Path) -> None:
    """data/probes/ is in the repository: the example shows probe data offline, nothing fetched."""
    import json

    uptime = json.loads((example / "api" / "uptime.json").read_bytes())
    probed = {c["id"]: c for c in uptime["components"] if c["probed"]}
    assert sorted(probed) == ["api", "website"]
    night = next(d for d in probed["api"]["days"] if d["date"] == "2026-11-20")
    # The 03:12-03:42 CET outage nobody wrote up: down checks from 02:12:31 UTC, up again at 02:42:39.
    assert night["probe_seconds"]["down"] == 1808 and night["incidents"] == []
    rebooted = next(d for d in probed["api"]["days"] if d["date"] == "2026-11-23")
    assert rebooted["no_data_seconds"] > 0 and rebooted["observed_seconds"] == 86400 - rebooted["no_data_seconds"]
    page = BeautifulSoup((example / "components/api/index.html").read_bytes(), "html5lib")
    assert page.select_one("svg.spark") is not None
    tooltips = [bar.get("data-t", "") for bar in page.select(".bars i")]
    assert any("probes: down 30 minutes" in text for text in tooltips)
