"""Outputs for machines and other sites: the JSON Feed, the Markdown twin, llms.txt, the favicon
and the embeds, read back as their readers read them."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import Site, text_of
from fixtures.notes import FEED_NOTES
from fixtures.schemas import SCHEMAS

from statuspage.core import addresses, looks, words
from statuspage.outputs import api

LEVEL_NOTES = {
    "critical": ("2026-03-20-down.md", "components:\n  api: major_outage"),
    "minor": ("2026-03-20-slow.md", "components:\n  api: degraded_performance"),
    "maintenance": (
        "2026-03-20-upgrade.md",
        "kind: maintenance\nscheduled: 2026-03-20 11:00\nuntil: 2026-03-20 13:00\ncomponents: [api]",
    ),
}


@pytest.fixture
def built(site: Site) -> Site:
    for name, text in FEED_NOTES.items():
        site.note(name, text)
    assert site.build().code == 0
    return site


def json_feed_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_json_feed_follows_the_spec_and_carries_the_atom_entries(built: Site) -> None:
    feed = json.loads((built.out / "feed.json").read_bytes())
    assert [e.message for e in json_feed_validator().iter_errors(feed)] == []
    atom = feedparser.parse((built.out / "history.atom").read_bytes())
    assert [item["id"] for item in feed["items"]] == [entry.id for entry in atom.entries]  # same updates, same order
    assert [item["title"] for item in feed["items"]] == [entry.title for entry in atom.entries]
    assert len({item["id"] for item in feed["items"]}) == len(feed["items"]) == 5  # one per posted update
    assert feed["feed_url"] == "https://status.test/feed.json" and feed["home_page_url"] == "https://status.test/"
    newest = next(item for item in feed["items"] if item["title"].startswith("Monitoring"))
    assert newest["title"] == 'Monitoring: API "errors" & timeouts'
    assert newest["date_published"] == "2026-03-18T10:30:00+01:00"
    # The plain text says what the HTML says: the update, then what it affects.
    assert newest["content_text"] == "Fixed, watching.\n\nAffected: API"
    assert newest["content_html"] == "<p>Fixed, watching.</p><p>Affected: API</p>"
    assert newest["tags"] == ["incident", "monitoring"]
    planned = next(item for item in feed["items"] if item["title"] == "Scheduled: Upgrade")
    window = "Scheduled for Mar 30, 2026, 22:00 CEST – Mar 30, 2026, 23:00 CEST"
    assert planned["content_text"] == f"{window}\n\nPlanned.\n\nAffected: API"
    assert planned["content_html"] == f"<p>{window}</p>\n<p>Planned.</p><p>Affected: API</p>"
    component = json.loads((built.out / "components/login/feed.json").read_bytes())
    assert [e.message for e in json_feed_validator().iter_errors(component)] == []
    assert {item["title"] for item in component["items"]} == {
        "Resolved: Login page offline",
        "Investigating: Login page offline",
    }


def test_the_json_feed_schema_is_not_a_rubber_stamp(built: Site) -> None:
    feed = json.loads((built.out / "feed.json").read_bytes())
    check = json_feed_validator()
    for broken in (
        {**feed, "version": "https://jsonfeed.org/version/1"},
        {**feed, "items": [{**feed["items"][0], "content_html": None, "content_text": None}]},
        {**feed, "items": [{k: v for k, v in feed["items"][0].items() if k not in ("content_html", "content_text")}]},
        {**feed, "items": [{**feed["items"][0], "date_published": "2026-03-18 10:30"}]},
        {**feed, "authr": "typo"},
    ):
        assert not check.is_valid(broken)


def test_every_page_links_the_feeds_and_favicons_and_the_home_page_its_markdown(built: Site) -> None:
    pages = ("index.html", "history/index.html", "incidents/2026-03-14-login/index.html", "components/login/index.html")
    for page in (*pages, "404.html"):
        head = built.html(page).head
        links = {(link.get("type"), link["href"]) for link in head.select("link[rel~=alternate], link[rel~=icon]")}
        root = "/" if page == "404.html" else "../" * page.count("/")
        assert ("application/feed+json", "https://status.test/feed.json") in links, page
        assert ("image/svg+xml", root + "favicon.svg") in links and ("image/png", root + "favicon.png") in links, page
        # index.md is the home page as Markdown: an alternate of that page, of no other.
        markdown = [href for kind, href in links if kind == "text/markdown"]
        assert markdown == (["https://status.test/index.md"] if page == "index.html" else []), page
    component = {link["href"] for link in built.html("components/login/index.html").head.select("link[rel=alternate]")}
    assert "https://status.test/components/login/feed.json" in component


def test_markdown_twin_says_what_the_page_says(built: Site) -> None:
    text = (built.out / "index.md").read_text()
    page = built.html()
    assert text.startswith("# Test Status\n\n**Partial System Outage** · As of Mar 20, 2026, 12:00 CET\n")
    assert text_of(page.select_one("#banner-text")) == "Partial System Outage"
    assert '### [API "errors" & timeouts](https://status.test/incidents/2026-03-18-api/)' in text
    assert "Monitoring · Mar 18, 2026, 10:30 CET · Affected: API" in text
    assert "> Fixed, watching." in text
    # Login has no `since`: its history starts with the site's first note, on Mar 14 (test_build).
    assert "- [Login](https://status.test/components/login/): Operational, 99.61% uptime" in text
    assert (
        "## Scheduled maintenance" in text
        and "[Upgrade](https://status.test/incidents/2026-03-30-future-maintenance/)" in text
    )
    # The bars as text: one character a day, the login outage of 14 March as a low one, and
    # "no data" (·) before it, when the site's history begins.
    login = re.search(r"components/login/\): .*\n  `(.+)`", text)
    assert login is not None and len(login[1]) == 90
    assert login[1][-7] == "▁" and set(login[1][:-7]) == {"·"} and set(login[1][-6:]) == {"█"}
    uptime = json.loads((built.out / "api/uptime.json").read_bytes())
    assert "99.61" in json.dumps([c for c in uptime["components"] if c["id"] == "login"])


def test_markdown_twin_escapes_names(site: Site) -> None:
    site.config(site.config_path.read_text().replace('name = "API"', 'name = "API *v2* [beta](x)"'))
    assert site.build().code == 0
    assert r"- [API \*v2\* \[beta\](x)](https://status.test/components/api/)" in (site.out / "index.md").read_text()


def test_llms_txt_points_at_the_twin_the_api_and_the_feeds(built: Site) -> None:
    text = (built.out / "llms.txt").read_text()
    assert text.startswith("# Test Status\n\n> The status of Test Status: current status, incidents")
    links = re.findall(r"^- \[[^\]]+\]\((\S+)\): .+$", text, flags=re.M)
    assert links[0] == "https://status.test/index.md"
    for path in ("api/v2/summary.json", "api/uptime.json", "feed.json", "history.atom", "maintenance.ics"):
        assert f"https://status.test/{path}" in links
    for link in links:  # every one is a file of the site
        assert (built.out / (link.removeprefix("https://status.test/") or "index.html")).is_file(), link


def test_llms_txt_summary_reads_as_one_sentence_after_a_description_with_a_full_stop(site: Site) -> None:
    site.config('description = "Live status of the website, API and payments."\n' + site.config_path.read_text())
    assert site.build().code == 0
    summary = (site.out / "llms.txt").read_text().split("\n")[2]
    assert (
        summary == "> Live status of the website, API and payments: current status, incidents, maintenance and uptime."
    )


def test_llms_txt_takes_the_api_length_and_the_sitemap_from_where_they_are_decided(
    built: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "RECENT", 2)
    monkeypatch.setattr(addresses, "SITEMAP", "map.xml")
    assert built.build("--force").code == 0
    text = (built.out / "llms.txt").read_text()
    assert "): the 2 most recent incidents with every update" in text
    assert "): the 2 most recent maintenances" in text
    assert "- [Sitemap](https://status.test/map.xml): " in text and (built.out / "map.xml").is_file()
    assert len(json.loads((built.out / "api/v2/incidents.json").read_bytes())["incidents"]) <= 2


def png_pixels(data: bytes) -> list[list[tuple[int, ...]]]:
    """Decode an 8-bit RGBA PNG with filter 0 rows, as ours are written (and check it says so)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        assert struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        offset += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 6)
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = [raw[y * (width * 4 + 1) : (y + 1) * (width * 4 + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return [[tuple(row[1 + x * 4 : 5 + x * 4]) for x in range(width)] for row in rows]


@pytest.mark.parametrize("level", ["none", "minor", "critical", "maintenance"])
def test_the_favicon_takes_the_status_colour_and_icon(site: Site, level: str) -> None:
    if level in LEVEL_NOTES:
        name, front = LEVEL_NOTES[level]
        site.note(
            name,
            f"---\ntitle: Something\n{front}\n---\n## 2026-03-20 11:00 · {'In progress' if level == 'maintenance' else 'Investigating'}\nText.\n",
        )
    assert site.build().code == 0
    look = looks.LEVELS[level]
    svg = ET.fromstring((site.out / "favicon.svg").read_bytes())
    style = svg.find("{http://www.w3.org/2000/svg}style").text
    assert style.startswith(f"circle{{fill:#{look.light}}}") and f"circle{{fill:#{look.dark}}}" in style
    sprite = (Path(__file__).parent.parent / "statuspage/outputs/theme/partials/icons.svg").read_text()
    icon = re.search(rf'<symbol id="i-{look.icon}" viewBox="0 0 16 16"><path d="([^"]+)"/>', sprite)
    assert icon is not None and svg.find(".//{http://www.w3.org/2000/svg}path").get("d") == icon[1]
    pixels = png_pixels((site.out / "favicon.png").read_bytes())
    assert len(pixels) == len(pixels[0]) == 64
    colour = tuple(int(look.light[i : i + 2], 16) for i in (0, 2, 4))
    assert pixels[3][32] == (*colour, 255)  # the disc, above the glyph
    assert pixels[0][0][3] == 0  # a transparent corner
    white = sum(1 for row in pixels for p in row if p == (255, 255, 255, 255))
    assert 80 < white < 64 * 64 / 2, white  # a glyph, not a blank or a white square


def test_the_favicon_follows_the_status_between_builds(site: Site) -> None:
    assert site.build().code == 0
    calm = (site.out / "favicon.svg").read_bytes()
    site.note(
        LEVEL_NOTES["critical"][0],
        "---\ntitle: Down\ncomponents:\n  api: major_outage\n---\n## 2026-03-20 11:00 · Investigating\nDown.\n",
    )
    assert site.build().code == 0
    assert (site.out / "favicon.svg").read_bytes() != calm
    assert f"fill:#{looks.LEVELS['critical'].light}".encode() in (site.out / "favicon.svg").read_bytes()


def embed(site: Site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site.out / path).read_bytes(), "html5lib")


def test_embeds_are_small_scriptless_and_say_the_status(built: Site) -> None:
    status = (built.out / "embed/status.html").read_bytes()
    assert len(status) < 2000
    page = embed(built, "embed/status.html")
    assert page.select("script") == [] and page.select("[href^=http]:not(a)") == []
    assert text_of(page.select_one("h1")) == "Partial System Outage Test Status · As of Mar 20, 2026, 12:00 CET"
    assert page.select_one("h1 a")["href"] == "https://status.test/"
    incidents = embed(built, "embed/incident.html")
    assert [text_of(a) for a in incidents.select("li a")] == ['API "errors" & timeouts']
    component = embed(built, "components/login/embed.html")
    assert text_of(component.select_one("h1")) == "Login: Operational 99.61% uptime · Test Status"


def test_the_incident_embed_says_all_is_well_in_one_line(site: Site) -> None:
    assert site.build().code == 0
    page = embed(site, "embed/incident.html")
    assert text_of(page.select_one("main p")) == "All Systems Operational"
    assert page.select("li") == []


def test_embed_js_is_small_and_reads_the_api(built: Site) -> None:
    script = (built.out / "embed.js").read_text()
    assert len(script.encode()) < 3000
    assert 'var site = "https://status.test/";' in script and 'site + "api/v2/summary.json"' in script
    colours: dict[str, Any] = json.loads(re.search(r"var colours = (\{.*\});", script)[1])  # type: ignore[index]
    assert colours["critical"] == [looks.LEVELS["critical"].light, looks.LEVELS["critical"].dark]
    # The maintenance that shows a banner is what the API calls active, from the one list of it.
    active: list[str] = json.loads(re.search(r"var active = (\[.*\]);", script)[1])  # type: ignore[index]
    assert active == list(words.ACTIVE_MAINTENANCE) == ["in_progress", "verifying"]
    assert "active.indexOf(m.status)" in script and '"verifying"' not in script.replace(json.dumps(active), "")
