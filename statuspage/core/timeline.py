"""When an incident starts and ends, from its updates; and what of it is posted at `now`.

An update dated after `now` is not posted yet: it is not shown, and it changes no status and
no uptime until a build at or after its time. So a note can be prepared ahead, and a typo in
a year cannot make the page lie: `as_of` gives the incident as readers can know it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from itertools import chain

from .model import Incident, Kind, Segment, Update, UpdateStatus
from .recall import ByBlock


def window(
    kind: Kind, updates: Sequence[Update], declared_start: datetime | None, declared_end: datetime | None
) -> tuple[datetime, datetime | None]:
    """(start, end) of the impact; `updates` newest first. End None: still going on.

    An incident starts at `started:`, else its first update, and ends at `resolved:`, else at
    its Resolved update; a later Investigating, Identified or Monitoring re-opens it (an
    "Update" or a Postmortem does not). A maintenance holds its window, ended early by a
    Completed update.
    """
    if kind is Kind.MAINTENANCE:
        assert declared_start is not None and declared_end is not None  # required by the reader
        completed = [u.at for u in updates if u.status is UpdateStatus.COMPLETED]
        return declared_start, min(completed, default=declared_end)
    start = declared_start or updates[-1].at
    end = declared_end
    if end is None:
        for update in reversed(updates):  # oldest first
            if update.status is UpdateStatus.RESOLVED and end is None:
                end = update.at
            elif update.status.is_open and update.status is not UpdateStatus.UPDATE:
                end = None
    return start, end


def posted(update: Update, now: datetime) -> bool:
    return update.at <= now or update.always_posted


def as_of(incident: Incident, now: datetime) -> Incident | None:
    """The incident as its readers can know it at `now`: only the updates posted by then, and
    the window they imply; None while nothing of it is posted."""
    if incident.updates[0].at <= now:
        return incident  # nearly always (updates are newest first): the same object, nothing recomputed
    shown = tuple(u for u in incident.updates if posted(u, now))
    if len(shown) == len(incident.updates):
        return incident
    if not shown:
        return None
    start, end = window(incident.kind, shown, incident.declared_start, incident.declared_end)
    return replace(incident, updates=shown, start=start, end=end)


def as_shown(incident: Incident) -> dict[str, list[Segment]]:
    """Per component, the stretches of non-operational status as a build at each moment showed
    them. The incident's own segments count a re-opened incident as one outage from its start;
    a build between its Resolved update and the update that re-opened it showed none."""
    moments = sorted({update.at for update in incident.updates})
    shown: dict[str, list[Segment]] = {}
    for n, since in enumerate(moments):  # between two updates a build shows the incident as of the first
        until = moments[n + 1] if n + 1 < len(moments) else None
        then = as_of(incident, since)
        assert then is not None  # the update at `since` is posted then
        for cid, segments in then.segments.items():
            for segment in segments:
                start = segment.start if n == 0 else max(segment.start, since)  # the first: from `started:`
                end = _earliest(segment.end, until)
                if end is None or start < end:
                    shown.setdefault(cid, []).append(Segment(start, end, segment.status))
    return shown


def _earliest(first: datetime | None, second: datetime | None) -> datetime | None:
    """The earlier of two ends, None being never."""
    return second if first is None else first if second is None else min(first, second)


def visible(incidents: Sequence[Incident], now: datetime) -> list[Incident]:
    """Every incident with something posted at `now`, as of `now`, in the given order."""
    return list(chain.from_iterable(_VISIBLE(incidents, now)))


def _visible_block(block: tuple[Incident, ...], now: datetime) -> tuple[tuple[Incident, ...], datetime | None]:
    """A block's incidents as of `now`; once its last update is posted, the block itself at any later `now`."""
    shown = tuple(shown for incident in block if (shown := as_of(incident, now)) is not None)
    return shown, max(incident.updates[0].at for incident in block)


_VISIBLE: ByBlock[Incident, tuple[Incident, ...]] = ByBlock(_visible_block)
