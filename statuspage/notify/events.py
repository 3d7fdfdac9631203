"""What subscribers hear about: the events the site shows, each with an id that never changes.

Pure: a function of the `Site`, so notify announces exactly what the pages and feeds show at
`now`, nothing future-dated. An id names what happened ("<slug>#<anchor>"), never when a run
noticed it, so a run that meets an event again knows whether it was announced.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ..core.model import Component, ComponentStatus, Incident, Update, UpdateStatus
from ..core.probes import detections, maintenance_windows
from ..core.site import Site
from ..core.timeline import as_shown


class Kind(enum.Enum):
    UPDATE = "update"  # a posted update of an incident or maintenance
    STARTED = "started"  # a maintenance window began, by the clock
    ENDED = "ended"  # a maintenance window ended, by the clock
    COMPONENT = "component"  # a component's status changed


@dataclass(frozen=True)
class IncidentEvent:
    id: str
    kind: Kind
    at: datetime
    incident: Incident
    #: The update announced; for a clock event, the latest one posted by then.
    update: Update

    @property
    def component_ids(self) -> tuple[str, ...]:
        return self.incident.component_ids


@dataclass(frozen=True)
class ComponentEvent:
    id: str
    at: datetime
    component: Component
    old: ComponentStatus
    new: ComponentStatus
    kind: Kind = Kind.COMPONENT

    @property
    def component_ids(self) -> tuple[str, ...]:
        return (self.component.id,)


Event = IncidentEvent | ComponentEvent

#: What a clock event announces; a maintenance note with an update of that status announces it itself.
CLOCK_STATUS = {Kind.STARTED: UpdateStatus.IN_PROGRESS, Kind.ENDED: UpdateStatus.COMPLETED}


def find(site: Site, since: datetime) -> list[Event]:
    """Every event from `since` up to `now`, oldest first."""
    now = site.now
    found: list[Event] = []
    for incident in site.incidents:
        for update in site.summary.states[incident.slug].updates:
            if update.at >= since:
                found.append(
                    IncidentEvent(f"{incident.slug}#{update.anchor}", Kind.UPDATE, update.at, incident, update)
                )
        if incident.is_maintenance:
            found += _clock_events(incident, since, now)
    found += _component_changes(site, since)
    return sorted(found, key=lambda event: (event.at, event.id))


def changes_of(component_id: str) -> str:
    """How the ids of a component's changes begin: "component/<id>@"."""
    return f"component/{component_id}@"


def change_id(component_id: str, moment: datetime, status: ComponentStatus) -> str:
    """The id of a component change: component/<id>@<UTC time>:<status>."""
    return f"{changes_of(component_id)}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}:{status.value}"


def changed_to(event_id: str) -> ComponentStatus | None:
    """The status a component change's id names; None if the id names none (an edited ledger)."""
    try:
        return ComponentStatus(event_id.rpartition(":")[2])
    except ValueError:
        return None


def stale(event: Event, now: datetime) -> bool:
    """A maintenance's start found once its window is over: "In progress" would be news of the past."""
    if not isinstance(event, IncidentEvent) or event.kind is not Kind.STARTED:
        return False
    return event.incident.end is not None and event.incident.end <= now


def _clock_events(maintenance: Incident, since: datetime, now: datetime) -> Iterator[IncidentEvent]:
    """A window's start and end, found by a scheduled run even when nobody committed anything."""
    statuses = {u.status for u in maintenance.updates}
    for kind, moment in ((Kind.STARTED, maintenance.start), (Kind.ENDED, maintenance.end)):
        if moment is None or not since <= moment <= now or CLOCK_STATUS[kind] in statuses:
            continue
        shown = [u for u in maintenance.updates if u.at <= moment] or maintenance.updates[-1:]
        yield IncidentEvent(f"{maintenance.slug}@{kind.value}", kind, moment, maintenance, shown[0])


def _component_changes(site: Site, since: datetime) -> list[ComponentEvent]:
    """Each moment from `since` to `now` a component's status changed: one sweep over the
    boundaries of every incident's stretches as builds showed them (`as_shown`: a re-opened
    incident is back to operational in between) and of what `sets_status` probes confirmed,
    the worst status counting, as the summary does."""
    now = site.now
    marks: dict[str, list[tuple[datetime, int, ComponentStatus]]] = {}

    def mark(cid: str, start: datetime, end: datetime | None, status: ComponentStatus) -> None:
        if start > now or (end is not None and end < since):
            return
        marks.setdefault(cid, []).append((start, 1, status))
        if end is not None and end <= now:
            marks[cid].append((end, -1, status))

    for incident in site.incidents:
        if incident.start > now or (incident.end is not None and incident.end < since):
            continue
        for cid, segments in as_shown(incident).items():
            for segment in segments:
                mark(cid, segment.start, segment.end, segment.status)
    for cid, stretches in _detected(site).items():
        for start, end, status in stretches:
            mark(cid, start, end, status)
    found = []
    for component in site.config.components:
        active: Counter[ComponentStatus] = Counter()
        status = ComponentStatus.OPERATIONAL
        steps = sorted(marks.get(component.id, ()), key=lambda mark: mark[0])
        for n, (moment, change, segment_status) in enumerate(steps):
            active[segment_status] += change
            if n + 1 < len(steps) and steps[n + 1][0] == moment:
                continue  # apply every boundary at one moment before comparing
            new = max((s for s, count in active.items() if count > 0), default=ComponentStatus.OPERATIONAL)
            if new is not status and moment >= since:
                found.append(ComponentEvent(change_id(component.id, moment, new), moment, component, status, new))
            status = new
    return found


def _detected(site: Site) -> dict[str, list[tuple[datetime, datetime, ComponentStatus]]]:
    """Per component whose probe sets its status, the stretches it did (`core.probes.detections`)."""
    setting = [cid for cid in site.probes if (probe := site.config.probe_of.get(cid)) and probe.sets_status]
    if not setting:
        return {}  # a site without such probes need not look at every incident's windows
    windows = maintenance_windows(site.incidents, site.now)
    return {cid: detections(site.probes[cid], windows.get(cid, ())) for cid in setting}
