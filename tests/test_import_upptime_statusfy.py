"""`statuspage import upptime` (a clone plus its issues exported by `gh`) and `statuspage import statusfy`
(a site folder), each written the way the tool's docs and source write them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.conftest import Site, snapshot
from tests.test_import_statuspage import findings

UPPTIMERC = """\
owner: acme
repo: status
sites:
  - name: Google
    url: https://www.google.com
  - name: GitHub
    url: $SECRET_GITHUB_URL
  - name: Internal API
    slug: api
    url: https://api.acme.test
"""


def upptime_issues() -> list[dict]:
    """As `gh issue list --json number,title,body,labels,state,createdAt,closedAt,comments` writes them."""
    return [
        {
            "number": 12,
            "title": "🛑 Google is down",
            "body": "In [`abc1234`](https://github.com/acme/status/commit/abc1234), Google (https://www.google.com) was **down**:\n- HTTP code: 0\n- Response time: 0 ms\n",
            "labels": [{"name": "status"}, {"name": "google"}],
            "state": "CLOSED",
            "createdAt": "2026-03-03T10:05:00Z",
            "closedAt": "2026-03-03T10:40:00Z",
            "comments": [
                {
                    "body": "**Resolved:** Google is back up in [`def5678`](https://github.com/acme/status/commit/def5678).",
                    "createdAt": "2026-03-03T10:40:00Z",
                },
                {"body": "We looked into it: a DNS problem.", "createdAt": "2026-03-03T10:20:00Z"},
            ],
        },
        {
            "number": 13,
            "title": "⚠️ GitHub has degraded performance",
            "body": "In [`aaa1111`](https://github.com/acme/status/commit/aaa1111), GitHub experienced **degraded performance**.",
            "labels": [{"name": "status"}, {"name": "git-hub"}],
            "state": "OPEN",
            "createdAt": "2026-03-19T08:00:00Z",
            "closedAt": None,
            "comments": [],
        },
        {
            "number": 14,
            "title": "Payment page broken",
            "body": "Reported by customers.",
            "labels": [{"name": "status"}, {"name": "payments"}],
            "state": "CLOSED",
            "createdAt": "2026-03-04T09:00:00Z",
            "closedAt": "2026-03-04T09:30:00Z",
            "comments": 2,
        },
        {
            "number": 15,
            "title": "Database migration",
            "body": "<!--\nstart: 2026-03-10T22:00:00+00:00\nend: 2026-03-10T23:00:00+00:00\nexpectedDown: api\n-->\nWe are migrating the database.",
            "labels": [{"name": "maintenance"}],
            "state": "CLOSED",
            "createdAt": "2026-03-08T12:00:00Z",
            "closedAt": "2026-03-10T23:00:00Z",
            "comments": [],
        },
        {
            "number": 16,
            "title": "Update the README",
            "body": "",
            "labels": [],
            "state": "OPEN",
            "createdAt": "2026-03-01T00:00:00Z",
        },
    ]


def test_an_upptime_clone_and_its_issues_become_components_and_notes(site: Site, tmp_path: Path) -> None:
    clone = tmp_path / "upptime"
    clone.mkdir()
    (clone / ".upptimerc.yml").write_text(UPPTIMERC)
    (clone / "issues.json").write_text(json.dumps(upptime_issues(), ensure_ascii=False))
    result = site.run("import", "upptime", str(clone), "--config", str(site.config_path))
    assert result.code == 0, result.err
    notes = site.root / "incidents"
    assert sorted(p.name for p in notes.iterdir()) == [
        "2026-03-03-google-is-down.md",
        "2026-03-04-payment-page-broken.md",
        "2026-03-10-database-migration.md",
        "2026-03-19-github-has-degraded-performance.md",
    ]
    google = (notes / "2026-03-03-google-is-down.md").read_text()
    assert google.startswith(
        "---\n# imported from upptime: #12\ntitle: Google is down\ncomponents:\n  google: major_outage\n"
        "resolved: 2026-03-03 11:40 +01:00\n---\n\n## 2026-03-03 11:40 +01:00 · Resolved\n**Resolved:** Google is back up"
    )
    assert "## 2026-03-03 11:20 +01:00 · Update\nWe looked into it: a DNS problem.\n" in google
    github = (notes / "2026-03-19-github-has-degraded-performance.md").read_text()
    assert "components:\n  github: degraded_performance\n" in github and "resolved:" not in github
    migration = (notes / "2026-03-10-database-migration.md").read_text()
    assert "kind: maintenance\nscheduled: 2026-03-10 23:00 +01:00\nuntil: 2026-03-11 00:00 +01:00\n" in migration
    assert "components:\n  internal-api: under_maintenance\n" in migration
    assert "## 2026-03-08 13:00 +01:00 · Scheduled\nWe are migrating the database.\n" in migration
    assert "  Internal API → internal-api (new)" in result.out
    assert "SECRET" not in site.config_path.read_text() and "SECRET" not in result.out
    assert findings(result.out) == [
        "issue #14: the title says neither 'is down' nor 'has degraded performance'; taken as down",
        "issue #14: the export counts 2 comment(s) but holds none; export with --json comments",
        "upptime/issues.json: 1 issue(s) without the 'status' or 'maintenance' label are not incidents; skipped",
        "issue #14: names the component 'payments', which matches none; left out of the note",
    ]
    assert site.check().code == 0
    before = snapshot(site.root)
    assert (
        "Nothing new to import."
        in site.run("import", "upptime", str(clone / "issues.json"), "--config", str(site.config_path)).out
    )
    assert snapshot(site.root) == before


def test_a_clone_without_an_issues_export_says_how_to_make_one(site: Site, tmp_path: Path) -> None:
    clone = tmp_path / "upptime"
    clone.mkdir()
    (clone / ".upptimerc.yml").write_text(UPPTIMERC)
    result = site.run("import", "upptime", str(clone), "--config", str(site.config_path))
    assert result.code == 1
    assert "a clone has no issues; export them beside .upptimerc.yml with\ngh issue list" not in result.err
    assert "gh issue list --state all" in result.err and not (site.root / "incidents").exists()


STATUSFY = {
    "config.yml": """\
        title: Statusfy Demo
        defaultLocale: en
        content:
          frontMatterFormat: yaml
          systems:
            - cdn
            - site-delivery
            - api
        """,
    "locales/en.json": json.dumps(
        {
            "title": "Demo",
            "systems": {
                "items": {
                    "cdn": {"title": "CDN"},
                    "site-delivery": {"title": "Site Delivery"},
                    "api": {"title": "API", "description": "The endpoints."},
                }
            },
        }
    ),
    # YAML front matter, updates out of order, the general content first.
    "content/2018-01-28_api-issues.md": """\
        ---
        id: 382ee1ab
        title: API Issues
        description: Our Files Conversion Process were responding slowly.
        date: 2018-01-28T18:28:48.878Z
        severity: degraded-performance
        affectedsystems:
          - api
          - cdn
        resolved: true
        ---

        <!-- Your General content -->
        Our Files Conversion Process were responding slowly.

        ::: update Resolved | 2018-01-28T22:28:48.878Z
        Performance is back to normal.
        :::

        ::: update Monitoring | 2018-01-28T20:28:48.878Z
        A fix is out.
        :::

        ::: update Rollback | 2018-01-28T21:00:00.000Z
        We rolled back.
        :::
        """,
    # TOML front matter, scheduled maintenance with a duration.
    "content/2018-02-01_maintenance.md": """\
        ---toml
        title = "Planned CDN work"
        date = 2018-01-30T10:00:00Z
        scheduled = 2018-02-01T22:00:00Z
        duration = 90
        severity = "under-maintenance"
        affectedsystems = ["cdn"]
        resolved = true
        ---
        We will replace CDN nodes.
        """,
    # JSON front matter, no updates, resolved without a Resolved update.
    "content/2018-03-01_networking.md": """\
        ---json
        {"title": "Networking Issues", "date": "2018-03-01 09:00:00", "severity": "major-outage",
         "affectedsystems": ["site-delivery"], "resolved": true}
        ---
        ::: update Investigating | 2018-03-01T09:05:00Z
        Looking.
        :::
        """,
    "content/es/2018-01-28_api-issues.md": "---\ntitle: Problemas\ndate: 2018-01-28T18:28:48Z\n---\n",
}


def test_a_statusfy_site_becomes_components_and_notes(site: Site, tmp_path: Path) -> None:
    source = tmp_path / "statusfy"
    for name, text in STATUSFY.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(textwrap.dedent(text))
    result = site.run("import", "statusfy", str(source), "--config", str(site.config_path))
    assert result.code == 0, result.err
    notes = site.root / "incidents"
    api = (notes / "2018-01-28-api-issues.md").read_text()
    assert api == textwrap.dedent(
        """\
        ---
        # imported from statusfy: 382ee1ab
        title: API Issues
        components:
          api: degraded_performance
          cdn: degraded_performance
        ---

        ## 2018-01-28 23:28:48 +01:00 · Resolved
        Performance is back to normal.

        ## 2018-01-28 22:00 +01:00 · Update
        **Rollback**

        We rolled back.

        ## 2018-01-28 21:28:48 +01:00 · Monitoring
        A fix is out.

        ## 2018-01-28 19:28:48 +01:00 · Investigating
        Our Files Conversion Process were responding slowly.
        """
    )
    cdn = (notes / "2018-02-01-planned-cdn-work.md").read_text()
    assert "kind: maintenance\nscheduled: 2018-02-01 23:00 +01:00\nuntil: 2018-02-02 00:30 +01:00\n" in cdn
    assert "## 2018-01-30 11:00 +01:00 · Scheduled\nWe will replace CDN nodes.\n" in cdn
    networking = (notes / "2018-03-01-networking-issues.md").read_text()
    assert "started: 2018-03-01 10:00 +01:00\nresolved: 2018-03-01 10:05 +01:00\n" in networking
    assert "  Site Delivery → site-delivery (new)" in result.out and "  API → api (already in the config)" in result.out
    assert findings(result.out) == [
        "statusfy/content/es: translations are not imported: a site has one language",
        "content/2018-01-28_api-issues.md: unknown update title 'Rollback'; posted as Update with the title kept",
        "content/2018-03-01_networking.md: resolved: true without a Resolved update; it ends at its last update (2018-03-01T09:05:00+00:00)",
    ]
    assert site.check().code == 0


def test_html_in_issues_and_comments_becomes_markdown_and_what_is_lost_is_reported(site: Site, tmp_path: Path) -> None:
    clone = tmp_path / "upptime"
    clone.mkdir()
    (clone / ".upptimerc.yml").write_text(UPPTIMERC)
    issue = {
        "number": 20,
        "title": "🛑 Google is down",
        "body": 'Down since 10:00.<br>\n<img width="600" alt="Screenshot" src="https://github.com/user-attachments/assets/1">\n',
        "labels": [{"name": "status"}, {"name": "google"}],
        "state": "CLOSED",
        "createdAt": "2026-03-03T10:05:00Z",
        "closedAt": "2026-03-03T10:40:00Z",
        "comments": [
            {
                "body": "<details>\n<summary>Logs</summary>\n\n- timeout\n- *reset*\n\n</details>\n<iframe src=x></iframe>",
                "createdAt": "2026-03-03T10:20:00Z",
            },
            {"body": "**Resolved:** Google is back up.", "createdAt": "2026-03-03T10:40:00Z"},
        ],
    }
    (clone / "issues.json").write_text(json.dumps([issue], ensure_ascii=False))
    result = site.run("import", "upptime", str(clone), "--config", str(site.config_path))
    assert result.code == 0, result.err
    note = (site.root / "incidents/2026-03-03-google-is-down.md").read_text()
    assert "## 2026-03-03 11:20 +01:00 · Update\nLogs\n\n- timeout\n- *reset*\n\n## " in note
    assert (
        "## 2026-03-03 11:05 +01:00 · Investigating\nDown since 10:00.\\\n"
        "[Screenshot](https://github.com/user-attachments/assets/1)\n"
    ) in note
    assert findings(result.out) == [
        "issue #20: 1 image kept as a link",
        "issue #20, comment 1: removed HTML with its content: <iframe>",
        "issue #20, comment 1: HTML formatting lost (text kept): <details>, <summary>",
    ]
    assert site.check().code == 0


def test_html_in_a_statusfy_incident_becomes_markdown_and_what_is_lost_is_reported(site: Site, tmp_path: Path) -> None:
    source = tmp_path / "statusfy"
    (source / "content").mkdir(parents=True)
    (source / "config.yml").write_text("content:\n  systems: [api]\n")
    (source / "content/a.md").write_text(
        "---\ntitle: Slow\ndate: 2018-03-01T09:00:00Z\nseverity: partial-outage\naffectedsystems: [api]\nresolved: true\n---\n"
        "<p>Requests are <em>slow</em>.</p>\n<style>p { color: red }</style>\n\n"
        "::: update Resolved | 2018-03-01T10:00:00Z\nBack to <font color=green>normal</font>.\n:::\n"
    )
    result = site.run("import", "statusfy", str(source), "--config", str(site.config_path))
    assert result.code == 0, result.err
    note = (site.root / "incidents/2018-03-01-slow.md").read_text()
    assert "## 2018-03-01 11:00 +01:00 · Resolved\nBack to normal.\n" in note
    assert "## 2018-03-01 10:00 +01:00 · Investigating\nRequests are *slow*.\n" in note
    assert findings(result.out) == [
        "statusfy/locales/en.json: not found; systems are named by their ids",
        "content/a.md: removed HTML with its content: <style>",
        "content/a.md: HTML formatting lost (text kept): <font>",
    ]
    assert site.check().code == 0
