"""Per-day uptime from incident intervals: one sweep over sorted boundaries per component.

At every moment only the worst status among overlapping incidents counts, so overlapping
incidents never count twice. Days are calendar days in the site's zone (23 or 25 hours on
DST changes); today counts up to `now`. What probes saw (core/probes.py) joins the same sweep:
the worst of notes and probes counts. Two kinds of time are left out of a day's observed time:
a component's maintenance windows (recorded as maintenance, whatever notes or probes say, and
never down) and no data (before `since`, or probes silent with no note speaking).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from .model import ComponentStatus

if TYPE_CHECKING:
    from .probes import ProbeDay, ProbeIntervals

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
#: Local days as (day, first instant, end): what `calendar` makes and the sweeps split by.
Window = Sequence[tuple[date, datetime, datetime]]

_FULL = Decimal("100.00")
_NOTHING = Fraction(0)
#: Worst first when several statuses overlap; index = ComponentStatus.rank.
_BY_RANK = list(ComponentStatus)


class Interval(NamedTuple):
    """A stretch of non-operational status for one component, owned by one incident. A named
    tuple: the preview finds a component's last sweep by its intervals, and a tuple hashes in C."""

    start: datetime
    end: datetime
    status: ComponentStatus
    owner: str  # incident slug
    #: From a maintenance note: its window is maintenance, whatever status the note gives.
    maintenance: bool = False

    @property
    def held(self) -> bool:
        """Whether this stretch is maintenance, left out of the observed time."""
        return self.maintenance or self.status is ComponentStatus.UNDER_MAINTENANCE


@dataclass(frozen=True)
class Day:
    day: date
    #: The day's bounds are left out of its repr, which the keys of pages are made of
    #: (`outputs/keys.py`): pages show the day and what it held, and today's end is `now`,
    #: which a page that shows the time adds to its key once.
    start: datetime = field(repr=False)
    end: datetime = field(repr=False)  # exclusive; `now` for today
    #: Seconds at each status (the worst one at each moment, maintenance over any other); absent means none.
    seconds: dict[ComponentStatus, int] = field(default_factory=dict)
    #: Slugs of incidents and maintenance touching the day, in time order.
    incidents: tuple[str, ...] = ()
    #: Whether anything of the day is known: observed, or maintenance.
    has_data: bool = True
    #: Percent, floored to two decimals; None when nothing was observed.
    uptime: Decimal | None = None
    #: Seconds of no data (before `since`, probes silent and no note speaking): left out of the percentage.
    unobserved: int = 0
    #: With probes: what the notes alone said (`seconds` is the worst of both), and what probes saw.
    notes: dict[ComponentStatus, int] | None = None
    probes: ProbeDay | None = None

    @property
    def maintenance(self) -> int:
        """Seconds in maintenance: like no data, left out of the percentage."""
        return self.seconds.get(ComponentStatus.UNDER_MAINTENANCE, 0)

    @property
    def observed(self) -> int:
        return int((self.end - self.start).total_seconds()) - self.unobserved - self.maintenance

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
    """Split one component's intervals (and what probes saw) into per-day seconds and touching incidents.

    At each moment, in this order: maintenance counts as maintenance; no data counts for nothing;
    else the worst status of notes and probes counts.
    """
    if not window:
        return []
    clipped = _clip(intervals, window)
    held = [Interval(i.start, i.end, ComponentStatus.UNDER_MAINTENANCE, i.owner) for i in clipped if i.held]
    notes = [i for i in clipped if not i.held]
    silent = subtract(_silences(window, since, probes, clipped), [(i.start, i.end) for i in held])
    hidden = [(i.start, i.end) for i in held] + [(s, e) for s, e, _ in silent]
    maintenance = list(worst_pieces(held))

    def timeline(sources: Sequence[Interval]) -> list[dict[ComponentStatus, int]]:
        return per_day(subtract(worst_pieces(sources), hidden) + maintenance, window)

    seen = probes.days(window, clipped) if probes else None
    seconds = timeline(notes + _clip(probes.outages, window)) if probes else timeline(notes)
    said = timeline(notes) if probes else None  # what the notes alone said
    unobserved = per_day(silent, window)
    touching = _touching(clipped, window)
    days = []
    for n, (d, start, end) in enumerate(window):
        total = int((end - start).total_seconds())
        no_data = unobserved[n].get(None, 0)
        observed = total - no_data - seconds[n].get(ComponentStatus.UNDER_MAINTENANCE, 0)
        days.append(
            Day(
                d,
                start,
                end,
                seconds[n],
                touching[n],
                no_data < total,
                percent(weighted(seconds[n], weights), observed),
                no_data,
                said[n] if said is not None else None,
                seen[n] if seen is not None else None,
            )
        )
    return days


def _silences(
    window: Window, since: date | None, probes: ProbeIntervals | None, notes: Sequence[Interval]
) -> list[tuple[datetime, datetime, None]]:
    """No data: days before `since` (up to the first check, which speaks from then on), and the
    probes' silences no note speaks for."""
    first_check = probes.start if probes else window[-1][2]
    before = [(start, min(end, first_check), None) for d, start, end in window if since is not None and d < since]
    found = [piece for piece in before if piece[1] > piece[0]]
    return found + (probes.silences(notes) if probes else [])


def _touching(intervals: Sequence[Interval], window: Window) -> list[tuple[str, ...]]:
    """Per day, the owners of the intervals touching it, in time order."""
    starts = [start for _, start, _ in window]
    touching: list[dict[str, None]] = [{} for _ in window]
    for interval in intervals:
        first = bisect.bisect_right(starts, interval.start) - 1
        last = bisect.bisect_left(starts, interval.end) - 1
        for index in range(max(first, 0), last + 1):
            touching[index][interval.owner] = None
    return [tuple(owners) for owners in touching]


def _clip(intervals: Iterable[Interval], window: Window) -> list[Interval]:
    """The intervals cut to the window, in the order they began: sorted before the cut, so that
    a window's days list what began before it in the same order as a longer window does."""
    begin, finish = window[0][1], window[-1][2]
    ordered = sorted(intervals, key=lambda i: (i.start, i.owner))
    clipped = (Interval(max(i.start, begin), min(i.end, finish), i.status, i.owner, i.maintenance) for i in ordered)
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


def overall(days: Iterable[Day], weights: dict[ComponentStatus, Fraction]) -> Decimal | None:
    """Uptime over several days: the sum of their weighted downtime over the sum of their observed
    time (a day without data observed nothing and claims no seconds), so anyone can re-add it."""
    days = list(days)
    # Each status's seconds summed first, then weighted once: the same sum (weighting is linear),
    # without a Fraction addition per day, which was most of a month's uptime.
    seconds: dict[ComponentStatus, int] = {}
    for d in days:
        for status, secs in d.seconds.items():
            seconds[status] = seconds.get(status, 0) + secs
    return percent(weighted(seconds, weights), sum(d.observed for d in days))


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


def subtract(
    pieces: Iterable[tuple[datetime, datetime, T]], holes: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime, T]]:
    """The parts of the pieces outside every hole, in time order."""
    cuts: list[tuple[datetime, datetime]] = []
    for start, end in sorted(h for h in holes if h[1] > h[0]):  # merged, so they can be bisected
        if cuts and start <= cuts[-1][1]:
            cuts[-1] = (cuts[-1][0], max(cuts[-1][1], end))
        else:
            cuts.append((start, end))
    ends = [end for _, end in cuts]
    result: list[tuple[datetime, datetime, T]] = []
    for start, end, value in sorted(pieces, key=lambda p: (p[0], p[1])):
        index = bisect.bisect_right(ends, start)  # the first hole ending after the piece starts
        while index < len(cuts) and cuts[index][0] < end:
            hole_start, hole_end = cuts[index]
            if hole_start > start:
                result.append((start, hole_start, value))
            start = max(start, hole_end)
            index += 1
        if end > start:
            result.append((start, end, value))
    return result
