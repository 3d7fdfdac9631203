"""`statuspage import cstate`: a Hugo site folder written the way cState's docs and example site write one."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.conftest import Site, snapshot
from tests.test_import_statuspage import findings

CONFIG = """\
title: Eggsample Status
params:
  categories:
    - name: North Coast
      closed: true
    - name: Uncategorized
      untitled: true
  systems:
    - name: Gateway
      category: North Coast
    - name: API
      description: The guts of the application.
      category: Uncategorized
    - name: Médiathèque
      category: Uncategorized
"""

ISSUES = {
    # Newest first, times from {{< track >}}, a post-mortem first, `---` between parts.
    "2018-04-13-guilds.md": """\
        ---
        title: Unavailable Guilds
        date: 2018-04-13 15:54:00
        resolved: true
        resolvedWhen: 2018-04-13 17:30:00
        severity: down
        affected: [API, Médiathèque]
        section: issue
        ---

        *Post-mortem*

        A Redis instance was **migrated** automatically.

        ---

        *Monitoring* - Recovering. {{< track "2018-04-13 16:50:00" >}}

        *Investigating* - We're aware of it. {{< track "2018-04-13 15:54:00" >}}
        """,
    # Key case as Hugo allows, no times, an unknown word, an unknown system, oldest first.
    "2019-01-05-dms.md": """\
        ---
        Title: Issues Sending DMs
        Date: 2019-01-05 10:00:00
        Resolved: true
        ResolvedWhen: 2019-01-05 12:00:00
        Severity: disrupted
        Affected:
          - API
          - Chat
        Section: issue
        Pin: true
        ---

        *Investigating* - Looking into it.

        *Fixed* -
        It works again.
        """,
    # Two issues with one title on one day; a notice with a window is maintenance.
    "a.md": """\
        ---
        title: Maintenance Window
        date: 2024-02-24T10:35:00Z
        resolvedWhen: 2024-02-24T11:35:00Z
        resolved: true
        severity: notice
        affected: [Gateway]
        section: issue
        ---

        We will shut down the network.
        """,
    "b.md": """\
        ---
        title: Maintenance Window
        date: 2024-02-24 18:00:00
        resolved: false
        severity: down
        affected: [Gateway]
        section: issue
        ---

        Still down. {{< track "2024-02-24 18:00:00" >}} {{< figure src="x.png" >}}
        """,
    "2019-10-04-informational.md": """\
        ---
        title: New cState features
        date: 2019-10-04 18:05:00
        informational: true
        section: issue
        ---

        An *informational* post.

        ---

        With a rule in it.
        """,
    "draft.md": "---\ntitle: Not yet\ndate: 2019-10-04 18:05:00\ndraft: true\nsection: issue\n---\nDraft.\n",
}


def cstate_site(folder: Path) -> Path:
    (folder / "content/issues").mkdir(parents=True)
    (folder / "config.yml").write_text(CONFIG)
    for name, text in ISSUES.items():
        (folder / "content/issues" / name).write_text(textwrap.dedent(text))
    return folder


def test_a_cstate_site_becomes_components_and_notes(site: Site, tmp_path: Path) -> None:
    source = cstate_site(tmp_path / "cstate")
    result = site.run("import", "cstate", str(source), "--config", str(site.config_path), "--now", "2026-03-20T12:00Z")
    assert result.code == 0, result.err
    notes = site.root / "incidents"
    assert sorted(p.name for p in notes.iterdir()) == [
        "2018-04-13-unavailable-guilds.md",
        "2019-01-05-issues-sending-dms.md",
        "2019-10-04-new-cstate-features.md",
        "2024-02-24-maintenance-window-2.md",
        "2024-02-24-maintenance-window.md",
    ]
    assert (notes / "2018-04-13-unavailable-guilds.md").read_text() == textwrap.dedent(
        """\
        ---
        # imported from cstate: 2018-04-13-guilds.md
        title: Unavailable Guilds
        components:
          api: major_outage
          mediatheque: major_outage
        resolved: 2018-04-13 19:30 +02:00
        ---

        ## 2018-04-13 19:30 +02:00 · Postmortem
        A Redis instance was **migrated** automatically.

        ## 2018-04-13 18:50 +02:00 · Monitoring
        Recovering.

        ## 2018-04-13 17:54 +02:00 · Investigating
        We're aware of it.
        """
    )
    dms = (notes / "2019-01-05-issues-sending-dms.md").read_text()
    assert "## 2019-01-05 13:00 +01:00 · Resolved\nIt works again.\n" in dms
    assert "## 2019-01-05 11:00 +01:00 · Investigating\nLooking into it.\n" in dms
    assert "components:\n  api: partial_outage\n" in dms
    window = (notes / "2024-02-24-maintenance-window.md").read_text()
    assert "kind: maintenance\nscheduled: 2024-02-24 11:35 +01:00\nuntil: 2024-02-24 12:35 +01:00\n" in window
    assert "components:\n  gateway: under_maintenance\n" in window
    info = (notes / "2019-10-04-new-cstate-features.md").read_text()
    assert "impact: none\nresolved: 2019-10-04 20:05 +02:00\n" in info
    assert "## 2019-10-04 20:05 +02:00 · Update\nAn *informational* post.\n\n---\n\nWith a rule in it.\n" in info
    assert "  Gateway → gateway (new)" in result.out and "  Médiathèque → mediatheque (new)" in result.out
    assert '[[components]]\nid = "gateway"\nname = "Gateway"\ngroup = "North Coast"\n' in site.config_path.read_text()
    assert 'id = "mediatheque"\nname = "Médiathèque"\n\n' in site.config_path.read_text() + "\n"  # untitled: no group
    assert findings(result.out) == [
        "content/issues/2018-04-13-guilds.md: an update without a {{< track >}} time is dated 2018-04-13T17:30:00+00:00 (its resolvedWhen)",
        "content/issues/2019-01-05-dms.md: is pinned (pin: true); notes are not pinned, it is listed by its date",
        "content/issues/2019-01-05-dms.md: the status 'Fixed' is read as Resolved",
        "content/issues/2019-01-05-dms.md: an update without a {{< track >}} time is dated 2019-01-05T12:00:00+00:00 (its resolvedWhen)",
        "content/issues/b.md: the Hugo shortcode {{< figure >}} is dropped",
        "content/issues/draft.md: is a draft (draft: true), which cState does not show; skipped",
        "content/issues/2019-01-05-dms.md: names the component 'Chat', which matches none; left out of the note",
    ]
    assert site.check().code == 0
    before = snapshot(site.root)
    again = site.run("import", "cstate", str(source), "--config", str(site.config_path), "--now", "2026-03-20T12:00Z")
    assert again.code == 0 and "Nothing new to import." in again.out
    assert snapshot(site.root) == before


def test_naive_times_are_read_in_the_zone_given(site: Site, tmp_path: Path) -> None:
    source = cstate_site(tmp_path / "cstate")
    result = site.run(
        "import", "cstate", str(source), "--config", str(site.config_path), "--timezone", "America/New_York",
        "--now", "2026-03-20T12:00Z",
    )  # fmt: skip
    assert result.code == 0, result.err
    text = (site.root / "incidents/2018-04-13-unavailable-guilds.md").read_text()
    assert "## 2018-04-13 21:54 +02:00 · Investigating" in text  # 15:54 in New York


def test_a_future_issue_is_upcoming_maintenance(site: Site, tmp_path: Path) -> None:
    source = cstate_site(tmp_path / "cstate")
    (source / "content/issues/2026-04-01-upgrade.md").write_text(
        "---\ntitle: Upgrade\ndate: 2026-04-01 22:00:00\nresolvedWhen: 2026-04-01 23:00:00\n"
        "severity: down\naffected: [API]\nsection: issue\n---\n\nWe will upgrade.\n"
    )
    result = site.run("import", "cstate", str(source), "--config", str(site.config_path), "--now", "2026-03-20T12:00Z")
    assert result.code == 0, result.err
    text = (site.root / "incidents/2026-04-02-upgrade.md").read_text()
    assert "kind: maintenance\nscheduled: 2026-04-02 00:00 +02:00\nuntil: 2026-04-02 01:00 +02:00\n" in text
    assert "## 2026-03-20 13:00 +01:00 · Scheduled\nWe will upgrade.\n" in text  # announced at the import
    assert site.check().code == 0


def import_issue(site: Site, tmp_path: Path, name: str, text: str) -> tuple[str, list[str]]:
    """Import a cState site of one issue; its note's text and the report's findings."""
    source = tmp_path / "one"
    (source / "content/issues").mkdir(parents=True)
    (source / "config.yml").write_text("params:\n  systems:\n    - name: API\n")
    (source / "content/issues" / name).write_text(textwrap.dedent(text))
    result = site.run("import", "cstate", str(source), "--config", str(site.config_path), "--now", "2026-03-20T12:00Z")
    assert result.code == 0, result.err
    (note,) = (site.root / "incidents").iterdir()
    assert site.check().code == 0
    return note.name + "\n" + note.read_text(), findings(result.out)


def test_track_times_months_before_the_date_are_reported_and_make_no_months_long_outage(
    site: Site, tmp_path: Path
) -> None:
    """As in cState's own example site: the `date` is right, the track times were copied from another issue."""
    note, found = import_issue(
        site,
        tmp_path,
        "2024-07-23-excitement.md",
        """\
        ---
        title: Short outage
        date: 2024-07-23 10:35:00
        resolved: true
        resolvedWhen: 2024-07-23 10:38:00
        severity: down
        affected: [API]
        section: issue
        ---

        We are down for a few minutes. {{< track "2024-02-24 10:35:00" >}}

        ---

        *Investigating* - Looking into it.
        {{< track "2024-02-24 10:35:00" >}}

        ---

        *Fixed* - Back up. {{< track "2024-02-24 10:35:00" >}}
        """,
    )
    # Equal times: the Resolved at the bottom says the body is oldest first, so it ends resolved.
    assert note == textwrap.dedent(
        """\
        2024-02-24-short-outage.md
        ---
        # imported from cstate: 2024-07-23-excitement.md
        title: Short outage
        components:
          api: major_outage
        ---

        ## 2024-02-24 11:35 +01:00 · Resolved
        Back up.

        ## 2024-02-24 11:35 +01:00 · Investigating
        Looking into it.

        ## 2024-02-24 11:35 +01:00 · Investigating
        We are down for a few minutes.
        """
    )
    assert (
        "content/issues/2024-07-23-excitement.md: its {{< track >}} times (2024-02-24T10:35:00+00:00) are 150 days "
        "before its date and resolvedWhen (2024-07-23T10:35:00+00:00 to 2024-07-23T10:38:00+00:00), so one of them "
        "is wrong; the note keeps the track times and ignores date and resolvedWhen: check which is right"
    ) in found
    assert site.build(now="2024-07-31T12:00:00+02:00").code == 0  # the window holds May to July
    uptime = json.loads((site.out / "api/uptime.json").read_text())
    (api,) = (c for c in uptime["components"] if c["id"] == "api")
    assert len(api["days"]) == 90 and api["days"][-1]["date"] == "2024-07-31"
    assert {day["seconds"]["major_outage"] for day in api["days"]} == {0}  # not a day of outage, let alone 150


def test_a_date_a_month_before_its_track_times_is_reported_and_the_updates_are_kept(site: Site, tmp_path: Path) -> None:
    """Also in cState's example: this time the track times are right and `date` is a month off."""
    note, found = import_issue(
        site,
        tmp_path,
        "2018-05-25-us-east.md",
        """\
        ---
        title: US East Connection Issues
        date: 2018-04-25 04:13:00
        resolved: true
        resolvedWhen: 2018-04-25 04:13:59
        severity: down
        affected: [API]
        section: issue
        ---

        *Resolved* - All users can connect. {{< track "2018-05-25 05:54:00" >}}

        *Monitoring* - An ISP issue. {{< track "2018-05-25 04:40:00" >}}

        *Investigating* - Looking into it. {{< track "2018-05-25 04:13:00" >}}
        """,
    )
    assert note.startswith("2018-05-25-us-east-connection-issues.md\n")
    assert "started:" not in note and "resolved:" not in note
    assert "## 2018-05-25 07:54 +02:00 · Resolved\nAll users can connect.\n" in note
    assert found == [
        "content/issues/2018-05-25-us-east.md: its {{< track >}} times (2018-05-25T04:13:00+00:00 to "
        "2018-05-25T05:54:00+00:00) are 29 days after its date and resolvedWhen (2018-04-25T04:13:00+00:00 to "
        "2018-04-25T04:13:59+00:00), so one of them is wrong; the note keeps the track times and ignores date and "
        "resolvedWhen: check which is right"
    ]


def test_a_resolved_update_ends_the_note_and_a_different_resolvedwhen_is_reported(site: Site, tmp_path: Path) -> None:
    note, found = import_issue(
        site,
        tmp_path,
        "slow.md",
        """\
        ---
        title: Slow API
        date: 2019-03-01 09:50:00
        resolved: true
        resolvedWhen: 2019-03-01 11:00:00
        severity: disrupted
        affected: [API]
        section: issue
        ---

        *Resolved* - Fast again. {{< track "2019-03-01 10:50:00" >}}

        *Investigating* - Slow. {{< track "2019-03-01 10:00:00" >}}
        """,
    )
    assert "started: 2019-03-01 10:50 +01:00\n" in note and "resolved:" not in note
    assert "## 2019-03-01 11:50 +01:00 · Resolved\nFast again.\n" in note
    assert found == [
        "content/issues/slow.md: its resolvedWhen (2019-03-01T11:00:00+00:00) is 10 minutes after its Resolved "
        "update (2019-03-01T10:50:00+00:00); the note ends at the Resolved update"
    ]


def test_html_in_a_body_becomes_markdown_and_what_is_lost_is_reported(site: Site, tmp_path: Path) -> None:
    note, found = import_issue(
        site,
        tmp_path,
        "html.md",
        """\
        ---
        title: Graphs
        date: 2019-03-01 10:00:00
        resolved: true
        resolvedWhen: 2019-03-01 11:00:00
        severity: down
        affected: [API]
        section: issue
        ---

        *Resolved* - Fixed, <u>really</u>. {{< track "2019-03-01 11:00:00" >}}

        *Investigating* - The <b>API</b> is down.<script>alert(1)</script>
        See <img src="https://cdn.example/graph.png" alt="graph"> and **this** `<i>code</i>`.
        {{< track "2019-03-01 10:00:00" >}}
        """,
    )
    assert (
        "## 2019-03-01 11:00 +01:00 · Investigating\n"
        "The **API** is down.\nSee [graph](https://cdn.example/graph.png) and **this** `<i>code</i>`.\n"
    ) in note
    assert "## 2019-03-01 12:00 +01:00 · Resolved\nFixed, really.\n" in note
    assert found == [
        "content/issues/html.md: HTML formatting lost (text kept): <u>",
        "content/issues/html.md: removed HTML with its content: <script>",
        "content/issues/html.md: 1 image kept as a link",
    ]
