"""What probes saw, in the terms of the uptime arithmetic: stretches of down, degraded and no data.

A check's verdict speaks for the time until the next check (from any location), as long as
that comes within GAP_INTERVALS intervals; a longer silence is no data, never up. Maintenance
windows are cut out of what probes saw, as they are out of what notes say. Pure: times in,
seconds out, `now` passed in.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .config import Config
from .model import ComponentStatus, Incident
from .uptime import Interval, Window, per_day, subtract, worst_pieces

#: A silence longer than this many of the probe's intervals is no data.
GAP_INTERVALS = 3
#: Whose stretches these are, where an Interval names its owner (incidents name their slug).
OWNER = "probes"


class Seen(enum.Enum):
    """A check's verdict, as recorded: a failure is "down" only once confirmed."""

    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"

    @property
    def status(self) -> ComponentStatus:
        """The verdict on the notes' scale, so the worst of both can be taken at every moment."""
        return _STATUS_OF[self]


_STATUS_OF = {
    Seen.UP: ComponentStatus.OPERATIONAL,
    Seen.DEGRADED: ComponentStatus.DEGRADED_PERFORMANCE,
    Seen.DOWN: ComponentStatus.MAJOR_OUTAGE,
}


@dataclass(frozen=True)
class Run:
    """Consecutive checks with one verdict, none further from the one before than the gap limit."""

    first: datetime
    last: datetime
    seen: Seen
    interval_s: int

    @property
    def limit(self) -> timedelta:
        return timedelta(seconds=GAP_INTERVALS * self.interval_s)


@dataclass(frozen=True)
class Latency:
    """A day's response times over its successful checks, in milliseconds (nearest rank)."""

    median_ms: int
    p95_ms: int
    checks: int


@dataclass(frozen=True)
class ProbeHistory:
    """Everything recorded for one component, as the roll-up read it."""

    runs: tuple[Run, ...]  # in time order
    latency: Mapping[date, Latency] = field(default_factory=dict)  # by local day


@dataclass(frozen=True)
class ProbeDay:
    """One day of probe data after maintenance is cut out; seconds."""

    down: int = 0
    degraded: int = 0
    #: No data that no note explains: left out of the day's observed time.
    no_data: int = 0
    #: Seconds from the first check on (before it, notes alone speak).
    covered: int = 0
    latency: Latency | None = None

    @property
    def observed(self) -> int:
        return self.covered - self.no_data


def join(runs: Iterable[Run]) -> list[Run]:
    """Runs (or single checks, as runs of one) in time order, with neighbours of one verdict merged."""
    result: list[Run] = []
    for run in runs:
        if result:
            last = result[-1]
            if last.seen is run.seen and run.first - last.last <= last.limit:
                result[-1] = Run(last.first, max(last.last, run.last), run.seen, run.interval_s)
                continue
        result.append(run)
    return result


def percentile(sorted_values: Sequence[int], share: float) -> int:
    """Nearest-rank percentile: a value that was measured, the same for the same checks."""
    return sorted_values[max(math.ceil(share * len(sorted_values)) - 1, 0)]


def latency(values: Iterable[int]) -> Latency | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return Latency(percentile(ordered, 0.5), percentile(ordered, 0.95), len(ordered))


@dataclass(frozen=True)
class ProbeIntervals:
    """One component's probe data for the uptime sweep: outages and gaps, maintenance cut out."""

    outages: tuple[Interval, ...]
    gaps: tuple[tuple[datetime, datetime], ...]
    start: datetime  # the first check
    latency: Mapping[date, Latency] = field(default_factory=dict)

    def silences(self, notes: Sequence[Interval]) -> list[tuple[datetime, datetime, None]]:
        """The gaps, less where a note speaks: no data."""
        return subtract([(s, e, None) for s, e in self.gaps], [(i.start, i.end) for i in notes])

    def days(self, window: Window, notes: Sequence[Interval]) -> list[ProbeDay]:
        """Per day of the window: what probes saw, and the no data that no note explains."""
        if not window:
            return []
        finish = window[-1][2]
        seen = per_day(worst_pieces(self.outages), window)
        silent = per_day(self.silences(notes), window)
        covered = per_day([(self.start, finish, None)], window) if self.start < finish else [{} for _ in window]
        return [
            ProbeDay(
                seen[n].get(ComponentStatus.MAJOR_OUTAGE, 0),
                seen[n].get(ComponentStatus.DEGRADED_PERFORMANCE, 0),
                silent[n].get(None, 0),
                covered[n].get(None, 0),
                self.latency.get(d),
            )
            for n, (d, _, _) in enumerate(window)
        ]


def for_uptime(
    history: ProbeHistory, now: datetime, maintenance: Sequence[tuple[datetime, datetime]], configured: bool
) -> ProbeIntervals | None:
    """Outages and gaps from the first check to `now`; None before any check.

    A probe still in the config that has gone quiet is no data up to `now`; one that was removed
    (or data that was only imported) speaks no further than its last check allows.
    """
    runs = [Run(r.first, min(r.last, now), r.seen, r.interval_s) for r in history.runs if r.first <= now]
    if not runs:
        return None
    outages: list[tuple[datetime, datetime, Seen]] = []
    gaps: list[tuple[datetime, datetime, None]] = []
    for index, run in enumerate(runs):
        following = runs[index + 1].first if index + 1 < len(runs) else now
        if following - run.last <= run.limit:
            end = following
        else:
            end = run.last
            if index + 1 < len(runs) or configured:
                gaps.append((run.last, following, None))
        if run.seen is not Seen.UP and end > run.first:
            outages.append((run.first, end, run.seen))
    return ProbeIntervals(
        tuple(Interval(s, e, seen.status, OWNER) for s, e, seen in subtract(outages, maintenance)),
        tuple((s, e) for s, e, _ in subtract(gaps, maintenance)),
        runs[0].first,
        history.latency,
    )


#: A check exactly its limit old still speaks for the moment; its stretch ends the instant after.
_INSTANT = timedelta(microseconds=1)


def detections(
    history: ProbeHistory, maintenance: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime, ComponentStatus]]:
    """The stretches a `sets_status` probe held its component in a status: the latest run's
    verdict while its last check is recent (within the run's limit), never in maintenance. The
    summary takes the one holding at `now`, notify every change; one that ends after `now` is
    still going on."""
    runs = history.runs
    held = []
    for n, run in enumerate(runs):
        if run.seen is not Seen.UP:
            end = run.last + run.limit + _INSTANT
            held.append((run.first, min(end, runs[n + 1].first) if n + 1 < len(runs) else end, run.seen.status))
    return subtract(held, maintenance)


@dataclass(frozen=True)
class Probed:
    """What probes add to a summary: each component's probe data, and what monitoring detected now."""

    intervals: Mapping[str, ProbeIntervals]
    #: Components a `sets_status` probe holds in a status now, with when it began to (`detections`).
    detected: Mapping[str, tuple[ComponentStatus, datetime]]


def probed(
    config: Config,
    windows: Mapping[str, Sequence[tuple[datetime, datetime]]],
    histories: Mapping[str, ProbeHistory],
    now: datetime,
) -> Probed:
    """Probe data cut by each component's maintenance (`maintenance_windows`), and the statuses
    monitoring sets at `now`."""
    intervals: dict[str, ProbeIntervals] = {}
    detected: dict[str, tuple[ComponentStatus, datetime]] = {}
    for cid, history in histories.items():
        if cid not in config.component_names:
            continue
        probe = config.probe_of.get(cid)
        found = for_uptime(history, now, windows.get(cid, ()), configured=probe is not None)
        if found is not None:
            intervals[cid] = found
        if probe is not None and probe.sets_status:
            stretches = detections(history, windows.get(cid, ()))
            holding = next(((start, status) for start, end, status in stretches if start <= now < end), None)
            if holding is not None:
                detected[cid] = holding[1], holding[0]
    return Probed(intervals, detected)


def maintenance_windows(incidents: Iterable[Incident], now: datetime) -> dict[str, list[tuple[datetime, datetime]]]:
    """Per component, the stretches maintenance holds it (one with no end yet: up to `now`, included)."""
    result: dict[str, list[tuple[datetime, datetime]]] = {}
    for incident in incidents:
        if not incident.is_maintenance or incident.start > now:
            continue
        for cid, segments in incident.segments.items():
            for segment in segments:
                end = now + timedelta(seconds=1) if segment.end is None else segment.end
                if end > segment.start:
                    result.setdefault(cid, []).append((segment.start, end))
    return result
