"""What the site says at `now`: component statuses, the banner, phases, groups and recent days.

Unless a case says otherwise the site zone is UTC, `now` is 2026-03-10 12:00 UTC, the uptime
window is three days (03-08, 03-09, today 03-10 up to now = 43200 s) and the components are
api, web and db, ungrouped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from statuspage.core import status
from statuspage.core.config import Config
from statuspage.core.model import Component, Impact, Incident, Kind, Segment, Update
from statuspage.core.model import ComponentStatus as S
from statuspage.core.model import UpdateStatus as U
from statuspage.core.status import RECENT_DAYS, IncidentState, Phase, describe, state, summarize
from statuspage.core.timeline import as_of

NOW = "2026-03-10 12:00"
MAJOR, PARTIAL, DEGRADED, MAINT, OK = (
    S.MAJOR_OUTAGE,
    S.PARTIAL_OUTAGE,
    S.DEGRADED_PERFORMANCE,
    S.UNDER_MAINTENANCE,
    S.OPERATIONAL,
)


def utc(text: str) -> datetime:
    """'2026-03-10 12:00' (or with an offset, '2026-03-10 12:00+01:00') as an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def make_config(*components: Component, zone: ZoneInfo = UTC) -> Config:
    return Config(
        root=Path("/site"),
        title="Status",
        url="https://status.example.com/",
        description="",
        timezone=zone,
        language="en",
        homepage=None,
        components=components or (Component("api", "API"), Component("web", "Web"), Component("db", "Database")),
        uptime_days=3,
    )


def incident(slug, start, end=None, components=None, updates=(), impact=None, kind=Kind.INCIDENT) -> Incident:
    """An incident (or maintenance) from start to end (None: ongoing).

    `updates` are (time, status, changes) in time order; without any there is one update at the
    start (investigating, or scheduled for maintenance). Like content.py, the impact defaults to
    the worst one any of its component statuses implies (none for maintenance).
    """
    components = components or {}
    first = U.SCHEDULED if kind is Kind.MAINTENANCE else U.INVESTIGATING
    posts = [Update(utc(at), status, "", "", f"u{n}", changes or {}) for n, (at, status, changes) in enumerate(updates)]
    posts = posts or [Update(utc(start), first, "", "", "u0")]
    if impact is None:
        statuses = [*components.values(), *(s for u in posts for s in u.changes.values())]
        impact = Impact.NONE if kind is Kind.MAINTENANCE else max((s.impact for s in statuses), default=Impact.NONE)
    ends = None if end is None else utc(end)
    resolved_by_an_update = any(u.status in (U.RESOLVED, U.COMPLETED) for u in posts)
    return Incident(
        slug=slug,
        title=slug.title(),
        kind=kind,
        impact=impact,
        components=components,
        updates=tuple(reversed(posts)),
        start=utc(start),
        end=ends,
        # As the reader records them: a maintenance's window, an incident's `resolved:` when no update resolves it.
        declared_start=utc(start),
        declared_end=ends if kind is Kind.MAINTENANCE or not resolved_by_an_update else None,
    )


def maintenance(slug, start, end, components=("db",), updates=()) -> Incident:
    return incident(slug, start, end, dict.fromkeys(components, MAINT), updates, kind=Kind.MAINTENANCE)


def run(*incidents: Incident, now: str = NOW, config: Config | None = None):
    """summarize() with the incidents newest first, as content.load() orders them."""
    ordered = sorted(incidents, key=lambda i: (i.start, i.slug), reverse=True)
    return summarize(config or make_config(), ordered, utc(now))


def statuses(summary) -> dict[str, S]:
    return {cid: c.status for cid, c in summary.components.items()}


# -- current component statuses and the banner ------------------------------------------------

CURRENT_CASES = {
    "nothing going on": ([], {}, Impact.NONE, "All Systems Operational"),
    # api: partial (a) vs degraded (b) -> partial; web: major (b). Worst component major -> critical.
    "worst of the ongoing incidents": (
        [
            incident("a", "2026-03-10 10:00", components={"api": PARTIAL}),
            incident("b", "2026-03-10 11:00", components={"api": DEGRADED, "web": MAJOR}),
        ],
        {"api": PARTIAL, "web": MAJOR},
        Impact.CRITICAL,
        "Major System Outage",
    ),
    # Resolved at 09:00, before now: nothing left.
    "a resolved incident no longer counts": (
        [incident("a", "2026-03-10 08:00", "2026-03-10 09:00", {"api": MAJOR})],
        {},
        Impact.NONE,
        "All Systems Operational",
    ),
    # Resolved exactly at now: the end is exclusive, so it has ended.
    "resolved exactly at now": (
        [incident("a", "2026-03-10 08:00", NOW, {"api": MAJOR})],
        {},
        Impact.NONE,
        "All Systems Operational",
    ),
    # Resolved later than now (a build dated in the past): still going on at now.
    "resolved after now is still ongoing": (
        [incident("a", "2026-03-10 08:00", "2026-03-10 13:00", {"api": MAJOR})],
        {"api": MAJOR},
        Impact.CRITICAL,
        "Major System Outage",
    ),
    # Degraded only -> minor, and Statuspage words it as degraded service.
    "degraded only": (
        [incident("a", "2026-03-10 10:00", components={"web": DEGRADED})],
        {"web": DEGRADED},
        Impact.MINOR,
        "Partially Degraded Service",
    ),
    # Partial outage -> major "Partial System Outage", even next to a degraded component.
    "partial outage": (
        [incident("a", "2026-03-10 10:00", components={"api": PARTIAL, "web": DEGRADED})],
        {"api": PARTIAL, "web": DEGRADED},
        Impact.MAJOR,
        "Partial System Outage",
    ),
    "major outage": (
        [incident("a", "2026-03-10 10:00", components={"db": MAJOR})],
        {"db": MAJOR},
        Impact.CRITICAL,
        "Major System Outage",
    ),
    # An explicit minor impact with no components: minor, but nothing degraded -> "Minor Service Outage".
    "explicit minor impact without components": (
        [incident("a", "2026-03-10 10:00", impact=Impact.MINOR)],
        {},
        Impact.MINOR,
        "Minor Service Outage",
    ),
    # An explicit critical impact beats the degraded component it names.
    "explicit impact above the component statuses": (
        [incident("a", "2026-03-10 10:00", components={"web": DEGRADED}, impact=Impact.CRITICAL)],
        {"web": DEGRADED},
        Impact.CRITICAL,
        "Major System Outage",
    ),
    # A resolved incident's impact no longer counts either.
    "explicit impact of a resolved incident": (
        [incident("a", "2026-03-10 08:00", "2026-03-10 09:00", impact=Impact.CRITICAL)],
        {},
        Impact.NONE,
        "All Systems Operational",
    ),
    # Maintenance 11:00-13:00 is in its window: db under maintenance, indicator none.
    "active maintenance": (
        [maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00")],
        {"db": MAINT},
        Impact.NONE,
        "Service Under Maintenance",
    ),
    # Maintenance 14:00-16:00 has not started: no component changes.
    "upcoming maintenance changes nothing": (
        [maintenance("m", "2026-03-10 14:00", "2026-03-10 16:00")],
        {},
        Impact.NONE,
        "All Systems Operational",
    ),
    # Ended maintenance 08:00-10:00: over.
    "ended maintenance changes nothing": (
        [maintenance("m", "2026-03-10 08:00", "2026-03-10 10:00")],
        {},
        Impact.NONE,
        "All Systems Operational",
    ),
    # Partial outage on db during its maintenance: the outage ranks above maintenance.
    "outage beats maintenance on the same component": (
        [
            maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00"),
            incident("a", "2026-03-10 11:30", components={"db": PARTIAL}),
        ],
        {"db": PARTIAL},
        Impact.MAJOR,
        "Partial System Outage",
    ),
    # Maintenance on db and a degraded api: the degradation is what the banner says.
    "degraded elsewhere during maintenance": (
        [
            maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00"),
            incident("a", "2026-03-10 11:30", components={"api": DEGRADED}),
        ],
        {"db": MAINT, "api": DEGRADED},
        Impact.MINOR,
        "Partially Degraded Service",
    ),
}


@pytest.mark.parametrize(
    ("incidents", "changed", "indicator", "description"), CURRENT_CASES.values(), ids=CURRENT_CASES.keys()
)
def test_current_statuses_and_banner(incidents, changed, indicator, description):
    summary = run(*incidents)
    assert statuses(summary) == {"api": OK, "web": OK, "db": OK} | changed
    assert (summary.indicator, summary.description) == (indicator, description)


def test_ongoing_lists_incidents_newest_first_without_maintenance():
    older = incident("older", "2026-03-10 09:00", components={"api": DEGRADED})
    newer = incident("newer", "2026-03-10 10:00", components={"web": DEGRADED})
    done = incident("done", "2026-03-10 10:30", "2026-03-10 11:00", {"db": MAJOR})
    active = maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00")
    summary = run(older, newer, done, active)
    assert [i.slug for i in summary.ongoing] == ["newer", "older"]
    assert [i.slug for i in summary.active_maintenance] == ["m"]
    assert summary.upcoming_maintenance == ()


def test_upcoming_maintenance_listed_soonest_first():
    later = maintenance("later", "2026-03-12 02:00", "2026-03-12 04:00")
    sooner = maintenance("sooner", "2026-03-11 02:00", "2026-03-11 04:00", components=("api",))
    summary = run(later, sooner)
    assert [i.slug for i in summary.upcoming_maintenance] == ["sooner", "later"]
    assert summary.active_maintenance == ()
    assert summary.under_maintenance is False
    assert statuses(summary) == {"api": OK, "web": OK, "db": OK}


@pytest.mark.parametrize(
    ("incidents", "expected"),
    [
        ([], False),
        ([maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00")], True),  # in its window
        ([maintenance("m", "2026-03-10 14:00", "2026-03-10 16:00")], False),  # upcoming
        ([maintenance("m", "2026-03-10 08:00", "2026-03-10 10:00")], False),  # ended
        # In its window, even while an outage on db outranks it (db is partial, not under maintenance).
        (
            [
                maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00"),
                incident("a", "2026-03-10 11:30", components={"db": PARTIAL}),
            ],
            True,
        ),
    ],
)
def test_under_maintenance_flag(incidents, expected):
    assert run(*incidents).under_maintenance is expected


DESCRIBE_CASES = [
    # (indicator, maintenance, statuses, banner)
    (Impact.NONE, False, [OK], "All Systems Operational"),
    (Impact.NONE, True, [MAINT, OK], "Service Under Maintenance"),
    (Impact.MINOR, False, [DEGRADED], "Partially Degraded Service"),
    (Impact.MINOR, False, [OK], "Minor Service Outage"),
    (Impact.MINOR, True, [MAINT], "Minor Service Outage"),  # an outage is worded over maintenance
    (Impact.MAJOR, False, [PARTIAL, DEGRADED], "Partial System Outage"),
    (Impact.MAJOR, True, [OK], "Partial System Outage"),
    (Impact.CRITICAL, False, [MAJOR], "Major System Outage"),
    (Impact.CRITICAL, True, [MAINT, MAJOR], "Major System Outage"),
]


@pytest.mark.parametrize(("indicator", "maintenance_on", "component_statuses", "banner"), DESCRIBE_CASES)
def test_describe(indicator, maintenance_on, component_statuses, banner):
    assert describe(indicator, maintenance_on, component_statuses) == banner


# -- per-update status changes ----------------------------------------------------------------

STEPPED = incident(
    "stepped",
    "2026-03-10 10:00",
    None,
    {"api": PARTIAL},
    updates=[
        ("2026-03-10 10:00", U.INVESTIGATING, {}),
        ("2026-03-10 11:00", U.IDENTIFIED, {"api": DEGRADED}),
        ("2026-03-10 11:30", U.MONITORING, {"api": OK}),
    ],
)


def test_segments_follow_update_changes():
    assert STEPPED.segments == {
        "api": (
            Segment(utc("2026-03-10 10:00"), utc("2026-03-10 11:00"), PARTIAL),
            Segment(utc("2026-03-10 11:00"), utc("2026-03-10 11:30"), DEGRADED),
            # operational from 11:30 on: no segment
        )
    }


def test_segments_clamp_and_cut_at_the_incident_window():
    story = incident(
        "story",
        "2026-03-10 10:00",
        "2026-03-10 12:00",
        {"api": DEGRADED},
        updates=[
            ("2026-03-10 09:00", U.INVESTIGATING, {"api": PARTIAL}),  # before the start: counts from 10:00
            ("2026-03-10 10:30", U.IDENTIFIED, {"web": MAJOR}),  # a component named only in an update
            ("2026-03-10 12:00", U.RESOLVED, {}),
            ("2026-03-10 12:30", U.UPDATE, {"db": MAJOR}),  # after the end: ignored
        ],
    )
    # api: degraded at 10:00 then partial at max(09:00, 10:00) = 10:00, same instant -> only partial
    # counts, until the end 12:00.
    assert story.segments == {
        "api": (Segment(utc("2026-03-10 10:00"), utc("2026-03-10 12:00"), PARTIAL),),
        "web": (Segment(utc("2026-03-10 10:30"), utc("2026-03-10 12:00"), MAJOR),),
    }
    assert story.component_ids == ("api", "web", "db")


STEP_CASES = {
    # (now, api status, today's seconds, today's uptime)
    # 10:30: partial 10:00-10:30 = 1800 s; observed 10.5 h = 37800 s; 1 - 0.3*1800/37800 = 1 - 540/37800 = 0.985714 -> 98.57.
    "before the first update": ("2026-03-10 10:30", PARTIAL, {PARTIAL: 1800}, "98.57"),
    # 11:15: partial 3600 s + degraded 900 s; observed 40500 s; 1 - 1080/40500 = 0.973333 -> 97.33.
    "after the change to degraded": ("2026-03-10 11:15", DEGRADED, {PARTIAL: 3600, DEGRADED: 900}, "97.33"),
    # 12:00: partial 3600 s + degraded 1800 s (ended at 11:30); observed 43200 s; 1 - 1080/43200 = 0.975 -> 97.50.
    "after the change to operational": ("2026-03-10 12:00", OK, {PARTIAL: 3600, DEGRADED: 1800}, "97.50"),
}


@pytest.mark.parametrize(("now", "current", "seconds", "uptime"), STEP_CASES.values(), ids=STEP_CASES.keys())
def test_update_changes_move_status_and_uptime(now, current, seconds, uptime):
    summary = run(STEPPED, now=now)
    api = summary.components["api"]
    assert api.status is current
    assert (api.days[-1].seconds, api.days[-1].uptime) == (seconds, Decimal(uptime))
    # Still unresolved: its impact (major, from the partial outage it named) holds the indicator.
    assert (summary.indicator, [i.slug for i in summary.ongoing]) == (Impact.MAJOR, ["stepped"])


# -- state(): phases and the status shown -----------------------------------------------------

PLANNED = ("2026-03-08 09:00", U.SCHEDULED, {})
STATE_CASES = {
    # incidents
    "incident ongoing shows its latest update": (
        incident(
            "i",
            "2026-03-10 10:00",
            updates=[("2026-03-10 10:00", U.INVESTIGATING, {}), ("2026-03-10 11:00", U.MONITORING, {})],
        ),
        NOW,
        Phase.ONGOING,
        U.MONITORING,
    ),
    "incident resolved": (
        incident(
            "i",
            "2026-03-10 10:00",
            "2026-03-10 11:00",
            updates=[("2026-03-10 10:00", U.INVESTIGATING, {}), ("2026-03-10 11:00", U.RESOLVED, {})],
        ),
        NOW,
        Phase.ENDED,
        U.RESOLVED,
    ),
    # Ended (resolved: 11:00 in the front matter) while the last post says monitoring: shown resolved.
    "incident ended with an open last update": (
        incident("i", "2026-03-10 10:00", "2026-03-10 11:00", updates=[("2026-03-10 10:00", U.MONITORING, {})]),
        NOW,
        Phase.ENDED,
        U.RESOLVED,
    ),
    # A plain update posted after the resolution does not reopen it.
    "incident with an update after resolving": (
        incident(
            "i",
            "2026-03-10 09:00",
            "2026-03-10 10:00",
            updates=[("2026-03-10 10:00", U.RESOLVED, {}), ("2026-03-10 11:00", U.UPDATE, {})],
        ),
        NOW,
        Phase.ENDED,
        U.RESOLVED,
    ),
    "incident with a postmortem": (
        incident(
            "i",
            "2026-03-09 10:00",
            "2026-03-09 11:00",
            updates=[("2026-03-09 11:00", U.RESOLVED, {}), ("2026-03-10 09:00", U.POSTMORTEM, {})],
        ),
        NOW,
        Phase.ENDED,
        U.POSTMORTEM,
    ),
    # maintenance 11:00-13:00, announced on 03-08
    "maintenance before its window": (
        maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED]),
        "2026-03-10 10:59",
        Phase.UPCOMING,
        U.SCHEDULED,
    ),
    "maintenance at its start": (
        maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED]),
        "2026-03-10 11:00",
        Phase.ONGOING,
        U.IN_PROGRESS,
    ),
    "maintenance in its window with only the announcement": (
        maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED]),
        NOW,
        Phase.ONGOING,
        U.IN_PROGRESS,
    ),
    "maintenance with an update post is still in progress": (
        maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED, ("2026-03-10 11:30", U.UPDATE, {})]),
        NOW,
        Phase.ONGOING,
        U.IN_PROGRESS,
    ),
    "maintenance verifying": (
        maintenance(
            "m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED, ("2026-03-10 11:45", U.VERIFYING, {})]
        ),
        NOW,
        Phase.ONGOING,
        U.VERIFYING,
    ),
    # The window ends at 13:00 (exclusive): completed at 13:00 even without a completed post.
    "maintenance at the end of its window": (
        maintenance("m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED]),
        "2026-03-10 13:00",
        Phase.ENDED,
        U.COMPLETED,
    ),
    # Completed early: content.py sets the end to the completed post, 11:40.
    "maintenance completed early": (
        maintenance(
            "m", "2026-03-10 11:00", "2026-03-10 11:40", updates=[PLANNED, ("2026-03-10 11:40", U.COMPLETED, {})]
        ),
        NOW,
        Phase.ENDED,
        U.COMPLETED,
    ),
    # Updates dated after `now` are not posted yet: the incident as of `now` leaves them out.
    # Investigating 10:00, resolved 12:00; at 11:00 readers still see investigating, not "resolved".
    "incident before its resolution": (
        incident(
            "i",
            "2026-03-10 10:00",
            "2026-03-10 12:00",
            updates=[("2026-03-10 10:00", U.INVESTIGATING, {}), ("2026-03-10 12:00", U.RESOLVED, {})],
        ),
        "2026-03-10 11:00",
        Phase.ONGOING,
        U.INVESTIGATING,
    ),
    # Maintenance 11:00-13:00 with a verifying post at 12:30: at 12:00 it is still in progress.
    "maintenance before its verifying post": (
        maintenance(
            "m", "2026-03-10 11:00", "2026-03-10 13:00", updates=[PLANNED, ("2026-03-10 12:30", U.VERIFYING, {})]
        ),
        NOW,
        Phase.ONGOING,
        U.IN_PROGRESS,
    ),
}


@pytest.mark.parametrize(("item", "now", "phase", "shown"), STATE_CASES.values(), ids=STATE_CASES.keys())
def test_state(item, now, phase, shown):
    """`state` reads the incident as its readers know it at `now` (`timeline.as_of`)."""
    assert state(as_of(item, utc(now)), utc(now)) == IncidentState(phase, shown)


def test_summary_states_cover_every_incident():
    a = incident("a", "2026-03-10 10:00")
    m = maintenance("m", "2026-03-11 02:00", "2026-03-11 04:00")
    summary = run(a, m)
    assert {slug: (s.phase, s.status) for slug, s in summary.states.items()} == {
        "a": (Phase.ONGOING, U.INVESTIGATING),
        "m": (Phase.UPCOMING, U.SCHEDULED),
    }


# -- groups -----------------------------------------------------------------------------------


def test_groups_keep_config_order_and_ungrouped_stand_alone():
    config = make_config(
        Component("api", "API", group="Core"),
        Component("web", "Web"),
        Component("db", "Database", group="Core"),
        Component("cdn", "CDN", group="Edge"),
        Component("docs", "Docs"),
    )
    summary = run(incident("a", "2026-03-10 10:00", components={"db": PARTIAL, "docs": DEGRADED}), config=config)
    # "Core" appears first (api), so db joins it there; web and docs each stand alone where they are.
    assert [(g.name, [c.component.id for c in g.components], g.status) for g in summary.groups] == [
        ("Core", ["api", "db"], PARTIAL),  # worst of operational, partial
        (None, ["web"], OK),
        ("Edge", ["cdn"], OK),
        (None, ["docs"], DEGRADED),
    ]
    assert list(summary.components) == ["api", "web", "db", "cdn", "docs"]


# -- recent days ------------------------------------------------------------------------------


def test_recent_days_today_first_grouped_by_local_start_day():
    berlin = make_config(zone=ZoneInfo("Europe/Berlin"))
    # now 03-10 12:00Z = 13:00 CET, so today is 03-10 and the 14 days run back to 03-10 - 13 = 02-25.
    items = [
        incident("late-night", "2026-03-09 23:30"),  # 03-10 00:30 CET: today, though 03-09 in UTC
        incident("morning", "2026-03-10 08:00", "2026-03-10 09:00"),  # today, newer: listed first
        incident("evening", "2026-03-09 22:30", "2026-03-09 22:45"),  # 03-09 23:30 CET
        maintenance("done", "2026-03-05 01:00", "2026-03-05 02:00"),  # ended maintenance is listed
        incident("edge", "2026-02-24 23:30", "2026-02-25 00:30"),  # 02-25 00:30 CET: the oldest day
        incident("too-old", "2026-02-24 22:59", "2026-02-24 23:30"),  # 02-24 23:59 CET: one day too old
        maintenance("planned", "2026-03-11 02:00", "2026-03-11 04:00"),  # upcoming: not listed
    ]
    recent = run(*items, config=berlin).recent
    assert len(recent) == RECENT_DAYS == 14
    assert [day for day, _ in recent] == [date(2026, 3, 10) - timedelta(days=n) for n in range(14)]
    assert (recent[0][0], recent[-1][0]) == (date(2026, 3, 10), date(2026, 2, 25))
    listed = {day.isoformat(): [i.slug for i in found] for day, found in recent if found}
    assert listed == {
        "2026-03-10": ["morning", "late-night"],
        "2026-03-09": ["evening"],
        "2026-03-05": ["done"],
        "2026-02-25": ["edge"],
    }
    assert sum(1 for _, found in recent if not found) == 10  # 14 days, 4 with incidents; the rest empty


def test_recent_days_with_no_incidents():
    recent = run().recent
    # 03-10 back to 02-25 in UTC; every day present and empty.
    assert [(day.isoformat(), found) for day, found in recent[:2]] == [("2026-03-10", ()), ("2026-03-09", ())]
    assert recent[-1] == (date(2026, 2, 25), ())


def test_a_summary_sweeps_again_only_the_components_whose_intervals_changed() -> None:
    """The preview summarizes on every save: a component no changed note names keeps the very
    days of the last summary, and every summary equals one made afresh."""
    api = incident("api-down", "2026-03-09 10:00", "2026-03-09 11:00", {"api": MAJOR})
    web = incident("web-slow", "2026-03-09 12:00", "2026-03-09 13:00", {"web": DEGRADED})
    first = run(api, web)
    longer = incident("web-slow", "2026-03-09 12:00", "2026-03-09 14:00", {"web": DEGRADED})
    second = run(api, longer)
    assert second.components["api"].days is first.components["api"].days
    assert second.components["db"].days is first.components["db"].days
    assert second.components["web"].days is not first.components["web"].days
    assert second.components["web"].days[1].seconds == {DEGRADED: 7200}
    status._LAST.clear()  # a summary made afresh
    assert run(api, longer) == second
    assert run(api, web, now="2026-03-10 12:30").components["api"].days[-1].end == utc("2026-03-10 12:30")


def test_by_the_clock_a_summary_sweeps_again_only_today() -> None:
    """A preview by the clock has a new `now` on every save: every component keeps the very days
    before today and the months before this one, an ongoing incident's included (those days see
    it only up to today), and only today's bar (ending at `now`) and month are new. A change
    before today sweeps those days again. Each summary equals one made afresh."""
    api = incident("api-down", "2026-03-09 10:00", "2026-03-09 11:00", {"api": MAJOR})
    web = incident("web-slow", "2026-03-09 20:00", None, {"web": DEGRADED})
    first = run(api, web, now="2026-03-10 12:30")
    second = run(api, web, now="2026-03-10 12:40")
    for cid in ("api", "db", "web"):
        before, after = first.components[cid], second.components[cid]
        assert all(a is b for a, b in zip(after.days[:-1], before.days[:-1], strict=True))
        assert all(a is b for a, b in zip(after.months[:-1], before.months[:-1], strict=True))
        assert (before.days[-1].end, after.days[-1].end) == (utc("2026-03-10 12:30"), utc("2026-03-10 12:40"))
    assert second.components["web"].days[-2].seconds == {DEGRADED: 4 * 3600}
    assert second.components["web"].days[-1].seconds == {DEGRADED: 12 * 3600 + 40 * 60}
    assert second.components["api"].days[-2].seconds == {MAJOR: 3600}
    earlier = incident("web-slow", "2026-03-09 18:00", None, {"web": DEGRADED})
    third = run(api, earlier, now="2026-03-10 12:50")
    assert third.components["web"].days[-2] is not second.components["web"].days[-2]
    assert third.components["web"].days[-2].seconds == {DEGRADED: 6 * 3600}
    assert third.components["api"].days[-2] is second.components["api"].days[-2]
    for later in ("2026-03-10 12:40", "2026-03-10 23:59", "2026-03-11 00:05", "2026-04-01 00:05"):
        remembered = run(api, web, now=later)
        status._LAST.clear()
        assert run(api, web, now=later) == remembered


def test_an_ended_incidents_state_is_remembered_only_for_that_very_incident() -> None:
    """Once ended, a state no longer depends on `now`, so the preview's next summary hands back
    the same state for the same incident object; an edited note is a new object, and its state
    is worked out again, as is the state of an incident not yet ended at another `now`."""
    done = incident("api-down", "2026-03-09 10:00", "2026-03-09 11:00", {"api": MAJOR})
    first = run(done).states["api-down"]
    assert run(done, now="2026-03-10 12:30").states["api-down"] is first
    edited = replace(done, updates=(replace(done.updates[0], status=U.IDENTIFIED),))
    again = run(edited).states["api-down"]
    assert again is not first and again.status is U.RESOLVED and again.updates == edited.updates
    assert run(done, now="2026-03-09 10:30").states["api-down"].phase is Phase.ONGOING
