"""Per-day uptime: plain tables of intervals with hand-computed seconds and percentages.

Unless a case says otherwise the site zone is UTC, `now` is 2026-03-10 12:00 UTC and the window
is three days: 03-08 (86400 s observed), 03-09 (86400 s) and today 03-10 (43200 s, up to now),
216000 s in all. Weights are the defaults: major 1, partial 0.3, degraded 0, maintenance 0.
The builders (`utc`, `make_config`, `outage`, `api_summary`) are in fixtures/domain.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from fixtures.domain import BERLIN, DEGRADED, MAINT, MAJOR, NOW, PARTIAL, api_summary, make_config, outage, utc
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage.core.model import Component, Impact, Incident, Kind, Update, UpdateStatus
from statuspage.core.model import ComponentStatus as S
from statuspage.core.status import summarize
from statuspage.core.uptime import Interval, by_month, calendar, days_for, first_of_month, overall, percent, weighted

WEIGHTS = {S.MAJOR_OUTAGE: Fraction(1), S.PARTIAL_OUTAGE: Fraction(3, 10), S.DEGRADED_PERFORMANCE: Fraction(0)}


def iv(start: str, end: str, status: S = MAJOR, owner: str = "a") -> Interval:
    return Interval(utc(start), utc(end), status, owner)


def run(intervals, today="2026-03-10", count=3, now=NOW, zone=UTC, since=None):
    """days_for over the `count` local days ending `today`, keyed by ISO date."""
    window = calendar(date.fromisoformat(today), count, zone, utc(now))
    return {d.day.isoformat(): d for d in days_for(intervals, window, WEIGHTS, since)}


def pct(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# -- days_for: seconds per status and the day percentage ------------------------------------

DAY_CASES = {
    # One hour of major outage on 03-09: 1 - 3600/86400 = 0.958333 -> 95.83.
    "single outage inside one day": (
        [iv("2026-03-09 10:00", "2026-03-09 11:00")],
        {"2026-03-08": ({}, "100.00"), "2026-03-09": ({MAJOR: 3600}, "95.83"), "2026-03-10": ({}, "100.00")},
    ),
    # 23:00-01:30 splits at midnight: 3600 s on 03-08 (95.83), 5400 s on 03-09: 1 - 5400/86400 = 0.9375.
    "outage spanning midnight": (
        [iv("2026-03-08 23:00", "2026-03-09 01:30")],
        {"2026-03-08": ({MAJOR: 3600}, "95.83"), "2026-03-09": ({MAJOR: 5400}, "93.75"), "2026-03-10": ({}, "100.00")},
    ),
    # Partial 10:00-12:00 under major 11:00-11:30: partial 7200-1800 = 5400 s, major 1800 s.
    # Down = 1800 + 0.3*5400 = 3420; 1 - 3420/86400 = 0.960416 -> 96.04.
    "overlap: the worst status counts at each moment": (
        [
            iv("2026-03-09 10:00", "2026-03-09 12:00", PARTIAL, "p"),
            iv("2026-03-09 11:00", "2026-03-09 11:30", MAJOR, "m"),
        ],
        {"2026-03-09": ({PARTIAL: 5400, MAJOR: 1800}, "96.04")},
    ),
    # Two majors 10:00-11:00 and 10:30-11:30 cover 10:00-11:30 = 5400 s, not 7200: 1 - 5400/86400 = 93.75.
    "overlap of equal statuses is not counted twice": (
        [iv("2026-03-09 10:00", "2026-03-09 11:00", owner="a"), iv("2026-03-09 10:30", "2026-03-09 11:30", owner="b")],
        {"2026-03-09": ({MAJOR: 5400}, "93.75")},
    ),
    # A degraded stretch inside a partial one: partial wins throughout, 7200 s; 1 - 0.3*7200/86400 = 0.975.
    "a milder status inside a worse one adds nothing": (
        [
            iv("2026-03-09 10:00", "2026-03-09 12:00", PARTIAL, "p"),
            iv("2026-03-09 10:30", "2026-03-09 11:00", DEGRADED, "d"),
        ],
        {"2026-03-09": ({PARTIAL: 7200}, "97.50")},
    ),
    # Degraded weighs 0: twelve hours of it still leave 100.00.
    "degraded weighs nothing": (
        [iv("2026-03-09 06:00", "2026-03-09 18:00", DEGRADED)],
        {"2026-03-09": ({DEGRADED: 43200}, "100.00")},
    ),
    # A whole day of partial outage: 1 - 0.3*86400/86400 = 0.7.
    "partial weighs 0.3": (
        [iv("2026-03-09 00:00", "2026-03-10 00:00", PARTIAL)],
        {"2026-03-08": ({}, "100.00"), "2026-03-09": ({PARTIAL: 86400}, "70.00"), "2026-03-10": ({}, "100.00")},
    ),
    # A whole day of major outage: 0.00.
    "a whole day of major outage": (
        [iv("2026-03-09 00:00", "2026-03-10 00:00")],
        {"2026-03-09": ({MAJOR: 86400}, "0.00")},
    ),
    # One second: 1 - 1/86400 = 0.99998843 -> 9999.88 hundredths -> floored 99.99, never 100.00.
    "one second of major outage is 99.99": (
        [iv("2026-03-09 10:00:00", "2026-03-09 10:00:01")],
        {"2026-03-09": ({MAJOR: 1}, "99.99")},
    ),
    # Nine seconds: 1 - 9/86400 = 0.99989583 -> 9998.96 hundredths -> floored 99.98 (rounding would say 99.99).
    "nine seconds floor to 99.98": (
        [iv("2026-03-09 10:00:00", "2026-03-09 10:00:09")],
        {"2026-03-09": ({MAJOR: 9}, "99.98")},
    ),
    # Today is observed 00:00-12:00 = 43200 s: 1 - 3600/43200 = 0.916666 -> 91.66 (rounding would say 91.67).
    "today counts only up to now": (
        [iv("2026-03-10 11:00", "2026-03-10 12:00")],
        {"2026-03-10": ({MAJOR: 3600}, "91.66")},
    ),
    # An interval reaching past now is cut at now (12:00): 11:00-12:00 = 3600 s again.
    "an interval past now is clipped at now": (
        [iv("2026-03-10 11:00", "2026-03-10 18:00")],
        {"2026-03-10": ({MAJOR: 3600}, "91.66")},
    ),
    # 02:00-04:00 maintenance is recorded (7200 s) but weighs 0: 100.00.
    "maintenance is recorded, not counted": (
        [iv("2026-03-09 02:00", "2026-03-09 04:00", MAINT, "m")],
        {"2026-03-09": ({MAINT: 7200}, "100.00")},
    ),
    # Maintenance 02:00-04:00 with major 03:00-03:30 on top: all 7200 s are maintenance, left out of
    # the observed time, and nothing is down: 100.00.
    "an outage during maintenance is neither observed nor down": (
        [
            iv("2026-03-09 02:00", "2026-03-09 04:00", MAINT, "m"),
            iv("2026-03-09 03:00", "2026-03-09 03:30", MAJOR, "x"),
        ],
        {"2026-03-09": ({MAINT: 7200}, "100.00")},
    ),
    # Partial from 03-01 to 03-20 covers the whole window: 86400, 86400 and 43200 (today, up to now) s,
    # each day 1 - 0.3 = 70.00.
    "an incident longer than the whole window": (
        [iv("2026-03-01 00:00", "2026-03-20 00:00", PARTIAL)],
        {
            "2026-03-08": ({PARTIAL: 86400}, "70.00"),
            "2026-03-09": ({PARTIAL: 86400}, "70.00"),
            "2026-03-10": ({PARTIAL: 43200}, "70.00"),
        },
    ),
    # Entirely before the window (03-08 00:00) or after now: nothing at all.
    "intervals outside the window are ignored": (
        [iv("2026-03-07 10:00", "2026-03-08 00:00"), iv("2026-03-10 13:00", "2026-03-10 14:00")],
        {"2026-03-08": ({}, "100.00"), "2026-03-09": ({}, "100.00"), "2026-03-10": ({}, "100.00")},
    ),
}


@pytest.mark.parametrize(("intervals", "expected"), DAY_CASES.values(), ids=DAY_CASES.keys())
def test_day_seconds_and_percent(intervals, expected):
    days = run(intervals)
    for day, (seconds, uptime) in expected.items():
        assert days[day].seconds == seconds, day
        assert days[day].uptime == pct(uptime), day


def test_window_days_and_observed_seconds():
    days = run([])
    # 03-08 and 03-09 are whole days; today runs 00:00-12:00.
    assert [(d, days[d].observed) for d in days] == [
        ("2026-03-08", 86400),
        ("2026-03-09", 86400),
        ("2026-03-10", 43200),
    ]
    assert all(d.has_data and d.incidents == () and d.worst is S.OPERATIONAL for d in days.values())


def test_worst_status_of_a_day():
    days = run(
        [iv("2026-03-09 02:00", "2026-03-09 04:00", MAINT, "m"), iv("2026-03-09 05:00", "2026-03-09 06:00", DEGRADED)]
    )
    # Degraded ranks above maintenance, whichever lasted longer.
    assert days["2026-03-09"].worst is DEGRADED
    assert run([iv("2026-03-09 02:00", "2026-03-09 04:00", MAINT, "m")])["2026-03-09"].worst is MAINT


# -- DST days in Europe/Berlin ----------------------------------------------------------------

DST_CASES = {
    # 2026-03-29: clocks jump 02:00 CET -> 03:00 CEST. The day runs 03-28 23:00Z to 03-29 22:00Z = 82800 s.
    # Outage 01:30 CET (00:30Z) to 03:30 CEST (01:30Z) is 3600 s real time: 1 - 3600/82800 = 0.9565217 -> 95.65.
    # Today 03-30 runs 03-29 22:00Z to now 03-30 10:00Z (12:00 CEST) = 43200 s.
    "spring forward (23 h)": (
        "2026-03-30",
        "2026-03-30 12:00+02:00",
        [iv("2026-03-29 01:30+01:00", "2026-03-29 03:30+02:00")],
        {
            "2026-03-28": (86400, {}, "100.00"),
            "2026-03-29": (82800, {MAJOR: 3600}, "95.65"),
            "2026-03-30": (43200, {}, "100.00"),
        },
    ),
    # 2026-10-25: clocks go back 03:00 CEST -> 02:00 CET. The day runs 10-24 22:00Z to 10-25 23:00Z = 90000 s.
    # 3600 s of major: 1 - 3600/90000 = 0.96 -> 96.00. Today 10-26 runs 10-25 23:00Z to 10-26 12:00Z = 46800 s.
    "fall back (25 h)": (
        "2026-10-26",
        "2026-10-26 13:00+01:00",
        [iv("2026-10-25 02:30+02:00", "2026-10-25 02:30+01:00")],
        {
            "2026-10-24": (86400, {}, "100.00"),
            "2026-10-25": (90000, {MAJOR: 3600}, "96.00"),
            "2026-10-26": (46800, {}, "100.00"),
        },
    ),
    # A whole 25 h day of partial outage: 90000 s, 1 - 0.3 = 70.00.
    "fall back day fully partial": (
        "2026-10-26",
        "2026-10-26 13:00+01:00",
        [iv("2026-10-25 00:00+02:00", "2026-10-26 00:00+01:00", PARTIAL)],
        {
            "2026-10-24": (86400, {}, "100.00"),
            "2026-10-25": (90000, {PARTIAL: 90000}, "70.00"),
            "2026-10-26": (46800, {}, "100.00"),
        },
    ),
    # Days split at local midnight, not UTC midnight: 23:30-00:30 CET (22:30Z-23:30Z) is 1800 s on each day.
    # 10-25: 1 - 1800/90000 = 0.98 -> 98.00. 10-26: 1 - 1800/46800 = 0.9615384 -> 96.15.
    "outage across local midnight": (
        "2026-10-26",
        "2026-10-26 13:00+01:00",
        [iv("2026-10-25 23:30+01:00", "2026-10-26 00:30+01:00")],
        {
            "2026-10-24": (86400, {}, "100.00"),
            "2026-10-25": (90000, {MAJOR: 1800}, "98.00"),
            "2026-10-26": (46800, {MAJOR: 1800}, "96.15"),
        },
    ),
}


@pytest.mark.parametrize(("today", "now", "intervals", "expected"), DST_CASES.values(), ids=DST_CASES.keys())
def test_dst_days_in_berlin(today, now, intervals, expected):
    days = run(intervals, today=today, now=now, zone=BERLIN)
    assert list(days) == list(expected)
    for day, (observed, seconds, uptime) in expected.items():
        assert (days[day].observed, days[day].seconds, days[day].uptime) == (observed, seconds, pct(uptime)), day


# -- calendar(): local day boundaries ---------------------------------------------------------

CALENDAR_CASES = {
    # Berlin spring forward: midnight is +01:00 until 03-29, +02:00 from 03-30 on.
    "Berlin spring forward": (
        BERLIN,
        "2026-03-30",
        "2026-03-30 12:00+02:00",
        [
            ("2026-03-28", "2026-03-27 23:00", "2026-03-28 23:00"),
            ("2026-03-29", "2026-03-28 23:00", "2026-03-29 22:00"),  # 23 h
            ("2026-03-30", "2026-03-29 22:00", "2026-03-30 10:00"),  # ends at now
        ],
    ),
    # Berlin fall back: midnight is +02:00 until 10-25, +01:00 from 10-26 on.
    "Berlin fall back": (
        BERLIN,
        "2026-10-26",
        "2026-10-26 13:00+01:00",
        [
            ("2026-10-24", "2026-10-23 22:00", "2026-10-24 22:00"),
            ("2026-10-25", "2026-10-24 22:00", "2026-10-25 23:00"),  # 25 h
            ("2026-10-26", "2026-10-25 23:00", "2026-10-26 12:00"),
        ],
    ),
    # Havana skips midnight on 2026-03-08 (00:00 CST -05:00 jumps to 01:00 CDT -04:00): that day starts
    # at its first instant, 01:00 CDT = 05:00Z, and ends at 03-09 00:00 CDT = 04:00Z (23 h).
    "Havana, midnight skipped": (
        ZoneInfo("America/Havana"),
        "2026-03-09",
        "2026-03-09 12:00-04:00",
        [
            ("2026-03-07", "2026-03-07 05:00", "2026-03-08 05:00"),
            ("2026-03-08", "2026-03-08 05:00", "2026-03-09 04:00"),
            ("2026-03-09", "2026-03-09 04:00", "2026-03-09 16:00"),
        ],
    ),
    # Plain UTC; `now` at exactly midnight leaves today empty (start == end).
    "UTC, now at midnight": (
        UTC,
        "2026-03-10",
        "2026-03-10 00:00",
        [
            ("2026-03-08", "2026-03-08 00:00", "2026-03-09 00:00"),
            ("2026-03-09", "2026-03-09 00:00", "2026-03-10 00:00"),
            ("2026-03-10", "2026-03-10 00:00", "2026-03-10 00:00"),
        ],
    ),
}


@pytest.mark.parametrize(("zone", "today", "now", "expected"), CALENDAR_CASES.values(), ids=CALENDAR_CASES.keys())
def test_calendar_day_boundaries(zone, today, now, expected):
    got = calendar(date.fromisoformat(today), 3, zone, utc(now))
    assert got == [(date.fromisoformat(d), utc(start), utc(end)) for d, start, end in expected]
    assert all(start.utcoffset() == UTC.utcoffset(None) for _, start, _ in got)


def test_calendar_single_day_and_length():
    now = utc("2026-03-10 12:00")
    assert calendar(date(2026, 3, 10), 1, UTC, now) == [(date(2026, 3, 10), utc("2026-03-10 00:00"), now)]
    # 90 days ending 03-10 start on 03-10 minus 89 days = 2025-12-11 (21 in Dec + 31 Jan + 28 Feb + 10 Mar = 90).
    days = calendar(date(2026, 3, 10), 90, UTC, now)
    assert (len(days), days[0][0], days[-1][0]) == (90, date(2025, 12, 11), date(2026, 3, 10))


# -- incidents touching a day, in time order --------------------------------------------------


def test_incidents_touching_a_day_in_time_order():
    days = run(
        [
            iv("2026-03-09 15:00", "2026-03-09 16:00", owner="alpha"),
            iv("2026-03-09 09:00", "2026-03-09 10:00", DEGRADED, owner="beta"),
            iv("2026-03-08 23:00", "2026-03-09 00:30", owner="zeta"),  # starts first, spans midnight
            iv("2026-03-08 20:00", "2026-03-09 00:00", MAINT, owner="maint"),  # ends exactly at midnight
            iv("2026-03-09 15:30", "2026-03-09 15:45", owner="inner"),  # hidden under alpha, still touches
        ]
    )
    assert days["2026-03-08"].incidents == ("maint", "zeta")  # 20:00 before 23:00
    assert days["2026-03-09"].incidents == ("zeta", "beta", "alpha", "inner")  # 23:00 (prev day), 09:00, 15:00, 15:30
    assert days["2026-03-10"].incidents == ()


def test_one_incident_listed_once_per_day():
    # The same owner with two stretches on 03-09 (a partial, then a major after a gap).
    days = run([iv("2026-03-09 10:00", "2026-03-09 11:00", PARTIAL), iv("2026-03-09 13:00", "2026-03-09 14:00", MAJOR)])
    assert days["2026-03-09"].incidents == ("a",)
    # Down = 0.3*3600 + 3600 = 4680; 1 - 4680/86400 = 0.9458333 -> 94.58.
    assert days["2026-03-09"].seconds == {PARTIAL: 3600, MAJOR: 3600}
    assert days["2026-03-09"].uptime == Decimal("94.58")


# -- since: days before a component existed ---------------------------------------------------


def test_days_before_since_have_no_data():
    days = run([iv("2026-03-08 10:00", "2026-03-08 11:00")], since=date(2026, 3, 9))
    assert (days["2026-03-08"].has_data, days["2026-03-08"].uptime) == (False, None)
    assert (days["2026-03-09"].has_data, days["2026-03-09"].uptime) == (True, Decimal("100.00"))
    assert (days["2026-03-10"].has_data, days["2026-03-10"].uptime) == (True, Decimal("100.00"))


# -- weighted() and percent() -----------------------------------------------------------------

PERCENT_CASES = [
    # (down, observed, expected)
    (Fraction(0), 86400, "100.00"),  # no downtime
    (Fraction(1), 86400, "99.99"),  # 9999.88 hundredths, floored
    (Fraction(86400), 86400, "0.00"),
    (Fraction(43200), 86400, "50.00"),  # exact halves stay exact
    (Fraction(1080), 43200, "97.50"),  # 0.3*3600 down out of 12 h: 1 - 0.025
    (Fraction(1), 3, "66.66"),  # 6666.66 hundredths, floored (rounding would say 66.67)
    (Fraction(0), 0, None),  # nothing observed: no percentage
]


@pytest.mark.parametrize(("down", "observed", "expected"), PERCENT_CASES)
def test_percent_floors_to_two_decimals(down, observed, expected):
    got = percent(down, observed)
    assert got == pct(expected)
    if got is not None:
        assert str(got) == expected  # always two decimals, e.g. "100.00", not "1E+2"


def test_weighted_uses_weights_and_ignores_maintenance():
    # 3600*1 + 7200*0.3 + 1000*0 + 5000 (maintenance, no weight) = 3600 + 2160 = 5760.
    seconds = {MAJOR: 3600, PARTIAL: 7200, DEGRADED: 1000, MAINT: 5000}
    assert weighted(seconds, WEIGHTS) == Fraction(5760)
    assert weighted({}, WEIGHTS) == 0


# -- through summarize(): incidents, the window percentage, `since`, ongoing incidents --------


WINDOW_CASES = {
    # 3600 s major on 03-09: day 95.83; window 1 - 3600/216000 = 0.98333 -> 98.33.
    "one hour of major": ([outage("a", "2026-03-09 10:00", "2026-03-09 11:00")], {}, "95.83", "98.33"),
    # Partial 10:00-12:00 and major 11:00-11:30: down 1800 + 0.3*5400 = 3420 (day 96.04);
    # window 1 - 3420/216000 = 0.984166 -> 98.41.
    "overlapping incidents": (
        [
            outage("m", "2026-03-09 11:00", "2026-03-09 11:30", MAJOR),
            outage("p", "2026-03-09 10:00", "2026-03-09 12:00", PARTIAL),
        ],
        {},
        "96.04",
        "98.41",
    ),
    # A whole day partial: day 70.00; window 1 - 0.3*86400/216000 = 1 - 25920/216000 = 0.88.
    "a day of partial": ([outage("a", "2026-03-09 00:00", "2026-03-10 00:00", PARTIAL)], {}, "70.00", "88.00"),
    # Custom weights, degraded 0.1: a whole day degraded is 90.00; window 1 - 8640/216000 = 0.96.
    "custom degraded weight": (
        [outage("a", "2026-03-09 00:00", "2026-03-10 00:00", DEGRADED)],
        {"weights": ((MAJOR, 1.0), (PARTIAL, 0.3), (DEGRADED, 0.1))},
        "90.00",
        "96.00",
    ),
    # Maintenance 02:00-04:00 only: recorded, nothing down.
    "maintenance": (
        [outage("m", "2026-03-09 02:00", "2026-03-09 04:00", MAINT, Kind.MAINTENANCE)],
        {},
        "100.00",
        "100.00",
    ),
    # since 03-09: observed 86400 + 43200 = 129600; 3600 s major: 1 - 3600/129600 = 0.972222 -> 97.22.
    "since excludes earlier days": (
        [outage("a", "2026-03-09 10:00", "2026-03-09 11:00")],
        {"since": date(2026, 3, 9)},
        "95.83",
        "97.22",
    ),
    # A whole day of major on 03-08, before since 03-09: that day has no data, the window stays 100.00.
    "an outage before since is not counted": (
        [outage("a", "2026-03-08 00:00", "2026-03-09 00:00")],
        {"since": date(2026, 3, 9)},
        "100.00",
        "100.00",
    ),
}


@pytest.mark.parametrize(("incidents", "config", "day", "window"), WINDOW_CASES.values(), ids=WINDOW_CASES.keys())
def test_window_percent(incidents, config, day, window):
    summary = api_summary(incidents, **config)
    assert summary.days[1].day == date(2026, 3, 9)
    assert summary.days[1].uptime == Decimal(day)
    assert summary.uptime == Decimal(window)


def test_since_after_today_means_no_data():
    summary = api_summary([], since=date(2026, 3, 11))
    assert [d.has_data for d in summary.days] == [False, False, False]
    assert summary.uptime is None
    assert summary.notable_days == ()


def test_days_before_since_claim_no_seconds_and_no_percent():
    summary = api_summary([outage("a", "2026-03-08 10:00", "2026-03-08 11:00")], since=date(2026, 3, 9))
    first = summary.days[0]
    assert (first.day, first.has_data, first.uptime, first.seconds) == (date(2026, 3, 8), False, None, {})
    assert (first.observed, first.incidents) == (0, ("a",))
    assert summary.notable_days == ()  # days without data are never notable


def test_ongoing_incident_is_clipped_at_now():
    # Major since 03-10 06:00, still open at 12:00: 21600 s today.
    # Day: 1 - 21600/43200 = 0.5 -> 50.00. Window: 1 - 21600/216000 = 0.9 -> 90.00.
    summary = api_summary([outage("a", "2026-03-10 06:00", None)])
    today = summary.days[-1]
    assert (today.seconds, today.uptime, today.incidents) == ({MAJOR: 21600}, Decimal("50.00"), ("a",))
    assert summary.uptime == Decimal("90.00")


def test_incident_longer_than_the_window():
    # Partial since 02-01, ongoing: 86400 + 86400 + 43200 s, all at 0.3 -> every day and the window 70.00.
    summary = api_summary([outage("long", "2026-02-01 00:00", None, PARTIAL)])
    assert [d.seconds for d in summary.days] == [{PARTIAL: 86400}, {PARTIAL: 86400}, {PARTIAL: 43200}]
    assert [d.uptime for d in summary.days] == [Decimal("70.00")] * 3
    assert all(d.incidents == ("long",) for d in summary.days)
    assert summary.uptime == Decimal("70.00")


def test_upcoming_maintenance_adds_no_seconds():
    summary = api_summary([outage("m", "2026-03-10 14:00", "2026-03-10 16:00", MAINT, Kind.MAINTENANCE)])
    assert [d.seconds for d in summary.days] == [{}, {}, {}]
    assert all(d.incidents == () for d in summary.days)


def test_notable_days_newest_first():
    summary = api_summary(
        [
            outage("b", "2026-03-10 08:00", "2026-03-10 09:00", DEGRADED),
            outage("a", "2026-03-08 08:00", "2026-03-08 09:00"),
        ]
    )
    assert [d.day for d in summary.notable_days] == [date(2026, 3, 10), date(2026, 3, 8)]


def test_window_percent_over_a_dst_day():
    # Berlin, now 03-30 12:00 CEST (10:00Z): days 03-28 (86400 s), 03-29 (82800 s, spring forward) and
    # today 03-30 (43200 s) = 212400 s. One hour of major on 03-29 (00:30Z-01:30Z, across the jump):
    # day 1 - 3600/82800 = 0.956521 -> 95.65; window 1 - 3600/212400 = 0.983050 -> 98.30.
    summary = api_summary(
        [outage("a", "2026-03-29 01:30+01:00", "2026-03-29 03:30+02:00")], now="2026-03-30 12:00+02:00", zone=BERLIN
    )
    assert [(d.day, d.observed) for d in summary.days] == [
        (date(2026, 3, 28), 86400),
        (date(2026, 3, 29), 82800),
        (date(2026, 3, 30), 43200),
    ]
    assert (summary.days[1].seconds, summary.days[1].uptime) == ({MAJOR: 3600}, Decimal("95.65"))
    assert summary.uptime == Decimal("98.30")


# -- months: the same sweep, grouped by calendar month ----------------------------------------


@pytest.mark.parametrize(
    ("day", "back", "first"),
    [
        ("2026-03-10", 0, "2026-03-01"),
        ("2026-03-10", 2, "2026-01-01"),
        ("2026-03-10", 3, "2025-12-01"),
        ("2026-03-10", 11, "2025-04-01"),
        ("2026-12-31", 11, "2026-01-01"),
        ("2026-01-01", 12, "2025-01-01"),
    ],
)
def test_first_of_month(day, back, first):
    assert first_of_month(date.fromisoformat(day), back) == date.fromisoformat(first)


def test_by_month_splits_the_days_and_floors_each_month():
    # 03-01 .. 03-10 noon over a month boundary from 02-27: February has 02-27 and 02-28 (172800 s),
    # March 03-01 .. 03-09 (9 * 86400) + 43200 = 820800 s. A major hour on 02-28 and 36 s on 03-02:
    # February 1 - 3600/172800 = 0.979166 -> 97.91; March 1 - 36/820800 = 0.999956 -> 99.99.
    days = list(
        run(
            [iv("2026-02-28 10:00", "2026-02-28 11:00", owner="feb"), iv("2026-03-02 10:00", "2026-03-02 10:00:36")],
            count=12,
        ).values()
    )
    months = by_month(days, WEIGHTS)
    assert [(m.first_day, len(m.days), m.uptime, m.incidents) for m in months] == [
        (date(2026, 2, 1), 2, Decimal("97.91"), ("feb",)),
        (date(2026, 3, 1), 10, Decimal("99.99"), ("a",)),
    ]
    assert overall(days, WEIGHTS) == Decimal("99.63")  # 1 - 3636/993600 = 0.996340


def test_overall_leaves_out_days_without_data():
    days = list(run([iv("2026-03-08 10:00", "2026-03-08 11:00")], since=date(2026, 3, 9)).values())
    assert overall(days, WEIGHTS) == Decimal("100.00")
    assert overall(days[:1], WEIGHTS) is None


def test_summary_months_reach_back_a_year_and_stop_at_since():
    # The 3-day bars stay 3 days; the months cover April 2025 .. March 2026 minus what `since` cuts.
    summary = api_summary([outage("a", "2025-06-15 00:00", "2025-06-16 00:00")])
    assert len(summary.days) == 3
    assert [m.first_day for m in summary.months] == [date(2025, m, 1) for m in range(4, 13)] + [
        date(2026, m, 1) for m in (1, 2, 3)
    ]
    june = summary.months[2]
    # A whole day of major in June (30 days): 1 - 1/30 = 0.966666 -> 96.66.
    assert (june.first_day, june.uptime, june.incidents) == (date(2025, 6, 1), Decimal("96.66"), ("a",))
    later = api_summary([], since=date(2026, 2, 10))
    assert [m.first_day for m in later.months] == [date(2026, 2, 1), date(2026, 3, 1)]


def test_last_status_change_and_page_update_time():
    summary = summarize(
        make_config(),
        [outage("b", "2026-03-10 08:00", None, DEGRADED), outage("a", "2026-03-08 08:00", "2026-03-09 09:00")],
        utc(NOW),
    )
    assert summary.components["api"].changed_at == utc("2026-03-10 08:00")
    assert summary.updated_at == utc("2026-03-10 08:00")
    assert summarize(make_config(), [], utc(NOW)).components["api"].changed_at is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["api", "web", "db"]), min_size=1, max_size=3, unique=True),
            st.integers(-30 * 24, 24),  # hours from now to the start
            st.none() | st.integers(0, 30 * 24),  # hours it lasted; None: ongoing
        ),
        max_size=12,
    )
)
def test_a_components_last_change_is_the_latest_start_or_end_by_now(shapes) -> None:
    """The shortcuts that skip old incidents give what looking at every incident gives."""
    now = utc(NOW)
    config = replace(make_config(), components=tuple(Component(cid, cid) for cid in ("api", "web", "db")))
    incidents = []
    for n, (cids, start, hours) in enumerate(shapes):
        begun = now + timedelta(hours=start)
        end = None if hours is None else begun + timedelta(hours=hours)
        update = Update(begun, UpdateStatus.INVESTIGATING, "", "", "u1")
        incidents.append(
            Incident(f"i{n}", f"i{n}", Kind.INCIDENT, Impact.MAJOR, dict.fromkeys(cids, MAJOR), (update,), begun, end)
        )
    incidents.sort(key=lambda i: (i.start, i.slug), reverse=True)
    expected: dict[str, object] = {}
    for incident in incidents:
        for cid, segments in incident.segments.items() if incident.start <= now else ():
            for moment in (m for s in segments for m in (s.start, s.end) if m is not None and m <= now):
                expected[cid] = max(expected.get(cid, moment), moment)
    summary = summarize(config, incidents, now)
    assert {cid: c.changed_at for cid, c in summary.components.items() if c.changed_at} == expected


# -- maintenance: neither observed nor down, for notes and probes alike ------------------------


def test_an_outage_note_inside_a_maintenance_window_is_neither_observed_nor_down():
    # Maintenance 02:00-04:00 on 03-09; an incident says major 03:00-05:00. 02:00-04:00 is
    # maintenance (7200 s, out of observed); the major outage counts 04:00-05:00 only, 3600 s.
    # Day: 1 - 3600/(86400 - 7200) = 1 - 3600/79200 = 0.954545 -> 95.45.
    # Window: 1 - 3600/(216000 - 7200) = 1 - 3600/208800 = 0.982758 -> 98.27.
    summary = api_summary(
        [
            outage("m", "2026-03-09 02:00", "2026-03-09 04:00", MAINT, Kind.MAINTENANCE),
            outage("a", "2026-03-09 03:00", "2026-03-09 05:00"),
        ]
    )
    day = summary.days[1]
    assert (day.seconds, day.observed, day.uptime) == ({MAINT: 7200, MAJOR: 3600}, 79200, Decimal("95.45"))
    assert day.incidents == ("m", "a")  # both still touch the day
    assert summary.uptime == Decimal("98.27")


def test_a_maintenance_that_takes_a_component_down_is_maintenance_for_its_whole_window():
    # A maintenance note saying the API is partially out 02:00-05:00: planned, so all 10800 s are
    # maintenance, not partial outage; observed 86400 - 10800 = 75600, nothing down: 100.00.
    summary = api_summary([outage("m", "2026-03-09 02:00", "2026-03-09 05:00", PARTIAL, Kind.MAINTENANCE)])
    day = summary.days[1]
    assert (day.seconds, day.observed, day.uptime) == ({MAINT: 10800}, 75600, Decimal("100.00"))


def test_a_day_all_in_maintenance_has_data_but_no_percentage():
    # Maintenance over the whole of 03-09: it is known what happened (maintenance), nothing was observed.
    summary = api_summary([outage("m", "2026-03-09 00:00", "2026-03-10 00:00", MAINT, Kind.MAINTENANCE)])
    day = summary.days[1]
    assert (day.has_data, day.observed, day.uptime, day.seconds) == (True, 0, None, {MAINT: 86400})
    # Window: 216000 - 86400 = 129600 observed, nothing down.
    assert summary.uptime == Decimal("100.00")


# -- no data: nothing observed, no percentage ---------------------------------------------------


def test_a_day_without_data_observes_nothing_and_claims_no_seconds():
    # since 03-09: 03-08 is no data: 0 s observed, all 86400 unobserved, no seconds, no percentage.
    days = run([iv("2026-03-08 10:00", "2026-03-08 11:00")], since=date(2026, 3, 9))
    first = days["2026-03-08"]
    assert (first.has_data, first.observed, first.unobserved, first.seconds, first.uptime) == (
        False,
        0,
        86400,
        {},
        None,
    )
    assert first.incidents == ("a",)  # the note still touches the day


def test_a_day_nothing_was_observed_of_yet_has_no_percentage():
    # Built at midnight: today (03-10) has lasted 0 s, so it has no uptime, not 100.00.
    days = run([], now="2026-03-10 00:00")
    today = days["2026-03-10"]
    assert (today.observed, today.uptime, today.has_data) == (0, None, False)
    assert days["2026-03-09"].uptime == Decimal("100.00")


# -- a summary sweeps the days before today apart from today -----------------------------------

STRETCHES = st.lists(
    st.tuples(
        st.integers(0, 45 * 24 * 60),  # minutes after two days before the window
        st.one_of(st.none(), st.integers(1, 4 * 24 * 60)),  # length; None: still going on
        st.sampled_from([MAJOR, PARTIAL, DEGRADED, MAINT]),
        st.booleans(),  # from a maintenance note
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(
    stretches=STRETCHES,
    minute=st.integers(0, 23 * 60 - 1),
    later=st.integers(0, 30),
    since=st.sampled_from([None, date(2026, 3, 1), date(2026, 3, 29), date(2026, 3, 30)]),
)
def test_a_sweep_kept_apart_at_today_is_the_sweep_of_the_whole_window(stretches, minute, later, since) -> None:
    """The days before today are swept with the intervals cut at today's first instant, and kept
    while those are the same (a later `now` by the clock); today and the months are measured
    apart. Both ways give what one sweep of the whole window gives, at two moments, across the
    night the clocks went forward in Berlin."""
    from statuspage.core import status
    from statuspage.core.uptime import midnight

    today = date(2026, 3, 30)
    first_month = first_of_month(today, 1)
    count = (today - first_month).days + 1
    origin = midnight(first_month, BERLIN) - timedelta(days=2)
    status._LAST.clear()
    for at in (minute, minute + later):  # the second finds the first's earlier days
        now = midnight(today, BERLIN) + timedelta(minutes=at)
        window = tuple(calendar(today, count, BERLIN, now))
        found = []
        for n, (offset, length, status_, maintenance) in enumerate(stretches):
            start = origin + timedelta(minutes=offset)
            end = now if length is None else min(start + timedelta(minutes=length), now)
            if end > start:
                found.append(Interval(start, end, status_, f"i{n}", maintenance))
        intervals = tuple(sorted(found, key=lambda i: (i.start, i.owner)))
        sweeps = status._Sweeps(window, tuple(WEIGHTS.items()), 7, first_month)
        bars, uptime, months = sweeps.uptime("api", intervals, since or date.min, None)
        whole = days_for(intervals, window, WEIGHTS, since or date.min)
        assert bars == tuple(whole[-7:])
        assert uptime == overall(whole[-7:], WEIGHTS)
        shown = [d for d in whole if d.day >= first_month]
        assert months == tuple(m for m in by_month(shown, WEIGHTS) if m.uptime is not None)
