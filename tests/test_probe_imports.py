"""`statuspage probe --import gatus|kuma|prometheus FILE`: each monitor's documented export, into the same lines."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Site

from statuspage.probes import store


def recorded(site: Site, component: str) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in store.months(site.root / "data" / "probes", component)
        for line in path.read_text().splitlines()
    ]


def write(site: Site, name: str, document: object) -> Path:
    path = site.root / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def gatus_result(time: str, success: bool, status: int = 200, ms: int = 120) -> dict[str, object]:
    """One result as Gatus serves it: duration in nanoseconds, RFC 3339 timestamp with nanoseconds."""
    conditions = [{"condition": "[STATUS] == 200", "success": success}]
    return {
        "status": status,
        "hostname": "api.acme.example",
        "duration": ms * 1_000_000,
        "conditionResults": conditions,
        "success": success,
        "timestamp": f"{time}.123456789Z",
        **({} if success else {"errors": []}),
    }


GATUS = [
    {
        "name": "API",
        "group": "core",
        "key": "core_api",
        "results": [
            gatus_result("2026-03-01T10:00:00", True),
            gatus_result("2026-03-01T10:01:00", False, 503),  # one failure alone: not confirmed
            gatus_result("2026-03-01T10:02:00", True),
            gatus_result("2026-03-01T10:03:00", False, 503),
            gatus_result("2026-03-01T10:04:00", False, 503),
            gatus_result("2026-03-01T10:05:00", False, 503),  # three in a row: down
            gatus_result("2026-03-01T10:06:00", True, ms=80),
        ],
    }
]


def test_gatus_statuses_become_lines_with_failures_confirmed_by_three_in_a_row(site: Site) -> None:
    path = write(site, "statuses.json", GATUS)
    result = site.run("probe", "--config", str(site.config_path), "--import", "gatus", str(path))
    assert result.code == 0, result.err
    assert "api: 7 checks from 'API' added, 0 already there." in result.err
    lines = recorded(site, "api")
    assert [line["status"] for line in lines] == ["up", "up", "up", "down", "down", "down", "up"]
    assert lines[0] == {
        "time": "2026-03-01T10:00:00Z",
        "location": "gatus",
        "status": "up",
        "interval_s": 60,
        "code": 200,
        "ms": 120,
    }
    assert lines[1]["error"] == "not confirmed (1 failure(s) in a row): failed: [STATUS] == 200"
    assert lines[3]["code"] == 503 and lines[3]["error"] == "failed: [STATUS] == 200"
    # Importing the same export again adds nothing.
    again = site.run("probe", "--config", str(site.config_path), "--import", "gatus", str(path))
    assert "api: 0 checks from 'API' added, 7 already there." in again.err
    assert len(recorded(site, "api")) == 7


def test_kuma_heartbeats_trust_kumas_own_retries_and_leave_maintenance_out(site: Site) -> None:
    beats = [
        {"monitorID": 4, "status": 1, "time": "2026-03-01 10:00:00.120", "msg": "200 - OK", "ping": 87},
        {
            "monitorID": 4,
            "status": 2,
            "time": "2026-03-01 10:01:00.050",
            "msg": "timeout of 48000ms exceeded",
            "ping": None,
        },
        {
            "monitorID": 4,
            "status": 0,
            "time": "2026-03-01 10:02:00.000",
            "msg": "Request failed with status code 502",
            "ping": None,
        },
        {"monitorID": 4, "status": 3, "time": "2026-03-01 10:03:00.000", "msg": "", "ping": None},
        {"monitorID": 4, "status": 1, "time": "2026-03-01 10:04:00.000", "msg": "200 - OK", "ping": 91},
    ]
    path = write(site, "kuma.json", {"heartbeatList": {"4": beats}, "monitorList": {"4": {"id": 4, "name": "Website"}}})
    result = site.run("probe", "--config", str(site.config_path), "--import", "kuma", str(path))
    assert result.code == 0, result.err
    lines = recorded(site, "web")
    assert [(line["time"], line["status"]) for line in lines] == [
        ("2026-03-01T10:00:00Z", "up"),
        ("2026-03-01T10:01:00Z", "up"),
        ("2026-03-01T10:02:00Z", "down"),
        ("2026-03-01T10:04:00Z", "up"),
    ]
    assert lines[1]["error"] == "pending: timeout of 48000ms exceeded"
    assert lines[2]["error"] == "Request failed with status code 502"
    assert (lines[0]["ms"], lines[0]["location"]) == (87, "kuma")


def test_prometheus_query_range_of_probe_success(site: Site) -> None:
    answer = {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [
                {
                    "metric": {
                        "__name__": "probe_success",
                        "instance": "https://api.acme.example/health",
                        "job": "blackbox",
                    },
                    "values": [[1772359200 + 30 * n, "0" if 3 <= n <= 6 else "1"] for n in range(10)],
                },
                {
                    "metric": {"__name__": "probe_success", "instance": "login.acme.example:443", "job": "blackbox"},
                    "values": [[1772359200, "1"], [1772359230, "0"], [1772359260, "1"]],
                },
            ],
        },
    }
    path = write(site, "range.json", answer)
    unmapped = site.run("probe", "--config", str(site.config_path), "--import", "prometheus", str(path))
    assert unmapped.code == 1
    assert "no component for 'https://api.acme.example/health'" in unmapped.err and "--map" in unmapped.err
    assert recorded(site, "api") == []  # nothing half-imported
    mapped = site.run(
        "probe", "--config", str(site.config_path), "--import", "prometheus", str(path),
        "--map", "https://api.acme.example/health=api", "--map", "login.acme.example:443=login",
    )  # fmt: skip
    assert mapped.code == 0, mapped.err
    api = recorded(site, "api")
    assert [line["status"] for line in api] == ["up"] * 3 + ["down"] * 4 + ["up"] * 3
    assert api[0]["time"] == "2026-03-01T10:00:00Z" and api[0]["interval_s"] == 30 and "ms" not in api[0]
    assert [line["status"] for line in recorded(site, "login")] == ["up", "up", "up"]  # one 0 alone is not confirmed


def test_a_file_that_is_not_the_format_says_so(site: Site) -> None:
    path = write(site, "wrong.json", {"data": {"resultType": "vector", "result": []}})
    result = site.run("probe", "--config", str(site.config_path), "--import", "prometheus", str(path))
    assert result.code == 1
    assert "wrong.json: not a prometheus export as documented: expected" in result.err
    broken = site.root / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = site.run("probe", "--config", str(site.config_path), "--import", "gatus", str(broken))
    assert result.code == 1 and "broken.json: not JSON" in result.err and "Traceback" not in result.err


def test_one_series_into_a_named_component(site: Site) -> None:
    path = write(site, "statuses.json", [{**GATUS[0], "name": "something else"}])
    result = site.run(
        "probe", "--config", str(site.config_path), "--import", "gatus", str(path), "--component", "login"
    )
    assert result.code == 0, result.err
    assert len(recorded(site, "login")) == 7
