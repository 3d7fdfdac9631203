"""The Statuspage API v2 documents and api/uptime.json: schema, semantics, agreement with the pages.

The site below is built at conftest's NOW (2026-03-20 12:00 CET) and has one incident of
every kind the API tells apart: ongoing (its latest post an "Update"), resolved after
monitoring, resolved with a postmortem; maintenance upcoming, in progress, verifying, completed.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CONFIG, NOW, Site, text_of
from fixtures.notes import NOTES, write_notes
from fixtures.schemas import SCHEMAS

from statuspage.cli import main
from statuspage.core import words

DOCUMENTS = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]
#: The schema definition each document follows: the four list endpoints share their shape.
SCHEMA_OF = {
    "incidents/unresolved.json": "incidents.json",
    "scheduled-maintenances/upcoming.json": "scheduled-maintenances.json",
    "scheduled-maintenances/active.json": "scheduled-maintenances.json",
}


def api(site: Site, name: str) -> Any:
    return json.loads((site.out / "api/v2" / name).read_text(encoding="utf-8"))


def validator(schema_file: str, definition: str | None = None) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    if definition:
        schema = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def build(config: Path, out: Path, now: str = NOW) -> None:
    assert main(["build", "--config", str(config), "--out", str(out), "--now", now, "-q"]) == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Built once for the module: the tests below only read it."""
    site = Site(tmp_path_factory.mktemp("api"), capsys=None)  # type: ignore[arg-type]
    site.config()
    write_notes(site)
    build(site.config_path, site.out)
    return site


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_match_the_schema(built: Site, name: str) -> None:
    document = api(built, name)
    errors = [e.message for e in validator("statuspage-v2.json", SCHEMA_OF.get(name, name)).iter_errors(document)]
    assert errors == []


def test_the_schema_rejects_what_strict_clients_reject(built: Site) -> None:
    """The schema is not a rubber stamp: the values strict clients choke on fail it."""
    check = validator("statuspage-v2.json", "summary.json")
    summary = api(built, "summary.json")
    for path, bad in [
        (("status", "indicator"), "maintenance"),
        (("page", "updated_at"), "2026-03-20T12:00:00"),  # no offset
        (("components", 0, "status"), "down"),
        (("incidents", 0, "status"), "update"),
        (("scheduled_maintenances", 0, "impact"), "severe"),
    ]:
        broken = json.loads(json.dumps(summary))
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        assert not check.is_valid(broken), path


def test_status_and_components_agree_with_the_status_page(built: Site) -> None:
    summary = api(built, "summary.json")
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    page = built.html()
    assert text_of(page.select_one("#banner-text")) == summary["status"]["description"]
    shown = {
        text_of(li.select_one("h3, h4")): li.select_one(".component-head .state")["class"][1].removeprefix("s-")
        for li in page.select("li.component")
    }
    listed = {c["name"]: c["status"] for c in summary["components"] if not c["group"]}
    assert listed == shown == {"Website": "under_maintenance", "Login": "under_maintenance", "API": "partial_outage"}
    assert api(built, "components.json")["components"] == summary["components"]
    assert api(built, "status.json") == {"page": summary["page"], "status": summary["status"]}


def test_groups_are_entries_in_the_flat_list(built: Site) -> None:
    components = api(built, "components.json")["components"]
    assert [(c["id"], c["group"], c["group_id"], c["position"]) for c in components] == [
        ("group-web", True, None, 1),
        ("web", False, "group-web", 2),
        ("login", False, "group-web", 3),
        ("api", False, None, 4),
    ]
    group = components[0]
    assert group["name"] == "Web"
    assert group["components"] == ["web", "login"]
    assert group["status"] == "under_maintenance"


def test_unresolved_means_investigating_identified_or_monitoring(built: Site) -> None:
    unresolved = api(built, "incidents/unresolved.json")["incidents"]
    everything = api(built, "incidents.json")["incidents"]
    assert [i["id"] for i in unresolved] == ["2026-03-20-api"]
    open_ones = [i for i in everything if i["status"] in ("investigating", "identified", "monitoring")]
    assert open_ones == unresolved
    assert api(built, "summary.json")["incidents"] == unresolved
    assert [(i["id"], i["status"]) for i in everything] == [
        ("2026-03-20-api", "identified"),
        ("2026-03-14-login", "resolved"),
        ("2026-03-10-web", "postmortem"),
    ]
    for incident in everything:
        assert (incident["resolved_at"] is None) == (incident in unresolved)


def test_upcoming_means_scheduled_and_active_means_in_progress_or_verifying(built: Site) -> None:
    upcoming = api(built, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    active = api(built, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    everything = api(built, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in upcoming] == [("2026-03-24-upgrade", "scheduled")]
    assert sorted((m["id"], m["status"]) for m in active) == [
        ("2026-03-20-login-maintenance", "in_progress"),
        ("2026-03-20-web-maintenance", "verifying"),
    ]
    assert [m for m in everything if m["status"] == "scheduled"] == upcoming
    assert sorted(m["id"] for m in everything if m["status"] in words.ACTIVE_MAINTENANCE) == sorted(
        m["id"] for m in active
    )
    assert [(m["id"], m["status"]) for m in everything if m["status"] == "completed"] == [
        ("2026-03-05-db", "completed")
    ]
    assert {m["impact"] for m in everything} == {"maintenance"}
    assert api(built, "summary.json")["scheduled_maintenances"] == active + upcoming


def test_an_incident_in_full(built: Site) -> None:
    incident = api(built, "incidents/unresolved.json")["incidents"][0]
    updates = incident.pop("incident_updates")
    components = incident.pop("components")
    assert incident == {
        "id": "2026-03-20-api",
        "name": 'API "errors" & <timeouts>',
        "status": "identified",  # Statuspage has no "update" status: the last open one holds
        "created_at": "2026-03-20T10:00:00+01:00",
        "updated_at": "2026-03-20T11:00:00+01:00",
        "monitoring_at": None,
        "resolved_at": None,
        "impact": "major",
        "shortlink": "https://status.test/incidents/2026-03-20-api/",
        "started_at": "2026-03-20T10:00:00+01:00",
        "page_id": "status-test",
    }
    assert [c["id"] for c in components] == ["api"]
    assert components[0]["status"] == "partial_outage"
    assert [(u["id"], u["status"], u["body"]) for u in updates] == [
        ("2026-03-20-api-update-20260320T1000Z", "identified", "Still moving traffic away from it."),
        (
            "2026-03-20-api-update-20260320T0930Z",
            "identified",
            "A replica is failing; see the runbook (https://example.com/runbook).",
        ),
        ("2026-03-20-api-update-20260320T0900Z", "investigating", "Requests are slow."),
    ]
    assert [u["affected_components"] for u in updates] == [
        None,
        [{"code": "api", "name": "API", "old_status": "degraded_performance", "new_status": "partial_outage"}],
        [{"code": "api", "name": "API", "old_status": "operational", "new_status": "degraded_performance"}],
    ]
    assert {u["incident_id"] for u in updates} == {"2026-03-20-api"}
    assert all(u["created_at"] == u["updated_at"] == u["display_at"] for u in updates)


def test_resolved_incident_and_maintenance_times(built: Site) -> None:
    login = next(i for i in api(built, "incidents.json")["incidents"] if i["id"] == "2026-03-14-login")
    assert login["monitoring_at"] == "2026-03-14T09:20:00+01:00"
    assert login["resolved_at"] == "2026-03-14T09:41:00+01:00"
    assert login["impact"] == "critical"
    old = next(
        m for m in api(built, "scheduled-maintenances.json")["scheduled_maintenances"] if m["id"] == "2026-03-05-db"
    )
    assert (old["scheduled_for"], old["scheduled_until"], old["resolved_at"]) == (
        "2026-03-05T22:00:00+01:00",
        "2026-03-05T22:40:00+01:00",
        "2026-03-05T22:40:00+01:00",
    )


def test_only_maintenance_going_on_is_indicator_none(site: Site) -> None:
    """Strict clients reject "maintenance" as an indicator: maintenance alone is "none"."""
    site.note("2026-03-20-login-maintenance.md", NOTES["2026-03-20-login-maintenance.md"])
    assert site.build().code == 0
    status = api(site, "status.json")["status"]
    assert status == {"indicator": "none", "description": "Service Under Maintenance"}
    login = next(c for c in api(site, "components.json")["components"] if c["id"] == "login")
    assert login["status"] == "under_maintenance"


def resolved_note(day: int, hour: int) -> str:
    return f"""
        ---
        title: Blip {day}-{hour}
        components:
          api: degraded_performance
        ---
        ## 2026-02-{day:02d} {hour:02d}:00 · Investigating
        Slow.

        ## 2026-02-{day:02d} {hour:02d}:10 · Resolved
        Fine.
        """


def test_the_fifty_most_recent_and_every_open_one(site: Site) -> None:
    site.note(
        "2026-01-02-long.md",
        """
        ---
        title: A long-running incident
        components:
          web: degraded_performance
        ---
        ## 2026-01-02 09:00 · Monitoring
        Still watching.
        """,
    )
    for n in range(55):
        site.note(f"2026-02-{n % 27 + 1:02d}-blip-{n}.md", resolved_note(n % 27 + 1, n // 27 + 8))
    assert site.build().code == 0
    incidents = api(site, "incidents.json")["incidents"]
    assert len(incidents) == 50
    assert incidents[-1]["id"] == "2026-01-02-long"  # open, so kept although 55 are newer
    starts = [i["started_at"] for i in incidents]
    assert starts == sorted(starts, reverse=True)
    assert [i["id"] for i in api(site, "incidents/unresolved.json")["incidents"]] == ["2026-01-02-long"]


def test_ids_are_stable_across_builds(built: Site, tmp_path: Path) -> None:
    def ids(folder: Path) -> list[str]:
        documents = [json.loads((folder / "api/v2" / name).read_text()) for name in DOCUMENTS]
        return sorted(
            {
                value
                for document in documents
                for item in document.get("incidents", []) + document.get("scheduled_maintenances", [])
                for value in [item["id"], *(u["id"] for u in item["incident_updates"])]
            }
            | {c["id"] for document in documents for c in document.get("components", [])}
        )

    later = tmp_path / "later"
    build(built.config_path, later, now="2026-03-30T12:00:00+02:00")
    assert ids(built.out) == ids(later)
    assert {"api", "web", "login", "group-web", "2026-03-20-api", "2026-03-20-api-update-20260320T0900Z"} <= set(
        ids(built.out)
    )


def test_a_group_named_like_a_component_gets_its_own_id(site: Site) -> None:
    site.config(CONFIG + '\n[[components]]\nid = "group-web"\nname = "Odd"\n')
    assert site.build().code == 0
    ids = [c["id"] for c in api(site, "components.json")["components"]]
    assert ids == ["group-web-2", "web", "login", "api", "group-web"]


# -- api/uptime.json ------------------------------------------------------------------------


def uptime(site: Site) -> Any:
    return json.loads((site.out / "api/uptime.json").read_text())


def floor_percent(down: Fraction, observed: int) -> float:
    return float(Decimal(math.floor((1 - down / observed) * 10000)) / 100)


def test_uptime_json_matches_its_schema_and_the_bars(built: Site) -> None:
    document = uptime(built)
    assert [e.message for e in validator("uptime.json").iter_errors(document)] == []
    assert document["window_days"] == 90
    api_days = {d["date"]: d for d in next(c for c in document["components"] if c["id"] == "api")["days"]}
    assert len(api_days) == 90
    # The bars' hover texts on the status page show the same percentages.
    bars = built.html().select("li.component")[2].select(".bars i")
    assert bars[-1]["data-t"] == f'{api_days["2026-03-20"]["uptime"]:.2f}% · API "errors" & <timeouts>'
    today = api_days["2026-03-20"]
    # 10:00-10:30 degraded, 10:30-now(12:00) partial; observed midnight to noon.
    assert today["seconds"] == {
        "major_outage": 0,
        "partial_outage": 5400,
        "degraded_performance": 1800,
        "under_maintenance": 0,
    }
    assert today["observed_seconds"] == 43200
    assert today["incidents"] == ["2026-03-20-api"]
    assert api_days["2026-03-05"]["seconds"]["under_maintenance"] == 2400
    assert api_days["2026-03-05"]["uptime"] == 100.0


def test_uptime_json_numbers_reproduce_every_published_percentage(built: Site) -> None:
    """What the README promises: the published inputs and the formula give the published results."""
    document = uptime(built)
    weights = {status: Fraction(str(w)) for status, w in document["weights"].items()}
    for component in document["components"]:
        total_down, total_observed = Fraction(0), 0
        for day in component["days"]:
            if day["uptime"] is None:  # before the site's first note, no component was watched: no data
                assert day["date"] < "2026-03-01"
                continue
            down = sum((weights.get(s, Fraction(0)) * secs for s, secs in day["seconds"].items()), Fraction(0))
            assert day["uptime"] == floor_percent(down, day["observed_seconds"]), (component["id"], day["date"])
            total_down += down
            total_observed += day["observed_seconds"]
        assert component["uptime"] == floor_percent(total_down, total_observed)
    login = next(c for c in document["components"] if c["id"] == "login")
    # March up to now: 19.5 days = 1684800 s observed, 900 s of major outage: 99.946… -> 99.94.
    assert login["months"][-1] == {
        "month": "2026-03",
        "uptime": 99.94,
        "incidents": ["2026-03-14-login", "2026-03-20-login-maintenance"],
    }
    assert len(login["months"]) == 1  # the site's first note was posted on Mar 1: nothing before
