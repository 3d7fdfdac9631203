"""Third-party status: the vendors' snapshots as plain values, and what the site shows of them.

Pure, like the rest of the core: it takes the snapshots read from `data/upstream/` and `now`.
A vendor's trouble never changes our own statuses, banner or uptime; it is shown beside the
components that `depends_on` it, as the vendor's, with links to the vendor's own pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from .config import Config, UpstreamSource
from .model import ComponentStatus, Impact, UpdateStatus
from .uptime import Day, Interval, calendar, days_for, overall

#: A snapshot older than this at build time is flagged: builds run every 15 minutes, so an
#: hour is four fetches missed in a row.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class VendorComponent:
    id: str
    name: str
    status: ComponentStatus | None  # None: a value we do not know ("unknown")
    group: str | None = None  # the vendor's own group, which `components` may name
    description: str = ""


@dataclass(frozen=True)
class VendorIncident:
    """An incident, or a maintenance in progress, on the vendor's page."""

    id: str
    name: str
    status: UpdateStatus | None  # None: unknown
    impact: Impact | None
    url: str  # its page on the vendor's status site
    started: datetime | None = None
    maintenance: bool = False
    components: tuple[str, ...] = ()  # vendor component ids; empty: the vendor did not say


@dataclass(frozen=True)
class Snapshot:
    """What the vendor's summary said from `at` on; `checked` is the last time it still said so."""

    at: datetime
    checked: datetime
    components: tuple[VendorComponent, ...]
    incidents: tuple[VendorIncident, ...] = ()
    indicator: Impact | None = Impact.NONE
    description: str = ""


@dataclass(frozen=True)
class VendorComponentSummary:
    component: VendorComponent
    status: ComponentStatus | None
    days: tuple[Day, ...]
    uptime: Decimal | None

    @property
    def notable_days(self) -> tuple[Day, ...]:
        return tuple(d for d in reversed(self.days) if d.has_data and d.seconds)


@dataclass(frozen=True)
class Vendor:
    """One `[[upstream]]` page at `now`: its last snapshot taken by then, and the bars from all of them."""

    source: UpstreamSource
    as_of: datetime | None  # None: no snapshot taken by `now`
    components: tuple[VendorComponentSummary, ...] = ()
    incidents: tuple[VendorIncident, ...] = ()  # ongoing, and about the components shown
    stale: bool = False

    @property
    def troubled(self) -> tuple[VendorComponentSummary, ...]:
        """The components shown that are not operational (nor unknown)."""
        return tuple(c for c in self.components if c.status not in (None, ComponentStatus.OPERATIONAL))

    @property
    def affected(self) -> bool:
        return bool(self.troubled or self.incidents)


@dataclass(frozen=True)
class Upstream:
    vendors: tuple[Vendor, ...] = ()
    #: Our component ids -> the affected vendors they depend on.
    affecting: Mapping[str, tuple[Vendor, ...]] = field(default_factory=dict)

    def look(self, cid: str, status: ComponentStatus) -> str:
        """How our component's status is shown: "third_party" while our notes and probes say it is
        operational and a vendor it depends on has trouble, else as its own status."""
        return "third_party" if status is ComponentStatus.OPERATIONAL and cid in self.affecting else status.value

    @property
    def groups(self) -> tuple[tuple[str, tuple[Vendor, ...]], ...]:
        """Vendors by their group, groups in order of first appearance."""
        groups: dict[str, list[Vendor]] = {}
        for vendor in self.vendors:
            groups.setdefault(vendor.source.group, []).append(vendor)
        return tuple((name, tuple(vendors)) for name, vendors in groups.items())


def select(components: Iterable[VendorComponent], wanted: Sequence[str]) -> tuple[list[VendorComponent], list[str]]:
    """The components `wanted` names (by id, name, or the name of their group; all when empty),
    in the vendor's order, and the wanted entries that matched none."""
    components = list(components)
    if not wanted:
        return components, []
    keys = set(wanted)
    chosen = [c for c in components if keys & {c.id, c.name, c.group}]
    matched = {key for c in chosen for key in (c.id, c.name, c.group)}
    return chosen, [w for w in wanted if w not in matched]


def summarize(config: Config, history: Mapping[str, Sequence[Snapshot]], now: datetime) -> Upstream:
    """Every vendor at `now`; `history` holds each vendor's snapshots, oldest first."""
    today = now.astimezone(config.timezone).date()
    window = calendar(today, config.uptime_days, config.timezone, now)
    weights = {status: Fraction(str(weight)) for status, weight in config.weights}
    vendors = tuple(
        _vendor(source, [s for s in history.get(source.id, ()) if s.at <= now], window, weights, now, config.timezone)
        for source in config.upstream
    )
    by_id = {v.source.id: v for v in vendors}
    affecting = {}
    for component in config.components:
        troubled = tuple(by_id[uid] for uid in component.depends_on if uid in by_id and by_id[uid].affected)
        if troubled:
            affecting[component.id] = troubled
    return Upstream(vendors, affecting)


def _vendor(
    source: UpstreamSource,
    snapshots: Sequence[Snapshot],
    window: Sequence[tuple[date, datetime, datetime]],
    weights: dict[ComponentStatus, Fraction],
    now: datetime,
    zone: ZoneInfo,
) -> Vendor:
    if not snapshots:
        return Vendor(source, None)
    latest = snapshots[-1]
    as_of = min(latest.checked, now)
    shown, _ = select(latest.components, source.components)
    since = snapshots[0].at.astimezone(zone).date()  # no data before the first snapshot
    components = []
    for component in shown:
        intervals = _intervals(component.id, snapshots, now)
        # The vendor's incidents are not ours to link to from a day.
        days = [replace(day, incidents=()) for day in days_for(intervals, window, weights, since)]
        components.append(VendorComponentSummary(component, component.status, tuple(days), overall(days, weights)))
    ids = {c.id for c in shown}
    incidents = tuple(i for i in latest.incidents if not i.components or ids & set(i.components))
    return Vendor(source, as_of, tuple(components), incidents, now - as_of > STALE_AFTER)


def _intervals(cid: str, snapshots: Sequence[Snapshot], now: datetime) -> list[Interval]:
    """The component's non-operational stretches: each snapshot holds until the next one (the last until now)."""
    intervals = []
    for index, snapshot in enumerate(snapshots):
        status = next((c.status for c in snapshot.components if c.id == cid), None)
        end = snapshots[index + 1].at if index + 1 < len(snapshots) else now
        if status is not None and status is not ComponentStatus.OPERATIONAL and end > snapshot.at:
            intervals.append(Interval(snapshot.at, end, status, ""))
    return intervals
