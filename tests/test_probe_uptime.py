"""What probes saw, merged into the uptime: plain tables of checks with hand-computed seconds.

The site zone is Europe/Berlin (UTC+1 in winter, +2 in summer) and the probe runs every 300 s,
so a silence longer than 900 s is no data. Checks are given in UTC; every expected number has
its arithmetic beside it. The builders are in fixtures/domain.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from fixtures.domain import BERLIN, LONG_AGO, MAINT, MAJOR, PARTIAL, make_config, outage, utc
from fixtures.servers import http_server

from statuspage.core.config import HttpTarget, Probe
from statuspage.core.model import ComponentStatus as S
from statuspage.core.model import Kind
from statuspage.core.probes import Latency, ProbeHistory, Run, Seen, join, latency, percentile
from statuspage.core.status import summarize
from statuspage.probes import rollup, store
from statuspage.probes.runner import Runner

UP, DOWN, SLOW = Seen.UP, Seen.DOWN, Seen.DEGRADED


def checks(*spans: tuple[str, str, Seen], every: int = 300) -> ProbeHistory:
    """A check every `every` seconds from each span's start up to (not including) its end."""
    runs = []
    for start, end, seen in spans:
        at, stop = utc(start), utc(end)
        while at < stop:
            runs.append(Run(at, at, seen, every))
            at += timedelta(seconds=every)
    return ProbeHistory(tuple(join(runs)))


def config(days: int = 3, sets_status: bool = False, probed: bool = True, since: date | None = LONG_AGO):
    probes = (Probe("api", HttpTarget("https://api.example/"), interval_s=300, sets_status=sets_status),)
    return replace(make_config(days=days, zone=BERLIN, since=since), probes=probes if probed else ())


def day(history: ProbeHistory, on: str, now: str, incidents=(), **options):
    summary = summarize(config(**options), list(incidents), utc(now), {"api": history})
    return {d.day.isoformat(): d for d in summary.components["api"].days}[on]


def test_a_confirmed_outage_counts_from_the_first_failed_check_to_the_next_success():
    # Down checks at 09:00, 09:05, 09:10 UTC, up again at 09:15: 900 s down on 03-09 (Berlin).
    # 1 - 900/86400 = 0.989583 -> 98.95.
    history = checks(
        ("2026-03-09 00:00", "2026-03-09 09:00", UP),
        ("2026-03-09 09:00", "2026-03-09 09:15", DOWN),
        ("2026-03-09 09:15", "2026-03-10 11:00", UP),
    )
    found = day(history, "2026-03-09", "2026-03-10 11:00")
    assert found.probes.down == 900
    assert found.seconds == {MAJOR: 900}
    assert found.notes == {}
    # 03-09 in Berlin starts at 03-08 23:00 UTC, an hour before the first check: the notes speak for that hour.
    assert (found.probes.covered, found.observed) == (82800, 86400)
    assert found.uptime == Decimal("98.95")


def up_lines(start: str, count: int) -> list[store.Check]:
    """`count` plain "up" lines, 300 s apart from `start` (UTC), as the runner writes them."""
    return [store.Check(utc(start) + timedelta(seconds=300 * n), "ci", UP, 300, 200, 80) for n in range(count)]


def test_a_flap_that_recovered_on_a_later_attempt_is_no_downtime(tmp_path: Path):
    # The real runner checks a server whose first answer is a 503 at every check from 09:00 to
    # 09:55 UTC (12 checks, each recovering on its second attempt), and then, at 10:00, one whose
    # three attempts all fail. The rest of the two days are plain "up" lines.
    # Only 10:00-10:05 is down: 300 s; 1 - 300/86400 = 0.996527 -> 99.65.
    with http_server() as (url, cue, _):
        probe = Probe("api", HttpTarget(f"{url}/"), timeout_s=2, interval_s=300)
        site = replace(config(), root=tmp_path, probes=(probe,))
        folder = site.probes_dir
        store.append(folder, "api", up_lines("2026-03-08 23:00", 120))  # up to 09:00
        moment = [utc("2026-03-09 09:00")]
        runner = Runner(site, {}, "ci", pause=0.01, clock=lambda: moment[0])
        for n in range(13):
            cue.failures = 1 if n < 12 else 3
            runner.run(once=True)
            moment[0] += timedelta(seconds=300)
    store.append(folder, "api", up_lines("2026-03-09 10:05", 299))  # up to 03-10 10:55
    recorded = [store.parse(line) for _, line in store.lines(store.month_file(folder, "api", moment[0]).read_bytes())]
    flaps = [c for c in recorded if c.attempts == 2]
    assert len(flaps) == 12 and all(c.seen is UP and "recovered on attempt 2 of 3" in (c.error or "") for c in flaps)
    assert [c.attempts for c in recorded if c.seen is DOWN] == [3]
    histories, warnings = rollup.read(site, save=False)
    assert warnings == []
    found = {
        d.day.isoformat(): d for d in summarize(site, [], utc("2026-03-10 11:00"), histories).components["api"].days
    }
    assert (found["2026-03-09"].probes.down, found["2026-03-09"].uptime) == (300, Decimal("99.65"))


def test_a_gap_is_no_data_left_out_of_the_day_never_up():
    # The last check at 11:55 UTC, the next at 14:00: 7500 s of silence > 3 * 300 s, all of it no data.
    # Observed 86400 - 7500 = 78900; nothing down: 100.00, but over 78900 s, not 86400.
    history = checks(("2026-03-08 23:00", "2026-03-09 12:00", UP), ("2026-03-09 14:00", "2026-03-10 11:00", UP))
    found = day(history, "2026-03-09", "2026-03-10 11:00")
    assert (found.probes.no_data, found.unobserved, found.observed) == (7500, 7500, 78900)
    assert found.uptime == Decimal("100.00")


def test_a_short_silence_is_not_a_gap():
    # The last check at 11:55, the next at 12:10 (900 s, exactly three intervals): 11:55 speaks till 12:10.
    history = checks(("2026-03-08 23:00", "2026-03-09 12:00", UP), ("2026-03-09 12:10", "2026-03-10 11:00", UP))
    assert day(history, "2026-03-09", "2026-03-10 11:00").unobserved == 0
    # One second more (12:10:01) and all 901 s are no data.
    history = checks(("2026-03-08 23:00", "2026-03-09 12:00", UP), ("2026-03-09 12:10:01", "2026-03-10 11:00", UP))
    assert day(history, "2026-03-09", "2026-03-10 11:00").unobserved == 901


def test_a_note_speaks_for_the_part_of_a_gap_it_covers():
    # Gap 11:55-14:00 UTC (7500 s); a note says major outage 12:30-13:00 UTC (1800 s).
    # Unobserved 7500 - 1800 = 5700; observed 86400 - 5700 = 80700; 1 - 1800/80700 = 0.977695 -> 97.76.
    history = checks(("2026-03-08 23:00", "2026-03-09 12:00", UP), ("2026-03-09 14:00", "2026-03-10 11:00", UP))
    note = outage("a", "2026-03-09 12:30", "2026-03-09 13:00")
    found = day(history, "2026-03-09", "2026-03-10 11:00", [note])
    assert (found.unobserved, found.observed, found.seconds) == (5700, 80700, {MAJOR: 1800})
    assert found.uptime == Decimal("97.76")


def test_an_outage_across_midnight_splits_at_local_midnight():
    # Down 22:30-23:45 UTC on 03-08 = 23:30-00:45 in Berlin: 1800 s on 03-08, 2700 s on 03-09.
    # 03-08: 1 - 1800/86400 = 0.979166 -> 97.91; 03-09: 1 - 2700/86400 = 0.96875 -> 96.87.
    history = checks(
        ("2026-03-07 23:00", "2026-03-08 22:30", UP),
        ("2026-03-08 22:30", "2026-03-08 23:45", DOWN),
        ("2026-03-08 23:45", "2026-03-10 11:00", UP),
    )
    first, second = (day(history, d, "2026-03-10 11:00") for d in ("2026-03-08", "2026-03-09"))
    assert (first.probes.down, first.uptime) == (1800, Decimal("97.91"))
    assert (second.probes.down, second.uptime) == (2700, Decimal("96.87"))


def test_an_outage_across_the_spring_dst_change_counts_real_seconds_of_a_23_hour_day():
    # 2026-03-29 in Berlin is 23 h (82800 s): 00:00 CET = 03-28 23:00 UTC, 24:00 CEST = 03-29 22:00 UTC.
    # Down 00:30-01:30 UTC = 01:30 CET-03:30 CEST: 3600 real seconds, though the wall clock moved two hours.
    # 1 - 3600/82800 = 0.956521 -> 95.65.
    history = checks(
        ("2026-03-28 23:00", "2026-03-29 00:30", UP),
        ("2026-03-29 00:30", "2026-03-29 01:30", DOWN),
        ("2026-03-29 01:30", "2026-03-30 10:00", UP),
    )
    found = day(history, "2026-03-29", "2026-03-30 10:00")
    assert (found.observed, found.probes.down, found.uptime) == (82800, 3600, Decimal("95.65"))


def test_an_outage_overlapping_a_note_counts_once_at_the_worst_status():
    # Note: partial outage 10:00-11:00 UTC. Probes: down 10:30-11:30 UTC.
    # Partial 10:00-10:30 (1800 s), major 10:30-11:30 (3600 s): 3600 + 0.3*1800 = 4140.
    # 1 - 4140/86400 = 0.952083 -> 95.20. The notes alone: partial 3600 s.
    history = checks(
        ("2026-03-08 23:00", "2026-03-09 10:30", UP),
        ("2026-03-09 10:30", "2026-03-09 11:30", DOWN),
        ("2026-03-09 11:30", "2026-03-10 11:00", UP),
    )
    note = outage("a", "2026-03-09 10:00", "2026-03-09 11:00", PARTIAL)
    found = day(history, "2026-03-09", "2026-03-10 11:00", [note])
    assert found.seconds == {PARTIAL: 1800, MAJOR: 3600}
    assert found.notes == {PARTIAL: 3600}
    assert found.probes.down == 3600
    assert found.incidents == ("a",)
    assert found.uptime == Decimal("95.20")


def test_an_outage_inside_a_maintenance_window_counts_for_neither():
    # Maintenance 01:00-02:00 UTC; probes down 01:10-01:40 UTC: cut out, 0 s down; the 3600 s of
    # maintenance are left out of the observed time: 86400 - 3600 = 82800.
    history = checks(
        ("2026-03-08 23:00", "2026-03-09 01:10", UP),
        ("2026-03-09 01:10", "2026-03-09 01:40", DOWN),
        ("2026-03-09 01:40", "2026-03-10 11:00", UP),
    )
    window = outage("m", "2026-03-09 01:00", "2026-03-09 02:00", MAINT, Kind.MAINTENANCE)
    found = day(history, "2026-03-09", "2026-03-10 11:00", [window])
    assert (found.probes.down, found.seconds, found.uptime) == (0, {MAINT: 3600}, Decimal("100.00"))
    assert found.observed == 82800


def test_maintenance_is_one_rule_for_notes_and_probes():
    # Maintenance 01:00-02:00 UTC; probes down 01:30-02:30 and a note says major 01:45-02:15 UTC.
    # 01:00-02:00 is maintenance for both; after it, major 02:00-02:30 (probes, and the note
    # inside them) = 1800 s. Observed 86400 - 3600 = 82800: 1 - 1800/82800 = 0.978260 -> 97.82.
    history = checks(
        ("2026-03-08 23:00", "2026-03-09 01:30", UP),
        ("2026-03-09 01:30", "2026-03-09 02:30", DOWN),
        ("2026-03-09 02:30", "2026-03-10 11:00", UP),
    )
    window = outage("m", "2026-03-09 01:00", "2026-03-09 02:00", MAINT, Kind.MAINTENANCE)
    note = outage("a", "2026-03-09 01:45", "2026-03-09 02:15")
    found = day(history, "2026-03-09", "2026-03-10 11:00", [note, window])
    assert (found.seconds, found.observed, found.uptime) == ({MAINT: 3600, MAJOR: 1800}, 82800, Decimal("97.82"))
    assert (found.notes, found.probes.down) == ({MAINT: 3600, MAJOR: 900}, 1800)


def test_a_gap_inside_maintenance_is_not_unobserved():
    # Silence 01:00-02:00 UTC, all inside maintenance 00:30-02:30: nothing unobserved.
    history = checks(("2026-03-08 23:00", "2026-03-09 01:00", UP), ("2026-03-09 02:00", "2026-03-10 11:00", UP))
    window = outage("m", "2026-03-09 00:30", "2026-03-09 02:30", MAINT, Kind.MAINTENANCE)
    assert day(history, "2026-03-09", "2026-03-10 11:00", [window]).unobserved == 0


def test_degraded_checks_count_as_degraded_performance():
    # Slow 09:00-10:00 UTC: 3600 s degraded, which weighs 0 by default: 100.00.
    history = checks(
        ("2026-03-08 23:00", "2026-03-09 09:00", UP),
        ("2026-03-09 09:00", "2026-03-09 10:00", SLOW),
        ("2026-03-09 10:00", "2026-03-10 11:00", UP),
    )
    found = day(history, "2026-03-09", "2026-03-10 11:00")
    assert (found.probes.degraded, found.seconds, found.uptime) == (
        3600,
        {S.DEGRADED_PERFORMANCE: 3600},
        Decimal("100.00"),
    )


def test_a_configured_probe_gone_quiet_is_no_data_up_to_now_but_an_unconfigured_one_is_not():
    # The last check at 03-10 05:55 UTC, now 11:00: silent for 18300 s, more than 900 s.
    # Configured: no data 05:55-11:00 = 18300 s of today's 43200 (03-10 began at 03-09 23:00 UTC).
    history = checks(("2026-03-08 23:00", "2026-03-10 06:00", UP))
    assert day(history, "2026-03-10", "2026-03-10 11:00").unobserved == 18300
    assert day(history, "2026-03-10", "2026-03-10 11:00", probed=False).unobserved == 0


def test_days_before_the_first_check_are_the_notes_alone():
    history = checks(("2026-03-09 12:00", "2026-03-10 11:00", UP))
    found = day(history, "2026-03-08", "2026-03-10 11:00")
    assert (found.probes.covered, found.observed, found.uptime) == (0, 86400, Decimal("100.00"))


def test_probes_give_data_to_days_before_since_and_only_for_the_time_they_cover():
    # since 03-10; probes from 03-09 12:00 UTC. 03-09 in Berlin: covered 12:00-23:00 UTC = 39600 s.
    # 03-08: neither notes nor probes: no data.
    history = checks(("2026-03-09 12:00", "2026-03-10 11:00", UP))
    found = day(history, "2026-03-09", "2026-03-10 11:00", since=date(2026, 3, 10))
    assert (found.has_data, found.observed, found.uptime) == (True, 39600, Decimal("100.00"))
    assert day(history, "2026-03-08", "2026-03-10 11:00", since=date(2026, 3, 10)).has_data is False


def test_before_since_a_note_outside_what_probes_covered_is_no_data_too():
    # since 03-10; probes from 03-09 12:00 UTC; a note says major 03-09 05:00-06:00 UTC, before the
    # first check on a day before since: no data, so it is neither down nor observed.
    history = checks(("2026-03-09 12:00", "2026-03-10 11:00", UP))
    note = outage("a", "2026-03-09 05:00", "2026-03-09 06:00")
    found = day(history, "2026-03-09", "2026-03-10 11:00", [note], since=date(2026, 3, 10))
    assert (found.seconds, found.unobserved, found.observed, found.uptime) == ({}, 46800, 39600, Decimal("100.00"))


def test_a_day_that_is_all_gap_has_no_data():
    # Checks until 03-08 22:00 UTC and again from 03-10 00:00: all of 03-09 (Berlin) is silent.
    history = checks(("2026-03-08 00:00", "2026-03-08 22:00", UP), ("2026-03-10 00:00", "2026-03-10 11:00", UP))
    found = day(history, "2026-03-09", "2026-03-10 11:00")
    assert (found.has_data, found.uptime) == (False, None)


def test_checks_after_now_change_nothing():
    history = checks(("2026-03-08 23:00", "2026-03-10 10:00", UP), ("2026-03-10 10:00", "2026-03-10 12:00", DOWN))
    found = day(history, "2026-03-10", "2026-03-10 10:00")
    assert (found.probes.down, found.uptime) == (0, Decimal("100.00"))


def test_sets_status_shows_the_component_down_while_probes_confirm_it():
    history = checks(("2026-03-10 08:00", "2026-03-10 10:50", UP), ("2026-03-10 10:50", "2026-03-10 11:00", DOWN))
    now = utc("2026-03-10 11:00")
    held = summarize(config(sets_status=True), [], now, {"api": history})
    assert held.components["api"].status is MAJOR
    assert held.components["api"].detected_at == utc("2026-03-10 10:50")
    assert held.description == "Major System Outage"
    # Without sets_status the bars count it, but the status is the notes' alone.
    plain = summarize(config(), [], now, {"api": history})
    assert (plain.components["api"].status, plain.components["api"].detected_at) == (S.OPERATIONAL, None)


def test_sets_status_ignores_a_stale_check_and_maintenance():
    # The last (down) check at 10:55 UTC; at 12:00 it is 3900 s old, more than 900 s: it speaks no more.
    history = checks(("2026-03-10 08:00", "2026-03-10 10:50", UP), ("2026-03-10 10:50", "2026-03-10 11:00", DOWN))
    assert (
        summarize(config(sets_status=True), [], utc("2026-03-10 12:00"), {"api": history}).components["api"].status
        is S.OPERATIONAL
    )
    window = outage("m", "2026-03-10 10:00", "2026-03-10 12:00", MAINT, Kind.MAINTENANCE)
    during = summarize(config(sets_status=True), [window], utc("2026-03-10 11:00"), {"api": history})
    assert during.components["api"].status is MAINT


def test_latency_is_the_nearest_rank_median_and_95th_percentile():
    # 20 values 10..200: median rank ceil(0.5*20) = 10 -> 100; p95 rank ceil(0.95*20) = 19 -> 190.
    assert latency(range(200, 0, -10)) == Latency(100, 190, 20)
    assert percentile([7], 0.95) == 7
    assert latency([]) is None
