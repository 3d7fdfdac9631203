"""Per-day uptime from incident intervals: one sweep over sorted boundaries per component.

At every moment only the worst status among overlapping incidents counts, so overlapping
incidents never count twice. Days are calendar days in the site's zone (23 or 25 hours on
DST changes); today counts up to `now`. Maintenance is recorded but never counts as downtime.
What probes saw (core/probes.py) joins the same sweep: the worst of notes and probes counts.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from .model import ComponentStatus

if TYPE_CHECKING:
    from .probes import ProbeDay, ProbeIntervals

K = TypeVar("K", bound=Hashable)
#: Local days as (day, first instant, end): what `calendar` makes and the sweeps split by.
Window = Sequence[tuple[date, datetime, datetime]]

_FULL = Decimal("100.00")
_NOTHING = Fraction(0)
#: Worst first when several statuses overlap; index = ComponentStatus.rank.
_BY_RANK = list(ComponentStatus)


@dataclass(frozen=True)
class Interval:
    """A stretch of non-operational status for one component, owned by one incident."""

    start: datetime
    end: datetime
    status: ComponentStatus
    owner: str  # incident slug


@dataclass(frozen=True)
class Day:
    day: date
    start: datetime
    end: datetime  # exclusive; `now` for today
    #: Seconds at each status (the worst one at each moment); absent means none.
    seconds: dict[ComponentStatus, int] = field(default_factory=dict)
    #: Slugs of incidents and maintenance touching the day, in time order.
    incidents: tuple[str, ...] = ()
    has_data: bool = True
    #: Percent, floored to two decimals; None before the component existed.
    uptime: Decimal | None = None
    #: Seconds nobody observed (probes silent, no note speaking): left out of the percentage.
    unobserved: int = 0
    #: With probes: what the notes alone said (`seconds` is the worst of both), and what probes saw.
    notes: dict[ComponentStatus, int] | None = None
    probes: ProbeDay | None = None

    @property
    def observed(self) -> int:
        return int((self.end - self.start).total_seconds()) - self.unobserved

    @property
    def worst(self) -> ComponentStatus:
        return max(self.seconds, default=ComponentStatus.OPERATIONAL)


@dataclass(frozen=True)
class MonthUptime:
    """A calendar month's uptime, from the same per-day seconds as the bars."""

    first_day: date
    days: tuple[Day, ...]
    uptime: Decimal | None  # over the month's days with data, floored to two decimals

    @property
    def incidents(self) -> tuple[str, ...]:
        """Slugs of the incidents touching the month, in time order."""
        return tuple(dict.fromkeys(slug for day in self.days for slug in day.incidents))


def calendar(today: date, count: int, zone: ZoneInfo, now: datetime) -> list[tuple[date, datetime, datetime]]:
    """The last `count` local days ending today, as (day, start, end) with end clipped to now."""
    days = [today - timedelta(days=n) for n in range(count - 1, -1, -1)]
    starts = [midnight(d, zone) for d in days] + [midnight(today + timedelta(days=1), zone)]
    return [(d, starts[i], min(starts[i + 1], now)) for i, d in enumerate(days)]


def first_of_month(day: date, months_back: int = 0) -> date:
    """The first day of the month `months_back` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day, in UTC."""
    # Where midnight is skipped by a DST jump, fold=0 gives the first instant of the day.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def days_for(
    intervals: Iterable[Interval],
    window: Window,
    weights: dict[ComponentStatus, Fraction],
    since: date | None = None,
    probes: ProbeIntervals | None = None,
) -> list[Day]:
    """Split one component's intervals (and what probes saw) into per-day seconds and touching incidents."""
    if not window:
        return []
    clipped = _clip(intervals, window)
    starts = [start for _, start, _ in window]
    seconds = per_day(worst_pieces(clipped), window)
    touching: list[dict[str, None]] = [{} for _ in window]
    for interval in clipped:
        first = bisect.bisect_right(starts, interval.start) - 1
        last = bisect.bisect_left(starts, interval.end) - 1
        for index in range(max(first, 0), last + 1):
            touching[index][interval.owner] = None

    # Probes: the worst of notes and probes at each moment; silence no note explains is unobserved.
    seen = probes.days(window, clipped) if probes else None
    merged = per_day(worst_pieces(clipped + _clip(probes.outages, window)), window) if probes else seconds

    days = []
    for n, (d, start, end) in enumerate(window):
        has_data = since is None or d >= since
        total = int((end - start).total_seconds())
        unobserved = 0
        if seen is not None:
            probe_day = seen[n]
            unobserved = probe_day.no_data if has_data else total - probe_day.observed
            has_data = (has_data or probe_day.observed > 0) and (unobserved < total or total == 0)
        down = weighted(merged[n], weights)
        days.append(
            Day(
                d,
                start,
                end,
                merged[n],
                tuple(touching[n]),
                has_data,
                _day_percent(down, total - unobserved) if has_data else None,
                unobserved,
                seconds[n] if seen is not None else None,
                seen[n] if seen is not None else None,
            )
        )
    return days


def _clip(intervals: Iterable[Interval], window: Window) -> list[Interval]:
    """The intervals cut to the window, in time order."""
    begin, finish = window[0][1], window[-1][2]
    clipped = sorted(
        (Interval(max(i.start, begin), min(i.end, finish), i.status, i.owner) for i in intervals),
        key=lambda i: (i.start, i.owner),
    )
    return [i for i in clipped if i.end > i.start]


def per_day(pieces: Iterable[tuple[datetime, datetime, K]], window: Window) -> list[dict[K, int]]:
    """Seconds of each key per day of the window, for pieces that do not overlap."""
    starts = [start for _, start, _ in window]
    seconds: list[dict[K, int]] = [{} for _ in window]
    for piece_start, piece_end, key in pieces:
        index = max(bisect.bisect_right(starts, piece_start) - 1, 0)
        piece_start = max(piece_start, starts[0])
        piece_end = min(piece_end, window[-1][2])
        while index < len(window) and piece_start < piece_end:
            day_end = window[index][2] if index == len(window) - 1 else starts[index + 1]
            cut = min(piece_end, day_end)
            if cut > piece_start:
                seconds[index][key] = seconds[index].get(key, 0) + int((cut - piece_start).total_seconds())
            piece_start = cut
            index += 1
    return seconds


def worst_pieces(intervals: Sequence[Interval]) -> Iterable[tuple[datetime, datetime, ComponentStatus]]:
    """Yield consecutive (start, end, worst status) pieces where any interval is active."""
    events = sorted([(i.start, 1, i.status.rank) for i in intervals] + [(i.end, -1, i.status.rank) for i in intervals])
    active = [0] * len(_BY_RANK)
    previous: datetime | None = None
    for moment, delta, rank in events:
        if previous is not None and moment > previous:
            worst = next((r for r in range(len(active) - 1, -1, -1) if active[r]), None)
            if worst is not None:
                yield previous, moment, _BY_RANK[worst]
        active[rank] += delta
        previous = moment


def _day_percent(down: Fraction, observed: int) -> Decimal:
    """A day with nothing observed yet (the build ran at midnight) had no downtime."""
    result = percent(down, observed)
    return _FULL if result is None else result


def overall(days: Iterable[Day], weights: dict[ComponentStatus, Fraction]) -> Decimal | None:
    """Uptime over several days: their weighted downtime over their observed time, days without data left out."""
    with_data = [d for d in days if d.has_data]
    down = sum((weighted(d.seconds, weights) for d in with_data if d.seconds), _NOTHING)
    return percent(down, sum(d.observed for d in with_data))


def by_month(days: Sequence[Day], weights: dict[ComponentStatus, Fraction]) -> list[MonthUptime]:
    """Consecutive days grouped into calendar months, oldest first."""
    months: dict[date, list[Day]] = {}
    for day in days:
        months.setdefault(day.day.replace(day=1), []).append(day)
    return [MonthUptime(first, tuple(group), overall(group, weights)) for first, group in months.items()]


def weighted(seconds: dict[ComponentStatus, int], weights: dict[ComponentStatus, Fraction]) -> Fraction:
    """Weighted outage seconds; statuses without a weight (maintenance) count as up."""
    if not seconds:
        return _NOTHING  # most days: no Fraction arithmetic
    return sum((weights.get(status, Fraction(0)) * secs for status, secs in seconds.items()), Fraction(0))


def percent(down: Fraction, observed: int) -> Decimal | None:
    """Uptime percentage rounded down to two decimals: never 100.00% when there was downtime."""
    if observed <= 0:
        return None
    if not down:
        return _FULL  # the common case, without the Fraction arithmetic
    hundredths = math.floor((1 - down / observed) * 10000)
    return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))
