"""maintenance.ics parsed back with icalendar: which events, their times and zone, UIDs, text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from conftest import Site
from fixtures.notes import NOTES, write_notes

OLD = """
    ---
    title: Long ago
    kind: maintenance
    scheduled: 2025-11-01 22:00
    until: 2025-11-01 23:00
    components: [web]
    ---
    Planned long ago.
    """


def events(site: Site) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((site.out / "maintenance.ics").read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def built(site: Site) -> Site:
    write_notes(site, {**NOTES, "2025-11-01-old.md": OLD})
    assert site.build().code == 0
    return site


def uid(slug: str) -> str:
    return f"https://status.test/incidents/{slug}/"


def test_upcoming_active_and_recent_maintenance_only(built: Site) -> None:
    assert sorted(events(built)) == [
        uid("2026-03-05-db"),
        uid("2026-03-20-login-maintenance"),
        uid("2026-03-20-web-maintenance"),
        uid("2026-03-24-upgrade"),
    ]  # no incidents; the maintenance from November ended before the 90-day window


def test_event_times_carry_the_site_zone(built: Site) -> None:
    event = events(built)[uid("2026-03-24-upgrade")]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert start.astimezone(UTC) == datetime(2026, 3, 24, 21, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 24, 22, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    calendar = icalendar.Calendar.from_ical((built.out / "maintenance.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    # Completed early: the event ends when the work did.
    old = events(built)[uid("2026-03-05-db")]
    assert old.decoded("DTEND").astimezone(UTC) == datetime(2026, 3, 5, 21, 40, tzinfo=UTC)


def test_event_text_names_components_and_links_the_page(built: Site) -> None:
    event = events(built)[uid("2026-03-20-web-maintenance")]
    assert str(event["SUMMARY"]) == "Web maintenance"
    assert str(event["URL"]) == uid("2026-03-20-web-maintenance")
    assert str(event["DESCRIPTION"]) == (
        f"Verifying. Components: Website.\n\nChecking.\n\n{uid('2026-03-20-web-maintenance')}"
    )
    assert event["SEQUENCE"] == 2  # three updates posted
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_uids_are_stable_and_sequence_grows(built: Site, tmp_path: Path) -> None:
    before = events(built)[uid("2026-03-20-login-maintenance")]
    assert before["SEQUENCE"] == 1
    assert built.build("--out", str(tmp_path / "earlier"), now="2026-03-19T12:00:00+01:00").code == 0
    calendar = icalendar.Calendar.from_ical((tmp_path / "earlier/maintenance.ics").read_bytes())
    earlier = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert earlier[uid("2026-03-20-login-maintenance")]["SEQUENCE"] == 0  # only "Scheduled" was posted by then
    assert str(earlier[uid("2026-03-20-login-maintenance")]["DESCRIPTION"]).startswith("Scheduled.")
    # Before its announcement (posted 2026-03-19 09:00) nobody had heard of it: it is not in the calendar.
    assert built.build("--out", str(tmp_path / "before"), now="2026-03-18T12:00:00+01:00").code == 0
    calendar = icalendar.Calendar.from_ical((tmp_path / "before/maintenance.ics").read_bytes())
    assert uid("2026-03-20-login-maintenance") not in {str(e["UID"]) for e in calendar.walk("VEVENT")}


def test_a_site_without_maintenance_has_an_empty_calendar(site: Site) -> None:
    site.note("2026-03-14-login.md", NOTES["2026-03-14-login.md"])
    assert site.build().code == 0
    calendar = icalendar.Calendar.from_ical((site.out / "maintenance.ics").read_bytes())
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Test Status: scheduled maintenance"
