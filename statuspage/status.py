"""What the site says right now: component statuses, the banner, uptime, incident phases.

Pure: takes the config, the incidents and `now`; touches no files. Templates, feeds and
the API only display what `summarize` computed, so they can never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from .config import Config
from .model import Component, ComponentStatus, Impact, Incident, Update, UpdateStatus
from .uptime import Day, Interval, calendar, days_for, percent, weighted

RECENT_DAYS = 14


class Phase(enum.Enum):
    UPCOMING = "upcoming"  # maintenance not yet started (or an incident dated in the future)
    ONGOING = "ongoing"  # an incident not yet resolved, or maintenance in its window
    ENDED = "ended"


@dataclass(frozen=True)
class IncidentState:
    phase: Phase
    status: UpdateStatus  # what to show: the latest posted update, or the maintenance's phase
    #: Updates posted by `now`, newest first; pages and feeds never show one before its time.
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

    @property
    def notable_days(self) -> tuple[Day, ...]:
        """Days with downtime, maintenance or incidents, newest first: what a reader asks about."""
        return tuple(d for d in reversed(self.days) if d.has_data and (d.seconds or d.incidents))


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
    recent: tuple[tuple[date, tuple[Incident, ...]], ...]  # today first
    states: dict[str, IncidentState]


def state(incident: Incident, now: datetime) -> IncidentState:
    """An incident's phase and displayed status at `now`."""
    if incident.start > now:
        phase = Phase.UPCOMING
    elif incident.end is None or incident.end > now:
        phase = Phase.ONGOING
    else:
        phase = Phase.ENDED
    # A note written ahead (say, a maintenance's "In progress") shows from its time on.
    # With nothing posted yet, the first update stands in: a note is never blank.
    posted = tuple(u for u in incident.updates if u.at <= now) or incident.updates[-1:]
    latest = posted[0].status
    if not incident.is_maintenance:
        if phase is Phase.ENDED and latest.is_open:
            latest = UpdateStatus.RESOLVED
        return IncidentState(phase, latest, posted)
    if phase is Phase.UPCOMING:
        return IncidentState(phase, UpdateStatus.SCHEDULED, posted)
    if phase is Phase.ENDED:
        return IncidentState(phase, UpdateStatus.COMPLETED, posted)
    shown = latest if latest is UpdateStatus.VERIFYING else UpdateStatus.IN_PROGRESS
    return IncidentState(phase, shown, posted)


def summarize(config: Config, incidents: Sequence[Incident], now: datetime) -> Summary:
    """Compute everything the pages show. `incidents` are newest first."""
    states = {incident.slug: state(incident, now) for incident in incidents}
    intervals = _intervals(incidents, now, window_start=now - timedelta(days=config.uptime_days + 1))
    current = _current_statuses(config, incidents, states, now)
    today = now.astimezone(config.timezone).date()
    window = calendar(today, config.uptime_days, config.timezone, now)
    weights = {status: Fraction(str(weight)) for status, weight in config.weights}

    components = {}
    for component in config.components:
        days = days_for(intervals.get(component.id, ()), window, weights, component.since)
        components[component.id] = _component_summary(component, current[component.id], days, weights)

    ongoing = tuple(i for i in incidents if not i.is_maintenance and states[i.slug].phase is Phase.ONGOING)
    active = tuple(i for i in incidents if i.is_maintenance and states[i.slug].phase is Phase.ONGOING)
    upcoming = tuple(
        sorted(
            (i for i in incidents if i.is_maintenance and states[i.slug].phase is Phase.UPCOMING),
            key=lambda i: (i.start, i.slug),
        )
    )
    indicator = max([s.impact for s in current.values()] + [i.impact for i in ongoing], default=Impact.NONE)
    maintenance = any(s is ComponentStatus.UNDER_MAINTENANCE for s in current.values()) or bool(active)
    return Summary(
        now=now,
        indicator=indicator,
        description=describe(indicator, maintenance, current.values()),
        under_maintenance=maintenance,
        components=components,
        groups=_groups(config, components),
        ongoing=ongoing,
        active_maintenance=active,
        upcoming_maintenance=upcoming,
        recent=_recent(incidents, states, today, config),
        states=states,
    )


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


def _intervals(incidents: Sequence[Incident], now: datetime, window_start: datetime) -> dict[str, list[Interval]]:
    """Every component's non-operational stretches that reach into the window, clipped at now."""
    result: dict[str, list[Interval]] = {}
    for incident in incidents:
        if incident.start > now or (incident.end is not None and incident.end < window_start):
            continue
        for cid, segments in incident.segments().items():
            for segment in segments:
                end = now if segment.end is None else min(segment.end, now)
                if end > segment.start and end >= window_start:
                    result.setdefault(cid, []).append(Interval(segment.start, end, segment.status, incident.slug))
    return result


def _current_statuses(
    config: Config, incidents: Sequence[Incident], states: dict[str, IncidentState], now: datetime
) -> dict[str, ComponentStatus]:
    """Each component's worst status among the ongoing incidents and maintenance naming it."""
    current = dict.fromkeys(config.component_ids, ComponentStatus.OPERATIONAL)
    for incident in incidents:
        if states[incident.slug].phase is not Phase.ONGOING:
            continue
        for cid, segments in incident.segments().items():
            for segment in segments:
                if segment.start <= now and (segment.end is None or segment.end > now):
                    current[cid] = max(current[cid], segment.status)
    return current


def _component_summary(
    component: Component, status: ComponentStatus, days: list[Day], weights: dict[ComponentStatus, Fraction]
) -> ComponentSummary:
    with_data = [d for d in days if d.has_data]
    down = sum((weighted(d.seconds, weights) for d in with_data), Fraction(0))
    observed = sum(d.observed for d in with_data)
    return ComponentSummary(component, status, tuple(days), percent(down, observed))


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
