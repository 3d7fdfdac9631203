"""`statuspage import statuspage`: saved documents, a page's public API and the management API, each
served or saved the way Atlassian documents them, imported through the real CLI."""

from __future__ import annotations

import json
import logging
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from statuspage.core.config import UpstreamSource
from statuspage.importers.records import Options
from statuspage.importers.run import run
from statuspage.net import Client, Retry
from statuspage.upstream import document as summary_document
from tests.conftest import Site, snapshot
from tests.fixtures import statuspage_documents as docs
from tests.fixtures.statuspage_server import Statuspage, serve
from tests.fixtures.vendor import DOCUMENTS

NOW = "2026-03-20T12:00:00+01:00"


def save_export(folder: Path, incidents: list[dict], maintenances: list[dict]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, document in docs.public(incidents, maintenances).items():
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return folder


def import_(site: Site, *args: str) -> str:
    result = site.run("import", "statuspage", *args, "--config", str(site.config_path), "--now", NOW)
    assert result.code == 0, result.err
    return result.out


def findings(out: str) -> list[str]:
    lines = out.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Could not be mapped exactly"))
    return [line.strip() for line in lines[start + 1 :] if line.startswith("  ")]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return save_export(tmp_path / "export", [docs.LOGIN, docs.FIRST_ERRORS, docs.SECOND_ERRORS], [docs.MAINTENANCE])


def test_saved_documents_become_notes_that_pass_check(site: Site, export: Path) -> None:
    out = import_(site, str(export))
    notes = site.root / "incidents"
    assert sorted(p.name for p in notes.iterdir()) == [
        "2026-03-02-uberlastung-der-datenbank.md",
        "2026-03-05-elevated-api-errors-2.md",
        "2026-03-05-elevated-api-errors.md",
        "2026-03-08-database-upgrade.md",
    ]
    assert (notes / "2026-03-02-uberlastung-der-datenbank.md").read_text() == (
        "---\n"
        "# imported from statuspage: inc1\n"
        "title: Überlastung der Datenbank\n"
        "impact: major\n"
        "components:\n"
        "  datenbank: degraded_performance\n"
        "---\n\n"
        "## 2026-03-02 11:30 +01:00 · Resolved (datenbank: operational)\n"
        "All fixed.\n\n"
        "## 2026-03-02 10:20 +01:00 · Identified (datenbank: partial_outage, api: degraded_performance)\n"
        "Found a bad index.\n\n"
        "## 2026-03-02 10:00 +01:00 · Investigating\n"
        "Queries are slow.\n\n"
        "We are **looking** into it: [details](https://status.example.com/x)\n"
    )
    maintenance = (notes / "2026-03-08-database-upgrade.md").read_text()
    assert "kind: maintenance\nscheduled: 2026-03-08 23:00 +01:00\nuntil: 2026-03-09 00:30 +01:00\n" in maintenance
    assert "components:\n  datenbank: under_maintenance\n" in maintenance
    assert "## 2026-03-08 23:00 +01:00 · In progress\nStarted.\n" in maintenance
    assert findings(out) == [
        "incident inc1, update u4: has no time; skipped",
        "incident inc1, update u1: removed HTML with its content: <script>",
        "incident inc3, update u8: unknown status 'cancelled'; posted as Update",
        "incident inc3: started_at is after its first update (a backdated incident); the note starts at that update",
        "incident inc3: names the component 'gone', which matches none; left out of the note",
    ]
    assert "  Datenbank → datenbank (new)" in out and "  API → api (already in the config)" in out
    assert site.check().code == 0
    assert site.build().code == 0
    api = json.loads((site.out / "api/v2/incidents.json").read_text())
    login = next(i for i in api["incidents"] if i["name"] == "Überlastung der Datenbank")
    assert [u["status"] for u in login["incident_updates"]] == ["resolved", "identified", "investigating"]
    assert login["started_at"] == "2026-03-02T10:00:00+01:00" and login["resolved_at"] == "2026-03-02T11:30:00+01:00"


def test_a_second_run_writes_nothing_and_a_newer_export_adds_only_what_is_new(site: Site, tmp_path: Path) -> None:
    ongoing = {
        **docs.FIRST_ERRORS,
        "status": "investigating",
        "incident_updates": docs.FIRST_ERRORS["incident_updates"][:1],
    }
    first = save_export(tmp_path / "first", [ongoing], [])
    import_(site, str(first))
    before = snapshot(site.root)
    out = import_(site, str(first))
    assert snapshot(site.root) == before
    assert "1 incident(s) were imported before and have nothing new." in out and "Nothing new to import." in out

    newer = save_export(tmp_path / "newer", [docs.FIRST_ERRORS, docs.SECOND_ERRORS], [])
    note = site.root / "incidents/2026-03-05-elevated-api-errors.md"
    note.write_text(note.read_text().replace("Errors.", "Errors, said by hand."))  # the team edited it
    before = snapshot(site.root)
    out = import_(site, str(newer))
    assert "Added 1 new update(s) to incidents/2026-03-05-elevated-api-errors.md" in out
    assert "  incidents/2026-03-05-elevated-api-errors-2.md" in out
    text = note.read_text()
    assert text.index("## 2026-03-05 09:30 +01:00 · Resolved (api: operational)\nFixed.\n") < text.index(
        "Errors, said by hand."
    )
    after = snapshot(site.root)
    # Only the two notes changed: the config was left alone and no temporary file was left behind.
    assert {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)} == {
        "incidents/2026-03-05-elevated-api-errors.md",
        "incidents/2026-03-05-elevated-api-errors-2.md",
    }
    assert site.check().code == 0
    again = import_(site, str(newer))
    assert "Nothing new to import." in again


def test_dry_run_prints_the_notes_and_the_config_and_writes_nothing(site: Site, export: Path) -> None:
    before = snapshot(site.root)
    out = import_(site, str(export), "--dry-run")
    assert snapshot(site.root) == before
    assert "Would append 1 component(s) to the config:" in out and '  id = "datenbank"' in out
    assert "Would write 4 note(s):" in out
    assert "    ## 2026-03-02 11:30 +01:00 · Resolved (datenbank: operational)" in out


def test_the_public_api_is_read_by_the_page_address(site: Site) -> None:
    fake = Statuspage(public=docs.public([docs.FIRST_ERRORS], [docs.MAINTENANCE]))
    with serve(fake):
        out = import_(site, fake.url + "/")
    assert [path for path, _ in fake.seen] == [
        f"/api/v2/{name}" for name in ("components.json", "incidents.json", "scheduled-maintenances.json")
    ]
    assert "Wrote 2 note(s):" in out
    assert site.check().code == 0


def test_a_page_without_maintenances_is_reported_not_fatal(site: Site) -> None:
    documents = docs.public([docs.FIRST_ERRORS], [])
    del documents["scheduled-maintenances.json"]
    with serve(Statuspage(public=documents)) as fake:
        out = import_(site, fake.url)
    assert findings(out) == ["scheduled-maintenances.json: not served by this page (HTTP 404); no maintenance imported"]


def test_an_address_that_does_not_answer_is_an_error_that_writes_nothing(site: Site) -> None:
    before = snapshot(site.root)
    with serve(Statuspage()) as fake:
        result = site.run("import", "statuspage", fake.url, "--config", str(site.config_path))
    assert result.code == 1
    assert result.err.strip().split("\n")[-1] == "error: cannot read components.json: GET http://127.0.0.1: HTTP 404"
    assert snapshot(site.root) == before


# -- the management API ----------------------------------------------------------------------


def management_fake() -> Statuspage:
    """250 incidents (three pages of 100) and a rate limit on the second page of incidents."""
    incidents = []
    for n in range(250):
        day = 1 + n % 28
        item = docs.incident(
            f"bulk{n}",
            f"Incident number {n}",
            "resolved",
            "minor",
            [
                docs.update(
                    f"b{n}a",
                    "investigating",
                    f"2025-{1 + n // 28:02d}-{day:02d}T10:00:00Z",
                    "Slow.",
                    ("cmp1", "API", "operational", "degraded_performance"),
                ),
                docs.update(f"b{n}b", "resolved", f"2025-{1 + n // 28:02d}-{day:02d}T10:45:00Z", "Fine."),
            ],
        )
        incidents.append(item)
    incidents.append(
        {
            **docs.FIRST_ERRORS,
            "postmortem_body": "We found the cause.\n\nA full <i>write-up</i>.",
            "postmortem_published_at": "2026-03-06T12:00:00Z",
        }
    )
    incidents.append({**docs.SECOND_ERRORS, "postmortem_body": "Draft.", "postmortem_published_at": None})
    groups = [{"id": "grp1", "name": "Core", "components": ["cmp1", "cmp2"]}]
    components = [c for c in docs.COMPONENTS if not c.get("group")]
    return Statuspage(
        lists={"incidents": incidents, "components": components, "component-groups": groups},
        key="s3cr3t-key-value",
        limited={"/v1/pages/pg1/incidents": "7"},
    )


def recording_client() -> tuple[Client, list[float]]:
    """A real client whose pauses are recorded on a clock of their own instead of taking time."""
    pauses: list[float] = []
    return Client(timeout=5, retry=Retry(total=600), sleep=pauses.append, clock=lambda: sum(pauses)), pauses


def test_the_management_api_is_paginated_paced_and_retried_after_a_429(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging.root, "handlers", [])  # earlier CLI runs left handlers on closed streams
    client, pauses = recording_client()
    with serve(management_fake()) as fake:
        options = Options(
            zone=ZoneInfo("UTC"),
            now=datetime(2026, 3, 20, tzinfo=UTC),
            client=client,
            environ={"SP_KEY": "s3cr3t-key-value"},
            api_key_env="SP_KEY",
            page_id="pg1",
            api_url=fake.url + "/v1",
        )
        outcome = run("statuspage", "", site.config_path, options)
    paths = [path for path, _ in fake.seen]
    assert paths == [
        "/v1/pages/pg1/components?page=1&per_page=100",
        "/v1/pages/pg1/component-groups?page=1&per_page=100",
        "/v1/pages/pg1/incidents?page=1&limit=100",
        "/v1/pages/pg1/incidents?page=1&limit=100",  # the 429, asked again after Retry-After
        "/v1/pages/pg1/incidents?page=2&limit=100",
        "/v1/pages/pg1/incidents?page=3&limit=100",
    ]
    assert {auth for _, auth in fake.seen} == {"OAuth s3cr3t-key-value"}
    # One second between requests, and the 7 s the server asked for (the retry's own wait).
    assert pauses == [1.0, 1.0, 7.0, 1.0, 1.0]
    assert len(outcome.written.notes) == 252
    postmortem = (site.root / "incidents/2026-03-05-elevated-api-errors.md").read_text()
    assert "## 2026-03-06 13:00 +01:00 · Postmortem\nWe found the cause.\n\nA full *write-up*.\n" in postmortem
    assert "incident inc3: has a postmortem that was never published; not imported" in [
        str(f) for f in outcome.plan.findings
    ]
    assert 'group = "Core"' in site.config_path.read_text()
    assert site.check().code == 0


@pytest.mark.slow
def test_the_management_api_key_comes_from_the_environment_and_is_never_shown(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = management_fake()
    fake.lists["incidents"] = fake.lists["incidents"][-2:]
    fake.limited.clear()
    with serve(fake):
        monkeypatch.setenv("SP_KEY", "wrong-key")
        refused = site.run(
            "import", "statuspage", "--page-id", "pg1", "--api-key-env", "SP_KEY", "--api-url", fake.url + "/v1",
            "--config", str(site.config_path),
        )  # fmt: skip
        monkeypatch.setenv("SP_KEY", "s3cr3t-key-value")
        ok = site.run(
            "import", "statuspage", "--page-id", "pg1", "--api-key-env", "SP_KEY", "--api-url", fake.url + "/v1",
            "--config", str(site.config_path),
        )  # fmt: skip
    assert refused.code == 1
    assert "HTTP 401; check the API key and --page-id" in refused.err
    assert ok.code == 0, ok.err
    assert "Wrote 2 note(s):" in ok.out
    for text in (refused.out, refused.err, ok.out, ok.err, *(p.read_text() for p in site.root.rglob("*.md"))):
        assert "s3cr3t" not in text and "wrong-key" not in text
    assert "s3cr3t" not in site.config_path.read_text()


def test_the_management_api_without_its_key_says_which_variable_to_set(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SP_KEY", raising=False)
    result = site.run(
        "import", "statuspage", "--page-id", "pg1", "--api-key-env", "SP_KEY", "--config", str(site.config_path)
    )
    assert result.code == 1
    assert result.err.strip() == "error: the environment variable SP_KEY is not set; put the API key in it"


def test_the_import_and_upstream_read_a_pages_components_and_groups_alike(site: Site, tmp_path: Path) -> None:
    """One reading of Statuspage's component list: an incident.io summary with a group entry,
    entries without an id, and an entry that is not an object."""
    saved = tmp_path / "summary.json"
    saved.write_bytes((DOCUMENTS / "incidentio-summary.json").read_bytes())
    out = import_(site, str(saved))
    assert "  Web app → web-app (new)" in out and "  API → api (already in the config)" in out
    appended = tomllib.loads(site.config_path.read_text())["components"][3:]
    at = datetime(2026, 3, 20, tzinfo=UTC)
    vendor = summary_document.parse(json.loads(saved.read_text()), UpstreamSource("l", "L", "https://l.test/"), at, at)
    shown = [(c.name, c.group) for c in vendor.components if c.name != "API"]
    assert (
        [(c["name"], c.get("group")) for c in appended]
        == shown
        == [
            ("Web app", "Core product"),
            ("Sync", "Core product"),
            ("Integrations", None),
        ]
    )
