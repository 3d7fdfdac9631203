"""What readers see of probe data: the bar's words, the daily table, response times, and the API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import jsonschema
from conftest import CONFIG, ROOT, Site, text_of

from statuspage.core.probes import Seen
from statuspage.probes import store

# conftest's NOW is 2026-03-20 12:00 in Berlin (11:00 UTC).
START = datetime(2026, 3, 18, tzinfo=UTC)


def probed(site: Site, sets_status: bool = False) -> None:
    probe = f'{{ type = "http", url = "https://api.test/", sets_status = {str(sets_status).lower()} }}'
    site.config(CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {probe}\n'))
    checks = []
    at = START
    while at < datetime(2026, 3, 20, 11, tzinfo=UTC):
        down = datetime(2026, 3, 19, 9, 0, tzinfo=UTC) <= at < datetime(2026, 3, 19, 9, 12, tzinfo=UTC)
        down = down or (sets_status and at >= datetime(2026, 3, 20, 10, 50, tzinfo=UTC))
        silent = datetime(2026, 3, 19, 14, tzinfo=UTC) <= at < datetime(2026, 3, 19, 16, tzinfo=UTC)
        if not silent:
            seen = Seen.DOWN if down else Seen.UP
            checks.append(store.Check(at, "ci", seen, 300, 503 if down else 200, 100 + at.minute))
        at += timedelta(minutes=5)
    store.append(site.root / "data" / "probes", "api", checks)
    site.note(
        "2026-03-19-login.md",
        """\
        ---
        title: Login page offline
        components:
          api: partial_outage
        ---

        ## 2026-03-19 10:30 · Resolved
        Fixed.

        ## 2026-03-19 10:05 · Investigating
        Looking.
        """,
    )


def test_the_bar_and_the_daily_table_say_which_source_saw_what(site: Site) -> None:
    probed(site)
    assert site.build().code == 0
    page = site.html("components/api/index.html")
    bar = page.select(".bars i")[-2]  # 03-19
    # Down 09:00-09:12 UTC, a check every 5 min: the 09:10 check fails, 09:15 succeeds: 15 minutes.
    # Silent 13:55-16:00 UTC: 2 hours 5 minutes of no data.
    assert bar["data-t"].endswith("· probes: down 15 minutes, no data 2 hours 5 minutes · incident: Login page offline")
    rows = [[text_of(td) for td in tr.select("td")] for tr in page.select("details table tbody tr")]
    headers = [text_of(th) for th in page.select("details table thead th")]
    assert headers[:5] == ["Day", "Uptime", "Worst status", "Checks", "Incidents"]
    assert rows[0][3:] == ["down 15 minutes, no data 2 hours 5 minutes", "Login page offline"]


def test_response_times_are_an_inline_svg_with_the_numbers_in_a_table(site: Site) -> None:
    probed(site)
    assert site.build().code == 0
    page = site.html("components/api/index.html")
    svg = page.select_one("svg.spark")
    assert svg is not None and svg["role"] == "img" and svg.title.string == "Response times of API"
    assert len(svg.select("polyline")) == 2 and svg.find("script") is None  # median and p95, no script
    table = page.find("summary", string="Response times of API").find_next("table")
    rows = {tr.time["datetime"]: [text_of(td) for td in tr.select("td")[1:]] for tr in table.select("tbody tr")}
    # Nearest rank over the day's up checks (100 ms + the minute of the hour, every 5 minutes).
    # 03-20 (Berlin) is 03-19 23:00-10:55 UTC: 144 checks, 12 of each of 100, 105, ... 155.
    # Median rank ceil(72) = 72 -> the 6th value, 125; p95 rank ceil(136.8) = 137 -> the 12th, 155.
    assert rows["2026-03-20"] == ["125 ms", "155 ms"]
    # 03-19: 288 checks less 24 silent (2 of each value) and 3 down (100, 105, 110): 261, that is
    # 21 each of 100-110 and 22 each of 115-155. Median rank ceil(130.5) = 131: the cumulative
    # counts are 21, 42, 63, 85, 107, 129, 151 -> 130. p95 rank ceil(247.95) = 248 -> 155.
    assert rows["2026-03-19"] == ["130 ms", "155 ms"]
    # Other components have no probe: no section.
    assert site.html("components/web/index.html").select_one("svg.spark") is None


def test_sets_status_shows_the_component_down_before_any_note(site: Site) -> None:
    probed(site, sets_status=True)
    assert site.build().code == 0
    page = site.html("components/api/index.html")
    assert "Major outage" in text_of(page.select_one("main"))
    assert "Detected by monitoring at" in text_of(page.select_one("main"))
    summary = json.loads((site.out / "api" / "v2" / "summary.json").read_bytes())
    assert summary["status"]["indicator"] == "critical"


def test_uptime_json_carries_note_probe_and_no_data_seconds_and_the_rule(site: Site) -> None:
    probed(site)
    assert site.build().code == 0
    document = json.loads((site.out / "api" / "uptime.json").read_bytes())
    jsonschema.validate(document, json.loads((ROOT / "tests" / "schemas" / "uptime.json").read_text()))
    assert "probes confirmed it" in document["rule"]
    api = next(c for c in document["components"] if c["id"] == "api")
    day = next(d for d in api["days"] if d["date"] == "2026-03-19")
    # Note: partial 10:05-10:30 Berlin = 09:05-09:30 UTC (1500 s). Probes: down 09:00-09:15 UTC (900 s).
    # Worst: major 09:00-09:15 (900 s), partial 09:15-09:30 (900 s). No data 13:55-16:00 UTC = 7500 s.
    assert day["note_seconds"]["partial_outage"] == 1500
    assert day["probe_seconds"] == {"down": 900, "degraded": 0}
    assert (day["seconds"]["major_outage"], day["seconds"]["partial_outage"]) == (900, 900)
    assert (day["no_data_seconds"], day["observed_seconds"]) == (7500, 86400 - 7500)
    # 1 - (900 + 0.3*900)/78900 = 1 - 1170/78900 = 0.985171 -> 98.51.
    assert day["uptime"] == 98.51
    assert day["latency_ms"]["checks"] > 0
    web = next(c for c in document["components"] if c["id"] == "web")
    assert web["probed"] is False and "probe_seconds" not in web["days"][-1]
