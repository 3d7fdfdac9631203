"""The events notify announces, straight from the notes through the build's pipeline (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import CONFIG, NOW, Site
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage.core.config import Config, HttpTarget, Probe
from statuspage.core.model import Component, ComponentStatus, Impact, Incident, Update, UpdateStatus
from statuspage.core.model import Kind as NoteKind
from statuspage.core.probes import ProbeHistory, Run, Seen, join
from statuspage.core.site import at
from statuspage.core.timeline import window
from statuspage.inputs import gather
from statuspage.notify import events
from statuspage.notify.events import ComponentEvent, Kind
from statuspage.probes import store


def found(site: Site, now: str = NOW, days: int = 7) -> list[events.Event]:
    snapshot = gather(site.config_path, now).site()
    return events.find(snapshot, snapshot.now - timedelta(days=days))


def test_component_changes_follow_the_worst_status_of_overlapping_incidents(site: Site) -> None:
    site.note(
        "2026-03-20-a.md",
        """
        ---
        title: A
        components: {api: major_outage}
        ---
        ## 2026-03-20 11:00 · Resolved
        Fixed.
        ## 2026-03-20 10:00 · Investigating
        Down.
        """,
    )
    site.note(
        "2026-03-20-b.md",
        """
        ---
        title: B
        components: {api: degraded_performance}
        ---
        ## 2026-03-20 11:30 · Resolved
        Fixed.
        ## 2026-03-20 10:30 · Investigating
        Slow.
        """,
    )
    changes = [(e.at.strftime("%H:%M"), e.old.value, e.new.value) for e in found(site) if isinstance(e, ComponentEvent)]
    # B's start at 10:30 changes nothing anyone sees: A's major outage is worse.
    assert changes == [
        ("09:00", "operational", "major_outage"),
        ("10:00", "major_outage", "degraded_performance"),
        ("10:30", "degraded_performance", "operational"),
    ]


def test_maintenance_starts_and_ends_by_the_clock_unless_the_note_says_so_itself(site: Site) -> None:
    site.note(
        "2026-03-20-window.md",
        """
        ---
        title: Window
        kind: maintenance
        scheduled: 2026-03-20 10:00
        until: 2026-03-20 13:00
        components: [web]
        ---
        ## 2026-03-19 10:00 · Scheduled
        Planned.
        """,
    )
    site.note(
        "2026-03-20-announced.md",
        """
        ---
        title: Announced
        kind: maintenance
        scheduled: 2026-03-20 09:00
        until: 2026-03-20 11:00
        components: [api]
        ---
        ## 2026-03-20 10:45 · Completed
        Done early.
        ## 2026-03-20 09:00 · In progress
        Started.
        ## 2026-03-19 09:00 · Scheduled
        Planned.
        """,
    )
    ids = [e.id for e in found(site) if e.kind is not Kind.COMPONENT]
    assert "2026-03-20-window@started" in ids and "2026-03-20-window@ended" not in ids  # ends at 13:00, after NOW
    assert not any(i.startswith("2026-03-20-announced@") for i in ids)  # its own updates say it
    assert "2026-03-20-announced#update-20260320T0945Z" in ids
    later = [e.id for e in found(site, now="2026-03-20T13:05:00+01:00")]
    assert "2026-03-20-window@ended" in later


def test_ids_name_what_happened_and_nothing_future_dated_is_an_event(site: Site) -> None:
    site.note(
        "2026-03-20-login.md",
        """
        ---
        title: Login
        components: {login: major_outage}
        ---
        ## 2026-03-20 12:30 · Resolved
        Written ahead: not posted yet at noon.
        ## 2026-03-20 11:00 · Investigating
        Down.
        """,
    )
    noon = [e.id for e in found(site)]
    assert noon == ["2026-03-20-login#update-20260320T1000Z", "component/login@20260320T100000Z:major_outage"]
    later = [e.id for e in found(site, now="2026-03-20T13:00:00+01:00")]
    assert later[:2] == noon  # the same events keep their ids as time moves on
    assert "2026-03-20-login#update-20260320T1130Z" in later
    assert found(site, days=0) == []  # nothing since now


def test_what_a_status_setting_probe_confirmed_is_announced_as_the_page_shows_it(site: Site) -> None:
    """A `sets_status` probe moves the page's component status, so webhook subscribers hear of
    it too: down from its first failed check, back when checks pass, never in maintenance. At
    each change and the minutes beside it, the announced status is the one a build then shows."""
    probe = '{ type = "http", url = "https://api.test/", sets_status = true }'
    site.config(CONFIG.replace('id = "api"\n', f'id = "api"\nprobe = {probe}\n'))
    down = [(time(10, 0), time(10, 15)), (time(10, 30), time(10, 55))]  # UTC; checks every 5 minutes
    checks, at = [], datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    while at <= datetime(2026, 3, 20, 11, 0, tzinfo=UTC):
        failing = any(start <= at.time() < end for start, end in down)
        checks.append(store.Check(at, "ci", Seen.DOWN if failing else Seen.UP, 300, 503 if failing else 200, 90))
        at += timedelta(minutes=5)
    store.append(site.root / "data" / "probes", "api", checks)
    site.note(  # 10:35-10:45 UTC: the probe's failures then are not the page's
        "2026-03-20-window.md",
        "---\ntitle: Window\nkind: maintenance\nscheduled: 2026-03-20 11:35\nuntil: 2026-03-20 11:45\n"
        "components: [api]\n---\n",
    )
    changes = [e for e in found(site) if isinstance(e, ComponentEvent) and e.component.id == "api"]
    assert [(e.at.strftime("%H:%M"), e.new.value) for e in changes] == [
        ("10:00", "major_outage"),
        ("10:15", "operational"),
        ("10:30", "major_outage"),
        ("10:35", "under_maintenance"),
        ("10:45", "major_outage"),
        ("10:55", "operational"),
    ]
    for minute in (55, *(edge + step for edge in (60, 75, 90, 95, 105, 115) for step in (-1, 0, 1)), 120):
        moment = datetime(2026, 3, 20, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)
        shown = gather(site.config_path, moment.isoformat()).site().summary.components["api"].status
        announced = [e.new for e in changes if e.at <= moment]
        assert shown is (announced[-1] if announced else ComponentStatus.OPERATIONAL), moment


VERDICTS = st.sampled_from(list(Seen))
#: Steps between checks: one interval, exactly the gap limit (three), just past it, or the same second.
STEPS = st.sampled_from([1, 1, 1, 3, 3.01, 0, 7])


@settings(max_examples=60, deadline=None)
@given(
    checks=st.lists(st.tuples(VERDICTS, STEPS), min_size=1, max_size=40),
    window=st.none() | st.tuples(st.integers(0, 200), st.integers(1, 90)),
    minutes=st.integers(1, 260),
)
def test_announced_probe_changes_are_the_page_at_every_moment(
    checks: list[tuple[Seen, float]], window: tuple[int, int] | None, minutes: int
) -> None:
    """Property: for any checks (and a maintenance window or none), folding the component changes
    found at `now` gives, at each boundary and an instant either side, the status a build then shows."""
    start = datetime(2026, 3, 20, tzinfo=UTC)
    config = Config(
        Path("/nonexistent"), "T", "https://t.test/", "", ZoneInfo("Europe/Berlin"), "en", None,
        (Component("api", "API"),), probes=(Probe("api", HttpTarget("https://api.test/"), interval_s=60, sets_status=True),),
    )  # fmt: skip
    runs, moment = [], start
    for seen, step in checks:
        runs.append(Run(moment, moment, seen, 60))
        moment += timedelta(seconds=60 * step)
    history = {"api": ProbeHistory(tuple(join(runs)))}
    incidents = []
    if window is not None:
        begins, length = start + timedelta(minutes=window[0]), timedelta(minutes=window[1])
        scheduled = Update(begins - timedelta(hours=1), UpdateStatus.SCHEDULED, "", "", "scheduled", {})
        incidents.append(
            Incident("work", "Work", NoteKind.MAINTENANCE, Impact.NONE, {"api": ComponentStatus.UNDER_MAINTENANCE},
                     (scheduled,), begins, begins + length, declared_start=begins, declared_end=begins + length)
        )  # fmt: skip
    now = start + timedelta(minutes=minutes)
    announced = [
        e
        for e in events.find(at(config, incidents, now, history), start - timedelta(days=1))
        if isinstance(e, ComponentEvent)
    ]
    edges = {now, *(r.first for r in runs), *(r.first + timedelta(seconds=180) for r in runs)}
    edges |= {i.start for i in incidents} | {i.end for i in incidents if i.end}
    for edge in edges:
        for t in (edge - timedelta(microseconds=1), edge, edge + timedelta(microseconds=1)):
            if t > now:
                continue
            shown = at(config, incidents, t, history).summary.components["api"].status
            folded = [e.new for e in announced if e.at <= t]
            assert shown is (folded[-1] if folded else ComponentStatus.OPERATIONAL), t


def test_a_reopened_incident_is_announced_as_builds_showed_it(site: Site) -> None:
    """Resolved at 10:30 and re-opened at 11:00: a channel told "operational" at 10:30 hears the
    re-opening as a component change too, not only as the incident's update."""
    site.note(
        "2026-03-20-login.md",
        """
        ---
        title: Login
        components: {api: major_outage}
        ---
        ## 2026-03-20 11:30 · Resolved
        Fixed again.
        ## 2026-03-20 11:00 · Investigating (api: partial_outage)
        Back, less badly.
        ## 2026-03-20 10:30 · Resolved
        Fixed.
        ## 2026-03-20 10:00 · Investigating
        Down.
        """,
    )
    changes = [(e.at.strftime("%H:%M"), e.old.value, e.new.value) for e in found(site) if isinstance(e, ComponentEvent)]
    assert changes == [  # UTC; the note's times are Berlin's
        ("09:00", "operational", "major_outage"),
        ("09:30", "major_outage", "operational"),
        ("10:00", "operational", "partial_outage"),
        ("10:30", "partial_outage", "operational"),
    ]


def drawn_incident(
    slug: str,
    components: dict[str, ComponentStatus],
    first: datetime,
    steps: list[tuple[int, UpdateStatus, dict[str, ComponentStatus]]],
    declared_end: datetime | None = None,
) -> Incident | None:
    """An incident from drawn updates (minutes after the one before, status, changes), its window as
    the reader works it out; None where the reader would refuse it (resolved before it starts)."""
    moment, updates = first, []
    for step, status, changes in steps:
        moment += timedelta(minutes=step)
        updates.insert(0, Update(moment, status, "", "", f"u{len(updates)}", changes))
    begins, ends = window(NoteKind.INCIDENT, updates, None, declared_end)
    if ends is not None and ends < begins:
        return None
    return Incident(slug, slug.upper(), NoteKind.INCIDENT, Impact.MAJOR, components, tuple(updates), begins, ends,
                    declared_end=declared_end)  # fmt: skip


NOTE_STATUSES = st.sampled_from([s for s in UpdateStatus if s not in (UpdateStatus.SCHEDULED, UpdateStatus.IN_PROGRESS,
                                 UpdateStatus.VERIFYING, UpdateStatus.COMPLETED)])  # fmt: skip
CHANGES = st.dictionaries(st.just("api"), st.sampled_from(list(ComponentStatus)), max_size=1)
UPDATES = st.lists(st.tuples(st.integers(0, 40), NOTE_STATUSES, CHANGES), min_size=1, max_size=7)


@settings(max_examples=80, deadline=None)
@given(
    notes=st.lists(
        st.tuples(
            st.integers(0, 120), st.sampled_from(list(ComponentStatus)), UPDATES, st.none() | st.integers(0, 200)
        ),
        min_size=1,
        max_size=3,
    ),
    minutes=st.integers(0, 400),
)
def test_announced_incident_changes_are_the_page_at_every_moment(
    notes: list[tuple[int, ComponentStatus, list[tuple[int, UpdateStatus, dict[str, ComponentStatus]]], int | None]],
    minutes: int,
) -> None:
    """Property: for any incidents (overlapping, resolved and re-opened, with components changing
    and a `resolved:` or none), folding the component changes found at `now` gives, at each
    update and an instant either side, the status a build then shows."""
    start = datetime(2026, 3, 20, tzinfo=UTC)
    config = Config(
        Path("/nonexistent"), "T", "https://t.test/", "", ZoneInfo("Europe/Berlin"), "en", None,
        (Component("api", "API"),),
    )  # fmt: skip
    incidents = []
    for n, (offset, status, steps, resolved) in enumerate(notes):
        declared_end = None if resolved is None else start + timedelta(minutes=resolved)
        drawn = drawn_incident(f"i{n}", {"api": status}, start + timedelta(minutes=offset), steps, declared_end)
        if drawn is not None:
            incidents.append(drawn)
    now = start + timedelta(minutes=minutes)
    announced = [
        e for e in events.find(at(config, incidents, now), start - timedelta(days=1)) if isinstance(e, ComponentEvent)
    ]
    edges = {now} | {u.at for i in incidents for u in i.updates} | {i.end for i in incidents if i.end}
    for edge in edges:
        for t in (edge - timedelta(microseconds=1), edge, edge + timedelta(microseconds=1)):
            if t > now:
                continue
            shown = at(config, incidents, t).summary.components["api"].status
            folded = [e.new for e in announced if e.at <= t]
            assert shown is (folded[-1] if folded else ComponentStatus.OPERATIONAL), t
