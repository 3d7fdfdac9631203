"""Calendar corners: month and year ends, leap days, half-hour DST, long and future incidents.

Each case has its uptime worked out by hand in the comment above it. The helpers are those of
fixtures/domain.py: a three-day window for one component `api`, default weights.
"""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import Site, text_of
from fixtures.domain import BERLIN, MAJOR, PARTIAL, api_summary, outage

from statuspage.core.clock import TimeError, build_time, parse_time

LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # DST moves the clock by 30 minutes

CASES = {
    # Now 02-01 12:00 UTC: days 01-30, 01-31 (86400 s each) and 02-01 (43200 s so far).
    # Major 01-31 23:00 - 02-01 01:00: 3600 s on 01-31: 1 - 3600/86400 = 0.958333 -> 95.83;
    # 3600 s on 02-01: 1 - 3600/43200 = 0.916666 -> 91.66. Window: 1 - 7200/216000 = 0.966666 -> 96.66.
    "across a month end": (
        [outage("a", "2026-01-31 23:00", "2026-02-01 01:00")],
        "2026-02-01 12:00",
        UTC,
        [("2026-01-30", 86400, "100.00"), ("2026-01-31", 86400, "95.83"), ("2026-02-01", 43200, "91.66")],
        "96.66",
    ),
    # 2026 is no leap year: 02-28 is followed by 03-01. Partial 02-28 22:00 - 03-01 02:00:
    # 02-28: 0.3 * 7200 = 2160 -> 1 - 2160/86400 = 0.975 -> 97.50; 03-01: 2160/43200 -> 0.95 -> 95.00.
    # Window: 1 - 4320/216000 = 0.98 -> 98.00.
    "across the end of February": (
        [outage("a", "2026-02-28 22:00", "2026-03-01 02:00", PARTIAL)],
        "2026-03-01 12:00",
        UTC,
        [("2026-02-27", 86400, "100.00"), ("2026-02-28", 86400, "97.50"), ("2026-03-01", 43200, "95.00")],
        "98.00",
    ),
    # 2028 is a leap year: 02-29 exists and is a whole day. Major all of 02-29: 0.00;
    # window: 1 - 86400/216000 = 0.6 -> 60.00.
    "a leap day": (
        [outage("a", "2028-02-29 00:00", "2028-03-01 00:00")],
        "2028-03-01 12:00",
        UTC,
        [("2028-02-28", 86400, "100.00"), ("2028-02-29", 86400, "0.00"), ("2028-03-01", 43200, "100.00")],
        "60.00",
    ),
    # Berlin, New Year: 12-31 runs 12-30 23:00Z - 12-31 23:00Z; today 01-01 runs to now 11:00Z (43200 s).
    # Major 23:30 - 00:30 CET: 1800 s each side. 12-31: 1 - 1800/86400 = 0.979166 -> 97.91;
    # 01-01: 1 - 1800/43200 = 0.958333 -> 95.83. Window: 1 - 3600/216000 = 0.983333 -> 98.33.
    "across a year end in the site's zone": (
        [outage("a", "2026-12-31 23:30+01:00", "2027-01-01 00:30+01:00")],
        "2027-01-01 12:00+01:00",
        BERLIN,
        [("2026-12-30", 86400, "100.00"), ("2026-12-31", 86400, "97.91"), ("2027-01-01", 43200, "95.83")],
        "98.33",
    ),
    # Lord Howe Island, 2026-10-04: 02:00 +10:30 jumps to 02:30 +11:00, a 23.5-hour day (84600 s).
    # Major 01:00 +10:30 (14:30Z) - 03:00 +11:00 (16:00Z) is 5400 s: 1 - 5400/84600 = 0.936170 -> 93.61.
    # Today 10-05 runs 10-04 13:00Z - now 10-05 01:00Z = 43200 s. Window: 86400 + 84600 + 43200 = 214200 s;
    # 1 - 5400/214200 = 0.974789 -> 97.47.
    "a half-hour DST change": (
        [outage("a", "2026-10-04 01:00+10:30", "2026-10-04 03:00+11:00")],
        "2026-10-05 12:00+11:00",
        LORD_HOWE,
        [("2026-10-03", 86400, "100.00"), ("2026-10-04", 84600, "93.61"), ("2026-10-05", 43200, "100.00")],
        "97.47",
    ),
    # Resolved, but longer than the window at both ends: every day and the window are 0.00.
    "an incident longer than the window at both ends": (
        [outage("a", "2026-01-01 00:00", "2026-04-01 00:00")],
        "2026-03-10 12:00",
        UTC,
        [("2026-03-08", 86400, "0.00"), ("2026-03-09", 86400, "0.00"), ("2026-03-10", 43200, "0.00")],
        "0.00",
    ),
    # An incident dated after now (a typo in the year, usually) adds no downtime: all 100.00.
    "an incident in the future": (
        [outage("a", "2026-03-11 10:00", "2026-03-11 12:00")],
        "2026-03-10 12:00",
        UTC,
        [("2026-03-08", 86400, "100.00"), ("2026-03-09", 86400, "100.00"), ("2026-03-10", 43200, "100.00")],
        "100.00",
    ),
}


@pytest.mark.parametrize(("incidents", "now", "zone", "days", "window"), CASES.values(), ids=CASES.keys())
def test_uptime_at_calendar_corners(incidents, now, zone, days, window):
    summary = api_summary(incidents, now=now, zone=zone)
    assert [(d.day.isoformat(), d.observed, str(d.uptime)) for d in summary.days] == days
    assert str(summary.uptime) == window


def test_a_future_incident_changes_no_status():
    summary = api_summary([outage("a", "2026-03-11 10:00", None, MAJOR)], now="2026-03-10 12:00")
    assert summary.status.value == "operational"
    assert all(d.incidents == () for d in summary.days)


# -- through the whole build ------------------------------------------------------------------


def test_leap_days_in_notes(site: Site) -> None:
    site.note("leap.md", "---\ntitle: Leap\nstarted: 2028-02-29 10:00\nresolved: 2028-02-29 11:00\n---\nDone.\n")
    site.note("no-leap.md", "---\ntitle: Not leap\n---\n## 2027-02-29 10:00 · Resolved\n")
    run = site.check(now="2028-03-01 12:00")
    assert run.err.splitlines() == [
        "incidents/no-leap.md:4: '2027-02-29 10:00' is not a real time: day is out of range for month",
        "1 error found; nothing was written.",
    ]


def test_ambiguous_and_missing_local_times_in_notes_and_now(site: Site) -> None:
    site.note(
        "dst.md",
        "---\ntitle: DST\nstarted: 2026-10-25 02:30+02:00\n---\n"
        "## 2026-10-25 02:30 · Investigating\n## 2026-03-29 02:15 · Resolved\n",
    )
    run = site.check()
    assert run.err.splitlines() == [
        "incidents/dst.md:5: 2026-10-25 02:30 happens twice in Europe/Berlin (the clocks go back then); "
        "add the offset: 2026-10-25 02:30+02:00 or 2026-10-25 02:30+01:00",
        "incidents/dst.md:6: 2026-03-29 02:15 does not exist in Europe/Berlin (the clocks jump forward then); "
        "check the time, or give an offset like 2026-03-29 02:15+01:00",
        "2 errors found; nothing was written.",
    ]
    run = site.build(now="2026-10-25 02:30")
    assert run.code == 1
    assert run.err == (
        "error: --now: 2026-10-25 02:30 happens twice in Europe/Berlin (the clocks go back then); "
        "add the offset: 2026-10-25 02:30+02:00 or 2026-10-25 02:30+01:00\n"
    )


def test_now_before_every_incident(site: Site) -> None:
    site.note("a.md", "---\ntitle: Outage\ncomponents: {api: major_outage}\n---\n## 2026-03-14 09:05 · Investigating\n")
    site.note(
        "m.md",
        "---\ntitle: Upgrade\nkind: maintenance\nscheduled: 2026-03-24 22:00\nuntil: 2026-03-24 23:00\n"
        "components: [api]\n---\nPlanned.\n",
    )
    run = site.build(now="2020-01-01 12:00")
    assert run.code == 0
    assert (
        run.err.splitlines()[0]
        == "incidents/a.md:5: warning: dated 2026-03-14 09:05, 2263 days after now: a typo? It will appear then"
    )
    page = site.html()
    assert text_of(page.select_one(".banner")).startswith("All Systems Operational")
    # Nothing was posted before 2020: no component was watched yet, so no day has data.
    assert {text_of(p) for p in page.select(".pct")} == {"no data"}
    assert "Upgrade" in text_of(page.find(id="upcoming-h").parent)
    history = site.html("history/index.html")
    assert [text_of(m.h2) for m in history.select(".month")] == ["January 2020"]
    assert "No incidents reported." in text_of(history.select_one(".month"))
    # The maintenance note without headings is its own announcement, shown (and in the feeds) at
    # once; the incident's update, dated 2026, is not posted yet.
    for feed in ("history.atom", "history.rss"):
        parsed = feedparser.parse((site.out / feed).read_bytes())
        assert not parsed.bozo and [e.title for e in parsed.entries] == ["Scheduled: Upgrade"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1969-12-31 23:59Z", "the year 1969 is out of range; use a year from 1970 to 2999"),
        ("0001-01-01 00:30", "the year 1 is out of range; use a year from 1970 to 2999"),
        ("3000-01-01 00:00Z", "the year 3000 is out of range; use a year from 1970 to 2999"),
    ],
)
def test_years_outside_1970_to_2999_are_refused(text: str, message: str) -> None:
    with pytest.raises(TimeError) as caught:
        parse_time(text, BERLIN)
    assert str(caught.value) == message


def test_source_date_epoch_far_in_the_future_is_refused() -> None:
    with pytest.raises(TimeError) as caught:
        build_time(None, BERLIN, {"SOURCE_DATE_EPOCH": "253402300000"})  # year 9999
    assert str(caught.value) == "the year 9999 is out of range; use a year from 1970 to 2999"
    assert build_time(None, BERLIN, {"SOURCE_DATE_EPOCH": "0"}).date() == date(1970, 1, 1)
