"""What one channel is told in one run, and what it is not told, and why.

Pure: a function of the events found, the page's component statuses, the channel's ledger and
the run's times. Of the events a channel wants and was not told, each is due (in the run's
window, from the channel's start on), history (dated before the channel's start), stale (a
maintenance's start found after its window ended), superseded (a component's change older
than one the channel was told: a receiver keeping the component's status from what it hears
would end with the older one) or expired (never announced, and now older than the window: it
never will be). More than `CAP` announcements due at once is a backlog, for a person to decide
about. And a component whose status the channel last heard otherwise than the page shows it
now is told the page's: a receiver keeps what it heard last, which must stay true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from ..core.model import Component, ComponentStatus
from .events import ComponentEvent, Event, IncidentEvent, change_id, changed_to, changes_of, stale
from .ledger import Ledger

#: The most announcements one run sends to one channel. More at once is nearly always a backlog
#: (imported notes, a renamed note, a lost ledger, notify not run for days), not news.
CAP = 10


@dataclass(frozen=True)
class Due:
    send: list[Event]  # oldest first
    history: list[Event]
    stale: list[Event]
    superseded: list[Event]
    expired: list[Event]

    @property
    def backlog(self) -> bool:
        """More to announce than a run sends: component changes ride along with their updates, uncounted."""
        return sum(isinstance(event, IncidentEvent) for event in self.send) > CAP


def due(
    wanted: list[Event],
    ledger: Ledger,
    channel: str,
    window: datetime,
    now: datetime,
    shown: Mapping[str, tuple[Component, ComponentStatus]],
) -> Due:
    """`wanted`: the events the channel takes, oldest first; `window`: where this run's look back
    starts; `shown`: each component whose changes the channel takes, with its status on the page."""
    start = ledger.channels[channel].since
    new = [event for event in wanted if not ledger.has(channel, event.id)]
    fresh = [event for event in new if event.at >= max(start, window)]
    told = {cid: ledger.latest(channel, changes_of(cid)) for cid in shown}

    def superseded(event: Event) -> bool:
        latest = told.get(event.component.id) if isinstance(event, ComponentEvent) else None
        return latest is not None and event.at <= latest[0]  # at the same second: the one told stands

    send = [event for event in fresh if not stale(event, now) and not superseded(event)]
    heard = dict(told)  # what the channel will have heard last of each component, after this run
    heard.update((event.component.id, (event.at, event.id)) for event in send if isinstance(event, ComponentEvent))
    return Due(
        send=send + list(_corrections(heard, shown, now)),
        history=[event for event in new if window <= event.at < start],
        stale=[event for event in fresh if stale(event, now)],
        superseded=[event for event in fresh if superseded(event)],
        expired=[event for event in new if start <= event.at < window],
    )


def _corrections(
    heard: Mapping[str, tuple[datetime, str] | None],
    shown: Mapping[str, tuple[Component, ComponentStatus]],
    now: datetime,
) -> Iterator[ComponentEvent]:
    """A change to what the page shows now, for each component the channel will have heard last of
    otherwise: the note it heard it from was deleted or edited since. Never at the second of a
    change it was told (a run in the same second): the next run makes it."""
    for cid, (component, status) in shown.items():
        last = heard[cid]
        was = changed_to(last[1]) if last and last[0] < now else None
        if was is not None and was is not status:
            yield ComponentEvent(change_id(cid, now, status), now, component, was, status)
