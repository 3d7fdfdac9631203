"""data/probes/: whole lines appended under a lock (two processes at once), damaged lines named,
and the roll-up's cache (a changed month is read again, an unchanged one is not)."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CONFIG, Site

from statuspage import config as config_module
from statuspage.core.probes import Latency, Seen
from statuspage.probes import rollup, store

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def check(at: datetime, seen: Seen = Seen.UP, ms: int | None = 100, where: str = "here") -> store.Check:
    return store.Check(at, where, seen, 300, 200 if seen is not Seen.DOWN else 503, ms)


def _append_many(folder: str, where: str, count: int) -> None:
    for n in range(count):
        store.append(Path(folder), "api", [check(T0 + timedelta(seconds=n), where=where)])


def test_two_processes_appending_at_once_never_interleave_lines(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "probes"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(str(folder), where, 400)) for where in ("a" * 300, "b" * 300)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    [path] = store.months(folder, "api")
    assert [p.name for p in (folder / "api").iterdir()] == ["2026-03.jsonl"]  # no lock file to commit by mistake
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""  # every line ended
    parsed = [store.parse(line) for line in lines[:-1]]
    assert sorted(c.location[0] for c in parsed) == ["a"] * 400 + ["b"] * 400


def test_a_line_round_trips_and_leaves_absent_values_out() -> None:
    line = store.Check(T0, "fra-1", Seen.DOWN, 600, 502, 35, "HTTP 502", 3).line()
    assert json.loads(line) == {
        "time": "2026-03-01T00:00:00Z",
        "location": "fra-1",
        "status": "down",
        "interval_s": 600,
        "code": 502,
        "ms": 35,
        "error": "HTTP 502",
        "attempts": 3,
    }
    assert store.parse(line) == store.Check(T0, "fra-1", Seen.DOWN, 600, 502, 35, "HTTP 502", 3)


def test_checks_go_to_the_month_of_their_utc_time(tmp_path: Path) -> None:
    # 2026-03-31 23:30 UTC is already April 1st in Berlin: the file follows UTC.
    paths = store.append(
        tmp_path, "api", [check(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)), check(datetime(2026, 4, 1, tzinfo=UTC))]
    )
    assert [p.name for p in paths] == ["2026-03.jsonl", "2026-04.jsonl"]


def test_a_file_cut_short_by_a_crash_gets_its_line_ended_and_the_bad_line_is_named(site: Site) -> None:
    site.config(CONFIG)
    folder = site.root / "data" / "probes"
    path = store.month_file(folder, "api", T0)
    path.parent.mkdir(parents=True)
    path.write_bytes(check(T0).line() + b'{"time":"2026-03-01T00:05:0')
    store.append(folder, "api", [check(T0 + timedelta(minutes=10))])
    assert len(path.read_bytes().splitlines()) == 3
    config, _ = config_module.load(site.config_path)
    histories, warnings = rollup.read(config)
    assert [str(w) for w in warnings] == [
        "data/probes/api/2026-03.jsonl:2: warning: skipped: not JSON (a line cut short by a crash, or a merge conflict)"
    ]
    assert len(histories["api"].runs) == 1
    result = site.build("--now", "2026-03-01T01:00Z", now=None)
    assert result.code == 0 and "2026-03.jsonl:2: warning: skipped" in result.err


def test_an_unknown_component_folder_is_a_warning(site: Site) -> None:
    store.append(site.root / "data" / "probes", "gone", [check(T0)])
    config, _ = config_module.load(site.config_path)
    histories, warnings = rollup.read(config)
    assert histories == {} and [w.message for w in warnings] == [
        "no component 'gone' in the config; its checks are ignored"
    ]


def _write_month(folder: Path, start: datetime, count: int, ms: int) -> None:
    store.append(folder, "api", [check(start + timedelta(minutes=5 * n), ms=ms + n % 3) for n in range(count)])


def test_the_cache_reads_a_changed_month_again_and_an_unchanged_one_not_at_all(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = site.root / "data" / "probes"
    _write_month(folder, datetime(2026, 1, 10, tzinfo=UTC), 100, 100)
    _write_month(folder, datetime(2026, 2, 10, tzinfo=UTC), 100, 200)
    config, _ = config_module.load(site.config_path)
    parsed: list[str] = []
    read: list[str] = []
    real_summarize, real_read = rollup.summarize, Path.read_bytes
    monkeypatch.setattr(rollup, "summarize", lambda data, *a: parsed.append("x") or real_summarize(data, *a))
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real_read(self))

    first = rollup.read(config)[0]["api"]
    assert (len(parsed), sorted(n for n in read if n.endswith(".jsonl"))) == (2, ["2026-01.jsonl", "2026-02.jsonl"])

    parsed.clear(), read.clear()
    assert rollup.read(config)[0]["api"] == first
    assert (parsed, [n for n in read if n.endswith(".jsonl")]) == ([], [])  # neither parsed nor even read

    store.append(folder, "api", [check(datetime(2026, 2, 20, tzinfo=UTC), Seen.DOWN)])
    parsed.clear(), read.clear()
    changed = rollup.read(config)[0]["api"]
    assert (len(parsed), [n for n in read if n.endswith(".jsonl")]) == (1, ["2026-02.jsonl"])
    assert changed.runs[-1].seen is Seen.DOWN

    # A fresh checkout (new inode and time, same bytes): read to compare the digest, not parsed again.
    january = folder / "api" / "2026-01.jsonl"
    data = real_read(january)
    january.unlink()
    january.write_bytes(data)
    parsed.clear(), read.clear()
    assert rollup.read(config)[0]["api"] == changed
    assert (parsed, [n for n in read if n.endswith(".jsonl")]) == ([], ["2026-01.jsonl"])


def test_a_local_day_across_two_monthly_files_gets_one_latency_from_both(site: Site) -> None:
    # Berlin 2026-03-01 runs from 02-28 23:00 UTC: 12 checks in the February file (23:00-23:55 UTC,
    # 300..311 ms) and 12 in March's (00:00-00:55 UTC, 100..111 ms). All 24 sorted: the median (rank 12)
    # is 111, the 95th percentile (rank ceil(0.95*24) = 23) is 310.
    folder = site.root / "data" / "probes"
    february = [check(datetime(2026, 2, 28, 23, tzinfo=UTC) + timedelta(minutes=5 * n), ms=300 + n) for n in range(12)]
    march = [check(datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=5 * n), ms=100 + n) for n in range(12)]
    store.append(folder, "api", february + march)
    config, _ = config_module.load(site.config_path)
    history = rollup.read(config)[0]["api"]
    assert history.latency[date(2026, 3, 1)] == Latency(111, 310, 24)
    assert len(history.runs) == 1  # one run of "up" across the two files


def test_check_reads_probe_data_but_writes_no_cache(site: Site) -> None:
    store.append(site.root / "data" / "probes", "api", [check(T0)])
    assert site.check().code == 0
    assert not (site.root / ".statuspage-cache" / "probes.json").exists()
    assert site.build().code == 0
    assert (site.root / ".statuspage-cache" / "probes.json").exists()
