"""Impacts, statuses, components and incidents: the types every part of the package shares."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Self, TypeVar, overload

T = TypeVar("T")


class remembered(Generic[T]):
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first read, a
    fifth of a summary's time over 10,000 incidents): frozen values are computed at most twice
    under a race, and the same either way."""

    def __init__(self, compute: Callable[[Any], T]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> remembered[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> T | remembered[T]:
        if instance is None:
            return self
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # found before this descriptor from now on
        return value


class _Named(enum.Enum):
    """An enum whose value is the machine name used in notes, feeds and the API."""

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """Accept any case and `-`, `_` or space between words ("In progress")."""
        key = "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
        try:
            return cls(key)
        except ValueError:
            return None

    @functools.cached_property  # every incident page asks for its statuses' labels
    def label(self) -> str:
        """Human wording: "partial_outage" -> "Partial outage"."""
        return str(self.value).replace("_", " ").capitalize()


class Severity(_Named):
    """An ordered enum: later members are worse."""

    @functools.cached_property  # asked for at every comparison: tens of thousands of times a build
    def rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity) or type(other) is not type(self):
            return NotImplemented
        return self.rank < other.rank


class Impact(Severity):
    """How bad an incident is, in Statuspage's vocabulary (also the page indicator)."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class ComponentStatus(Severity):
    """A component's condition; maintenance ranks below any outage."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def impact(self) -> Impact:
        """The page indicator this status implies, as Statuspage maps it."""
        return _STATUS_IMPACT[self]


_STATUS_IMPACT = {
    ComponentStatus.OPERATIONAL: Impact.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Impact.NONE,
    ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
    ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
}

#: Statuses an incident can put a component in (maintenance has its own).
INCIDENT_COMPONENT_STATUSES = (
    ComponentStatus.OPERATIONAL,
    ComponentStatus.DEGRADED_PERFORMANCE,
    ComponentStatus.PARTIAL_OUTAGE,
    ComponentStatus.MAJOR_OUTAGE,
)


class Kind(_Named):
    INCIDENT = "incident"
    MAINTENANCE = "maintenance"


class UpdateStatus(_Named):
    """The status an update announces, as people know them from Statuspage."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    UPDATE = "update"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"

    @property
    def is_open(self) -> bool:
        """True for statuses that mean work is still going on."""
        return self not in _CLOSING


_CLOSING = {UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM, UpdateStatus.COMPLETED}

STATUSES_BY_KIND = {
    Kind.INCIDENT: (
        UpdateStatus.INVESTIGATING,
        UpdateStatus.IDENTIFIED,
        UpdateStatus.MONITORING,
        UpdateStatus.UPDATE,
        UpdateStatus.RESOLVED,
        UpdateStatus.POSTMORTEM,
    ),
    Kind.MAINTENANCE: (
        UpdateStatus.SCHEDULED,
        UpdateStatus.IN_PROGRESS,
        UpdateStatus.VERIFYING,
        UpdateStatus.UPDATE,
        UpdateStatus.COMPLETED,
    ),
}


#: Statuses a note may give its components (updates may also set "operational", which ends the impact).
COMPONENT_STATUSES = {
    Kind.INCIDENT: INCIDENT_COMPONENT_STATUSES[1:],
    Kind.MAINTENANCE: (ComponentStatus.UNDER_MAINTENANCE, *INCIDENT_COMPONENT_STATUSES[1:]),
}


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    group: str | None = None
    description: str = ""
    since: date | None = None
    #: Ids of the `[[upstream]]` vendors it relies on: their trouble is shown beside it, never as its own.
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    """One timestamped post in an incident's timeline."""

    at: datetime
    status: UpdateStatus
    html: str  # sanitised, for pages and feeds
    text: str  # plain text from the same Markdown, for the API, the calendar and chat messages
    anchor: str
    #: Component statuses that change from this update on ("operational" ends the impact).
    changes: Mapping[str, ComponentStatus] = field(default_factory=dict)
    #: The note's line this update starts on (its heading), for messages; None if not from a note.
    line: int | None = field(default=None, compare=False)
    #: Posted as soon as the note exists, whatever its time: the one update of a maintenance note
    #: without headings, whose time is the window's start rather than when it was announced.
    always_posted: bool = False
    #: Links and images in the update's text, for the checks that need the built site.
    references: tuple[Reference, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Reference:
    """A link or an image in an update, where it is written."""

    line: int | None
    image: bool
    target: str
    alt: str | None = None  # images only: None when the image has no alt text at all


@dataclass(frozen=True)
class Segment:
    """A stretch of time during which an incident holds a component in one status."""

    start: datetime
    end: datetime | None  # None: still going on
    status: ComponentStatus


@dataclass(frozen=True)
class Incident:
    """An incident or a scheduled maintenance, validated and fully resolved to UTC times."""

    slug: str
    title: str
    kind: Kind
    impact: Impact
    #: Component statuses at the start; updates may change them later.
    components: Mapping[str, ComponentStatus]
    #: Newest first.
    updates: tuple[Update, ...]
    start: datetime
    #: When the impact ended: resolved, or the end of the maintenance window; None while ongoing.
    end: datetime | None
    source: str = ""
    #: The front matter's own times, which hold whatever the updates say: `started:` and
    #: `resolved:` of an incident, `scheduled:` and `until:` of a maintenance.
    declared_start: datetime | None = None
    declared_end: datetime | None = None
    #: Lines of the front matter's keys, for messages about them.
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    #: SHA-256 of the note's bytes: what parsed notes and rendered pages are cached by.
    digest: str = field(default="", compare=False)
    #: `draft: true` in the front matter: never shown anywhere, only listed by `statuspage list`.
    draft: bool = False

    @remembered  # asked for over and over by the summary: fifty thousand times at 10,000 notes
    def is_maintenance(self) -> bool:
        return self.kind is Kind.MAINTENANCE

    @property
    def level(self) -> str:
        """How pages colour and mark it: "maintenance", or its impact ("none" … "critical")."""
        return "maintenance" if self.is_maintenance else self.impact.value

    @property
    def latest(self) -> Update:
        return self.updates[0]

    @remembered  # looked at by the lint on every build, and nearly always empty
    def references(self) -> tuple[Reference, ...]:
        """Every link and image of every update, in the note's order of updates."""
        return tuple(reference for update in self.updates for reference in update.references)

    @remembered  # asked for per page and per feed; an incident never changes
    def component_ids(self) -> tuple[str, ...]:
        """Every component the incident touches, in first-mention order."""
        seen = dict.fromkeys(self.components)
        for update in reversed(self.updates):
            seen.update(dict.fromkeys(update.changes))
        return tuple(seen)

    @property
    def peak(self) -> dict[str, ComponentStatus]:
        """Each touched component's worst status over the whole incident."""
        segments = self.segments
        return {
            cid: max((s.status for s in segments.get(cid, ())), default=ComponentStatus.OPERATIONAL)
            for cid in self.component_ids
        }

    @remembered  # asked for by the status, the uptime and every page of the incident
    def segments(self) -> Mapping[str, tuple[Segment, ...]]:
        """Per component, the stretches of non-operational status, in time order."""
        timeline: dict[str, list[tuple[datetime, ComponentStatus]]] = {
            cid: [(self.start, status)] for cid, status in self.components.items()
        }
        for update in reversed(self.updates):
            for cid, status in update.changes.items():
                timeline.setdefault(cid, []).append((max(update.at, self.start), status))
        result: dict[str, tuple[Segment, ...]] = {}
        for cid, steps in timeline.items():
            steps.sort(key=lambda step: step[0])
            segments = []
            for i, (since, status) in enumerate(steps):
                until = steps[i + 1][0] if i + 1 < len(steps) else self.end
                if self.end is not None and until is not None:
                    until = min(until, self.end)
                if status is ComponentStatus.OPERATIONAL or (until is not None and until <= since):
                    continue
                segments.append(Segment(since, until, status))
            if segments:
                result[cid] = tuple(segments)
        return result
