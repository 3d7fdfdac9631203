"""What the site says right now: component statuses, the banner, uptime, incident phases.

Pure: takes the config, the incidents and `now`; touches no files. Templates, feeds and
the API only display what `summarize` computed, so they can never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from operator import itemgetter

from .config import Config
from .model import Component, ComponentStatus, Impact, Incident, Update, UpdateStatus
from .probes import ProbeHistory, ProbeIntervals, maintenance_windows, probed
from .recall import ByBlock, Recall
from .uptime import Day, Interval, MonthUptime, by_month, calendar, days_for, first_of_month, overall

RECENT_DAYS = 14
#: Calendar months of uptime on component pages, the current one included.
MONTHS = 12


class Phase(enum.Enum):
    UPCOMING = "upcoming"  # maintenance not yet started (or an incident dated in the future)
    ONGOING = "ongoing"  # an incident not yet resolved, or maintenance in its window
    ENDED = "ended"


@dataclass(frozen=True)
class IncidentState:
    phase: Phase
    status: UpdateStatus  # what to show: the latest posted update, or the maintenance's phase
    #: Updates posted by `now`, newest first: what pages and feeds show and subscribers were told.
    updates: tuple[Update, ...] = field(default=(), compare=False)

    @property
    def latest(self) -> Update:
        return self.updates[0]


@dataclass(frozen=True)
class ComponentSummary:
    component: Component
    status: ComponentStatus
    days: tuple[Day, ...]
    uptime: Decimal | None  # over the window, floored to two decimals; None without data
    #: The last MONTHS calendar months, oldest first; months before `since` are left out.
    months: tuple[MonthUptime, ...] = ()
    #: When the status last changed (an incident's impact started or ended); None if never.
    changed_at: datetime | None = None
    #: When monitoring detected the status it holds now (a `sets_status` probe); None otherwise.
    detected_at: datetime | None = None

    @property
    def notable_days(self) -> tuple[Day, ...]:
        """Days with downtime, maintenance, incidents or no probe data, newest first: what a reader asks about."""
        return tuple(d for d in reversed(self.days) if d.has_data and (d.seconds or d.incidents or d.unobserved))

    @property
    def probed(self) -> bool:
        """Whether probes recorded anything for this component (then pages say what they saw)."""
        return bool(self.days) and self.days[0].probes is not None


@dataclass(frozen=True)
class Group:
    name: str | None  # None: components outside any group
    components: tuple[ComponentSummary, ...]

    @property
    def status(self) -> ComponentStatus:
        return max(c.status for c in self.components)


@dataclass(frozen=True)
class Summary:
    now: datetime
    indicator: Impact
    description: str
    under_maintenance: bool
    components: dict[str, ComponentSummary]
    groups: tuple[Group, ...]
    ongoing: tuple[Incident, ...]  # incidents, newest first
    active_maintenance: tuple[Incident, ...]
    upcoming_maintenance: tuple[Incident, ...]  # soonest first
    #: Past and ongoing incidents, newest first: what the history lists (what is ahead is not history yet).
    history: tuple[Incident, ...]
    recent: tuple[tuple[date, tuple[Incident, ...]], ...]  # today first
    states: dict[str, IncidentState]
    #: The latest posted update or status change; None when nothing happened yet.
    updated_at: datetime | None = None
    #: The incidents with a posted update, the one with the newest such update first: what
    #: feeds list. Ties go by slug, then by the update's anchor, so the order is stable.
    by_latest_update: tuple[Incident, ...] = ()

    @property
    def recent_runs(self) -> tuple[tuple[date, date, tuple[Incident, ...]], ...]:
        """The recent days, today first, as (newest day, oldest day, incidents): a day with
        incidents stands alone, and a run of quiet days is folded into one (a phone's screen
        need not be filled with "No incidents reported")."""
        runs: list[tuple[date, date, tuple[Incident, ...]]] = []
        for day, incidents in self.recent:
            if not incidents and runs and not runs[-1][2]:
                runs[-1] = (runs[-1][0], day, ())
            else:
                runs.append((day, day, incidents))
        return tuple(runs)

    @property
    def level(self) -> str:
        """The banner's colour: the indicator, or "maintenance" when that is all that is going on."""
        return "maintenance" if self.indicator is Impact.NONE and self.under_maintenance else self.indicator.value


#: Each ended incident's state: from its end on, it no longer depends on `now`.
_ENDED: Recall[IncidentState] = Recall()


def state(incident: Incident, now: datetime) -> IncidentState:
    """An incident's phase and displayed status at `now`; the incident as of `now` (timeline.as_of)."""
    ended = incident.end is not None and incident.end <= now and incident.start <= now
    if ended:
        return _ENDED.get(incident.slug, incident) or _ENDED.keep(incident.slug, _state(incident, now), incident)
    return _state(incident, now)


def _state(incident: Incident, now: datetime) -> IncidentState:
    if incident.start > now:
        phase = Phase.UPCOMING
    elif incident.end is None or incident.end > now:
        phase = Phase.ONGOING
    else:
        phase = Phase.ENDED
    shown = incident.updates
    latest = shown[0].status
    if not incident.is_maintenance:
        if phase is Phase.ENDED and latest.is_open:
            latest = UpdateStatus.RESOLVED
        return IncidentState(phase, latest, shown)
    if phase is Phase.UPCOMING:
        return IncidentState(phase, UpdateStatus.SCHEDULED, shown)
    if phase is Phase.ENDED:
        return IncidentState(phase, UpdateStatus.COMPLETED, shown)
    status = latest if latest is UpdateStatus.VERIFYING else UpdateStatus.IN_PROGRESS
    return IncidentState(phase, status, shown)


def summarize(
    config: Config,
    incidents: Sequence[Incident],
    now: datetime,
    probes: Mapping[str, ProbeHistory] | None = None,
) -> Summary:
    """Compute everything the pages show. `incidents` are newest first, as of `now` (`site.at`);
    `probes` what checks recorded."""
    parts = _PARTS(incidents, now)
    states: dict[str, IncidentState] = {}
    current = dict.fromkeys(config.component_ids, ComponentStatus.OPERATIONAL)
    changes: dict[str, datetime] = {}
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    for part in parts:
        states.update(part.states)
        for cid, status in part.current.items():
            current[cid] = max(current[cid], status)
        for cid, moment in part.changes.items():
            changes[cid] = max(changes.get(cid, moment), moment)
        for cid, found in part.windows.items():
            windows.setdefault(cid, []).extend(found)
    # Probes: a moment is down when a note says so or probes confirmed it (core/probes.py).
    seen = probed(config, windows, probes or {}, now)
    for cid, (status_now, since) in seen.detected.items():
        current[cid] = max(current[cid], status_now)
        changes[cid] = max(changes.get(cid, since), since)
    today = now.astimezone(config.timezone).date()
    # One sweep serves both the bars and the monthly uptime: it covers whichever reaches further back.
    first_month = first_of_month(today, MONTHS - 1)
    window = calendar(today, max(config.uptime_days, (today - first_month).days + 1), config.timezone, now)
    intervals = _in_window(parts, window_start=window[0][1])
    weights = {status: Fraction(str(weight)) for status, weight in config.weights}

    # A component has a history from its `since`, else from the site's first note: never 100%
    # for days before anyone was watching. With neither, every day is "no data".
    first_note = min((p.first_note for p in parts if p.first_note is not None), default=None)
    origin = first_note.astimezone(config.timezone).date() if first_note else date.max
    components = {}
    sweeps = _Sweeps(tuple(window), tuple(weights.items()), config.uptime_days, first_month)
    for component in config.components:
        bars, uptime, months = sweeps.uptime(
            component.id,
            tuple(intervals.get(component.id, ())),
            component.since or origin,
            seen.intervals.get(component.id),
        )
        components[component.id] = ComponentSummary(
            component,
            current[component.id],
            bars,
            uptime,
            months,
            changes.get(component.id),
            seen.detected[component.id][1] if component.id in seen.detected else None,
        )

    ongoing = tuple(i for p in parts for i in p.ongoing)
    active = tuple(i for p in parts for i in p.active)
    upcoming = sorted((i for p in parts for i in p.ahead), key=lambda i: (i.start, i.slug))
    indicator = max([s.impact for s in current.values()] + [i.impact for i in ongoing], default=Impact.NONE)
    maintenance = any(s is ComponentStatus.UNDER_MAINTENANCE for s in current.values()) or bool(active)
    updated = [p.updated for p in parts if p.updated is not None]
    return Summary(
        now=now,
        indicator=indicator,
        description=describe(indicator, maintenance, current.values()),
        under_maintenance=maintenance,
        components=components,
        groups=_groups(config, components),
        ongoing=ongoing,
        active_maintenance=active,
        upcoming_maintenance=tuple(upcoming),
        history=tuple(chain.from_iterable(p.history for p in parts)),
        recent=_recent(incidents, states, today, config),
        states=states,
        updated_at=max(updated + list(changes.values()), default=None),
        # Each part is in order already: sorting their runs together is a merge.
        by_latest_update=tuple(
            i for _, i in sorted(chain.from_iterable(p.posted for p in parts), key=_KEY, reverse=True)
        ),
    )


#: When an incident's latest posted update was made, then its slug and that update's anchor.
PostedKey = tuple[datetime, str, str]
_KEY = itemgetter(0)


def _latest_posted(slug: str, shown: IncidentState) -> PostedKey | None:
    """The key of the incident's latest posted update; None before its first. Updates are
    newest first: that is the first, unless the next one has the same time (then the anchor decides)."""
    posted = shown.updates
    if not posted:
        return None
    if len(posted) > 1 and posted[1].at == posted[0].at:
        return max((u.at, slug, u.anchor) for u in posted)
    return (posted[0].at, slug, posted[0].anchor)


@dataclass(frozen=True)
class _Part:
    """What a block of incidents (newest first) adds to the summary at `now`.

    A history's old blocks are settled, every incident in them ended and posted: their part is
    the same at any later `now`, so a save in the preview works out only the blocks it changed
    and the newest one, and the summary merges a few dozen parts in place of ten thousand notes.
    """

    states: dict[str, IncidentState]
    #: The worst status of the ongoing incidents and maintenance, per component they name.
    current: dict[str, ComponentStatus]
    changes: dict[str, datetime]
    #: Per component, the non-operational stretches clipped at `now`, not yet cut to the window.
    intervals: dict[str, list[Interval]]
    #: The earliest and the latest end of those stretches; None without any.
    reach: tuple[datetime, datetime] | None
    windows: dict[str, list[tuple[datetime, datetime]]]  # maintenance, for the probes
    ongoing: tuple[Incident, ...]
    active: tuple[Incident, ...]
    ahead: tuple[Incident, ...]
    history: tuple[Incident, ...]
    first_note: datetime | None
    updated: datetime | None
    #: The incidents with a posted update, by their latest one, newest first, with its key.
    posted: list[tuple[PostedKey, Incident]]


def _part(block: tuple[Incident, ...], now: datetime) -> tuple[_Part, datetime | None]:
    """A block's part at `now`, and the moment from which it stays the same (None: while any incident is open)."""
    states = {incident.slug: state(incident, now) for incident in block}
    ongoing: list[Incident] = []
    active: list[Incident] = []
    ahead: list[Incident] = []
    upcoming = False
    for i in block:
        phase = states[i.slug].phase
        if phase is Phase.ONGOING:
            (active if i.is_maintenance else ongoing).append(i)
        elif phase is Phase.UPCOMING:
            upcoming = True
            if i.is_maintenance:
                ahead.append(i)
    intervals = _intervals(block, now)
    ends = [interval.end for found in intervals.values() for interval in found]
    part = _Part(
        states=states,
        current=_current_statuses(block, states, now),
        changes=_last_changes(block, now),
        intervals=intervals,
        reach=(min(ends), max(ends)) if ends else None,
        windows=maintenance_windows(block, now),
        ongoing=tuple(ongoing),
        active=tuple(active),
        ahead=tuple(ahead),
        history=tuple(i for i in block if states[i.slug].phase is not Phase.UPCOMING) if upcoming else block,
        first_note=min((min(i.start, i.updates[-1].at) for i in block), default=None),
        updated=max((s.updates[0].at for s in states.values()), default=None),
        posted=sorted(
            ((key, i) for i in block if (key := _latest_posted(i.slug, states[i.slug])) is not None),
            key=_KEY,
            reverse=True,
        ),
    )
    # Segments end by their incident's end: once every incident has ended and every update is
    # posted, nothing in the part depends on `now`.
    if any(i.end is None for i in block):
        return part, None
    return part, max(max(i.start, i.end, i.updates[0].at) for i in block if i.end is not None)


_PARTS: ByBlock[Incident, _Part] = ByBlock(_part)


def _in_window(parts: Sequence[_Part], window_start: datetime) -> dict[str, list[Interval]]:
    """Every component's stretches that reach into the window, in incident order."""
    result: dict[str, list[Interval]] = {}
    for part in parts:
        if part.reach is None or part.reach[1] < window_start:
            continue
        whole = part.reach[0] >= window_start
        for cid, found in part.intervals.items():
            kept = found if whole else [interval for interval in found if interval.end >= window_start]
            if kept:
                result.setdefault(cid, []).extend(kept)
    return result


Uptime = tuple[tuple[Day, ...], Decimal | None, tuple[MonthUptime, ...]]


@dataclass(frozen=True)
class _Swept:
    """A component's last sweep: what it was computed from, and what it gave."""

    inputs: object
    uptime: Uptime
    #: What the days before today were computed from, those days, and the months before
    #: today's as measured from them.
    earlier_inputs: object
    earlier: tuple[Day, ...]
    closed: tuple[MonthUptime, ...]


#: Each component's last sweep in this process, by component id.
_LAST: dict[str, _Swept] = {}


@dataclass(frozen=True)
class _Sweeps:
    """A component's bars, uptime and months, from the window and its intervals.

    The preview server summarizes again on every save, and a note changes only the components
    it names: the others get their last sweep back, found by everything it was computed from.
    By the clock, `now` (the end of today's bar) moves on every save: the days before today,
    and the months before this one, are kept while what they saw is the same, and only today
    and its month are measured again. Probe latencies are a mapping: a component with probes
    is swept every time."""

    window: tuple[tuple[date, datetime, datetime], ...]
    weights: tuple[tuple[ComponentStatus, Fraction], ...]
    bars: int
    first_month: date

    def uptime(self, cid: str, intervals: tuple[Interval, ...], since: date, probes: ProbeIntervals | None) -> Uptime:
        weights = dict(self.weights)
        if probes is not None:
            days = days_for(intervals, self.window, weights, since, probes)
            return self._measure(days, self._months(days, weights), weights)
        inputs = (self.window, self.weights, self.bars, self.first_month, intervals, since)
        last = _LAST.get(cid)
        if last is not None and last.inputs == inputs:
            return last.uptime
        # The days before today see the intervals only up to today's first instant: cut there,
        # they stay the same while an ongoing incident's end (`now`) moves on.
        today, this_month = self.window[-1][1], self.window[-1][0].replace(day=1)
        before = tuple(i if i.end <= today else i._replace(end=today) for i in intervals if i.start < today)
        earlier_inputs = (self.window[:-1], self.weights, before, since)
        if last is not None and last.earlier_inputs == earlier_inputs:
            earlier, closed = last.earlier, last.closed
        else:
            earlier = tuple(days_for(before, self.window[:-1], weights, since))
            closed = self._months([d for d in earlier if d.day < this_month], weights)
        days = [*earlier, *days_for(intervals, self.window[-1:], weights, since)]
        uptime = self._measure(days, closed + self._months([d for d in days if d.day >= this_month], weights), weights)
        _LAST[cid] = _Swept(inputs, uptime, earlier_inputs, earlier, closed)
        return uptime

    def _months(self, days: Sequence[Day], weights: dict[ComponentStatus, Fraction]) -> tuple[MonthUptime, ...]:
        """The months of these days shown (from `first_month`, with data), oldest first."""
        shown = [d for d in days if d.day >= self.first_month]
        return tuple(m for m in by_month(shown, weights) if m.uptime is not None)

    def _measure(
        self, days: list[Day], months: tuple[MonthUptime, ...], weights: dict[ComponentStatus, Fraction]
    ) -> Uptime:
        bars = days[-self.bars :]
        return tuple(bars), overall(bars, weights), months


def describe(indicator: Impact, maintenance: bool, statuses: Iterable[ComponentStatus]) -> str:
    """The banner, in Statuspage's words."""
    if indicator is Impact.CRITICAL:
        return "Major System Outage"
    if indicator is Impact.MAJOR:
        return "Partial System Outage"
    if indicator is Impact.MINOR:
        degraded = ComponentStatus.DEGRADED_PERFORMANCE in set(statuses)
        return "Partially Degraded Service" if degraded else "Minor Service Outage"
    return "Service Under Maintenance" if maintenance else "All Systems Operational"


def _intervals(incidents: Sequence[Incident], now: datetime) -> dict[str, list[Interval]]:
    """Every component's non-operational stretches, clipped at now."""
    result: dict[str, list[Interval]] = {}
    for incident in incidents:
        if incident.start > now:
            continue
        for cid, segments in incident.segments.items():
            for segment in segments:
                end = now if segment.end is None else min(segment.end, now)
                if end > segment.start:
                    result.setdefault(cid, []).append(
                        Interval(segment.start, end, segment.status, incident.slug, incident.is_maintenance)
                    )
    return result


def _current_statuses(
    incidents: Sequence[Incident], states: dict[str, IncidentState], now: datetime
) -> dict[str, ComponentStatus]:
    """The worst status among the ongoing incidents and maintenance, per component they name."""
    current: dict[str, ComponentStatus] = {}
    for incident in incidents:
        if states[incident.slug].phase is not Phase.ONGOING:
            continue
        for cid, segments in incident.segments.items():
            for segment in segments:
                if segment.start <= now and (segment.end is None or segment.end > now):
                    current[cid] = max(current.get(cid, segment.status), segment.status)
    return current


def _last_changes(incidents: Sequence[Incident], now: datetime) -> dict[str, datetime]:
    """Per component, the latest moment by `now` at which an incident's impact on it began or ended."""
    result: dict[str, datetime] = {}
    for incident in incidents:
        if incident.start > now:
            continue
        # No boundary comes after the incident's end: when that cannot beat what every one of
        # its components has, its segments need not be worked out.
        bound = now if incident.end is None else min(incident.end, now)
        if all(cid in result and result[cid] >= bound for cid in incident.component_ids):
            continue
        for cid, segments in incident.segments.items():
            moments = [m for s in segments for m in (s.start, s.end) if m is not None and m <= now]
            if moments:
                result[cid] = max(result.get(cid, moments[0]), *moments)
    return result


def _groups(config: Config, components: dict[str, ComponentSummary]) -> tuple[Group, ...]:
    """Groups in order of first appearance; ungrouped components each stand alone in order."""
    order: dict[str | None, list[ComponentSummary]] = {}
    groups: list[Group] = []
    for component in config.components:
        summary = components[component.id]
        if component.group is None:
            groups.append(Group(None, (summary,)))
        elif component.group in order:
            order[component.group].append(summary)
        else:
            order[component.group] = [summary]
            groups.append(Group(component.group, ()))
    return tuple(Group(g.name, tuple(order[g.name])) if g.name is not None else g for g in groups)


def _recent(
    incidents: Sequence[Incident], states: dict[str, IncidentState], today: date, config: Config
) -> tuple[tuple[date, tuple[Incident, ...]], ...]:
    """The last RECENT_DAYS local days, today first, each with the incidents that started then."""
    days = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
    by_day: dict[date, list[Incident]] = {day: [] for day in days}
    oldest = days[-1]
    for incident in incidents:
        if states[incident.slug].phase is Phase.UPCOMING:
            continue
        started = incident.start.astimezone(config.timezone).date()
        if started < oldest:
            break  # newest first: nothing older follows
        if started in by_day:
            by_day[started].append(incident)
    return tuple((day, tuple(by_day[day])) for day in days)
