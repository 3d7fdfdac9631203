"""Per-component pages and feeds, the sitemap, robots.txt, and the status page's Subscribe / API links."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import CONFIG, Site, is_embed, text_of
from fixtures.notes import write_notes

from statuspage.outputs import sitemap


@pytest.fixture
def built(site: Site) -> Site:
    # The API has been watched since January 2025, so it has twelve months of history to show.
    site.config(CONFIG.replace('name = "API"', 'name = "API"\nsince = 2025-01-15'))
    write_notes(site)
    assert site.build().code == 0
    return site


def test_component_page(built: Site) -> None:
    page = built.html("components/api/index.html")
    assert text_of(page.select_one("h1")) == "API"
    assert text_of(page.select_one("main > p .state")) == "Partial outage"
    assert [text_of(h) for h in page.select(".card h3")] == ['API "errors" & <timeouts>', "Database upgrade"]
    assert len(page.select(".bars i")) == 90
    months = [[text_of(td) for td in tr.select("td")] for tr in page.select("table[aria-labelledby=months-h] tbody tr")]
    uptime = json.loads((built.out / "api/uptime.json").read_text())
    published = next(c for c in uptime["components"] if c["id"] == "api")["months"]
    assert len(months) == 12
    assert months[0] == ["March 2026", f"{published[-1]['uptime']:.2f}%", "2"]
    assert months[-1] == ["April 2025", "100.00%", "0"]
    # Login has no `since`: its history starts with the site's first note (Mar 1), one month.
    login = built.html("components/login/index.html")
    assert len(login.select("table[aria-labelledby=months-h] tbody tr")) == 1
    assert [text_of(a) for a in page.select(".lines .line > a")] == ["Old maintenance"]


def test_component_page_lists_past_incidents_not_current_ones(built: Site) -> None:
    page = built.html("components/login/index.html")
    assert [text_of(h) for h in page.select(".card h3")] == ["Login maintenance"]
    assert [text_of(a) for a in page.select(".lines .line > a")] == ["Login page offline"]
    assert "Partial outage" not in text_of(page.select_one("main"))


def test_status_page_links_each_component_page(built: Site) -> None:
    links = [a["href"] for a in built.html().select("li.component :is(h3, h4) a")]
    assert links == ["components/web/", "components/login/", "components/api/"]
    assert built.html("components/api/index.html").select("li.component h4 a") == []  # no link to itself


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_component_feeds_have_only_that_components_updates(built: Site, kind: str) -> None:
    feed = feedparser.parse((built.out / f"components/login/history.{kind}").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Login · Test Status"
    assert feed.feed.link == "https://status.test/components/login/"
    assert [e.title for e in feed.entries] == [
        "In progress: Login maintenance",
        "Scheduled: Login maintenance",
        "Resolved: Login page offline",
        "Monitoring: Login page offline",
        "Investigating: Login page offline",
    ]
    page = built.html("components/login/index.html")
    alternates = {link["href"] for link in page.select('link[rel="alternate"]')}
    assert f"https://status.test/components/login/history.{kind}" in alternates


def test_sitemap_lists_every_page_and_each_link_resolves(built: Site) -> None:
    root = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{namespace}urlset"
    locations = [loc.text or "" for loc in root.iter(f"{namespace}loc")]
    files = set()
    for location in locations:
        assert location.startswith("https://status.test/")
        path = location.removeprefix("https://status.test/")
        target = built.out / path / "index.html"
        assert target.is_file(), location
        files.add(target.relative_to(built.out).as_posix())
    pages = {p.relative_to(built.out).as_posix() for p in built.out.rglob("*.html")} - {"404.html"}
    pages = {p for p in pages if not is_embed(p)}
    assert files == pages
    assert len(locations) == len(pages)
    assert "https://status.test/components/api/" in locations


def test_a_site_beyond_the_sitemap_limit_gets_an_index_of_sitemaps(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The protocol allows 50,000 addresses a sitemap (a site of 100,000 notes has more)."""
    monkeypatch.setattr(sitemap, "MAX_URLS", 3)
    write_notes(site)
    assert site.build().code == 0
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring((site.out / "sitemap.xml").read_bytes())
    assert index.tag == f"{namespace}sitemapindex"
    parts = [loc.text or "" for loc in index.iter(f"{namespace}loc")]
    locations = []
    for number, part in enumerate(parts, start=1):
        assert part == f"https://status.test/sitemap-{number}.xml"
        urlset = ET.fromstring((site.out / part.removeprefix("https://status.test/")).read_bytes())
        assert urlset.tag == f"{namespace}urlset"
        locations += [loc.text or "" for loc in urlset.iter(f"{namespace}loc")]
        assert 1 <= len(locations) - 3 * (number - 1) <= 3
    pages = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*.html")} - {"404.html"}
    pages = {p for p in pages if not is_embed(p)}
    assert sorted(f"{location.removeprefix('https://status.test/')}index.html" for location in locations) == sorted(
        pages
    )
    assert len(parts) == -(-len(pages) // 3)


def test_robots_points_at_the_sitemap(built: Site) -> None:
    assert (built.out / "robots.txt").read_text() == (
        "User-agent: *\nDisallow:\n\nSitemap: https://status.test/sitemap.xml\n"
    )


def test_subscribe_section_links_feeds_calendar_api_and_badges(built: Site) -> None:
    section = built.html().select_one("#subscribe")
    links = {text_of(a): a["href"] for a in section.select("a")}
    assert links == {
        "Atom feed": "history.atom",
        "RSS feed": "history.rss",
        "Maintenance calendar": "maintenance.ics",
        "Status API": "api/v2/summary.json",
        "Uptime data": "api/uptime.json",
        "Status badge": "badge.svg",
        "shields.io endpoint": "badge.json",
    }
    for href in links.values():
        assert (built.out / href).is_file()
