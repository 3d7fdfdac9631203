"""`statuspage probe --import gatus|kuma|prometheus FILE`: each monitor's documented export, into the same lines."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Site
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from statuspage import config as config_module
from statuspage.errors import EditError
from statuspage.probes import imports, store


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


BEAT = {"status": 1, "time": "2026-03-01 10:00:00.120", "msg": "200 - OK"}
RESULT = {"timestamp": "2026-03-01T10:00:00Z", "success": True, "status": 200}
NAN, INFINITY = float("nan"), float("inf")  # Python's json reads and writes them, as some exporters do


def matrix(*results: object) -> dict[str, object]:
    return {"status": "success", "data": {"resultType": "matrix", "result": list(results)}}


def api(values: object) -> dict[str, object]:
    return {"metric": {"instance": "api"}, "values": values}


NOT_A_PAIR = 'api: a value is not [unix time, "0" or "1"]'


@pytest.mark.parametrize(
    ("source", "document", "message"),
    [
        ("kuma", {"4": [{**BEAT, "ping": NAN}]}, "monitor 4, heartbeat 0: ping: nan is not a response time"),
        ("kuma", {"4": [{**BEAT, "ping": -3}]}, "monitor 4, heartbeat 0: ping: -3 is not a response time"),
        ("kuma", {"4": [BEAT], "5": 7}, "monitor 5: its heartbeats must be a list, got 7"),
        ("kuma", {"heartbeatList": {}, "monitorList": 5}, "monitorList must be a map or a list of monitors, got 5"),
        ("kuma", {"monitorList": [{"id": 4, "name": "API"}]}, "a monitorList without a heartbeatList: a Kuma backup holds no heartbeats"),
        ("kuma", [BEAT], "heartbeat 0 has no monitorID"),
        ("kuma", {"4": [{**BEAT, "status": True}]}, "monitor 4, heartbeat 0: lacks time or a status 0-3"),
        ("kuma", {"4": [{**BEAT, "time": 1772359200}]}, "monitor 4, heartbeat 0: the time 1772359200 is not text"),
        ("kuma", {"4": [{**BEAT, "time": "0001-01-01T00:00:00+01:00"}]}, "monitor 4, heartbeat 0: cannot read the time '0001-01-01T00:00:00+01:00'"),
        ("kuma", {"4": [{**BEAT, "time": "1900-01-01 00:00:00"}]}, "monitor 4, heartbeat 0: 1900-01-01 is before 1970"),
        ("gatus", [{"name": "API", "results": [{**RESULT, "duration": INFINITY}]}], "'API', result 0: duration: inf is not a response time"),
        ("gatus", [{"name": "API", "results": [{**RESULT, "duration": 1e30}]}], "'API', result 0: duration: 1e+30 is not a response time"),
        ("gatus", [{"name": "API", "results": [{**RESULT, "errors": 5}]}], "'API', result 0: errors must be a list, got 5"),
        ("gatus", [{"name": "API", "results": [{**RESULT, "conditionResults": "x"}]}], "'API', result 0: conditionResults must be a list, got 'x'"),
        ("gatus", [{"name": "API", "results": [{**RESULT, "success": "yes"}]}], "'API', result 0: lacks a timestamp, or success as true or false"),
        ("prometheus", matrix({"metric": "x", "values": []}), "result 0: metric must be a map of labels, got 'x'"),
        ("prometheus", matrix(api(5)), "api: values must be a list, got 5"),
        ("prometheus", matrix(api([{"0": 1}])), f"{NOT_A_PAIR}: {{'0': 1}}"),
        ("prometheus", matrix(api([[1772359200, "NaN"]])), f"{NOT_A_PAIR}: [1772359200, 'NaN']"),
        ("prometheus", matrix(api([[1e300, "1"]])), "api: 1e+300 is not a unix time"),
        ("prometheus", matrix(5), "result 0 is not an object with metric and values"),
    ],
)  # fmt: skip
def test_a_malformed_export_is_an_error_naming_the_file_and_what_is_wrong(
    site: Site, source: str, document: object, message: str
) -> None:
    path = write(site, "export.json", document)
    result = site.run("probe", "--config", str(site.config_path), "--import", source, str(path), "--component", "api")
    assert result.code == 1
    assert f"export.json: not a {source} export as documented: {message}" in result.err
    assert recorded(site, "api") == []


def test_a_kuma_monitor_list_as_backups_write_it_names_the_monitors(site: Site) -> None:
    document = {"heartbeatList": {"4": [{"status": 1, "time": "2026-03-01 10:00:00", "ping": 87}]}}
    path = write(site, "kuma.json", {**document, "monitorList": [{"id": 4, "name": "Website", "type": "http"}]})
    result = site.run("probe", "--config", str(site.config_path), "--import", "kuma", str(path))
    assert result.code == 0, result.err
    assert "web: 1 checks from 'Website' added" in result.err
    assert [line["ms"] for line in recorded(site, "web")] == [87]


#: Keys and values the three formats use, so arbitrary documents often look like exports.
_KEYS = st.sampled_from(
    ["heartbeatList", "monitorList", "monitorID", "id", "name", "status", "time", "ping", "msg", "results",
     "timestamp", "success", "duration", "errors", "conditionResults", "condition", "key", "data", "resultType",
     "result", "metric", "values", "instance", "4"]
)  # fmt: skip
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),  # NaN and the infinities too: Python's json reads and writes them
    st.text(max_size=8),
    st.sampled_from(["2026-03-01T10:00:00Z", "2026-03-01 10:00:00.123", "0001-01-01T00:00:00+01:00", "matrix"]),
    st.sampled_from(["API", "api", 0, 1, 2, 3, 1772359200, "1", "0", 120_000_000]),
)
_DOCUMENTS = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS | st.text(max_size=3), inner, max_size=5),
    max_leaves=25,
)


def _mostly(good: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly a value as the format has it (19 times in 20), else anything at all."""
    return st.integers(0, 19).flatmap(lambda n: good if n else _DOCUMENTS)


_MOMENTS = st.datetimes(min_value=datetime(1960, 1, 1), max_value=datetime(2200, 1, 1))
_NAMES = _mostly(st.sampled_from(["API", "api", "Website", "4"]))
_NUMBERS = st.one_of(st.none(), st.integers(-5, 10**9), st.floats())
_BEAT = st.fixed_dictionaries(
    {
        "status": _mostly(st.sampled_from([0, 1, 2, 3])),
        "time": _mostly(_MOMENTS.map(lambda m: m.isoformat(sep=" ", timespec="milliseconds"))),
    },
    optional={"ping": _mostly(_NUMBERS), "msg": _mostly(st.text(max_size=5))},
)
_BEATS = st.dictionaries(_NAMES.map(str), _mostly(st.lists(_BEAT, min_size=1, max_size=4)), min_size=1, max_size=2)
_KUMA = st.one_of(
    _BEATS,
    st.lists(st.builds(lambda beat, monitor: {**beat, "monitorID": monitor}, _BEAT, _NAMES), max_size=4),
    st.fixed_dictionaries(
        {"heartbeatList": _mostly(_BEATS)},
        optional={"monitorList": _mostly(st.lists(st.fixed_dictionaries({"id": _NAMES, "name": _NAMES})))},
    ),
)
_GATUS = st.lists(
    st.fixed_dictionaries(
        {
            "name": _NAMES,
            "results": _mostly(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "timestamp": _mostly(_MOMENTS.map(lambda m: f"{m.isoformat()}Z")),
                            "success": _mostly(st.booleans()),
                        },
                        optional={"duration": _mostly(_NUMBERS), "status": _mostly(_NUMBERS), "errors": _DOCUMENTS},
                    ),
                    min_size=1,
                    max_size=4,
                )
            ),
        }
    ),
    min_size=1,
    max_size=2,
)
_UNIX = st.one_of(st.integers(0, 4 * 10**9), _NUMBERS)
_PAIRS = st.lists(_mostly(st.tuples(_UNIX, st.sampled_from(["0", "1", "NaN", 1])).map(list)), min_size=1, max_size=4)
_SERIES = st.fixed_dictionaries(
    {"metric": _mostly(st.fixed_dictionaries({"instance": _NAMES})), "values": _mostly(_PAIRS)}
)
_PROMETHEUS = st.fixed_dictionaries(
    {
        "data": st.fixed_dictionaries(
            {"resultType": _mostly(st.just("matrix")), "result": _mostly(st.lists(_SERIES, min_size=1, max_size=2))}
        )
    }
)
_EXPORTS = st.one_of(
    st.tuples(st.just("kuma"), _KUMA),
    st.tuples(st.just("gatus"), _GATUS),
    st.tuples(st.just("prometheus"), _PROMETHEUS),
    st.tuples(st.sampled_from(sorted(imports.FORMATS)), _DOCUMENTS),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(export=_EXPORTS, component=st.sampled_from([None, "api"]))
def test_any_json_imports_or_is_refused_with_the_files_name(
    site: Site, export: tuple[str, object], component: str | None
) -> None:
    source, document = export
    config, _ = config_module.load(site.config_path)
    shutil.rmtree(config.probes_dir, ignore_errors=True)
    path = write(site, "export.json", document)
    try:
        results = imports.import_file(config, source, path, {}, component)
    except EditError as error:
        event("refused")
        assert "export.json" in str(error) or "no component for" in str(error)
        assert list(config.probes_dir.rglob("*.jsonl")) == []  # a refused file writes nothing
        return
    event("imported")
    assert sum(r.added for r in results) > 0
    for month in config.probes_dir.rglob("*.jsonl"):  # what was written reads back, line by line
        for _, line in store.lines(month.read_bytes()):
            store.parse(line)


def test_a_map_names_the_series_up_to_its_last_equals_sign(site: Site) -> None:
    answer = matrix({"metric": {"instance": "https://api.test/health?full=1"}, "values": [[1772359200, "1"]]})
    path = write(site, "range.json", answer)
    args = ["probe", "--config", str(site.config_path), "--import", "prometheus", str(path), "--map"]
    wrong = site.run(*args, "api")
    assert wrong.code == 1 and "--map 'api': expected a series' name and a component id, like 'API=api'" in wrong.err
    mapped = site.run(*args, "https://api.test/health?full=1=api")
    assert mapped.code == 0, mapped.err
    assert len(recorded(site, "api")) == 1
