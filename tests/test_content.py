"""Incident notes into validated incidents; every problem as `path:line: message`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import Site

from statuspage import config
from statuspage.core.model import ComponentStatus, Impact, Incident, Kind, Segment, UpdateStatus
from statuspage.notes import load as content


def load(site: Site) -> list[Incident]:
    loaded, _ = config.load(site.config_path)
    incidents, _ = content.load(loaded)
    return incidents


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_incident_with_updates(site: Site) -> None:
    site.note(
        "2026-03-14-login.md",
        """
        ---
        title: Login page offline
        components:
          login: major_outage
        ---

        ## 2026-03-14 09:41 · Resolved
        Working **normally**.

        ## 2026-03-14 09:05 · Investigating
        Some users cannot log in.
        """,
    )
    (incident,) = load(site)
    assert incident.slug == "2026-03-14-login"
    assert incident.title == "Login page offline"
    assert incident.kind is Kind.INCIDENT
    assert incident.impact is Impact.CRITICAL  # derived: major_outage implies critical
    assert incident.components == {"login": ComponentStatus.MAJOR_OUTAGE}
    assert [(u.status, u.at) for u in incident.updates] == [
        (UpdateStatus.RESOLVED, utc(2026, 3, 14, 8, 41)),
        (UpdateStatus.INVESTIGATING, utc(2026, 3, 14, 8, 5)),
    ]
    assert incident.updates[0].html == "<p>Working <strong>normally</strong>.</p>"
    assert incident.updates[0].anchor == "update-20260314T0841Z"
    assert (incident.start, incident.end) == (utc(2026, 3, 14, 8, 5), utc(2026, 3, 14, 8, 41))


def test_two_updates_of_one_minute_get_anchors_of_their_own(site: Site) -> None:
    site.note(
        "2026-03-14-login.md",
        """
        ---
        title: Login page offline
        components:
          login: major_outage
        ---

        ## 2026-03-14 09:41 · Resolved
        Working.

        ## 2026-03-14 09:41 · Identified
        Found it.

        ## 2026-03-14 09:05 · Investigating
        Looking.
        """,
    )
    (incident,) = load(site)
    anchors = sorted(u.anchor for u in incident.updates)
    assert anchors == ["update-20260314T0805Z", "update-20260314T0841Z", "update-20260314T0841Z-2"]


def test_updates_may_be_written_oldest_first(site: Site) -> None:
    site.note(
        "a.md",
        """
        ---
        title: T
        impact: minor
        ---
        ## 2026-03-14 09:05 - investigating
        ## 2026-03-14 09:20 - IDENTIFIED
        ## 2026-03-14 09:41 - Resolved
        """,
    )
    (incident,) = load(site)
    assert [u.status.value for u in incident.updates] == ["resolved", "identified", "investigating"]
    assert incident.impact is Impact.MINOR
    assert incident.end == utc(2026, 3, 14, 8, 41)


def test_smallest_note_is_one_update(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: Slow API\ncomponents: {api: degraded_performance}\nstarted: 2026-03-14 09:00\nresolved: 2026-03-14 10:30\n---\nIt was slow.\n",
    )
    site.note("b.md", "---\ntitle: Still slow\nstarted: 2026-03-15 09:00\n---\nLooking.\n")
    ongoing, done = load(site)
    assert [(u.status, u.at, u.html) for u in done.updates] == [
        (UpdateStatus.RESOLVED, utc(2026, 3, 14, 9, 30), "<p>It was slow.</p>")
    ]
    assert (done.start, done.end, done.impact) == (utc(2026, 3, 14, 8, 0), utc(2026, 3, 14, 9, 30), Impact.MINOR)
    assert [(u.status, u.at) for u in ongoing.updates] == [(UpdateStatus.INVESTIGATING, utc(2026, 3, 15, 8, 0))]
    assert ongoing.end is None and ongoing.impact is Impact.NONE


def test_started_and_resolved_override_the_updates(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: T\nstarted: 2026-03-14 08:50\nresolved: 2026-03-14 09:30\n---\n## 2026-03-14 09:05 · Investigating\n## 2026-03-14 09:41 · Resolved\n",
    )
    (incident,) = load(site)
    assert (incident.start, incident.end) == (utc(2026, 3, 14, 7, 50), utc(2026, 3, 14, 8, 30))


def test_reopened_incident_is_ongoing(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: T\n---\n## 2026-03-14 09:00 · Investigating\n## 2026-03-14 09:30 · Resolved\n## 2026-03-14 10:00 · Investigating\n",
    )
    (incident,) = load(site)
    assert incident.end is None


def test_postmortem_after_resolution(site: Site) -> None:
    site.note(
        "a.md",
        "---\ntitle: T\n---\n## 2026-03-14 09:00 · Investigating\n## 2026-03-14 09:30 · Resolved\n## 2026-03-16 12:00 · Postmortem\n### Root cause\nA bug.\n",
    )
    (incident,) = load(site)
    assert incident.end == utc(2026, 3, 14, 8, 30)
    assert incident.updates[0].status is UpdateStatus.POSTMORTEM
    assert incident.updates[0].html == "<h3>Root cause</h3>\n<p>A bug.</p>"


def test_per_update_component_changes(site: Site) -> None:
    site.note(
        "a.md",
        """
        ---
        title: T
        components:
          api: major_outage
        ---
        ## 2026-03-14 09:00 · Investigating
        ## 2026-03-14 09:30 · Monitoring (api: degraded_performance, web = partial outage)
        ## 2026-03-14 10:00 · Update (web: operational)
        ## 2026-03-14 11:00 · Resolved
        """,
    )
    (incident,) = load(site)
    assert incident.impact is Impact.CRITICAL
    assert incident.component_ids == ("api", "web")
    assert incident.segments == {
        "api": (
            Segment(utc(2026, 3, 14, 8, 0), utc(2026, 3, 14, 8, 30), ComponentStatus.MAJOR_OUTAGE),
            Segment(utc(2026, 3, 14, 8, 30), utc(2026, 3, 14, 10, 0), ComponentStatus.DEGRADED_PERFORMANCE),
        ),
        "web": (Segment(utc(2026, 3, 14, 8, 30), utc(2026, 3, 14, 9, 0), ComponentStatus.PARTIAL_OUTAGE),),
    }


def test_maintenance(site: Site) -> None:
    site.note(
        "db.md",
        """
        ---
        title: Database upgrade
        kind: maintenance
        scheduled: 2026-03-21 22:00
        until: 2026-03-22 01:00
        components: [api, web]
        ---
        We will upgrade the database.
        """,
    )
    site.note(
        "net.md",
        """
        ---
        title: Network
        kind: maintenance
        scheduled: 2026-03-10 22:00
        until: 2026-03-11 02:00
        components:
          api: partial_outage
        ---
        ## 2026-03-11 00:30 · Completed
        ## 2026-03-10 22:00 · In progress
        ## 2026-03-09 12:00 · Scheduled
        """,
    )
    db, net = load(site)
    assert db.kind is Kind.MAINTENANCE and db.impact is Impact.NONE
    assert db.components == {"api": ComponentStatus.UNDER_MAINTENANCE, "web": ComponentStatus.UNDER_MAINTENANCE}
    assert (db.start, db.end) == (utc(2026, 3, 21, 21, 0), utc(2026, 3, 22, 0, 0))
    assert [(u.status, u.at) for u in db.updates] == [(UpdateStatus.SCHEDULED, utc(2026, 3, 21, 21, 0))]
    assert net.end == utc(2026, 3, 10, 23, 30)  # completed early
    assert net.components == {"api": ComponentStatus.PARTIAL_OUTAGE}


def test_crlf_bom_and_trailing_spaces(site: Site) -> None:
    path = site.root / "incidents" / "a.md"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n## 2026-03-14 09:05 \xc2\xb7 Resolved   \r\nDone.\r\n")
    (incident,) = load(site)
    assert incident.updates[0].status is UpdateStatus.RESOLVED
    assert incident.updates[0].html == "<p>Done.</p>"


def test_raw_html_is_sanitised(site: Site) -> None:
    site.note(
        "a.md",
        """
        ---
        title: T
        started: 2026-03-14 09:00
        ---
        <script>alert(1)</script><img src="/ok.png" alt="ok" onerror="alert(2)">
        [click](javascript:alert(3)) <a href="https://example.com/" onclick="x()">docs</a>
        ![remote](https://tracker.example/pixel.gif)
        """,
    )
    (incident,) = load(site)
    html = incident.updates[0].html
    for bad in ("<script", "onerror", "onclick", 'href="javascript:', "tracker.example"):
        assert bad not in html
    assert '<p>click <a href="https://example.com/"' in html  # the javascript: link's text stays, never a link
    assert '<img src="/ok.png" alt="ok">' in html
    assert "alert(1)" not in html
    assert '<a href="https://example.com/" rel="noopener noreferrer">docs</a>' in html


def test_discovery_skips_hidden_files_and_readme(site: Site) -> None:
    for name in (".#draft.md", "~backup.md", "README.md", "notes.txt"):
        site.note(name, "not a note")
    site.note("Café Outage!.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\n")
    (incident,) = load(site)
    assert incident.slug == "cafe-outage"


def test_every_problem_in_one_run(site: Site) -> None:
    notes = {
        "bad-yaml.md": "---\ntitle: [unclosed\n---\nbody\n",
        "many.md": "---\nimpact: huge\ncomponents:\n  nope: major_outage\n  api: broken\nstarted: yesterday\ntitel: X\n---\n\nbody\n",
        "headings.md": "---\ntitle: T\n---\n\n## 2026-03-14 25:00 · Resolved\nx\n\n## 2026-03-14 09:00 · Fixing\ny\n## 2026-03-14 09:00 · Monitoring (api: sad, foo: major_outage)\n",
        "backwards.md": "---\ntitle: T\nstarted: 2026-03-14 10:00\nresolved: 2026-03-14 09:00\n---\n",
        "maint.md": "---\ntitle: T\nkind: maintenance\ncomponents: [api]\n---\n## 2026-03-14 09:00 · Scheduled\n",
        "nofront.md": "title: no front\n",
        "dst.md": "---\ntitle: T\nstarted: 2026-03-29 02:30\n---\n",
        "preamble.md": "---\ntitle: T\n---\nintro\n## 2026-03-14 09:00 · Resolved\n",
        "pm.md": "---\ntitle: T\n---\n## 2026-03-14 09:00 · Postmortem\n",
        "Dup Name.md": "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\n",
        "dup-name.md": "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\n",
        "empty.md": "",
    }
    for name, text in notes.items():
        site.note(name, text)
    (site.root / "incidents" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    run = site.check()
    assert run.code == 1
    assert run.err.splitlines() == [
        "incidents/backwards.md:4: resolved (2026-03-14 09:00 CET) is before the start (2026-03-14 10:00 CET)",
        "incidents/bad-yaml.md:2: the front matter is not valid YAML: expected ',' or ']', but got '<stream end>'",
        "incidents/dst.md:3: started: 2026-03-29 02:30 does not exist in Europe/Berlin (the clocks jump forward then); check the time, or give an offset like 2026-03-29 02:30+01:00",
        "incidents/dup-name.md: has the same web address /incidents/dup-name/ as incidents/Dup Name.md; rename one of them",
        "incidents/empty.md:1: a note must start with a front matter block: a line '---', the fields, then '---'",
        "incidents/headings.md:5: '2026-03-14 25:00' is not a real time: hour must be in 0..23",
        "incidents/headings.md:8: unknown incident status 'Fixing'; use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem",
        "incidents/headings.md:10: unknown component status 'sad'; use one of: degraded_performance, partial_outage, major_outage, operational",
        "incidents/headings.md:10: unknown component 'foo'; known components: web, login, api",
        "incidents/latin1.md:2: is not UTF-8 text (byte 0xe9 at offset 14); save the file as UTF-8",
        "incidents/maint.md:2: scheduled: is required for maintenance: when the maintenance starts (like 2026-03-14 22:00)",
        "incidents/maint.md:2: until: is required for maintenance: when it is planned to end (like 2026-03-14 22:00)",
        "incidents/many.md:2: title: is required",
        "incidents/many.md:2: impact: unknown impact 'huge'; use one of: none, minor, major, critical",
        "incidents/many.md:4: components.nope: unknown component 'nope'; known components: web, login, api",
        "incidents/many.md:5: components.api: unknown component status 'broken'; use one of: degraded_performance, partial_outage, major_outage",
        "incidents/many.md:6: started: cannot read the time 'yesterday'; write it like 2026-03-14 09:41 (optionally +01:00 or Z)",
        "incidents/many.md:7: warning: titel: unknown setting, ignored; did you mean 'title'?",
        "incidents/nofront.md:1: a note must start with a front matter block: a line '---', the fields, then '---'",
        "incidents/pm.md:2: has a postmortem but was never resolved; add a Resolved update or 'resolved:'",
        "incidents/preamble.md:4: text before the first update heading; put it under a '## <time> · <status>' heading",
        "20 errors found; nothing was written.",
    ]


@pytest.mark.parametrize(
    ("components", "line"), [("components: [api, nope]", 6), ("components:\n  - api\n  - nope", 8)]
)
def test_an_unknown_component_in_a_maintenance_list_is_named_at_its_line(
    site: Site, components: str, line: int
) -> None:
    site.note(
        "m.md",
        f"---\ntitle: T\nkind: maintenance\nscheduled: 2026-03-14 10:00\nuntil: 2026-03-14 11:00\n{components}\n---\n",
    )
    assert site.check().err.splitlines()[0] == (
        f"incidents/m.md:{line}: components.nope: unknown component 'nope'; known components: web, login, api"
    )


def test_warnings_do_not_stop_a_build(site: Site) -> None:
    site.note("a.md", "---\ntitle: T\nstatus: resolved\n---\n## 2026-03-14 09:00 · Resolved\n")
    site.note("b.md", "---\ntitle: Typo in year\nstarted: 2027-03-14 09:00\n---\n")
    # Maintenance scheduled months ahead is planned, not a typo: it does not warn.
    site.note(
        "c.md", "---\ntitle: Move\nkind: maintenance\nscheduled: 2026-09-01 22:00\nuntil: 2026-09-01 23:00\n---\n"
    )
    run = site.build()
    assert run.code == 0
    assert [line for line in run.err.splitlines() if ": warning: " in line] == [
        "incidents/a.md:3: warning: status: ignored: the note has update headings, whose statuses count",
        "incidents/b.md:3: warning: started: 2027-03-14 09:00 is 358 days after now: a typo? It will appear then",
    ]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("kind: outage", "kind: unknown kind 'outage'; use one of: incident, maintenance"),
        (
            "components: [api]",
            "components: expected component ids with their status, like 'components:\\n  login: major_outage'",
        ),
        (
            "kind: maintenance\nscheduled: 2026-03-14 10:00\nuntil: 2026-03-14 09:00",
            "until (2026-03-14 09:00 CET) must be after scheduled (2026-03-14 10:00 CET)",
        ),
        ("started: 2026-03-14", "started: 2026-03-14 has no time of day; write it like 2026-03-14 09:41"),
    ],
)
def test_single_front_matter_problems(site: Site, front: str, message: str) -> None:
    site.note("a.md", f"---\ntitle: T\n{front}\n---\n## 2026-03-14 09:30 · Update\n")
    run = site.check()
    assert run.code == 1
    assert message in run.err
